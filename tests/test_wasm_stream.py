"""The per-instruction stream against an independent decoder: wabt's ``wasm-objdump -d``.

Oracle: wabt prints every instruction with its absolute offset and its raw bytes; the stream must
give the same offsets, the same byte spans and the same mnemonic, for every function.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from wabt import wabt_tool

from gasmodel.errors import WasmDecodeError
from gasmodel.wasm import decode
from gasmodel.wasm.opcodes import NAMES
from gasmodel.wasm.stream import code_start, instruction_offsets, instructions

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "contracts" / "artifacts" / "counter.wasm"
_LINE = re.compile(r"^ ([0-9a-f]{6}): ((?:[0-9a-f]{2} )+)\s*\| +(\S+)")


def _objdump(path: Path) -> dict[int, list[tuple[int, int, str]]]:
    out = subprocess.run(
        [wabt_tool("wasm-objdump"), "-d", str(path)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    funcs: dict[int, list[tuple[int, int, str]]] = {}
    cur = -1
    for line in out.splitlines():
        head = re.match(r"^[0-9a-f]+ func\[(\d+)\]", line)
        if head:
            cur = int(head.group(1))
            funcs[cur] = []
            continue
        m = _LINE.match(line)
        if m and not m.group(3).startswith("local["):
            funcs[cur].append((int(m.group(1), 16), len(m.group(2).split()), m.group(3)))
    return funcs


def test_stream_matches_objdump_offsets_sizes_and_names() -> None:
    data = CONTRACT.read_bytes()
    module = decode(data)
    wabt = _objdump(CONTRACT)
    for fn in module.functions:
        ours = instructions(data, fn)
        # objdump shows long instructions (br_table) on continuation lines: compare offsets and names
        assert [(i.offset, NAMES[i.op]) for i in ours] == [(o, n) for o, _, n in wabt[fn.index]]
        for i, (o, size, _) in zip(ours, wabt[fn.index], strict=True):
            assert i.end - i.offset >= size  # wabt prints at most 26 bytes per line
            assert i.offset == o
        assert ours[0].offset == code_start(data, fn)
        assert ours[-1].end == fn.offset + fn.size
        assert instruction_offsets(data, fn)[:-1] == [i.offset for i in ours]


def test_stream_rejects_other_bytes() -> None:
    data = CONTRACT.read_bytes()
    fn = max(decode(data).functions, key=lambda f: f.size)
    with pytest.raises(WasmDecodeError):
        instructions(b"\x00" * (fn.offset + fn.size), fn)


def test_fast_offsets_equal_the_exact_stream_on_every_contract() -> None:
    # oracle: the exact decoder (itself checked against wabt above)
    paths = sorted((ROOT / "contracts" / "artifacts").rglob("*.wasm"))
    assert paths
    for path in paths:
        data = path.read_bytes()
        for fn in decode(data).functions:
            exact = [i.offset for i in instructions(data, fn)] + [fn.offset + fn.size]
            assert instruction_offsets(data, fn) == exact, (path.name, fn.index)


_IMM = re.compile(r"^ ([0-9a-f]{6}): (?:[0-9a-f]{2} )+\s*\| +(\S+) ?([^<]*)")
_INT_IMMEDIATES = ("local.", "global.", "call", "br", "i32.const", "i64.const", "memory.size", "memory.grow")


@pytest.mark.parametrize(
    "path", sorted((ROOT / "contracts" / "artifacts").glob("*.wasm")), ids=lambda p: p.name
)
def test_immediates_match_objdump(path: Path) -> None:
    """Integer immediates (indices, labels, constants, memory arguments as align exponent and offset) as
    wabt prints them; wabt prints i32/i64 constants as unsigned, so ours are compared modulo 2**32/2**64."""
    data = path.read_bytes()
    out = subprocess.run(
        [wabt_tool("wasm-objdump"), "-d", str(path)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    wabt = {int(m[1], 16): (m[2], m[3].split()) for m in map(_IMM.match, out.splitlines()) if m}
    checked = 0
    for fn in decode(data).functions:
        for ins in instructions(data, fn):
            name, args = wabt[ins.offset]
            assert NAMES[ins.op] == name
            flat: list[int] = []
            for imm in ins.immediates:
                flat.extend(imm if isinstance(imm, tuple) else [imm])  # type: ignore[arg-type]
            if name.endswith((".load", ".store")) or re.search(r"\.(load|store)\d+(_[su])?$", name):
                align, offset = int(args[0]), int(args[1])
                assert (flat[0], flat[1]) == (align, offset), (hex(ins.offset), name, flat, args)
                checked += 1
            elif name.startswith(_INT_IMMEDIATES) and name not in ("call_indirect", "call_ref", "br_on_null"):
                bits = 64 if name == "i64.const" else 32
                ours = [int(x) % (1 << bits) if name.endswith(".const") else int(x) for x in flat]
                assert ours == [int(a) for a in args], (hex(ins.offset), name, flat, args)
                checked += 1
    assert checked > 1000


@pytest.mark.parametrize(
    "path", sorted((ROOT / "contracts" / "artifacts").glob("*.wasm")), ids=lambda p: p.name
)
def test_local_declarations_match_objdump(path: Path) -> None:
    """Declared locals per function (count and type runs) as wabt lists them: ``local[a..b] type=t``."""
    out = subprocess.run(
        [wabt_tool("wasm-objdump"), "-d", str(path)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    wabt: dict[int, list[tuple[int, str]]] = {}
    cur = -1
    for line in out.splitlines():
        if head := re.match(r"^[0-9a-f]+ func\[(\d+)\]", line):
            cur = int(head.group(1))
            wabt[cur] = []
        elif m := re.search(r"\| local\[(\d+)(?:\.\.(\d+))?\] type=(\w+)", line):
            lo, hi = int(m[1]), int(m[2] or m[1])
            wabt[cur].append((hi - lo + 1, m[3]))
    module = decode(path.read_bytes())
    assert len(wabt) == len(module.functions)
    for fn in module.functions:
        assert fn.num_locals == sum(n for n, _ in wabt[fn.index]), fn.index
        assert list(fn.locals) == wabt[fn.index], fn.index
