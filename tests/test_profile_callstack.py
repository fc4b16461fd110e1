"""The profiler's call stacks are exact: the gas per calling context adds up to the run's gas.

Oracles, independent of the call log the profiler reads:
- the segment counters of the same call on the normal (non-profiling) instrumentation: total Wasm
  gas, per-function self gas and entries (``CallResult.functions``), host gas;
- the normal ``estimate()`` of the same message: ``gas_used`` and the VM gas of the report;
- hand derivation on contracts/fixtures/metering/calls.wat (``fact(n)`` enters ``fact`` n times,
  one level deeper each time; ``run`` calls ``square`` twice and ``inc`` once).
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gasmodel.costs import load_cost_table
from gasmodel.estimate import estimate
from gasmodel.report import GasReport
from gasmodel.vm.callstack import OUT_OF_GAS
from gasmodel.vm.engine import Engine
from gasmodel.vm.runtime import CallResult, Runtime
from gasmodel.wasm.demangle import demangle

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "contracts" / "artifacts"
ENGINE = Engine()
TABLES = ("cosmwasm-vm-3.0.9", "cosmwasm-vm-1.5.0")


@cache
def _runtimes(name: str, table: str) -> tuple[Runtime, Runtime]:
    wasm = (ARTIFACTS / "metering" / f"{name}.wasm").read_bytes()
    t = load_cost_table(table)
    return Runtime(wasm, t, engine=ENGINE), Runtime(wasm, t, engine=ENGINE, profile=True)


def _both(
    name: str, table: str, export: str, *args: int, limit: int = 10**12
) -> tuple[CallResult, CallResult]:
    plain_rt, prof_rt = _runtimes(name, table)
    plain = plain_rt.instance({}, limit).call(export, *args)
    prof = prof_rt.instance({}, limit).call(export, *args)
    return plain, prof


def _assert_matches_counters(plain: CallResult, prof: CallResult) -> None:
    tree = prof.call_tree
    assert tree is not None and plain.call_tree is None
    assert prof.outcome == plain.outcome and prof.values == plain.values
    # the profiling instrumentation charges exactly the same gas
    assert (prof.gas_wasm, prof.gas_host, prof.gas_remaining) == (
        plain.gas_wasm,
        plain.gas_host,
        plain.gas_remaining,
    )
    # self gas summed over all contexts = total Wasm gas (counters of the plain run)
    assert tree.wasm_gas == plain.gas_wasm
    # what the VM reports as used: the stacks, plus what an exhausted call did not get to use
    unused = sum(g for i, g in enumerate(tree.self_gas) if tree.func[i] == OUT_OF_GAS)
    assert tree.total - unused == plain.gas_wasm + plain.gas_host
    assert tree.total == plain.gas_used_internally
    # per function: self gas and entries equal the counters'
    self_by_fn: Counter[int] = Counter()
    calls_by_fn: Counter[int] = Counter()
    for node in range(1, len(tree)):
        if not tree.is_host(node):
            self_by_fn[tree.func[node]] += tree.self_gas[node]
            calls_by_fn[tree.func[node]] += tree.calls[node]
    assert {f.index: (f.self_gas, f.calls) for f in plain.functions} == {
        i: (self_by_fn[i], calls_by_fn[i]) for i in calls_by_fn
    }


@pytest.mark.parametrize("table", TABLES)
def test_direct_and_indirect_calls(table: str) -> None:
    plain, prof = _both("calls", table, "run", 7)
    _assert_matches_counters(plain, prof)
    tree = prof.call_tree
    assert tree is not None
    # hand derivation (calls.wat): run -> square (direct and through the table), run -> inc (table)
    paths = {path: tree.calls[node] for node, path in tree.paths() if node}
    assert paths == {(2,): 1, (2, 0): 2, (2, 1): 1}
    # the entry point's inclusive gas is the whole call
    assert tree.inclusive()[2] == plain.gas_wasm


@settings(max_examples=25, deadline=None)
@given(n=st.integers(min_value=0, max_value=40))
def test_recursion_is_counted_once(n: int) -> None:
    plain, prof = _both("calls", "cosmwasm-vm-3.0.9", "fact", n)
    _assert_matches_counters(plain, prof)
    tree = prof.call_tree
    assert tree is not None
    depth = max(1, n)  # fact(n) recurses down to 1; fact(0) returns at once
    assert sorted(len(p) for node, p in tree.paths() if node) == list(range(1, depth + 1))
    assert all(tree.calls[node] == 1 for node in range(1, len(tree)))
    # inclusive = the call's gas, not the sum of every level's subtree
    assert tree.inclusive() == {3: plain.gas_wasm}


def test_out_of_gas_mid_loop() -> None:
    plain, prof = _both("infinite_loop", "cosmwasm-vm-3.0.9", "spin", limit=123_457)
    assert plain.outcome == prof.outcome == "out_of_gas"
    assert prof.exhausted_at == plain.exhausted_at
    _assert_matches_counters(plain, prof)
    tree = prof.call_tree
    assert tree is not None
    (oog,) = [i for i in range(len(tree)) if tree.func[i] == OUT_OF_GAS]
    assert tree.path(oog) == (0, OUT_OF_GAS)  # above spin (function 0), the function that ran
    assert 0 < tree.self_gas[oog] == plain.gas_limit - plain.gas_wasm


def test_contract_out_of_gas_stacks_add_up() -> None:
    wasm = ARTIFACTS / "workload.wasm"
    msg = {"infinite_loop": {}}
    plain = estimate(wasm, execute=msg, gas_limit=400_000)
    prof = estimate(wasm, execute=msg, gas_limit=400_000, profile=True)
    assert plain.outcome == prof.outcome == "out_of_gas"
    assert prof.gas_used == plain.gas_used
    assert sum(s.self_cw_gas for s in prof.stacks) == plain.vm_cw_gas
    (oog,) = [s for s in prof.stacks if s.stack[-1] == "out of gas"]
    assert oog.stack[:2] == ["contract execute", "execute"]


def _report_pair(wasm: Path, **messages: object) -> tuple[GasReport, GasReport]:
    plain = estimate(wasm, **messages)  # type: ignore[arg-type]
    prof = estimate(wasm, profile=True, **messages)  # type: ignore[arg-type]
    return plain, prof


TOKEN_INIT = {
    "name": "Gas Token",
    "symbol": "GAS",
    "decimals": 6,
    "initial_balances": [{"address": "$sender", "amount": "1000000"}],
}

CASES = [
    ("token", TOKEN_INIT, {"transfer": {"recipient": "$sender", "amount": "1000"}}),
    ("workload", {}, {"fibonacci": {"n": 12}}),
    ("workload", {}, {"recurse": {"depth": 200}}),
    ("workload", {}, {"sort": {"n": 300}}),
    ("counter", {"count": 0}, {"increment": {}}),
    ("counter", {"count": 0}, {"decrement": {}}),  # a contract error: still profiled
]


@pytest.mark.parametrize(
    ("contract", "init", "msg"), CASES, ids=[f"{c[0]}-{next(iter(c[2]))}" for c in CASES]
)
def test_contract_stacks_add_up(contract: str, init: object, msg: object) -> None:
    plain, prof = _report_pair(ARTIFACTS / f"{contract}.wasm", instantiate=init, execute=msg)
    assert prof.gas_used == plain.gas_used and prof.outcome == plain.outcome
    assert not plain.stacks and prof.stacks
    # every stack starts at the call; all of them together are the call's VM gas
    assert {s.stack[0] for s in prof.stacks} == {f"contract {c.entry_point}" for c in plain.calls}
    assert sum(s.self_cw_gas for s in prof.stacks) == plain.vm_cw_gas
    # host lines: the host charges of the breakdown (VM side, CW gas); the rest is Wasm, per function
    host_cw = sum(i.cw_gas or 0 for i in plain.breakdown if i.category == "host")
    on_host = [s for s in prof.stacks if len(s.stack) == 1 or s.stack[-1].startswith("host: ")]
    assert sum(s.self_cw_gas for s in on_host) == host_cw
    wasm_by_name: Counter[str] = Counter()
    for s in prof.stacks:
        if s not in on_host:
            wasm_by_name[s.stack[-1]] += s.self_cw_gas
    expected: Counter[str] = Counter()
    for f in plain.functions:
        expected[demangle(f.name)] += f.self_cw_gas
    assert +wasm_by_name == +expected
    # inclusive gas: filled, at least the self gas, at most the call's
    for f in prof.functions:
        assert f.inclusive_cw_gas is not None
        assert f.self_cw_gas <= f.inclusive_cw_gas <= prof.vm_cw_gas
    entry = next(f for f in prof.functions if f.name == "execute")
    # the export's inclusive gas: everything but the host's own allocate/deallocate and Regions
    outside = sum(s.self_cw_gas for s in prof.stacks if len(s.stack) < 2 or s.stack[1] != "execute")
    assert entry.inclusive_cw_gas == prof.vm_cw_gas - outside


def test_profiling_instrumentation_is_cached_apart(tmp_path: Path) -> None:
    """The profiling instrumentation has its own cache key and survives the disk cache."""
    wasm = (ARTIFACTS / "metering" / "calls.wasm").read_bytes()
    table = load_cost_table("cosmwasm-vm-3.0.9")
    first = Engine(cache_path=tmp_path)
    normal = first.instrumented(wasm, table)
    profiled = first.instrumented(wasm, table, profile=True)
    assert not normal.profiling and profiled.profiling and normal.wasm != profiled.wasm
    again = Engine(cache_path=tmp_path).instrumented(wasm, table, profile=True)  # from the .npz
    assert again.profiling and again.wasm == profiled.wasm
    res = (
        Runtime(wasm, table, engine=Engine(cache_path=tmp_path), instrumented=again)
        .instance({}, 10**9)
        .call("fact", 6)
    )
    assert res.call_tree is not None and res.call_tree.inclusive() == {3: res.gas_wasm}
