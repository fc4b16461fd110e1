"""Exact metering on the WAT fixtures (contracts/fixtures/metering/).

Oracles, independent of the code under test:
- execution counts and function entries: hand-derived in contracts/fixtures/manifest.json;
- wasmtime fuel: measured by wasmtime itself on the *uninstrumented* module (fuel engine), and
  the manifest's hand-derived ``wasmtime_fuel`` for the ``fuel_exact`` cases;
- gas: derived by hand below, block by block, from the cosmwasm-vm rules (cost accumulates, the
  check sits before each accounting operator) for each cost table; for whole runs, the manifest's
  counts priced by tests/metering_rule.py (written from cosmwasm's engine.rs / metering.rs).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import wasmtime
from metering_rule import GAS_PER_OPERATION, METERING_RULE

from gasmodel.costs import load_cost_table
from gasmodel.costs.table import CostTable
from gasmodel.vm.counts import fuel_of
from gasmodel.vm.engine import Engine
from gasmodel.vm.runtime import CallResult, Runtime

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = json.loads((ROOT / "contracts" / "fixtures" / "manifest.json").read_text())
FIXTURES = {f["name"]: f for f in MANIFEST["fixtures"] if f["kind"] == "metering"}
TABLES = [
    "cosmwasm-vm-2.1.6-2.1.7",  # 115 / 1610, `if` accounting
    "cosmwasm-vm-2.0.0-2.0.4",  # flat 150, no `if` in the accounting list
    "cosmwasm-vm-3.0.9",  # 115 / 1610 + locals charge
    "cosmwasm-vm-1.5.6-1.5.7",  # 115_000 / 1_610_000, no `if`
    "wasmtime-fuel",  # accounting only at `loop`
]
CASES = [
    (name, i, case)
    for name, f in FIXTURES.items()
    if name != "infinite_loop"
    for i, case in enumerate(f["cases"])
]
ENGINE = Engine(disk_cache=False)


@cache
def table(name: str) -> CostTable:
    return load_cost_table(name)


@cache
def wasm(name: str) -> bytes:
    return (ROOT / "contracts" / FIXTURES[name]["wasm"]).read_bytes()


@cache
def runtime(name: str, table_name: str, fuel: bool = False) -> Runtime:
    return Runtime(wasm(name), table(table_name), engine=ENGINE, fuel=fuel)


def run(
    name: str, table_name: str, function: str, *args: Any, gas: int = 10**12, fuel: bool = False
) -> CallResult:
    return runtime(name, table_name, fuel).instance({}, gas, wall_seconds=5).call(function, *args)


@pytest.mark.parametrize("table_name", TABLES)
@pytest.mark.parametrize(("name", "i", "case"), CASES, ids=[f"{n}-{i}" for n, i, _ in CASES])
def test_counts_match_the_manifest(name: str, i: int, case: dict[str, Any], table_name: str) -> None:
    r = run(name, table_name, case["function"], *case["args"])
    if case["trap"] is None:
        assert r.outcome == "ok", r.message
        assert list(r.values) == [case["result"]]
    else:
        assert r.outcome == "trap"
    # oracle: the manifest's hand-derived counts (trapping instruction included)
    assert dict(r.opcode_counts) == case["counts"]
    assert r.function_entries == case["function_entries"]


@pytest.mark.parametrize(("name", "i", "case"), CASES, ids=[f"{n}-{i}" for n, i, _ in CASES])
def test_fuel_cross_check(name: str, i: int, case: dict[str, Any]) -> None:
    metered = run(name, "cosmwasm-vm-2.1.6-2.1.7", case["function"], *case["args"])
    plain = run(name, "cosmwasm-vm-2.1.6-2.1.7", case["function"], *case["args"], fuel=True)
    assert metered.raw is not None
    ours = fuel_of(runtime(name, "cosmwasm-vm-2.1.6-2.1.7").instrumented, metered.raw, table("wasmtime-fuel"))  # type: ignore[arg-type]
    if case["fuel_exact"]:
        # oracle: wasmtime's own fuel on the uninstrumented module, and the manifest's hand value
        assert ours == plain.fuel == case["wasmtime_fuel"]
    else:
        # wasmtime loses the fuel of straight-line code before a trap (manifest note); ours is the
        # weighted sum of the counts, which is at least what wasmtime saved
        assert plain.fuel is not None and ours >= plain.fuel == case["wasmtime_fuel"]


def _gas_from_counts(counts: dict[str, int], table_name: str) -> int:
    # prices from the rule written from cosmwasm's source (tests/metering_rule.py), not the cost table
    accounting = METERING_RULE[table_name]
    return sum(n * GAS_PER_OPERATION * (14 if op in accounting else 1) for op, n in counts.items())


@pytest.mark.parametrize("table_name", ["cosmwasm-vm-2.1.6-2.1.7", "cosmwasm-vm-3.0.9"])
@pytest.mark.parametrize(("name", "i", "case"), CASES, ids=[f"{n}-{i}" for n, i, _ in CASES])
def test_gas_with_every_branch_accounting(name: str, i: int, case: dict[str, Any], table_name: str) -> None:
    """With `if` in the accounting list every branch closes a block, so a completed run's gas is
    sum(count x price) over the manifest's counts (no fixture has more than 29 locals)."""
    r = run(name, table_name, case["function"], *case["args"])
    if case["trap"] is None:
        assert r.gas_wasm == r.gas_used_internally == _gas_from_counts(case["counts"], table_name)


