#!/usr/bin/env bash
# The whole test run, as CI runs it: set-up, lint, types, then every test (localnet ones included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
python3 -m ruff check .
python3 -m mypy
python3 -m pytest -q -p no:cacheprovider --timeout=900 "$@"
