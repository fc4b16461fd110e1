"""What the profiler costs: the profiling instrumentation vs the normal one, same calls.

Run: ``python benchmarks/bench_profile.py [--repeat N]``. Times are the best of ``--repeat`` runs
(wall clock, milliseconds), warm (modules compiled and instrumented before timing):

- ``vm call``: one ``Runtime`` call of a workload entry point (fibonacci: many small calls,
  recursion; sort: loops, few calls) with a stub-free host: ``Instance.call`` of the WAT fixture
  ``fact`` and the contracts' ``execute`` through the mock chain below;
- ``mock execute``: one ``MockChain.execute`` of a cw20-style transfer and of workload messages,
  with a fixed gas limit, normal vs ``chain.profiling = True`` (profiled runs also build the
  calling-context tree and the report's stacks);
- calls: function entries in the run (what the call log records: two events per call).

Prints each pair and the ratio profiled / normal, and ``log only``: the profiled run without the
replay of the call log in Python (what the inserted Wasm code and the host's log writes cost alone).
The normal path is unchanged by the profiler: the profiling instrumentation is a separate module
with its own cache key.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from _common import ROOT, best_ms

from gasmodel.chaintypes import Coin
from gasmodel.costs import load_cost_table
from gasmodel.vm.chain import MockChain
from gasmodel.vm.engine import Engine
from gasmodel.vm.runtime import Instance, Runtime

ART = ROOT / "contracts" / "artifacts"


def log_only_ms(fn: Callable[[], Any], repeat: int) -> float:
    """``best_ms`` with the log replay switched off (the run still writes its log)."""
    saved = Instance._call_tree
    Instance._call_tree = lambda self, gas_end, oog: None  # type: ignore[assignment,method-assign,misc,return-value]
    try:
        return best_ms(fn, repeat)
    finally:
        Instance._call_tree = saved  # type: ignore[method-assign]


Row = tuple[str, float, float, float, int]


def vm_rows(repeat: int) -> list[Row]:
    wasm = (ART / "metering" / "calls.wasm").read_bytes()
    table = load_cost_table("cosmwasm-vm-3.0.9")
    eng = Engine()
    plain = Runtime(wasm, table, engine=eng)
    prof = Runtime(wasm, table, engine=eng, profile=True)
    rows: list[Row] = []
    for n in (20, 2000):

        def run(rt: Runtime, n: int = n) -> Any:
            return rt.instance({}, 10**15).call("fact", n)

        calls = run(plain).function_entries
        rows.append(
            (
                f"vm call fact({n})",
                best_ms(lambda: run(plain), repeat),
                best_ms(lambda: run(prof), repeat),
                log_only_ms(lambda: run(prof), repeat),
                calls,
            )
        )
    return rows


def chain_rows(repeat: int) -> list[Row]:
    chain = MockChain("injective-localnet")
    owner = chain.add_account("owner", balance=[Coin(denom="inj", amount=10**24)])
    token_code = chain.store_code("owner", (ART / "token.wasm").read_bytes()).code_id
    work_code = chain.store_code("owner", (ART / "workload.wasm").read_bytes()).code_id
    assert token_code is not None and work_code is not None
    init = {
        "name": "Gas Token",
        "symbol": "GAS",
        "decimals": 6,
        "initial_balances": [{"address": owner, "amount": "1000000000"}],
    }
    token = chain.instantiate("owner", token_code, init, label="token", admin=owner).contract_address
    work = chain.instantiate("owner", work_code, {}, label="workload", admin=owner).contract_address
    assert token is not None and work is not None
    cases = [
        ("mock execute token transfer", token, {"transfer": {"recipient": owner, "amount": "1"}}),
        ("mock execute workload fibonacci 15", work, {"fibonacci": {"n": 15}}),
        ("mock execute workload sort 1000", work, {"sort": {"n": 1000}}),
    ]
    rows = []
    for name, addr, msg in cases:

        def run(profiling: bool, addr: str = addr, msg: Any = msg) -> Any:
            chain.profiling = profiling
            try:
                return chain.execute("owner", addr, msg, gas_limit=50_000_000)
            finally:
                chain.profiling = False

        calls = sum(f.calls for f in run(False).functions)
        rows.append(
            (
                name,
                best_ms(lambda: run(False), repeat),
                best_ms(lambda: run(True), repeat),
                log_only_ms(lambda: run(True), repeat),
                calls,
            )
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    rows = vm_rows(args.repeat) + chain_rows(args.repeat)
    width = max(len(r[0]) for r in rows)
    print(
        f"{'':<{width}}  {'normal ms':>10}  {'profiled ms':>11}  {'ratio':>6}  {'log only ms':>11}  "
        f"{'ratio':>6}  {'calls':>8}"
    )
    for name, normal, profiled, log_only, calls in rows:
        print(
            f"{name:<{width}}  {normal:>10.2f}  {profiled:>11.2f}  {profiled / normal:>6.2f}  "
            f"{log_only:>11.2f}  {log_only / normal:>6.2f}  {calls:>8,}"
        )


if __name__ == "__main__":
    main()
