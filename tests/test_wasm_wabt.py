"""The function-body histogram agrees exactly with wabt's ``wasm-objdump -d`` on every module we have.

Files: every ``contracts/**/*.wasm`` (build folders named ``target`` excluded) and every
``tests/wasm_samples/*.wasm``. wabt prints the typed ``select`` (0x1c) as ``select``; we call it
``select_t``, so it is folded into ``select`` before comparing. Nothing else differs.

Oracle: wabt's ``wasm-objdump -d`` (1.0.42, pinned by tests/wabt.py), parsed line by line.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from wabt import wabt_tool

from gasmodel.histogram import histogram
from gasmodel.wasm import decode

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "wasm_samples"
MIN_FILES = 14  # the committed samples alone

# " 00032a: 28 02 00    |     i32.load 2 0" -> "i32.load"; local declarations ("local[0..3] type=i32")
# and continuation lines of long encodings are skipped.
_LINE = re.compile(r"^ [0-9a-f]+: [0-9a-f ]*\| *(\S+)", re.M)
_WABT_NAMES = {"select_t": "select"}


def module_files() -> list[Path]:
    """Every module the project has."""
    contracts = [p for p in (ROOT / "contracts").glob("**/*.wasm") if "target" not in p.parts]
    return sorted(contracts) + sorted(SAMPLES.glob("*.wasm"))


def wabt_histogram(path: Path) -> Counter[str]:
    """Instruction counts of the function bodies as ``wasm-objdump -d`` lists them."""
    out = subprocess.run(
        [wabt_tool("wasm-objdump"), "-d", str(path)], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    return Counter(n for n in _LINE.findall(out) if "[" not in n)


def our_histogram(path: Path) -> Counter[str]:
    """Our module histogram, with wabt's spelling of names."""
    h = histogram(decode(path.read_bytes()))
    out: Counter[str] = Counter()
    for name, n in h.opcodes.items():
        out[_WABT_NAMES.get(name, name)] += n
    return out


FILES = module_files()


def test_enough_files() -> None:
    assert wabt_tool("wasm-objdump")
    assert len(FILES) >= MIN_FILES, FILES


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_histogram_equals_wabt(path: Path) -> None:
    ours = our_histogram(path)
    theirs = wabt_histogram(path)
    assert sum(theirs.values()) > 0
    assert ours == theirs, {"only ours": ours - theirs, "only wabt": theirs - ours}