# Hand derivations, cosmwasm-vm 2.1.6 (115 per op, 1610 per accounting op):
#   traps.div_by_zero: block, local.get, i32.const, i32.add, local.set, local.get, i32.const,
#     i32.div_u traps -> no accounting operator reached: 0.
#   traps.unreachable_mid: block ... unreachable (not accounting): 0.
#   traps.after_call: [block, local.get, call] = 2*115 + 1610 = 1840; $id [local.get, end] = 1725;
#     then i32.const, i32.add, i32.const, i32.div_u trap, uncharged: 3565.
TRAP_GAS = {"div_by_zero": 0, "unreachable_mid": 0, "after_call": 3565}


@pytest.mark.parametrize("function", sorted(TRAP_GAS))
def test_trap_mid_block_is_not_charged(function: str) -> None:
    r = run("traps", "cosmwasm-vm-2.1.6-2.1.7", function, 1)
    assert r.outcome == "trap"
    assert r.gas_wasm == r.gas_used_internally == TRAP_GAS[function]
    assert r.gas_remaining == 10**12 - TRAP_GAS[function]


def test_trap_message_is_wasmtimes() -> None:
    r = run("traps", "cosmwasm-vm-2.1.6-2.1.7", "div_by_zero", 1)
    assert "divide by zero" in r.message


# if_else under cosmwasm-vm 2.0.0-2.0.4 (flat 150, accounting without `if`). Blocks (op indexes):
#   A = 0..7  [local.get, i32.const, i32.gt_s, if, local.get, i32.const, i32.mul, else] = 8*150,
#       checked before `else`, i.e. inside the then-arm;
#   B = 8..11 [local.get, i32.const, i32.add, end] = 600, before the if's `end` (else-arm);
#   C = 12..21 [local.set, local.get, i32.const, i32.and, if, local.get, i32.const, i32.add,
#       local.set, end] = 1500, checked before `end`, inside the second if's then-arm;
#   D = 22..23 [local.get, end] = 300.
#   run(20): then-arm (A), second if false (C skipped), D: 1200 + 300 = 1500.
#   run(4):  else-arm (B), second if true (C), D: 600 + 1500 + 300 = 2400.
@pytest.mark.parametrize(("arg", "gas"), [(20, 1500), (4, 2400)])
def test_flat_table_without_if_accounting(arg: int, gas: int) -> None:
    r = run("if_else", "cosmwasm-vm-2.0.0-2.0.4", "run", arg)
    assert r.ok and r.gas_wasm == r.gas_used_internally == gas


# loop_br_if under 2.1.6. Blocks: B1 = [block, local.get, i32.eqz, br_if] 1955; B2 = [loop] 1610;
# B3 = 10 plain ops + br_if = 2760 per iteration; B4 = loop's end 1610; B5 = block's end 1610;
# B6 = [local.get, end] 1725. run(10) = 1955 + 1610 + 10*2760 + 1610 + 1610 + 1725 = 36110.
LOOP_TOTAL = 36110


def test_out_of_gas_exactly_at_the_limit() -> None:
    ok = run("loop_br_if", "cosmwasm-vm-2.1.6-2.1.7", "run", 10, gas=LOOP_TOTAL)
    assert ok.ok and ok.gas_remaining == 0 and ok.gas_used_internally == LOOP_TOTAL
    short = run("loop_br_if", "cosmwasm-vm-2.1.6-2.1.7", "run", 10, gas=LOOP_TOTAL - 1)
    assert short.outcome == "out_of_gas"
    assert short.message == "Ran out of gas during contract execution"
    # the last block (local.get, end at op 19) is the one that does not fit
    assert short.exhausted_at == (0, 19)
    assert short.gas_wasm == LOOP_TOTAL - 1725
    assert short.gas_remaining == 0 and short.gas_used_internally == LOOP_TOTAL - 1


