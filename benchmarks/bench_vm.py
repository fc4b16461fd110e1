"""The metered runtime's costs, side by side.

1. Run time of the same call instrumented (metering checks + counters) vs uninstrumented
   (plain module, same engine, same host): a token transfer (host calls dominate) and pure Wasm
   compute (the workload contract's sort and loop). Goal: instrumented <= 1.3x.
2. Instrumenting a ~300 KB contract (token.wasm), and compiling it (cold, then from the disk cache).
3. Warm call latency: a token transfer on a cached runtime (fresh instance per call).

Run: ``python benchmarks/bench_vm.py [--repeat N]`` from the repository root.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import ROOT, best_seconds
from vm_stub_host import call_json

from gasmodel.costs import load_cost_table
from gasmodel.vm.engine import Engine
from gasmodel.vm.instrument import instrument
from gasmodel.vm.runtime import Runtime
from gasmodel.wasm import decode

ARTIFACTS = ROOT / "contracts" / "artifacts"
TABLE = "cosmwasm-vm-3.0.9"


def _median(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    table = load_cost_table(TABLE)
    engine = Engine()

    print(f"table {TABLE}; best of {args.repeat}; host: tests/vm_stub_host.py (Python imports)")
    print()
    print(f"{'call':<40} {'plain ms':>10} {'metered ms':>11} {'ratio':>7}")

    def pair(wasm: bytes, setup: list[tuple[str, object]], entry: str, msg: object, label: str) -> None:
        rts = {
            "plain": Runtime(wasm, table, engine=engine, metered=False),
            "metered": Runtime(wasm, table, engine=engine),
        }
        stores = {}
        for k, rt in rts.items():
            store: dict[bytes, bytes] = {}
            for e, m in setup:
                r = call_json(rt, store, e, m)
                assert r.ok, r.message
            stores[k] = store
        # interleaved, best of N: the machine's load hits both sides alike
        best = dict.fromkeys(rts, float("inf"))
        for _ in range(args.repeat):
            for k, rt in rts.items():
                t0 = time.perf_counter()
                r = call_json(rt, dict(stores[k]), entry, msg)
                best[k] = min(best[k], time.perf_counter() - t0)
                assert r.ok, r.message
        plain, metered = best["plain"] * 1e3, best["metered"] * 1e3
        print(f"{label:<40} {plain:>10.3f} {metered:>11.3f} {metered / plain:>6.2f}x")

    token = (ARTIFACTS / "token.wasm").read_bytes()
    manifest = json.loads((ROOT / "contracts" / "manifest.json").read_text())
    tok = next(c for c in manifest["contracts"] if c["name"] == "token")
    inst = ("instantiate", tok["instantiate"]["msg"])
    pair(token, [inst], "execute", {"transfer": {"recipient": "$other", "amount": "1000"}}, "token transfer")
    workload = (ARTIFACTS / "workload.wasm").read_bytes()
    for msg in ({"sort": {"n": 20000}}, {"loop": {"n": 1000000}}, {"fibonacci": {"n": 25}}):
        pair(workload, [("instantiate", {})], "execute", msg, f"workload {json.dumps(msg)}")

    print()
    module = decode(token)
    t_decode = best_seconds(lambda: decode(token), 5, warm_up=False)
    t_instr = best_seconds(lambda: instrument(token, table, module), 5, warm_up=False)
    im = instrument(token, table, module)
    with tempfile.TemporaryDirectory() as tmp:
        cold_engine = Engine(cache_path=Path(tmp))
        t0 = time.perf_counter()
        cold_engine.module(im.wasm)
        t_compile = time.perf_counter() - t0
        warm_engine = Engine(cache_path=Path(tmp))
        t0 = time.perf_counter()
        warm_engine.module(im.wasm)
        t_load = time.perf_counter() - t0
    print(
        f"token.wasm {len(token) // 1024} KB ({len(module.functions)} functions, {im.num_segments} segments):"
    )
    print(
        f"  decode {t_decode * 1e3:.1f} ms, instrument {t_instr * 1e3:.1f} ms (-> {len(im.wasm) // 1024} KB),"
    )
    print(f"  compile {t_compile * 1e3:.0f} ms cold, {t_load * 1e3:.1f} ms from the disk cache")

    rt = Runtime(token, table, engine=engine, instrumented=im)
    store: dict[bytes, bytes] = {}
    assert call_json(rt, store, *inst).ok
    warm = _median(
        lambda: call_json(rt, dict(store), "execute", {"transfer": {"recipient": "$other", "amount": "1"}}),
        args.repeat,
    )
    print(f"warm token transfer (fresh instance, metered): median {warm * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
