"""Call-graph and static-cost facts checked against an independent decoder: wabt's wasm-objdump.

For every project contract (contracts/artifacts/*.wasm) and the WAT fixture:
- the direct edges are exactly the ``call``/``return_call`` targets of ``wasm-objdump -d``;
- the indirect edges are exactly what the Elem/Type/Function sections printed by ``wasm-objdump -x``
  give when call_indirect types are matched structurally;
- static cost, metering-block count and each block's bounds and cost equal what the cosmwasm-vm metering rule
  (written in this file from the public source, not gasmodel's splitter) gives over objdump's instructions.

Oracle: wabt's wasm-objdump (pinned by tests/wabt.py) and tests/metering_rule.py.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import networkx as nx
import pytest
import wasmtime
from metering_rule import ACCOUNTING_9, ACCOUNTING_23, METERING_RULE, metering_blocks
from wabt import wabt_tool

from gasmodel.analysis.api import analyze
from gasmodel.analysis.callgraph import build_call_graph, direct_only
from gasmodel.analysis.pricing import metering_spec
from gasmodel.analysis.static_cost import function_cost
from gasmodel.costs import load_cost_table
from gasmodel.wasm import decode

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "contracts" / "artifacts"
FIXTURE = ROOT / "tests" / "data" / "analysis" / "callgraph.wat"
CONTRACTS = sorted(ARTIFACTS.glob("*.wasm"))
WORKLOAD = ARTIFACTS / "workload.wasm"


@dataclass
class Objdump:
    """What wabt says about a module."""

    calls: dict[int, set[int]] = field(default_factory=dict)
    indirect_types: dict[int, set[int]] = field(default_factory=dict)
    instrs: dict[int, list[str]] = field(default_factory=dict)
    types: dict[int, str] = field(default_factory=dict)
    func_sig: dict[int, int] = field(default_factory=dict)
    elem_funcs: set[int] = field(default_factory=set)


def _run(args: list[str]) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


@cache
def objdump(path: Path) -> Objdump:
    out = Objdump()
    cur: int | None = None
    for line in _run([wabt_tool("wasm-objdump"), "-d", str(path)]).splitlines():
        head = re.match(r"^[0-9a-f]+ func\[(\d+)\]", line)
        if head:
            cur = int(head.group(1))
            out.calls[cur], out.indirect_types[cur], out.instrs[cur] = set(), set(), []
            continue
        if cur is None or "|" not in line:
            continue
        tokens = line.split("|", 1)[1].split()
        if not tokens or tokens[0].startswith("local["):  # continuation bytes / local declarations
            continue
        out.instrs[cur].append(tokens[0])
        if tokens[0] in ("call", "return_call"):
            out.calls[cur].add(int(tokens[1]))
        elif tokens[0] in ("call_indirect", "return_call_indirect"):
            out.indirect_types[cur].add(int(re.search(r"\(type (\d+)", line).group(1)))  # type: ignore[union-attr]
    for line in _run([wabt_tool("wasm-objdump"), "-x", str(path)]).splitlines():
        if m := re.match(r"^ - type\[(\d+)\] (\(.*\) -> .*)$", line):
            out.types[int(m.group(1))] = m.group(2)
        elif m := re.match(r"^ - func\[(\d+)\] sig=(\d+)", line):
            out.func_sig[int(m.group(1))] = int(m.group(2))
        elif m := re.match(r"^  - elem\[\d+\] = ref\.func:(\d+)", line):
            out.elem_funcs.add(int(m.group(1)))
    return out


@pytest.fixture(scope="module", params=[*CONTRACTS, FIXTURE], ids=lambda p: p.name)
def module_path(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path: Path = request.param
    if path.suffix == ".wat":
        out = tmp_path_factory.mktemp("wat") / (path.stem + ".wasm")
        out.write_bytes(wasmtime.wat2wasm(path.read_text()))
        return out
    return path


def test_project_contracts_exist() -> None:
    assert CONTRACTS, "contracts/artifacts/*.wasm missing: build them with contracts/build.py"


def test_direct_edges_are_objdump_calls(module_path: Path) -> None:
    dump = objdump(module_path)
    g = build_call_graph(decode(module_path.read_bytes()))
    ours = {(u, v) for u, v in direct_only(g).edges}
    theirs = {(f, t) for f, targets in dump.calls.items() for t in targets}
    assert ours == theirs
    assert set(dump.instrs) == {n for n in g.nodes if g.nodes[n]["kind"] == "function"}


def test_indirect_edges_match_elem_section_by_structural_type(module_path: Path) -> None:
    dump = objdump(module_path)
    g = build_call_graph(decode(module_path.read_bytes()))
    expected = {
        (f, t)
        for f, tys in dump.indirect_types.items()
        for ty in tys
        for t in dump.elem_funcs
        if dump.types[dump.func_sig[t]] == dump.types[ty]
    }
    ours = {(u, v) for u, v, k in g.edges(data="kinds") if "indirect" in k}
    assert ours == expected


def test_metering_rule_by_hand() -> None:
    """The test's own splitter on a body worked out by hand."""
    body = ["i32.const", "call", "drop", "local.get", "if", "nop", "end"]
    assert metering_blocks(body, ACCOUNTING_23) == [
        (0, 1, 115 + 1610),
        (2, 4, 115 * 2 + 1610),
        (5, 6, 115 + 1610),
    ]
    assert metering_blocks(body, ACCOUNTING_9) == [(0, 1, 115 + 1610), (2, 6, 115 * 4 + 1610)]


