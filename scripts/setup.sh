#!/usr/bin/env bash
# Installs everything gasmodel's tests need on a fresh Debian machine (idempotent):
# the contract toolchains (Debian Rust + wasm32 std + serde, clang/lld), the package with its
# dev extras (pytest, hypothesis, ruff, mypy, wabt), and the Injective localnet node.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(rustc cargo libstd-rust-dev-wasm32 librust-serde-dev librust-serde-json-dev
              librust-serde-derive-dev clang lld graphviz)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check -e ".[dev,localnet]"
