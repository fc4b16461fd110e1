#!/usr/bin/env bash
# The whole test run, as CI runs it: set-up, lint, types, then every test (localnet ones included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
python3 -m ruff check .
python3 -m mypy
# two workers (the machine has 2 cores); a test file stays on one worker, so its module fixtures
# (a localnet run, a scenario) are built once
python3 -m pytest -q -p no:cacheprovider --timeout=900 -n 2 --dist loadfile "$@"
