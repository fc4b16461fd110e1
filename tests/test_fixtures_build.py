"""contracts/fixtures/build_fixtures.py: a fresh build equals the committed artifacts, byte for byte.

Oracle: the fixture build script run afresh from its sources (toolchain-marked); the committed
artifacts must equal it byte for byte.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
SCRIPT = CONTRACTS / "fixtures" / "build_fixtures.py"

pytestmark = pytest.mark.toolchain


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=300,
                          check=False)


def test_fresh_build_equals_committed_artifacts() -> None:
    run = _run("--check")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "warning" not in run.stderr, f"toolchain differs from the pinned versions: {run.stderr}"
    assert run.stdout.startswith("ok: ")


def test_check_names_an_artifact_that_differs(tmp_path: Path) -> None:
    for kind in ("lint", "metering"):
        shutil.copytree(CONTRACTS / "artifacts" / kind, tmp_path / kind)
    victim = tmp_path / "lint" / "simd.wasm"
    size = victim.stat().st_size
    victim.write_bytes(victim.read_bytes() + b"\0")
    (tmp_path / "metering" / "calls.wasm").unlink()
    run = _run("--check", "--out", str(tmp_path), "--only", "baseline", "simd", "calls", "loop_br_if")
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        f"differs: lint/simd.wasm ({size + 1} B committed, {size} B fresh)",
        "differs: metering/calls.wasm (not committed)",
    ]


def test_build_into_another_folder_is_identical(tmp_path: Path) -> None:
    run = _run("--out", str(tmp_path), "--only", "baseline", "bulk_memory", "too_many_locals", "traps")
    assert run.returncode == 0, run.stderr
    rels = ("lint/baseline.wasm", "lint/bulk_memory.wasm", "lint/too_many_locals.wasm", "metering/traps.wasm")
    for rel in rels:
        assert (tmp_path / rel).read_bytes() == (CONTRACTS / "artifacts" / rel).read_bytes(), rel


def test_unknown_fixture_is_a_clear_error() -> None:
    run = _run("--only", "no_such_fixture", "--out", "/nonexistent")
    assert run.returncode == 2
    assert "unknown fixture(s): no_such_fixture" in run.stderr