@pytest.mark.parametrize("k", [0, 1, 3, 9])
def test_out_of_gas_in_iteration_k(k: int) -> None:
    limit = 1955 + 1610 + k * 2760  # exactly k iterations fit
    r = run("loop_br_if", "cosmwasm-vm-2.1.6-2.1.7", "run", 10, gas=limit)
    assert r.outcome == "out_of_gas"
    assert r.exhausted_at == (0, 15)  # the loop's br_if
    assert r.gas_wasm == limit
    assert r.opcode_counts["br_if"] == 1 + k  # charged blocks only
    r2 = run("loop_br_if", "cosmwasm-vm-2.1.6-2.1.7", "run", 10, gas=limit - 1)
    assert r2.outcome == "out_of_gas" and r2.gas_wasm == limit - (2760 if k else 1610)


# infinite_loop under 2.1.6: [loop] 1610, then per iteration [global.get, i32.const, i32.add,
# global.set, br] = 4*115 + 1610 = 2070.
def test_infinite_loop_stops_at_the_gas_limit() -> None:
    limit = 1610 + 200 * 2070
    r = run("infinite_loop", "cosmwasm-vm-2.1.6-2.1.7", "spin", gas=limit)
    assert r.outcome == "out_of_gas"
    assert r.opcode_counts["br"] == 200 and r.gas_wasm == limit
    assert r.functions[0].calls == 1 and r.functions[0].self_gas == limit


def test_infinite_loop_stops_at_the_wall_time_bound() -> None:
    rt = runtime("infinite_loop", "cosmwasm-vm-2.1.6-2.1.7")
    r = rt.instance({}, (1 << 64) - 1, wall_seconds=0.2).call("spin")
    assert r.outcome == "timeout"
    assert 0.15 < r.wall_seconds < 3
    assert r.opcode_counts["br"] > 1000


def _wat_module(body: str) -> bytes:
    return wasmtime.wat2wasm(body)


def test_locals_charge_3_0_9() -> None:
    # 32 declared locals (cosmwasm-vm counts the body's declarations, not the params:
    # parsed_wasm.rs func_locals): charged = 32 - 29 = 3 -> 3 * 115 = 345 per call.
    # f: first op local.get (not accounting) -> separate check at entry; body
    #   [local.get, end] = 115 + 1610. g: first op `loop` (accounting) -> added to that block:
    #   [loop] = 1610 + 345, then [end] and [local.get, end].
    src = """(module
      (func $f (export "f") (param i32) (result i32) (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
        i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
        local.get 0)
      (func $g (export "g") (param i32) (result i32) (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
        i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
        loop end
        local.get 0))"""
    code = _wat_module(src)
    rt = Runtime(code, table("cosmwasm-vm-3.0.9"), engine=ENGINE)
    f = rt.instance({}, 10**9).call("f", 7)
    assert f.ok and f.gas_used_internally == 345 + 115 + 1610
    # g: [loop] 1610 + 345 locals; [end] 1610; [local.get, end] 1725
    g = rt.instance({}, 10**9).call("g", 7)
    assert g.ok and g.gas_used_internally == 1610 + 345 + 1610 + 1725
    # the separate entry check fails before anything runs
    short = rt.instance({}, 344).call("f", 7)
    assert short.outcome == "out_of_gas" and short.gas_wasm == 0 and short.exhausted_at == (0, 0)
    # without a locals charge (2.1.6) f costs its body only
    rt2 = Runtime(code, table("cosmwasm-vm-2.1.6-2.1.7"), engine=ENGINE)
    assert rt2.instance({}, 10**9).call("f", 7).gas_used_internally == 115 + 1610


def test_memory_grow_pages_and_limit() -> None:
    # grow(n) returns memory.grow's result; the store limit is 4 pages (256 KiB)
    src = """(module (memory 1)
      (func (export "grow") (param i32) (result i32) local.get 0 memory.grow))"""
    code = _wat_module(src)
    rt = Runtime(code, table("cosmwasm-vm-2.1.6-2.1.7"), engine=ENGINE, memory_limit_bytes=4 * 65536)
    r = rt.instance({}, 10**9).call("grow", 3)
    assert r.ok and r.values == (1,) and r.grown_pages == 3
    over = rt.instance({}, 10**9).call("grow", 4)
    assert over.ok and over.values == (-1,) and over.grown_pages == 0
    # fuel: wasmtime charges 1 + 1 per grown page (wasmtime-fuel table); oracle: wasmtime itself
    plain = Runtime(
        code, table("cosmwasm-vm-2.1.6-2.1.7"), engine=ENGINE, fuel=True, memory_limit_bytes=4 * 65536
    )
    for n in (0, 2, 3, 4):
        m = rt.instance({}, 10**9).call("grow", n)
        p = plain.instance({}, 10**9).call("grow", n)
        assert m.raw is not None and rt.instrumented is not None
        assert fuel_of(rt.instrumented, m.raw, table("wasmtime-fuel")) == p.fuel
