"""Lint speed: one contract after import, and a folder of contracts over 1..N worker processes.

Run: ``python benchmarks/bench_lint.py [--repeat 7] [--copies 4] [--workers 1 2]``.

1. Per contract (contracts/artifacts/*.wasm, the realistic corpus, then the two Rust std builds of
   tests/wasm_samples, 524 KB unoptimised and 9 KB): the best of ``--repeat`` runs of
   ``gasmodel.lint(bytes, chain="injective-localnet")`` in a warm process (imports done, profiles
   loaded), split into decode + call graph (ModuleFacts), the rules, and the whole call; the
   target is < 50 ms for a 400 KB contract, so ms per 100 KB is printed too.
2. A folder: ``--copies`` copies of every corpus contract linted by ``run_jobs`` with each worker
   count (process pool, spawn; the pool start-up is included, as a user pays it).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's gasmodel

from _common import ROOT, best_seconds

from gasmodel.lint import lint
from gasmodel.lint.batch import Job, expand, run_jobs
from gasmodel.lint.context import ModuleFacts
from gasmodel.lint.engine import all_profiles, resolve_profile, run_rules


def import_seconds() -> float:
    code = "import time; t=time.perf_counter(); import gasmodel.lint; print(time.perf_counter()-t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return float(out.stdout)


def per_contract(repeat: int) -> None:
    profile = resolve_profile("injective-localnet")
    others = all_profiles()
    print(f"import gasmodel.lint: {import_seconds() * 1000:.0f} ms (once per process)")
    print(f"{'contract':<16}{'KB':>6}{'facts ms':>10}{'rules ms':>10}{'lint ms':>10}{'ms/100KB':>10}")
    extra = sorted((ROOT / "tests" / "wasm_samples").glob("rust_std_*.wasm"))  # Rust std, not contracts
    for path in [*sorted((ROOT / "contracts" / "artifacts").glob("*.wasm")), *extra]:
        data = path.read_bytes()
        lint(data)  # warm: profiles, engines, caches
        facts_s = best_seconds(lambda d=data: ModuleFacts.of(d), repeat, warm_up=False)  # type: ignore[misc]
        facts = ModuleFacts.of(data)
        rules_s = best_seconds(lambda f=facts: run_rules(f, profile, others), repeat, warm_up=False)  # type: ignore[misc]
        total_s = best_seconds(lambda d=data: lint(d), repeat, warm_up=False)  # type: ignore[misc]
        kb = len(data) / 1000
        print(
            f"{path.name:<16}{kb:>6.0f}{facts_s * 1e3:>10.1f}{rules_s * 1e3:>10.1f}{total_s * 1e3:>10.1f}"
            f"{total_s * 1e3 / kb * 100:>10.1f}"
        )


def folder(copies: int, workers: list[int]) -> None:
    corpus = sorted((ROOT / "contracts" / "artifacts").glob("*.wasm"))
    with tempfile.TemporaryDirectory(prefix="gasmodel-bench-lint-") as tmp:
        for i in range(copies):
            for p in corpus:
                shutil.copy(p, Path(tmp) / f"{i}_{p.name}")
        files = expand([tmp])
        jobs = [Job(file=str(f), chains=("injective-localnet",)) for f in files]
        size = sum(f.stat().st_size for f in files) / 1e6
        print(f"\nfolder: {len(files)} contracts, {size:.1f} MB")
        base = None
        for n in workers:
            t = time.perf_counter()
            run_jobs(jobs, workers=n)
            s = time.perf_counter() - t
            base = base or s
            print(f"  {n} worker(s): {s:6.2f} s  ({len(files) / s:5.1f} contracts/s, x{base / s:.2f} vs 1)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--copies", type=int, default=4)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    per_contract(args.repeat)
    folder(args.copies, args.workers)


if __name__ == "__main__":
    main()
