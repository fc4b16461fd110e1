"""Heaviest loop-free pass: checked against wasmtime's fuel meter, metering semantics and networkx.

Oracles: wasmtime's fuel meter, tests/metering_rule.py and networkx's longest path.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import networkx as nx
import pytest
import wasmtime
from metering_rule import METERING_RULE, metering_blocks

from gasmodel.analysis.api import analyze
from gasmodel.analysis.blocks import MeteringBlock
from gasmodel.analysis.callgraph import build_call_graph
from gasmodel.analysis.cfg import EXIT, branch_labels, heaviest_pass, successors
from gasmodel.analysis.passes import function_passes
from gasmodel.analysis.pricing import metering_spec
from gasmodel.analysis.static_cost import function_cost
from gasmodel.costs import load_cost_table
from gasmodel.wasm import decode

DATA = Path(__file__).resolve().parent / "data" / "analysis"
ARTIFACTS = Path(__file__).resolve().parent.parent / "contracts" / "artifacts"
FUEL = 10**9


def passes_for(data: bytes, table_name: str) -> dict[str, int]:
    module = decode(data)
    spec = metering_spec(load_cost_table(table_name))
    blocks = {f.index: function_cost(f, spec).blocks for f in module.functions}
    result = function_passes(module, data, spec, build_call_graph(module), blocks)
    names = {e.index: e.name for e in module.exports if e.kind == "func"}
    return {names.get(i, module.func_name(i) or str(i)): p.cost for i, p in result.items()}


def fuel_used(engine: wasmtime.Engine, module: wasmtime.Module, export: str, arg: int) -> int:
    store = wasmtime.Store(engine)
    store.set_fuel(FUEL)
    func = wasmtime.Instance(store, module, []).exports(store)[export]
    assert isinstance(func, wasmtime.Func)
    with contextlib.suppress(wasmtime.Trap):
        func(store, arg)
    return FUEL - store.get_fuel()


def test_pass_equals_most_fuel_over_all_paths() -> None:
    """Every control path of `f` is taken by some input in 0..255: max fuel = heaviest pass."""
    data = bytes(wasmtime.wat2wasm((DATA / "passes.wat").read_text()))
    config = wasmtime.Config()
    config.consume_fuel = True
    engine = wasmtime.Engine(config)
    module = wasmtime.Module(engine, data)
    fuel = [fuel_used(engine, module, "f", x) for x in range(256)]
    passes = passes_for(data, "wasmtime-fuel")
    assert passes["f"] == max(fuel)
    assert len(set(fuel)) > 4  # the inputs really take different paths
    # a loop counts one iteration: the pass stops at the back-edge
    assert passes["h"] == fuel_used(engine, module, "h", 1) < fuel_used(engine, module, "h", 2)


def _cost_at(blocks: tuple[MeteringBlock, ...], end: int) -> int:
    return next(b.cost for b in blocks if b.end == end)


@pytest.mark.parametrize("table_name", ["cosmwasm-vm-2.1.6-2.1.7", "cosmwasm-vm-2.1.2-2.1.3"])
def test_block_charged_at_its_accounting_operator(table_name: str) -> None:
    """`fact`: if/else arms. Without `if` in the accounting list a false `if` skips a charge."""
    data = bytes(wasmtime.wat2wasm((DATA / "callgraph.wat").read_text()))
    module = decode(data)
    fact = next(f for f in module.functions if f.name == "fact")
    table = load_cost_table(table_name)
    spec = metering_spec(table)
    names = [spec.op_name(op) for op in fact.ops]
    # block costs from the rule written from cosmwasm's source (tests/metering_rule.py), not gasmodel's
    rule = metering_blocks(names, METERING_RULE[table_name])
    blocks = tuple(MeteringBlock(a, b, c, "") for a, b, c in rule)
    i_if, i_else, i_call = names.index("if"), names.index("else"), names.index("call")
    i_end_if, i_end_fn = len(names) - 2, len(names) - 1
    if "if" in table.operators.accounting:
        then_arm = _cost_at(blocks, i_if) + _cost_at(blocks, i_else) + _cost_at(blocks, i_end_fn)
        else_arm = _cost_at(blocks, i_if) + _cost_at(blocks, i_call) + _cost_at(blocks, i_end_if)
        else_arm += _cost_at(blocks, i_end_fn)
    else:  # the block [.., if, then-arm.., else] is charged only when the then-arm runs
        then_arm = _cost_at(blocks, i_else) + _cost_at(blocks, i_end_fn)
        else_arm = _cost_at(blocks, i_call) + _cost_at(blocks, i_end_if) + _cost_at(blocks, i_end_fn)
    assert passes_for(data, table_name)["fact"] == max(then_arm, else_arm)


def test_dynamic_programming_matches_networkx_longest_path() -> None:
    data = (ARTIFACTS / "workload.wasm").read_bytes()
    module = decode(data)
    spec = metering_spec(load_cost_table("cosmwasm-vm-2.1.6-2.1.7"))
    for fn in module.functions[::4]:
        blocks = function_cost(fn, spec).blocks
        weight = [0] * len(fn.ops)
        for b in blocks:
            weight[b.end] = b.cost
        succ = successors(fn.ops, branch_labels(data, fn))
        g = nx.DiGraph()
        g.add_node(EXIT)
        for i, ss in enumerate(succ):
            g.add_node(i)
            for s in ss:
                assert s == EXIT or s > i  # forward edges only: a DAG
                g.add_edge(i, s, w=weight[i])
        # a path may also stop at an instruction without successors (a loop's closing br)
        g.add_edges_from((i, EXIT, {"w": weight[i]}) for i, ss in enumerate(succ) if not ss)
        sub = g.subgraph(nx.descendants(g, 0) | {0})
        assert heaviest_pass(fn.ops, succ, weight).cost == nx.dag_longest_path_length(sub, weight="w")


@pytest.mark.parametrize("path", sorted(ARTIFACTS.glob("*.wasm")), ids=lambda p: p.name)
def test_leaf_pass_never_exceeds_static_cost(path: Path) -> None:
    report = analyze(path.read_bytes(), preset="cosmwasm-vm-3.0.9")
    leaves = [f for f in report.functions if f.callees == 0]
    assert leaves
    for f in leaves:
        assert 0 <= f.max_pass_cost <= f.static_cost + f.locals_charge
    assert any(f.max_pass_cost < f.static_cost for f in leaves)  # branches make a pass cheaper
