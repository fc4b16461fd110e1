"""The runtime on real contracts and on small WAT modules: call_raw, host charges, errors, fuel.

Oracles:
- wasmtime's own fuel on the *uninstrumented* module for the same call (the fuel cross-check:
  counts x wasmtime-fuel weights + entries + grown pages must equal it), for every call here;
- cosmwasm-vm ``process_gas_info`` / ``call_raw`` / ``read_region`` / ``write_region`` rules
  (CosmWasm/cosmwasm@v3.0.9 packages/vm/src/{environment,calls,memory}.rs), applied by hand to the
  numbers of each case;
- the contracts' documented answers (contracts/manifest.json).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import wasmtime
from vm_stub_host import call_json, env_json, info_json, stub_imports

from gasmodel.costs import load_cost_table
from gasmodel.costs.table import CostTable, RegionCosts
from gasmodel.errors import GasmodelError
from gasmodel.vm.context import VmAbort
from gasmodel.vm.engine import Engine
from gasmodel.vm.runtime import CallResult, HostImport, Instance, Runtime, fuel_cross_check

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "contracts" / "artifacts"
MANIFEST = {c["name"]: c for c in json.loads((ROOT / "contracts" / "manifest.json").read_text())["contracts"]}
ENGINE = Engine()
FUEL = load_cost_table("wasmtime-fuel")


@cache
def table(name: str) -> CostTable:
    return load_cost_table(name)


@cache
def runtimes(contract: str, table_name: str = "cosmwasm-vm-3.0.9") -> tuple[Runtime, Runtime]:
    wasm = (ARTIFACTS / f"{contract}.wasm").read_bytes()
    return Runtime(wasm, table(table_name), engine=ENGINE), Runtime(
        wasm, table(table_name), engine=ENGINE, fuel=True
    )


def assert_fuel_cross_check(metered: CallResult, plain: CallResult) -> None:
    """The counters' fuel under the wasmtime-fuel table equals wasmtime's fuel for the same call
    on the uninstrumented module (both runs must have completed the same way)."""
    assert metered.outcome == plain.outcome, (metered.message, plain.message)
    assert metered.result == plain.result
    assert plain.fuel is not None
    assert metered.fuel_from_counts(FUEL) == plain.fuel


def _steps(contract: str) -> list[tuple[str, Any, str]]:
    c = MANIFEST[contract]
    steps = [("instantiate", c["instantiate"]["msg"], "$sender")]
    for e in c["execute"]:
        if e.get("expect") == "out_of_gas":
            continue
        steps.append(("execute", e["msg"], e.get("sender", "$sender")))
    for q in c.get("query", []):
        steps.append(("query", q["msg"], "$sender"))
    return steps


@pytest.mark.slow
@pytest.mark.parametrize("contract", ["counter", "token", "registry", "workload"])
def test_corpus_calls_fuel_cross_check(contract: str) -> None:
    """Every manifest step of the contract: same outcome and result bytes both ways, and the
    counters' fuel equals wasmtime's fuel on the uninstrumented module."""
    from vm_stub_host import OTHER, SENDER

    metered_rt, plain_rt = runtimes(contract)
    s1: dict[bytes, bytes] = {}
    s2: dict[bytes, bytes] = {}
    checked = 0
    for entry, msg, sender in _steps(contract):
        who = SENDER if sender == "$sender" else OTHER
        a = call_json(metered_rt, s1, entry, msg, sender=who)
        b = call_json(plain_rt, s2, entry, msg, sender=who)
        assert a.ok, (entry, msg, a.message)
        assert_fuel_cross_check(a, b)
        assert s1 == s2
        checked += 1
    assert checked >= 5


def test_fuel_cross_check_helper() -> None:
    wasm = (ARTIFACTS / "counter.wasm").read_bytes()

    def run(rt: Runtime) -> CallResult:
        return call_json(rt, {}, "instantiate", {"count": 1})

    metered, plain = fuel_cross_check(wasm, run, engine=ENGINE)
    assert metered.ok and plain.fuel == metered.fuel_from_counts(FUEL)


def test_counter_answers_and_gas_are_deterministic() -> None:
    rt, _ = runtimes("counter")
    store: dict[bytes, bytes] = {}
    assert call_json(rt, store, "instantiate", {"count": 5}).ok
    a = call_json(rt, dict(store), "execute", {"increment": {}})
    b = call_json(rt, dict(store), "execute", {"increment": {}})
    assert a.ok and a.gas_used_internally == b.gas_used_internally > 0
    assert a.opcode_counts == b.opcode_counts
    q = call_json(rt, store, "query", {"get_count": {}})
    # ContractResult<Binary>: {"ok": base64 of {"count":5}}
    assert json.loads(q.result or b"") == {"ok": "eyJjb3VudCI6NX0="}
    # internal gas = Wasm blocks + host charges (region reads/writes here), nothing external
    assert a.gas_used_internally == a.gas_wasm + a.gas_host and a.gas_used_externally == 0
    assert a.functions[0].self_gas >= a.functions[-1].self_gas
    assert sum(f.self_gas for f in a.functions) == a.gas_wasm
    assert a.imports["db_read"].calls == 1 and a.imports["db_write"].calls == 1


def test_region_costs_of_call_raw() -> None:
    """3.0.9: the host writes each argument Region (write_region_cost 230_000 + 570/B) and reads the
    result (read_region_cost 200_000 + 115/B). Same call with and without the table's region
    prices (the stub host's own Region traffic priced 0 in both): the difference is exactly these."""
    base = table("cosmwasm-vm-3.0.9")
    free = base.model_copy(update={"region": RegionCosts()})
    wasm = (ARTIFACTS / "counter.wasm").read_bytes()
    results = []
    args = [env_json(), info_json(), b'{"count":3}']
    for t in (base, free):
        rt = Runtime(wasm, t, engine=ENGINE)
        r = rt.instance(stub_imports({}, RegionCosts()), 10**12).call_entry_point("instantiate", args)
        assert r.ok, r.message
        results.append(r)
    priced, unpriced = results
    plain = Runtime(wasm, base, engine=ENGINE, fuel=True)
    assert_fuel_cross_check(
        priced, plain.instance(stub_imports({}, RegionCosts()), 10**12).call_entry_point("instantiate", args)
    )
    assert priced.result == unpriced.result and priced.result is not None
    expected = sum(230_000 + 570 * len(a) for a in args) + 200_000 + 115 * len(priced.result)
    assert priced.gas_host - unpriced.gas_host == expected
    assert priced.gas_wasm == unpriced.gas_wasm


def test_region_costs_absent_in_2_1_6_writes() -> None:
    """2.1.6 prices reads of Regions but not writes (write_region_cost is 3.x only)."""
    wasm = (ARTIFACTS / "counter.wasm").read_bytes()
    rt = Runtime(wasm, table("cosmwasm-vm-2.1.6-2.1.7"), engine=ENGINE)
    args = [env_json(), info_json(), b'{"count":3}']
    r = rt.instance(stub_imports({}, RegionCosts()), 10**12).call_entry_point("instantiate", args)
    assert r.ok and r.result is not None
    assert r.gas_host == 200_000 + 115 * len(r.result)


def test_migrate_three_arguments_fall_back_to_two() -> None:
    """registry exports migrate(env, msg): the VM tries (env, msg, info), gets an arity mismatch
    and calls again with (env, msg); the first attempt's allocations stay charged."""
    rt, _ = runtimes("registry")
    store: dict[bytes, bytes] = {}
    assert call_json(rt, store, "instantiate", {"min_name_length": 3, "max_name_length": 32}).ok
    msg = b'{"min_name_length":4}'
    info = b'{"sender":"x","old_migrate_version":null}'
    three = rt.instance(stub_imports(dict(store), rt.table.region), 10**12).call_entry_point(
        "migrate", [env_json(), msg, info]
    )
    two = rt.instance(stub_imports(dict(store), rt.table.region), 10**12).call_entry_point(
        "migrate", [env_json(), msg]
    )
    assert three.ok and two.ok and three.result == two.result
    assert three.gas_used_internally > two.gas_used_internally
    assert three.opcode_counts["call"] > two.opcode_counts["call"]
    bad = rt.instance(stub_imports(dict(store), rt.table.region), 10**12).call_entry_point(
        "query", [env_json()]
    )
    assert bad.outcome == "host_error" and "arity" in bad.message


# A tiny module with one import: work(n) calls env.charge(n) then returns n + 1.
_HOST_WAT = """(module
  (import "env" "charge" (func $charge (param i64)))
  (memory (export "memory") 1)
  (func (export "work") (param i64) (result i64)
    local.get 0
    call $charge
    local.get 0
    i64.const 1
    i64.add))"""
# Blocks under 2.1.6: [local.get, call] = 115 + 1610 = 1725 before the import runs;
# after it, [local.get, i64.const, i64.add, end] = 3*115 + 1610 = 1955.
_BEFORE, _AFTER = 1725, 1955


def _host_runtime() -> Runtime:
    return Runtime(wasmtime.wat2wasm(_HOST_WAT), table("cosmwasm-vm-2.1.6-2.1.7"), engine=ENGINE)


def _charging(cost: int, external: int, seen: list[int]) -> dict[str, HostImport]:
    def charge(ctx: Instance, n: int) -> None:
        seen.append(ctx.gas_left)
        ctx.charge(cost, external)
        seen.append(ctx.gas_left)

    return {"charge": (["i64"], [], charge)}


def test_host_charge_is_process_gas_info() -> None:
    seen: list[int] = []
    limit = 1_000_000
    r = _host_runtime().instance(_charging(5_000, 7_000, seen), limit).call("work", 3)
    assert r.ok and r.values == (4,)
    assert seen == [limit - _BEFORE, limit - _BEFORE - 12_000]
    assert r.gas_used_externally == 7_000
    assert r.gas_host == 5_000
    assert r.gas_remaining == limit - _BEFORE - 12_000 - _AFTER
    # cosmwasm-vm GasReport: used_internally = limit - remaining - externally used
    assert r.gas_used_internally == _BEFORE + 5_000 + _AFTER
    assert r.imports["charge"].calls == 1 and r.imports["charge"].gas == 5_000
    assert r.imports["charge"].externally_used == 7_000


@pytest.mark.parametrize(("cost", "external"), [(1, 0), (0, 1), (600, 401)])
def test_host_charge_out_of_gas_when_over_by_one(cost: int, external: int) -> None:
    # exactly enough: external + cost == gas_left is allowed
    need = cost + external
    ok = _host_runtime().instance(_charging(cost, external, []), _BEFORE + need + _AFTER).call("work", 1)
    assert ok.ok and ok.gas_remaining == 0
    seen: list[int] = []
    short = _host_runtime().instance(_charging(cost, external, seen), _BEFORE + need - 1).call("work", 1)
    assert short.outcome == "out_of_gas"
    assert short.message == "Ran out of gas during contract execution"
    assert seen == [need - 1]  # the charge found one unit too few
    assert short.gas_remaining == 0 and short.gas_used_externally == external
    assert short.gas_used_internally == _BEFORE + need - 1 - external


def test_host_abort_and_host_error_and_memory_bounds() -> None:
    def abort(ctx: Instance, n: int) -> None:
        raise VmAbort("aborted", "panicked at src/lib.rs")

    def oob(ctx: Instance, n: int) -> None:
        ctx.read_memory(65536 - 4, 8)

    rt = _host_runtime()
    a = rt.instance({"charge": (["i64"], [], abort)}, 10**9).call("work", 1)
    assert a.outcome == "aborted" and a.message == "panicked at src/lib.rs"
    assert a.gas_used_internally == _BEFORE
    b = rt.instance({"charge": (["i64"], [], oob)}, 10**9).call("work", 1)
    assert b.outcome == "host_error" and "memory" in b.message


def test_wrong_or_missing_imports_are_named() -> None:
    rt = _host_runtime()
    with pytest.raises(GasmodelError, match="charge"):
        rt.instance({}, 10**9)
    with pytest.raises(GasmodelError, match="charge"):
        rt.instance({"charge": (["i32"], [], lambda ctx, n: None)}, 10**9)


def test_an_instance_serves_one_call() -> None:
    inst = _host_runtime().instance(_charging(0, 0, []), 10**9)
    assert inst.call("work", 1).ok
    with pytest.raises(GasmodelError, match="one contract call"):
        inst.call("work", 1)


def test_memory_limit_refuses_a_larger_initial_memory() -> None:
    code = wasmtime.wat2wasm('(module (memory (export "memory") 5))')
    with pytest.raises(GasmodelError, match="instantiate"):
        Runtime(code, table("cosmwasm-vm-3.0.9"), engine=ENGINE, memory_limit_bytes=4 * 65536).instance({}, 1)


def test_uninstrumentable_module_is_a_clear_error() -> None:
    code = wasmtime.wat2wasm("(module (memory i64 1))")
    with pytest.raises(GasmodelError, match="memory64"):
        Runtime(code, table("cosmwasm-vm-3.0.9"), engine=Engine(disk_cache=False))


def test_nested_call_of_the_same_runtime_from_a_host_import() -> None:
    """A host import that runs the same contract again (a query to itself): each instance meters
    its own store; the inner call's gas limit is the outer call's gas left."""
    rt = _host_runtime()
    inner_results: list[CallResult] = []

    def charge(ctx: Instance, n: int) -> None:
        if n > 0:
            inner = rt.instance({"charge": (["i64"], [], charge)}, ctx.gas_left).call("work", n - 1)
            inner_results.append(inner)
            ctx.charge(0, inner.gas_used_internally + inner.gas_used_externally)

    outer = rt.instance({"charge": (["i64"], [], charge)}, 10**9).call("work", 2)
    assert outer.ok and outer.values == (3,)
    # each work(k) uses 1725 + 1955 itself; work(1) also reports work(0)'s total as external
    one = _BEFORE + _AFTER
    assert [(r.gas_used_internally, r.gas_used_externally) for r in inner_results] == [(one, 0), (one, one)]
    assert outer.gas_used_externally == 2 * one
    assert outer.gas_remaining == 10**9 - 3 * one


def test_fuel_cross_check_on_the_host_module_calls() -> None:
    """The calls of the host-charge tests above, run also uninstrumented with fuel."""
    code = wasmtime.wat2wasm(_HOST_WAT)
    plain_rt = Runtime(code, table("cosmwasm-vm-2.1.6-2.1.7"), engine=ENGINE, fuel=True)
    for cost, external, gas in [(5_000, 7_000, 1_000_000), (1, 0, 10**9), (0, 0, 10**9)]:
        metered = _host_runtime().instance(_charging(cost, external, []), gas).call("work", 3)
        plain = plain_rt.instance(_charging(cost, external, []), gas).call("work", 3)
        assert metered.ok and plain.ok and metered.values == plain.values
        assert metered.fuel_from_counts(FUEL) == plain.fuel
        # the host's charges move the same meter both ways
        assert metered.gas_host == plain.gas_host and metered.gas_used_externally == plain.gas_used_externally
