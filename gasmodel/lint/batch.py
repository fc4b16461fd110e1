"""Many contracts in one call: folders expanded, files spread over worker processes.

One code path for every executor: a :class:`concurrent.futures.Executor` (a local process pool by
default; ``distributed.Client(address).get_executor()`` for an existing Dask cluster) receives one
task per contract and results arrive as they finish (``on_done`` drives a progress bar).
"""

from __future__ import annotations

import concurrent.futures as cf
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from gasmodel.errors import GasmodelError
from gasmodel.lint.context import ModuleFacts
from gasmodel.lint.engine import all_profiles, read_wasm, report_for, resolve_profile
from gasmodel.lint.model import LintReport

WASM_SUFFIXES = (".wasm", ".wasm.gz")


class FileOutcome(BaseModel):
    """One contract's reports (one per chain profile), or why it could not be linted."""

    model_config = ConfigDict(frozen=True)

    file: str
    reports: tuple[LintReport, ...] = ()
    error: str | None = None


class Job(BaseModel):
    """What a worker needs: the contract (a path, or bytes with a label) and the settings."""

    model_config = ConfigDict(frozen=True)

    file: str
    data: bytes | None = None
    chains: tuple[str, ...]
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders replaced by the ``*.wasm`` / ``*.wasm.gz`` files under them (sorted)."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.name.endswith(WASM_SUFFIXES)))
        else:
            out.append(p)
    return out


def chain_names(chain: str | None) -> tuple[str, ...]:
    """Profile names (or paths) for a ``--chain`` value; ``"all"`` = every shipped profile."""
    if chain == "all":
        return tuple(p.name for p in all_profiles())
    return (chain or "injective-localnet",)


def run_job(job: Job) -> FileOutcome:
    """Lint one contract under each of the job's chains (runs in a worker process)."""
    try:
        data, file = read_wasm(job.data if job.data is not None else Path(job.file), job.file)
        facts = ModuleFacts.of(data)
        others = all_profiles()
        reports = tuple(
            report_for(
                facts, resolve_profile(c), file=file, select=job.select, ignore=job.ignore, others=others
            )
            for c in job.chains
        )
    except GasmodelError as exc:
        return FileOutcome(file=job.file, error=str(exc))
    return FileOutcome(file=job.file, reports=reports)


def default_jobs() -> int:
    """Worker processes by default: the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def run_jobs(
    jobs: Sequence[Job],
    *,
    executor: cf.Executor | None = None,
    workers: int | None = None,
    on_done: Callable[[FileOutcome], None] | None = None,
) -> list[FileOutcome]:
    """Run ``jobs`` (in their order in the result); in-process for one job or one worker."""
    n = workers or default_jobs()
    out: dict[int, FileOutcome] = {}
    if executor is None and (len(jobs) <= 1 or n <= 1):
        for i, job in enumerate(jobs):
            out[i] = run_job(job)
            if on_done:
                on_done(out[i])
        return [out[i] for i in range(len(jobs))]
    own = executor is None
    pool = executor or cf.ProcessPoolExecutor(max_workers=min(n, len(jobs)))
    try:
        futures = {pool.submit(run_job, job): i for i, job in enumerate(jobs)}
        for fut in cf.as_completed(futures):
            i = futures[fut]
            out[i] = fut.result()
            if on_done:
                on_done(out[i])
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)
    return [out[i] for i in range(len(jobs))]
