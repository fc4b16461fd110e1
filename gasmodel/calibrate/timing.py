"""``gasmodel calibrate time``: wasmtime execution time per opcode class, fitted from workloads.

Each workload (:mod:`gasmodel.calibrate.workloads`) runs once instrumented for its exact per-opcode
counts, then uninstrumented (plain wasmtime) for its time: warm (compiled once, one warm-up call),
repeated ``rounds`` times (each round keeps the fastest of ``repeat`` back-to-back runs),
workloads interleaved in a fresh random order every round so that a burst of load on a shared
machine hits all of them alike; the time of a workload is the median of
its rounds, its noise the median absolute deviation over the median. The fit
``time = t0 + sum_c t_c * count_c`` over opcode classes (the decoder's categories; control split
into accounting operators and the rest) is non-negative least squares (``scipy.optimize.nnls``) and,
for comparison, a robust fit (``least_squares``, soft-l1 loss). Reported: R², relative residuals,
per-class nanoseconds, and the implied gas per second of each workload under a chosen cost table
against CosmWasm's target of 10^12 gas per second. The output cost table prices each class in
proportion to its fitted time, scaled so that 1 second is 10^12 gas.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from scipy.optimize import least_squares, nnls

from gasmodel.calibrate.provenance import Provenance, provenance
from gasmodel.calibrate.workloads import Workload, standard_workloads
from gasmodel.costs import load_cost_table
from gasmodel.costs.table import CostTable
from gasmodel.errors import GasmodelError
from gasmodel.vm.engine import Engine
from gasmodel.vm.runtime import Runtime
from gasmodel.wasm.opcodes import BY_NAME

TIME_REPORT_FORMAT: Literal["gasmodel-calibration-time/1"] = "gasmodel-calibration-time/1"
TARGET_GAS_PER_SECOND = 10**12  # cosmwasm-vm 2.x GAS.md: 1 Teragas per second (GAS_PER_US = 10^6)


def op_class(name: str, accounting: frozenset[str]) -> str:
    """The class an operator is timed in: its decoder category; ``control`` split by accounting."""
    cat = BY_NAME[name].category
    if cat in ("control", "call"):
        return "control-accounting" if name in accounting else "control-other"
    return cat


def class_counts(counts: Mapping[str, int], accounting: frozenset[str]) -> dict[str, int]:
    """Executed operators by timing class."""
    out: dict[str, int] = {}
    for name, n in counts.items():
        c = op_class(name, accounting)
        out[c] = out.get(c, 0) + n
    return out


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class WorkloadTiming(_Model):
    """One workload: counts by class, median seconds, noise, the fits' predictions, implied gas/s."""

    name: str
    iterations: int
    counts: dict[str, int]
    operators: int
    seconds: float
    noise: float = Field(description="median absolute deviation / median over the rounds")
    predicted_nnls: float
    predicted_robust: float
    gas: int = Field(description="gas of the run under the reference cost table")
    gas_per_second: float


class ClassTime(_Model):
    """A class's fitted time per operator (ns) by both fits, and its price in the output table."""

    op_class: str
    ns_nnls: float
    ns_robust: float
    gas: int


class TimeReport(_Model):
    """The time calibration."""

    format: Literal["gasmodel-calibration-time/1"] = TIME_REPORT_FORMAT
    provenance: Provenance
    reference_table: str
    rounds: int
    workloads: list[WorkloadTiming]
    classes: list[ClassTime]
    intercept_us_nnls: float
    r2_nnls: float
    r2_robust: float
    median_noise: float
    max_noise: float
    median_gas_per_second: float
    target_gas_per_second: int = TARGET_GAS_PER_SECOND

    def to_json(self) -> str:
        """The report as JSON text."""
        return self.model_dump_json(indent=2)


def r_squared(y: np.ndarray, pred: np.ndarray) -> float:
    """Coefficient of determination."""
    ss_res = float(((y - pred) ** 2).sum())
    ss_tot = float(((y - y.mean()) ** 2).sum())
    return 1.0 - ss_res / ss_tot if ss_tot else float("nan")


