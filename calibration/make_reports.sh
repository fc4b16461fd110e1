#!/bin/sh
# The commands that made the committed calibration reports (calibration/reports/) and the
# fitted profile calibration/reports/injective-localnet-fitted.toml. Run from the repository root.
set -e
python -m gasmodel calibrate fuel --out calibration/reports/fuel.json --no-progress
python -m gasmodel calibrate time --rounds 15 --out calibration/reports/time.json \
    --table-out calibration/reports/wasmtime-time.toml --no-progress
python -m gasmodel calibrate chain \
    --results calibration/results/contracts.localnet.json calibration/results/counter.localnet.json \
              calibration/results/lint_fixtures.localnet.json \
    --fit contracts --profile-out calibration/reports/injective-localnet-fitted.toml \
    --profile-name injective-localnet-fitted --out calibration/reports/chain.json --no-progress
