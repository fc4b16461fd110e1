"""The decoded module structure agrees with wabt's ``wasm-objdump -x`` on every module the project has.

Oracle: wabt 1.0.42's section details (tests/wabt.py pins the tool), parsed here line by line. Compared per
module: types, function signatures (imported and defined), imports, exports, tables, memories, globals
(type, mutability, constant init), element segments (table, offset, function items), code body sizes, data
segments (mode, memory, size, offset), custom section names and the start function. Files: every
``contracts/**/*.wasm`` (build folders excluded) and every ``tests/wasm_samples/*.wasm``.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from wabt import wabt_tool

from gasmodel.wasm import Module, decode
from gasmodel.wasm.demangle import demangle

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(p for p in (ROOT / "contracts").glob("**/*.wasm") if "target" not in p.parts) + sorted(
    (ROOT / "tests" / "wasm_samples").glob("*.wasm")
)


@dataclass
class Dump:
    """What ``wasm-objdump -x`` lists, in our spelling."""

    types: dict[int, str] = field(default_factory=dict)
    sigs: dict[int, int] = field(default_factory=dict)
    imports: dict[tuple[str, int], str] = field(default_factory=dict)
    exports: set[tuple[str, int, str]] = field(default_factory=set)
    tables: dict[int, tuple[str, int, int | None]] = field(default_factory=dict)
    memories: dict[int, tuple[int, int | None, bool]] = field(default_factory=dict)
    globals: dict[int, tuple[str, bool, str | None]] = field(default_factory=dict)
    elems: list[tuple[int | None, int | None, list[int | None]]] = field(default_factory=list)
    code_sizes: dict[int, int] = field(default_factory=dict)
    data: list[tuple[str, int | None, int, int | None]] = field(default_factory=list)
    customs: list[str] = field(default_factory=list)
    start: int | None = None


def _sig(text: str) -> str:
    """``(i32, i32) -> nil`` / ``-> i32`` / ``-> (i32, i64)`` as ``(params) -> (results)``."""
    params, results = text.split(" -> ")
    if results == "nil":
        results = "()"
    elif not results.startswith("(") or results.startswith("(ref "):
        results = f"({results})"
    return f"{params} -> {results}"


def objdump(path: Path) -> Dump:
    out = subprocess.run(
        [wabt_tool("wasm-objdump"), "-x", str(path)], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    d = Dump()
    section = ""
    for line in out.splitlines():
        if m := re.match(r"^(\w+)(?:\[\d+\])?:$", line):
            section = m.group(1)
            continue
        if section == "Type" and (m := re.match(r"^ - type\[(\d+)\] (\(.*\) -> .*)$", line)):
            d.types[int(m[1])] = _sig(m[2])
        elif section == "Import" and (m := re.match(r"^ - (\w+)\[(\d+)\] .*<- ([^ ]+)$", line)):
            d.imports[(m[1], int(m[2]))] = m[3]
            if s := re.match(r"^ - func\[(\d+)\] sig=(\d+)", line):
                d.sigs[int(s[1])] = int(s[2])
        elif section == "Function" and (m := re.match(r"^ - func\[(\d+)\] sig=(\d+)", line)):
            d.sigs[int(m[1])] = int(m[2])
        elif section == "Table" and (
            m := re.match(r"^ - table\[(\d+)\] type=(\w+) initial=(\d+)(?: max=(\d+))?", line)
        ):
            d.tables[int(m[1])] = (m[2], int(m[3]), int(m[4]) if m[4] else None)
        elif section == "Memory" and (
            m := re.match(r"^ - memory\[(\d+)\] pages: initial=(\d+)(?: max=(\d+))?( shared)?", line)
        ):
            d.memories[int(m[1])] = (int(m[2]), int(m[3]) if m[3] else None, bool(m[4]))
        elif section == "Global" and (
            m := re.match(r"^ - global\[(\d+)\] (\w+) mutable=([01])(?: <[^>]*>)?(?: - init (.*))?$", line)
        ):
            init = m[4]
            value = init.split("=", 1)[1] if init and re.match(r"^(i32|i64)=", init) else None
            d.globals[int(m[1])] = (m[2], m[3] == "1", value)
        elif section == "Export" and (m := re.match(r'^ - (\w+)\[(\d+)\] .*-> "(.*)"$', line)):
            d.exports.add((m[1], int(m[2]), m[3]))
        elif section == "Start" and (m := re.match(r"^ - start function: (\d+)", line)):
            d.start = int(m[1])
        elif section == "Elem" and (
            m := re.match(
                r"^ - segment\[\d+\] flags=(\d+) table=(\d+) count=\d+(?: - init i32=(-?\d+))?", line
            )
        ):
            passive_or_declared = int(m[1]) & 1
            d.elems.append((None if passive_or_declared else int(m[2]), int(m[3]) if m[3] else None, []))
        elif section == "Elem" and (m := re.match(r"^  - elem\[\d+\] = (?:ref\.func:(\d+)|ref\.null)", line)):
            d.elems[-1][2].append(int(m[1]) if m[1] else None)
        elif section == "Code" and (m := re.match(r"^ - func\[(\d+)\] size=(\d+)", line)):
            d.code_sizes[int(m[1])] = int(m[2])
        elif section == "Data" and (
            m := re.match(
                r"^ - segment\[\d+\](?: <[^>]*>)? (passive|memory=(\d+)) size=(\d+)(?: - init i32=(-?\d+))?",
                line,
            )
        ):
            mode = "passive" if m[1] == "passive" else "active"
            d.data.append((mode, int(m[2]) if m[2] else None, int(m[3]), int(m[4]) if m[4] else None))
        elif section == "Custom" and (m := re.match(r'^ - name: "(.*)"$', line)):
            d.customs.append(m[1])
    return d


def _ours(m: Module) -> Dump:
    d = Dump()
    d.types = {i: str(t) for i, t in enumerate(m.types)}
    d.sigs = {i: m.func_type_index(i) for i in range(m.num_functions)}
    counters: dict[str, int] = {}
    for imp in m.imports:
        k = imp.kind
        d.imports[(k, counters.get(k, 0))] = f"{imp.module}.{imp.name}"
        counters[k] = counters.get(k, 0) + 1
    d.exports = {(e.kind, e.index, e.name) for e in m.exports}
    n_imp_tables = counters.get("table", 0)
    d.tables = {n_imp_tables + i: (t.elem_type, t.min, t.max) for i, t in enumerate(m.tables)}
    n_imp_mem = counters.get("memory", 0)
    d.memories = {n_imp_mem + i: (x.min, x.max, x.shared) for i, x in enumerate(m.memories)}
    n_imp_glob = counters.get("global", 0)
    for i, g in enumerate(m.globals):
        v = g.init.value
        init = g.init.instrs[0][0] if len(g.init.instrs) == 1 else ""
        d.globals[n_imp_glob + i] = (
            g.valtype,
            g.mutable,
            str(v) if init in ("i32.const", "i64.const") else None,
        )
    for seg in m.elements:
        offset = seg.offset_expr.value if seg.offset_expr is not None else None
        d.elems.append((seg.table if seg.mode == "active" else None, offset, list(seg.func_indices)))
    d.code_sizes = {f.index: f.size for f in m.functions}
    for ds in m.data:
        offset = ds.offset_expr.value if ds.offset_expr is not None else None
        d.data.append((ds.mode, ds.memory if ds.mode == "active" else None, ds.size, offset))
    d.customs = [c.name for c in m.customs]
    d.start = m.start
    return d


def test_enough_files() -> None:
    assert len(FILES) >= 14, FILES


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_structure_equals_objdump(path: Path) -> None:
    theirs = objdump(path)
    ours = _ours(decode(path.read_bytes()))
    assert ours.types == theirs.types
    assert ours.sigs == theirs.sigs
    assert ours.imports == theirs.imports
    assert ours.exports == theirs.exports
    assert ours.tables == theirs.tables
    assert ours.memories == theirs.memories
    assert {k: v[:2] for k, v in ours.globals.items()} == {k: v[:2] for k, v in theirs.globals.items()}
    assert {k: v[2] for k, v in theirs.globals.items() if v[2] is not None} == {
        k: ours.globals[k][2] for k, v in theirs.globals.items() if v[2] is not None
    }
    assert ours.elems == theirs.elems
    assert ours.code_sizes == theirs.code_sizes
    assert [d for d in ours.data if d[3] is not None or d[0] == "passive"] == [
        d for d in theirs.data if d[3] is not None or d[0] == "passive"
    ]
    assert len(ours.data) == len(theirs.data)
    assert ours.customs == theirs.customs
    assert ours.start == theirs.start


def test_the_parser_sees_every_section() -> None:
    """The comparison above is not vacuous: over all files, wabt's listing yields every kind of entry."""
    seen: dict[str, int] = {}
    for path in FILES:
        for key, value in objdump(path).__dict__.items():
            seen[key] = seen.get(key, 0) + (int(value is not None) if key == "start" else len(value))
    assert all(n > 0 for n in seen.values()), seen
    assert seen["elems"] >= 10 and seen["data"] >= 10 and seen["globals"] >= 10 and seen["imports"] >= 10


def test_demangle_by_hand() -> None:
    """Rust legacy mangling (``_ZN`` + length-prefixed path parts + ``E``) decoded by hand; the 16-hex-digit
    hash part is dropped, anything that is not a Rust symbol is returned unchanged."""
    assert demangle("_ZN8workload3fib17h0123456789abcdefE") == "workload::fib"
    assert demangle("_ZN4core3fmt5write17hfedcba9876543210E") == "core::fmt::write"
    assert demangle("_ZN8workload3fib16h0123456789abcdeE") == "workload::fib::h0123456789abcde"  # 15 digits
    assert demangle("_ZN3bad") == "_ZN3bad"
    assert demangle("_ZN") == "_ZN"
    assert demangle("execute") == "execute"
    assert demangle("Z_ZN8workload3fib17h0123456789abcdefE") == "Z_ZN8workload3fib17h0123456789abcdefE"