def fit_times(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-column coefficients of ``y ~ x`` (x includes an intercept column), by NNLS and by a robust
    soft-l1 fit, both non-negative. Rows are weighted by 1/y so that every workload counts in
    relative terms (a long run is not worth more than a short one)."""
    w = 1.0 / np.maximum(y, 1e-300)
    xw, yw = x * w[:, None], y * w
    coef_nnls, _ = nnls(xw, yw)
    sol = least_squares(lambda c: xw @ c - yw, coef_nnls, loss="soft_l1", f_scale=0.05, bounds=(0, np.inf))
    return coef_nnls, sol.x


def measure(
    workloads: Sequence[Workload],
    *,
    iterations: int = 20_000,
    rounds: int = 15,
    repeat: int = 3,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
    engine: Engine | None = None,
    table: CostTable | None = None,
) -> list[tuple[Workload, dict[str, int], int, list[float]]]:
    """Counts (instrumented run) and ``rounds`` interleaved timings (plain runs) of each workload."""
    import wasmtime

    eng = engine if engine is not None else Engine()
    tbl = table if table is not None else load_cost_table("cosmwasm-vm-2.1.6-2.1.7")
    prepared = []
    for w in workloads:
        wasm = bytes(wasmtime.wat2wasm(w.wat))
        counted = Runtime(wasm, tbl, engine=eng).instance({}, 10**15).call("run", iterations)
        if not counted.ok:
            raise GasmodelError(f"workload {w.name}: {counted.outcome} {counted.message}")
        plain = Runtime(wasm, tbl, engine=eng, metered=False)
        plain.instance({}, 0).call("run", iterations)  # warm-up
        prepared.append((w, dict(counted.opcode_counts), counted.gas_used_internally, plain))
    times: list[list[float]] = [[] for _ in prepared]
    rng = random.Random(seed)
    order = list(range(len(prepared)))
    for r in range(rounds):
        rng.shuffle(order)
        for i in order:
            # the fastest of a few back-to-back runs: load on a shared machine only ever adds time
            best = min(
                prepared[i][3].instance({}, 0).call("run", iterations).wall_seconds for _ in range(repeat)
            )
            times[i].append(best)
        if progress is not None:
            progress(r + 1, rounds)
    return [(w, counts, gas, t) for (w, counts, gas, _), t in zip(prepared, times, strict=True)]


def calibrate_time(
    workloads: Sequence[Workload] | None = None,
    *,
    reference: str = "cosmwasm-vm-2.1.6-2.1.7",
    iterations: int = 20_000,
    rounds: int = 15,
    progress: Callable[[int, int], None] | None = None,
) -> TimeReport:
    """Measure and fit (see module docs)."""
    table = load_cost_table(reference)
    accounting = frozenset(table.operators.accounting)
    data = measure(
        workloads if workloads is not None else standard_workloads(),
        iterations=iterations,
        rounds=rounds,
        progress=progress,
        table=table,
    )
    per = [class_counts(c, accounting) for _, c, _, _ in data]
    classes = sorted({k for p in per for k in p})
    x = np.array([[1.0] + [p.get(c, 0) for c in classes] for p in per])
    y = np.array([float(np.median(t)) for *_, t in data])
    noise = [float(np.median(np.abs(np.array(t) - np.median(t))) / np.median(t)) for *_, t in data]
    c_nnls, c_rob = fit_times(x, y)
    p_nnls, p_rob = x @ c_nnls, x @ c_rob
    ns = {c: (c_nnls[j + 1] * 1e9, c_rob[j + 1] * 1e9) for j, c in enumerate(classes)}
    # 10^12 gas per second: 1000 gas per nanosecond
    gas_of = {c: round(v[0] * TARGET_GAS_PER_SECOND / 1e9) for c, v in ns.items()}
    rows = []
    for (w, counts, gas, _t), yi, pn, pr, nz in zip(data, y, p_nnls, p_rob, noise, strict=True):
        rows.append(
            WorkloadTiming(
                name=w.name,
                iterations=iterations,
                counts=class_counts(counts, accounting),
                operators=sum(counts.values()),
                seconds=float(yi),
                noise=nz,
                predicted_nnls=float(pn),
                predicted_robust=float(pr),
                gas=gas,
                gas_per_second=gas / float(yi),
            )
        )
    return TimeReport(
        provenance=provenance(),
        reference_table=reference,
        rounds=rounds,
        workloads=rows,
        classes=[ClassTime(op_class=c, ns_nnls=ns[c][0], ns_robust=ns[c][1], gas=gas_of[c]) for c in classes],
        intercept_us_nnls=float(c_nnls[0] * 1e6),
        r2_nnls=r_squared(y, p_nnls),
        r2_robust=r_squared(y, p_rob),
        median_noise=float(np.median(noise)),
        max_noise=float(max(noise)),
        median_gas_per_second=float(np.median([r.gas_per_second for r in rows])),
    )


def cost_table_toml(report: TimeReport, *, name: str, extends: str, command: str) -> str:
    """A cost table extending ``extends`` whose operator prices by category follow the fitted times
    (1 s = 10^12 gas); loadable by :func:`gasmodel.load_cost_table`."""
    by_cat: dict[str, int] = {}
    acc = None
    for c in report.classes:
        if c.op_class == "control-accounting":
            acc = c.gas
        elif c.op_class == "control-other":
            by_cat["control"] = c.gas
            by_cat["call"] = c.gas
        else:
            by_cat[c.op_class] = c.gas
    default = int(np.median(list(by_cat.values()))) if by_cat else 0
    lines = [
        f"# Fitted by `gasmodel calibrate time` on {report.provenance.created_at}",
        f"# ({report.provenance.machine}, wasmtime {report.provenance.wasmtime}): "
        f"{len(report.workloads)} workloads x {report.rounds} rounds, "
        f"R^2 {report.r2_nnls:.4f} (NNLS), median noise {report.median_noise:.1%}.",
        "# Prices are wasmtime time on this machine at 10^12 gas per second, not the chain's numbers.",
        f"# Made with: {command}",
        "version = 1",
        'kind = "cost-table"',
        f'name = "{name}"',
        f'extends = "{extends}"',
        f'description = "operator prices from measured wasmtime time ({report.provenance.machine})"',
        "",
        "[operators]",
        f"default = {default}",
    ]
    if acc is not None:
        lines.append(f"accounting_cost = {acc}")
    lines.append("\n[operators.by_category]")
    lines += [f'"{k}" = {v}' if "-" in k else f"{k} = {v}" for k, v in sorted(by_cat.items())]
    return "\n".join(lines) + "\n"


def render_time(report: TimeReport) -> str:
    """The time calibration as text."""
    lines = [
        f"time calibration: {len(report.workloads)} workloads x {report.rounds} interleaved rounds "
        f"({report.provenance.machine}, {report.provenance.cpus} CPUs, "
        f"wasmtime {report.provenance.wasmtime})",
        f"noise (MAD/median per workload): median {report.median_noise:.1%}, worst {report.max_noise:.1%}",
        f"fit: R^2 {report.r2_nnls:.4f} (NNLS), {report.r2_robust:.4f} (soft-l1); intercept "
        f"{report.intercept_us_nnls:.1f} us per run",
        f"{'class':<24} {'ns/op NNLS':>11} {'ns/op robust':>13} {'gas (1e12/s)':>13}",
    ]
    for c in report.classes:
        lines.append(f"{c.op_class:<24} {c.ns_nnls:>11.3f} {c.ns_robust:>13.3f} {c.gas:>13}")
    lines.append(
        f"implied gas per second under {report.reference_table}: median "
        f"{report.median_gas_per_second:.3g} (target {report.target_gas_per_second:.0e}, ratio "
        f"{report.median_gas_per_second / report.target_gas_per_second:.2f})"
    )
    return "\n".join(lines) + "\n"
