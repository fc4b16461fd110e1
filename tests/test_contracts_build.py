"""The committed contract artifacts are exactly what contracts/build.py makes from source.

Oracle: the contract toolchain (cargo with Debian's Rust 1.63, installed by scripts/setup.sh) rebuilding
every artifact from contracts/ source in a temporary folder; the committed bytes must equal the fresh
build. The comparison helper is checked on hand-made folders whose differences are written out.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"


def load_build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("contracts_build", CONTRACTS / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILD = load_build_script()


def require_toolchain() -> None:
    missing = BUILD.toolchain_missing()
    if missing:
        pytest.skip(f"Rust toolchain unavailable: {missing}")


def test_compare_names_differing_and_missing_files(tmp_path: Path) -> None:
    fresh_root, committed_root = tmp_path / "fresh", tmp_path / "committed"
    for root in (fresh_root, committed_root):
        (root / "lint").mkdir(parents=True)
    (fresh_root / "a.wasm").write_bytes(b"\0asm same")
    (committed_root / "a.wasm").write_bytes(b"\0asm same")
    (fresh_root / "lint" / "b.wasm").write_bytes(b"\0asm new")
    (committed_root / "lint" / "b.wasm").write_bytes(b"\0asm old")
    (fresh_root / "c.wasm").write_bytes(b"\0asm only fresh")
    fresh = sorted(p for p in fresh_root.rglob("*") if p.is_file())
    assert BUILD.compare(fresh, fresh_root, committed_root) == ["artifacts/c.wasm", "artifacts/lint/b.wasm"]


@pytest.mark.toolchain
def test_build_check_passes() -> None:
    """`build.py --check` builds a copy of the sources elsewhere from scratch (plus the fixtures, if
    present) and finds every committed artifact and manifest size identical."""
    require_toolchain()
    proc = subprocess.run(
        [sys.executable, str(CONTRACTS / "build.py"), "--check"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "all artifacts match" in proc.stdout
