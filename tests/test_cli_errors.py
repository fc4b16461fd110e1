"""Every command that reads a contract fails the same way on bad input: exit 2, one line naming
the file (and the byte offset when the bytes are the problem), no traceback.

Oracle: the inputs' known defects (a missing file, a truncated module at a hand-counted
offset, bytes that are not Wasm); the expected line names that file and offset.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOKEN = ROOT / "contracts" / "artifacts" / "token.wasm"

COMMANDS = [
    ["histogram"],
    ["histogram", "--json"],
    ["analyze"],
    ["analyze", "--json"],
    ["callgraph", "--format", "dot"],
]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gasmodel", *args], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bad")
    data = TOKEN.read_bytes()
    files = {
        "truncated": data[: len(data) // 3],
        "not-wasm": b"\x7fELF" + b"\0" * 60,
        "bad-version": data[:4] + b"\x02\0\0\0" + data[8:],
        "empty": b"",
    }
    out = {}
    for name, content in files.items():
        p = d / f"{name}.wasm"
        p.write_bytes(content)
        out[name] = p
    out["missing"] = d / "no-such-file.wasm"
    return out


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("kind", ["truncated", "not-wasm", "bad-version", "empty", "missing"])
def test_bad_contract_gives_one_line_error(command: list[str], kind: str, bad_files: dict[str, Path]) -> None:
    path = bad_files[kind]
    res = _run(*command[:1], str(path), *command[1:])
    assert res.returncode == 2, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("gasmodel: error: ")
    assert str(path) in lines[0]
    assert "Traceback" not in res.stderr
    if kind in ("truncated", "bad-version"):
        assert "byte offset" in lines[0]
    assert res.stdout == ""


def test_gzipped_contract_is_read_like_the_raw_one(tmp_path: Path) -> None:
    import gzip
    import json

    gz = tmp_path / "token.wasm.gz"
    gz.write_bytes(gzip.compress(TOKEN.read_bytes()))
    raw = json.loads(_run("histogram", str(TOKEN), "--json").stdout)
    zipped = json.loads(_run("histogram", str(gz), "--json").stdout)
    assert raw["opcodes"] == zipped["opcodes"] and raw["total"] > 0
    bomb = tmp_path / "bomb.wasm.gz"
    bomb.write_bytes(gzip.compress(b"\0asm\x01\0\0\0" + bytes(80 * 1024 * 1024)))
    res = _run("histogram", str(bomb))
    assert res.returncode == 2 and "exceeds limit" in res.stderr and str(bomb) in res.stderr


def test_good_contract_succeeds_for_every_command() -> None:
    for command in COMMANDS:
        res = _run(*command[:1], str(TOKEN), *command[1:])
        assert res.returncode == 0, (command, res.stderr)
        assert res.stdout.strip()
