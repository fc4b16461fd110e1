"""Structure-aware fuzz campaign over everything that reads a contract.

Each input is a module from one of five generators: ``mutated`` (bit flips, byte changes,
truncations, insertions, deletions, duplications and huge LEB128s over real modules: the test
samples, the small contracts and the hostile modules of tests/hostile_modules.py), ``big`` (one
long body), ``deep`` (deeply nested blocks), ``wide`` (many functions, exports, call edges, a
table and indirect calls) and ``names`` (name sections full of Rust-symbol bait for the
demangler). Every input goes through the bounded reader's gunzip, the decoder, the histogram
(module and per function, names demangled); inputs that decode and are small enough also through
validation and the full analysis (``analyze``), one in ``--analyze-every``.

Outcomes: ``ok``, or the documented error type that refused the input (``WasmDecodeError``,
``AnalysisError``, ``InputError``, another ``GasmodelError`` subclass by name). Anything else is
``unexpected`` (the input is saved under ``--crashes``); an input that takes more than
``--hang-seconds`` of CPU time is a ``hang`` (a profiling timer interrupts it; saved too). CPU
time, not wall time: on a shared machine under load the wall clock of an input moves by several
times, and nothing here blocks (inputs are in memory). Each worker runs under an
address-space limit (``--memory-mib``, default 2048). The report (JSON, also written after every
batch of ``--slice`` seconds) gives inputs tried, outcomes by kind and by generator, the slowest
input (wall and CPU seconds), the rate and the peak resident memory of the workers.

    python scripts/fuzz_campaign.py --seconds 3600 --jobs 2 --report fuzz-report.json

Exit status: 0 when there was no ``unexpected`` outcome and no ``hang``, else 1.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import resource
import signal
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import hostile_modules as hm  # noqa: E402

from gasmodel.errors import GasmodelError  # noqa: E402

GENERATORS = ("mutated", "big", "deep", "wide", "names")
_WEIGHTS = (92, 1, 1, 2, 4)


class _Hang(Exception):
    pass


def _seeds() -> list[bytes]:
    files = sorted((ROOT / "tests" / "wasm_samples").glob("*.wasm"))
    contracts = sorted(p for p in (ROOT / "contracts").glob("**/*.wasm") if "target" not in p.parts)
    files += [p for p in contracts if p.stat().st_size < 20_000][:12]
    seeds = [p.read_bytes() for p in files]
    seeds += [
        hm.call_chain(50, 10),
        hm.fan_out(40, 5),
        hm.many_functions(100),
        hm.named(hm.v0_backref_bomb(20)),
        hm.named(b"_RIC1axL_Eb"),
        hm.invalid_call_indirect(),
        hm.invalid_type_mismatch(),
    ]
    return seeds


def _mutate(rng: random.Random, seeds: list[bytes]) -> bytes:
    data = bytearray(rng.choice(seeds))
    for _ in range(rng.randint(1, 6)):
        if not data:
            break
        i = rng.randrange(len(data))
        kind = rng.randrange(8)
        if kind == 0:
            data[i] ^= 1 << rng.randrange(8)
        elif kind == 1:
            data[i] = rng.randrange(256)
        elif kind == 2:
            del data[i:]
        elif kind == 3:
            data[i:i] = rng.randbytes(rng.randint(1, 8))
        elif kind == 4:
            del data[i : i + rng.randint(1, 16)]
        elif kind == 5:
            j = min(len(data), i + rng.randint(1, 64))
            data[i:i] = data[i:j] * rng.randint(1, 4)
        elif kind == 6:
            data[i : i + 1] = b"\xff\xff\xff\xff\x0f"
        else:
            data[i : i + 1] = hm.uleb(rng.choice([0, 1, 127, 128, 2**14, 2**21, 2**31, 2**32 - 1]))
    return bytes(data)


_BAIT = "_RNvCsIBTuEKLDFGpYXMQSAOmnhyxjitdfe0123456789abcdefghz_$."


def _symbol(rng: random.Random) -> bytes:
    kind = rng.randrange(5)
    if kind == 0:
        return hm.v0_backref_bomb(rng.randint(1, 60))
    if kind == 1:
        return ("_R" + "".join(rng.choice(_BAIT) for _ in range(rng.randint(1, 40)))).encode()
    if kind == 2:
        parts = "".join(f"{len(w)}{w}" for w in ("a" * rng.randint(0, 9) for _ in range(rng.randint(1, 6))))
        return f"_ZN{parts}17h{rng.randbytes(8).hex()}E".encode()
    if kind == 3:
        return ("_ZN" + "".join(rng.choice(_BAIT + "$LTGT") for _ in range(rng.randint(1, 60)))).encode()
    return rng.randbytes(rng.randint(0, 30))


def _generate(rng: random.Random, kind: str, seeds: list[bytes]) -> bytes:
    if kind == "mutated":
        data = _mutate(rng, seeds)
        return hm.gz(data) if rng.random() < 0.02 else data
    if kind == "big":
        n = rng.choice([1000, 10_000, 10_000, 100_000])
        op = rng.choice([b"\x01", b"\x41\x00\x1a", b"\x0c\x00", b"\x20\x00\x1a"])
        body = b"\x01\x01\x7f" + op * n + b"\x0b"
        return hm.module([body], exports=[("execute", 0)])
    if kind == "deep":
        d = rng.choice([10, 100, 1000, 10_000])
        opener = rng.choice([b"\x02\x40", b"\x03\x40", b"\x41\x00\x04\x40"])
        body = b"\x00" + opener * d + b"\x0b" * d + b"\x0b"
        return hm.module([body], exports=[("execute", 0)])
    if kind == "wide":
        n = rng.choice([10, 100, 1000])
        shape = rng.randrange(3)
        if shape == 0:
            return hm.call_chain(n, rng.randint(1, n))
        if shape == 1:
            return hm.fan_out(n, rng.randint(1, n - 1))
        # random calls, a table and indirect calls through it
        bodies = []
        for _ in range(n):
            calls = b"".join(b"\x10" + hm.uleb(rng.randrange(n)) for _ in range(rng.randint(0, 4)))
            ind = b"\x41\x00\x11\x00\x00" * rng.randint(0, 2)
            bodies.append(b"\x00" + calls + ind + b"\x0b")
        elems = [rng.randrange(n) for _ in range(rng.randint(0, min(n, 200)))]
        return hm.module(
            bodies,
            table=len(elems),
            elems=elems or None,
            exports=[(f"e{k}", rng.randrange(n)) for k in range(rng.randint(1, 50))],
        )
    names = {k: _symbol(rng) for k in range(rng.randint(1, 20))}
    return hm.module([hm.EMPTY_BODY] * len(names), exports=[("execute", 0)], names=names)


def _run_one(data: bytes, do_analyze: bool, pricing: Any) -> str:
    from gasmodel.analysis.api import analyze
    from gasmodel.histogram import histogram
    from gasmodel.inputs import DEFAULT_MAX_BYTES, gunzip_bounded
    from gasmodel.wasm import decode
    from gasmodel.wasm.demangle import demangle

    try:
        wasm = gunzip_bounded(data, DEFAULT_MAX_BYTES, "input")
        module = decode(wasm)
        h = histogram(module)
        for f in h.iter_functions():
            if f.name:
                demangle(f.name)
        if do_analyze and len(wasm) <= 256 * 1024:
            analyze(wasm, pricing=pricing)
    except GasmodelError as exc:
        return type(exc).__name__
    return "ok"


def _alarm(_signum: int, _frame: object) -> None:
    raise _Hang


def _worker(args: tuple[int, float, int, float, int, int, str]) -> dict[str, Any]:
    seed, seconds, max_inputs, hang, memory_mib, analyze_every, crashes = args
    limit = memory_mib * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from gasmodel.analysis.pricing import resolve_pricing

    pricing = resolve_pricing(None, None)
    rng = random.Random(seed)
    seeds = _seeds()
    outcomes: Counter[str] = Counter()
    by_gen: dict[str, Counter[str]] = {g: Counter() for g in GENERATORS}
    slowest = (0.0, "")
    slowest_cpu = 0.0
    signal.signal(signal.SIGPROF, _alarm)
    t_end = time.monotonic() + seconds
    n = 0
    while n < max_inputs and time.monotonic() < t_end:
        kind = rng.choices(GENERATORS, _WEIGHTS)[0]
        data = _generate(rng, kind, seeds)
        t0 = time.perf_counter()
        c0 = time.process_time()
        signal.setitimer(signal.ITIMER_PROF, hang)
        try:
            outcome = _run_one(data, n % analyze_every == 0, pricing)
        except _Hang:
            outcome = "hang"
        except Exception as exc:  # anything undocumented is a finding
            outcome = f"unexpected:{type(exc).__name__}"
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
        dt = time.perf_counter() - t0
        slowest_cpu = max(slowest_cpu, time.process_time() - c0)
        if dt > slowest[0]:
            slowest = (dt, kind)
        if outcome == "hang" or outcome.startswith("unexpected"):
            Path(crashes).mkdir(parents=True, exist_ok=True)
            (Path(crashes) / f"{outcome.replace(':', '-')}-{seed}-{n}.wasm").write_bytes(data)
        outcomes[outcome] += 1
        by_gen[kind][outcome] += 1
        n += 1
    return {
        "inputs": n,
        "outcomes": dict(outcomes),
        "by_generator": {g: dict(c) for g, c in by_gen.items()},
        "slowest_seconds": round(slowest[0], 3),
        "slowest_generator": slowest[1],
        "slowest_cpu_seconds": round(slowest_cpu, 3),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _merge(parts: list[dict[str, Any]], elapsed: float, args: argparse.Namespace) -> dict[str, Any]:
    outcomes: Counter[str] = Counter()
    by_gen: dict[str, Counter[str]] = {g: Counter() for g in GENERATORS}
    for p in parts:
        outcomes.update(p["outcomes"])
        for g, c in p["by_generator"].items():
            by_gen[g].update(c)
    inputs = sum(p["inputs"] for p in parts)
    bad = sum(v for k, v in outcomes.items() if k == "hang" or k.startswith("unexpected"))
    return {
        "inputs": inputs,
        "seconds": round(elapsed, 1),
        "inputs_per_second": round(inputs / elapsed, 1) if elapsed else 0.0,
        "outcomes": dict(sorted(outcomes.items())),
        "by_generator": {g: dict(sorted(c.items())) for g, c in by_gen.items()},
        "unexpected_or_hang": bad,
        "slowest_seconds": max((p["slowest_seconds"] for p in parts), default=0.0),
        "slowest_cpu_seconds": max((p["slowest_cpu_seconds"] for p in parts), default=0.0),
        "peak_rss_mib": max((p["peak_rss_mib"] for p in parts), default=0.0),
        "jobs": args.jobs,
        "seed": args.seed,
        "hang_seconds": args.hang_seconds,
        "memory_mib": args.memory_mib,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the campaign; print (and write) the report."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60.0, help="wall time (default 60)")
    ap.add_argument("--inputs", type=int, default=10**12, help="stop after this many inputs in all")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--slice", type=float, default=60.0, help="seconds per worker batch (default 60)")
    ap.add_argument("--hang-seconds", type=float, default=10.0, help="CPU seconds that make an input a hang")
    ap.add_argument("--memory-mib", type=int, default=2048, help="address-space limit per worker")
    ap.add_argument("--analyze-every", type=int, default=50, help="full analysis of one input in N")
    ap.add_argument("--crashes", default="fuzz-crashes", help="folder for unexpected/hanging inputs")
    ap.add_argument("--report", default=None, help="write the JSON report here (also during the run)")
    args = ap.parse_args(argv)
    t0 = time.monotonic()
    parts: list[dict[str, Any]] = []
    batch = 0
    ctx = mp.get_context("fork")
    report: dict[str, Any] = {}
    while True:
        left = args.seconds - (time.monotonic() - t0)
        done = sum(p["inputs"] for p in parts)
        if left <= 0.05 or done >= args.inputs:
            break
        per = min(args.slice, left)
        quota = max(1, (args.inputs - done) // args.jobs)
        jobs = [
            (args.seed * 1_000_003 + batch * args.jobs + k, per, quota, args.hang_seconds, args.memory_mib,
             args.analyze_every, args.crashes)
            for k in range(args.jobs)
        ]
        batch += 1
        with ctx.Pool(args.jobs, maxtasksperchild=1) as pool:
            parts += pool.map(_worker, jobs)
        report = _merge(parts, time.monotonic() - t0, args)
        if args.report:
            Path(args.report).write_text(json.dumps(report, indent=1) + "\n")
    report = _merge(parts, time.monotonic() - t0, args)
    if args.report:
        Path(args.report).write_text(json.dumps(report, indent=1) + "\n")
    sys.stdout.write(json.dumps(report, indent=1) + "\n")
    return 1 if report["unexpected_or_hang"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