@pytest.mark.parametrize("table_name", sorted(METERING_RULE))
def test_static_cost_matches_objdump_instructions(module_path: Path, table_name: str) -> None:
    """Static cost, block count and every block's bounds and cost, against the metering rule above applied to
    wasm-objdump's instruction list (no gasmodel code in the expectation)."""
    dump = objdump(module_path)
    accounting = METERING_RULE[table_name]
    report = analyze(module_path.read_bytes(), preset=table_name)
    spec = metering_spec(load_cost_table(table_name))
    functions = {fn.index: fn for fn in decode(module_path.read_bytes()).functions}
    for fn in report.functions:
        names = dump.instrs[fn.index]
        expected = metering_blocks(names, accounting)
        assert fn.ops == len(names)
        assert fn.static_cost == sum(cost for _, _, cost in expected)
        assert fn.blocks == len(expected)
        assert fn.blocks == sum(1 for n in names if n in accounting)  # valid bodies end in `end`
        ours = function_cost(functions[fn.index], spec).blocks
        assert [(b.start, b.end, b.cost) for b in ours] == expected, fn.index


def test_workload_recursion_found() -> None:
    """The workload's `recurse`/`fib` messages are self-recursive functions reachable from execute."""
    dump = objdump(WORKLOAD)
    self_calls = {f for f, targets in dump.calls.items() if f in targets}
    assert self_calls, "wabt finds no self-recursive function in the workload contract"
    report = analyze(WORKLOAD.read_bytes(), chain="injective-localnet")
    by_index = {f.index: f for f in report.functions}
    for f in self_calls:
        assert by_index[f].directly_recursive
        assert any(c.kind == "direct" and f in c.members for c in report.cycles)
    execute = next(e for e in report.entry_points if e.name == "execute")
    g = build_call_graph(decode(WORKLOAD.read_bytes()))
    reach = nx.descendants(direct_only(g), execute.index)
    assert self_calls & reach, "no self-recursive function reachable from execute by direct calls"
    # The corpus keeps its name section: the contract's own recursive functions are named.
    named = {by_index[f].name for f in self_calls & reach}
    assert {"workload::fib", "workload::recurse"} <= named, named
    assert report.module_size <= 2_048_000  # Injective stores up to 2,048,000 bytes (the localnet's verdict)
