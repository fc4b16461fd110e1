"""Memory per input: peak and retained bytes of decode, histogram and analysis on hostile modules.

Run: ``python benchmarks/bench_memory.py [--scale 1.0]``. Modules come from
tests/hostile_modules.py (one long body of ``nop``, many empty functions, a call chain with every
function exported, a fan-out through one hub); sizes scale with ``--scale``. Memory is measured
with ``tracemalloc`` (Python objects and numpy buffers), so it is what gasmodel allocates, not
the interpreter's baseline. Prints, per module and stage, the peak and retained bytes, and both
per instruction and per input byte: the bounds docs/limits.md states.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import hostile_modules as hm  # noqa: E402

from gasmodel.analysis.api import analyze  # noqa: E402
from gasmodel.histogram import histogram  # noqa: E402
from gasmodel.wasm import decode  # noqa: E402


def measure(fn: Callable[[], Any]) -> tuple[Any, int, int, float]:
    """``fn()``'s result, traced peak and retained bytes, and seconds."""
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        out = fn()
        dt = time.perf_counter() - t0
        retained, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return out, peak, retained, dt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=float, default=1.0)
    args = ap.parse_args()
    s = args.scale
    cases = {
        "one body, nop": hm.big_body(int(4_000_000 * s)),
        "empty functions": hm.many_functions(int(1_000_000 * s)),
        "call chain, all exported": hm.call_chain(int(20_000 * s), int(20_000 * s)),
        "fan-out, 5k exports": hm.fan_out(int(5_001 * s), int(5_000 * s)),
    }
    print(f"{'module':26} {'stage':12} {'input B':>10} {'instrs':>10} {'peak MB':>9} {'kept MB':>9} "
          f"{'peak B/instr':>12} {'peak B/byte':>11} {'s':>7}")
    for label, data in cases.items():
        module, peak, kept, dt = measure(lambda data=data: decode(data))
        n = sum(len(f.ops) for f in module.functions)
        rows = [("decode", peak, kept, dt)]
        h, peak, kept, dt = measure(lambda module=module: histogram(module))
        rows.append(("histogram", peak, kept, dt))
        _, peak, kept, dt = measure(lambda h=h: sum(f.total for f in h.iter_functions()))
        rows.append(("per-function", peak, kept, dt))
        if module.num_functions <= 200_000:
            _, peak, kept, dt = measure(lambda data=data: analyze(data))
            rows.append(("analyze", peak, kept, dt))
        for stage, peak, kept, dt in rows:
            print(f"{label:26} {stage:12} {len(data):>10} {n:>10} {peak / 1e6:>9.1f} {kept / 1e6:>9.1f} "
                  f"{peak / max(n, 1):>12.1f} {peak / len(data):>11.1f} {dt:>7.2f}")


if __name__ == "__main__":
    main()
