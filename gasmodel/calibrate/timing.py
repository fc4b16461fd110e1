"""``gasmodel calibrate time``: wasmtime execution time per opcode class, fitted from workloads.

Each workload (:mod:`gasmodel.calibrate.workloads`) runs instrumented for its exact per-opcode
counts, then uninstrumented (plain wasmtime) for its time: warm (compiled once, one warm-up call),
its loop count chosen so that one run stays shorter than a scheduler time slice, repeated
``rounds`` times (each round keeps the fastest of ``repeat`` back-to-back runs), workloads
interleaved in a fresh random order every round so that a burst of load on a shared machine hits
all of them alike. A 1-iteration run is subtracted, so a workload's sample is its time and its
counts *per loop iteration* (instance set-up gone); its time is the median over rounds, its noise
the median absolute deviation over the median. The corpus calls of a scenario (optional) are timed
the same way per call, with two more terms: the set-up of a call and the time of each host import
(our Python host, not the chain's).

The fit ``time = sum_c t_c * count_c (+ set-up + sum_i h_i * calls_i for corpus calls)`` over
opcode classes (the decoder's categories; control split into accounting operators and the rest;
integer division apart) is non-negative least squares (``scipy.optimize.nnls``, rows weighted by
1/time) and, for comparison, a robust fit (``least_squares``, soft-l1 loss). Reported: R² (all,
workloads, corpus calls), per-sample predictions, per-class nanoseconds, and the implied gas per
second of each workload under a chosen cost table against CosmWasm's target of 10^12 gas per
second. The output cost table prices each class in proportion to its fitted time (1 s = 10^12 gas).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from scipy.optimize import least_squares, nnls

from gasmodel.calibrate.provenance import Provenance, provenance
from gasmodel.calibrate.recorder import code_names, record_scenario, without_out_of_gas
from gasmodel.calibrate.workloads import Workload, standard_workloads
from gasmodel.costs import load_cost_table
from gasmodel.costs.profile import ChainProfile
from gasmodel.costs.table import CostTable
from gasmodel.errors import ConfigError, GasmodelError
from gasmodel.scenario.model import Scenario
from gasmodel.vm.engine import Engine
from gasmodel.vm.runtime import Runtime
from gasmodel.wasm.opcodes import BY_NAME, OPCODES

TIME_REPORT_FORMAT: Literal["gasmodel-calibration-time/1"] = "gasmodel-calibration-time/1"
TARGET_GAS_PER_SECOND = 10**12  # cosmwasm-vm 2.x GAS.md: 1 Teragas per second (GAS_PER_US = 10^6)


DIVISION = "numeric-int-division"


def op_class(name: str, accounting: frozenset[str]) -> str:
    """The class an operator is timed in: its decoder category, with control split into the
    accounting operators and the rest, and integer division / remainder (tens of cycles, where an
    add takes one) apart from the other integer operators."""
    cat = BY_NAME[name].category
    if cat == "control":
        return "control-accounting" if name in accounting else "control-other"
    if cat == "numeric-int" and ("div" in name or "rem" in name):
        return DIVISION
    return cat


def class_counts(counts: Mapping[str, float], accounting: frozenset[str]) -> dict[str, float]:
    """Executed operators by timing class."""
    out: dict[str, float] = {}
    for name, n in counts.items():
        c = op_class(name, accounting)
        out[c] = out.get(c, 0) + n
    return out


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, ser_json_inf_nan="strings")  # NaN round-trips through JSON


class WorkloadTiming(_Model):
    """One workload or corpus call: counts by class, median seconds, noise, the fits' predictions,
    implied gas/s."""

    name: str
    kind: Literal["workload", "corpus"] = "workload"
    host_calls: int = 0
    iterations: int
    counts: dict[str, float] = Field(description="operators by class (per loop iteration for a workload)")
    operators: float
    seconds: float = Field(description="median time (per loop iteration for a workload)")
    noise: float | None = Field(
        description="median absolute deviation / median over the rounds (None: median not above zero)"
    )
    predicted_nnls: float
    predicted_robust: float
    gas: float = Field(description="gas under the reference cost table (per loop iteration for a workload)")
    gas_per_second: float | None
    """``None`` when the measured time is not above zero (left out of the fit as well)."""


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
    intercept_us_nnls: float = Field(description="set-up of one contract call (corpus calls), microseconds")
    host_call_us_nnls: dict[str, float] = Field(
        default_factory=dict, description="fitted time per call of each host import (our host), corpus calls"
    )
    r2_nnls: float
    r2_robust: float
    r2_workloads: float = Field(float("nan"), description="R² (NNLS) over the workloads alone")
    r2_corpus: float = Field(float("nan"), description="R² (NNLS) over the corpus calls alone")
    median_noise: float
    max_noise: float
    median_gas_per_second: float
    target_gas_per_second: int = TARGET_GAS_PER_SECOND

    def to_json(self) -> str:
        """The report as JSON text."""
        return self.model_dump_json(indent=2)


def _relative_spread(times: Sequence[float]) -> float | None:
    """Median absolute deviation over the median; ``None`` when the median is not above zero."""
    mid = float(np.median(times))
    if not mid > 0:
        return None
    return float(np.median(np.abs(np.array(times) - mid))) / mid


def r_squared(y: np.ndarray, pred: np.ndarray) -> float:
    """Coefficient of determination."""
    ss_res = float(((y - pred) ** 2).sum())
    ss_tot = float(((y - y.mean()) ** 2).sum())
    return 1.0 - ss_res / ss_tot if ss_tot else float("nan")


def fit_times(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-column coefficients of ``y ~ x`` (x includes an intercept column), by NNLS and by a robust
    soft-l1 fit, both non-negative. Rows are weighted by 1/y so that every workload counts in
    relative terms (a long run is not worth more than a short one)."""
    # a timing at or below zero (the 1-iteration baseline subtracted on a busy machine) carries no
    # information and would blow the 1/y weights up: such rows are left out of both fits
    keep = np.isfinite(y) & (y > 0)
    if not keep.any():
        raise ConfigError("calibrate time: no positive timing to fit (the machine was too busy; "
                          "use more --rounds)")
    x, y = x[keep], y[keep]
    w = 1.0 / y
    xw, yw = x * w[:, None], y * w
    coef_nnls, _ = nnls(xw, yw)
    try:
        sol = least_squares(lambda c: xw @ c - yw, coef_nnls, loss="soft_l1", f_scale=0.05,
                            bounds=(0, np.inf))
    except ValueError:  # residuals not finite at the start: the robust fit adds nothing then
        return coef_nnls, coef_nnls
    return coef_nnls, sol.x


def measure(
    workloads: Sequence[Workload],
    *,
    iterations: int = 100_000,
    run_seconds: float = 0.0005,
    rounds: int = 15,
    repeat: int = 3,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
    engine: Engine | None = None,
    table: CostTable | None = None,
) -> list[tuple[Workload, int, dict[str, float], float, list[float]]]:
    """Per workload and per loop iteration: the loop count used, operator counts (instrumented runs
    of ``n`` and of 1 iteration, differenced: exact), gas, and ``rounds`` interleaved timings (plain
    runs of ``n`` and of 1 iteration, differenced, so that instance set-up drops out).

    Each workload's loop count is chosen so that one run takes about ``run_seconds`` (at most
    ``iterations``): a run shorter than a scheduler time slice is rarely preempted on a busy
    machine, a longer one is, and would look slower than it is."""
    import wasmtime

    eng = engine if engine is not None else Engine()
    tbl = table if table is not None else load_cost_table("cosmwasm-vm-2.1.6-2.1.7")
    prepared = []
    for w in workloads:
        wasm = bytes(wasmtime.wat2wasm(w.wat))
        plain = Runtime(wasm, tbl, engine=eng, metered=False)
        probe = 1000
        plain.instance({}, 0).call("run", probe)  # warm-up
        t = min(plain.instance({}, 0).call("run", probe).wall_seconds for _ in range(repeat))
        n = max(probe, min(iterations, int(probe * run_seconds / max(t, 1e-9))))
        metered = Runtime(wasm, tbl, engine=eng)
        big = metered.instance({}, 10**15).call("run", n)
        one = metered.instance({}, 10**15).call("run", 1)
        if not big.ok or not one.ok:
            raise GasmodelError(f"workload {w.name}: {big.outcome} {big.message}")
        per = {
            k: (v - one.opcode_counts.get(k, 0)) / (n - 1)
            for k, v in big.opcode_counts.items()
            if v != one.opcode_counts.get(k, 0)
        }
        gas = (big.gas_used_internally - one.gas_used_internally) / (n - 1)
        prepared.append((w, n, per, gas, plain))
    times: list[list[float]] = [[] for _ in prepared]
    rng = random.Random(seed)
    order = list(range(len(prepared)))
    for r in range(rounds):
        rng.shuffle(order)
        for i in order:
            _w, n, _c, _g, rt = prepared[i]
            # the fastest of a few back-to-back runs: load on a shared machine only ever adds time
            t_n = min(rt.instance({}, 0).call("run", n).wall_seconds for _ in range(repeat))
            t_1 = min(rt.instance({}, 0).call("run", 1).wall_seconds for _ in range(repeat))
            times[i].append(max(t_n - t_1, 0.0) / (n - 1))
        if progress is not None:
            progress(r + 1, rounds)
    return [(w, n, counts, gas, t) for (w, n, counts, gas, _), t in zip(prepared, times, strict=True)]


@dataclass(frozen=True)
class _Sample:
    name: str
    kind: Literal["workload", "corpus"]
    iterations: int
    counts: dict[str, float]
    host_calls: int
    imports: dict[str, int]
    gas: float
    times: list[float]


def measure_corpus(
    scenario: Scenario,
    profile: str | ChainProfile,
    *,
    rounds: int = 5,
    progress: Callable[[int, int], None] | None = None,
) -> list[_Sample]:
    """The contract calls of ``scenario`` (its out-of-gas steps left out): counts from one
    instrumented run, times from ``rounds`` uninstrumented runs of the whole scenario (every call
    once per round, so load hits them alike). Calls that do not complete are left out."""
    sc = without_out_of_gas(scenario)
    metered = record_scenario(sc, profile, "metered")
    runs = []
    for r in range(rounds):
        runs.append({(c.step, c.ordinal): c for c in record_scenario(sc, profile, "plain").calls})
        if progress is not None:
            progress(r + 1, rounds)
    names = code_names(sc)
    step_names = {st.index: st.name for st in metered.result.steps}
    out = []
    for c in metered.calls:
        if not c.result.ok:
            continue
        times = [
            run[(c.step, c.ordinal)].result.wall_seconds
            for run in runs
            if (c.step, c.ordinal) in run and run[(c.step, c.ordinal)].entry == c.entry
        ]
        if len(times) < rounds:
            continue
        out.append(
            _Sample(
                name=f"{step_names.get(c.step, c.step)}:{names.get(c.checksum, c.checksum[:8])}"
                f".{c.entry}#{c.ordinal}",
                kind="corpus",
                iterations=1,
                counts={k: float(v) for k, v in c.result.opcode_counts.items()},
                host_calls=sum(i.calls for i in c.result.imports.values()),
                imports={k: i.calls for k, i in c.result.imports.items() if i.calls},
                gas=float(c.result.gas_used_internally),
                times=times,
            )
        )
    return out


def calibrate_time(
    workloads: Sequence[Workload] | None = None,
    *,
    reference: str = "cosmwasm-vm-2.1.6-2.1.7",
    iterations: int = 100_000,
    run_seconds: float = 0.0005,
    rounds: int = 15,
    corpus: Scenario | None = None,
    corpus_profile: str | ChainProfile = "injective-localnet",
    corpus_rounds: int = 5,
    progress: Callable[[int, int], None] | None = None,
) -> TimeReport:
    """Measure and fit (see module docs); ``corpus``: also time the contract calls of a scenario."""
    table = load_cost_table(reference)
    accounting = frozenset(table.operators.accounting)
    data = measure(
        workloads if workloads is not None else standard_workloads(),
        iterations=iterations,
        run_seconds=run_seconds,
        rounds=rounds,
        progress=progress,
        table=table,
    )
    samples = [_Sample(w.name, "workload", n, dict(counts), 0, {}, gas, t) for w, n, counts, gas, t in data]
    if corpus is not None:
        samples += measure_corpus(corpus, corpus_profile, rounds=corpus_rounds, progress=progress)
    per = [class_counts(smp.counts, accounting) for smp in samples]
    classes = sorted({k for p in per for k in p})
    imports = sorted({k for smp in samples for k in smp.imports})
    # column 0: the set-up of one call (corpus calls only: a workload's time is per loop iteration,
    # its set-up differenced away)
    x = np.array(
        [
            [1.0 if smp.kind == "corpus" else 0.0]
            + [p.get(c, 0) for c in classes]
            + [smp.imports.get(k, 0) for k in imports]
            for p, smp in zip(per, samples, strict=True)
        ],
        dtype=float,
    )
    y = np.array([float(np.median(smp.times)) for smp in samples])
    noise = [
        _relative_spread(smp.times)
        for smp in samples
    ]
    c_nnls, c_rob = fit_times(x, y)
    p_nnls, p_rob = x @ c_nnls, x @ c_rob
    ns = {c: (c_nnls[j + 1] * 1e9, c_rob[j + 1] * 1e9) for j, c in enumerate(classes)}
    # 10^12 gas per second: 1000 gas per nanosecond
    gas_of = {c: round(v[0] * TARGET_GAS_PER_SECOND / 1e9) for c, v in ns.items()}
    rows = [
        WorkloadTiming(
            name=smp.name,
            kind=smp.kind,
            host_calls=smp.host_calls,
            iterations=smp.iterations,
            counts=p,
            operators=sum(smp.counts.values()),
            seconds=float(yi),
            noise=nz,
            predicted_nnls=float(pn),
            predicted_robust=float(pr),
            gas=smp.gas,
            gas_per_second=smp.gas / float(yi) if yi > 0 else None,
        )
        for smp, p, yi, pn, pr, nz in zip(samples, per, y, p_nnls, p_rob, noise, strict=True)
    ]
    measured = [nz for nz in noise if nz is not None]
    kinds = np.array([smp.kind for smp in samples])
    wl = kinds == "workload"
    return TimeReport(
        provenance=provenance(),
        reference_table=reference,
        rounds=rounds,
        workloads=rows,
        classes=[ClassTime(op_class=c, ns_nnls=ns[c][0], ns_robust=ns[c][1], gas=gas_of[c]) for c in classes],
        intercept_us_nnls=float(c_nnls[0] * 1e6),
        host_call_us_nnls={k: float(c_nnls[1 + len(classes) + j] * 1e6) for j, k in enumerate(imports)},
        r2_nnls=r_squared(y, p_nnls),
        r2_robust=r_squared(y, p_rob),
        r2_workloads=r_squared(y[wl], p_nnls[wl]),
        r2_corpus=r_squared(y[~wl], p_nnls[~wl]) if (~wl).sum() > 1 else float("nan"),
        median_noise=float(np.median(measured)) if measured else float("nan"),
        max_noise=max(measured, default=float("nan")),
        median_gas_per_second=float(
            np.median([r.gas_per_second for r in rows if r.kind == "workload" and r.gas_per_second])
        ),
    )


def cost_table_toml(report: TimeReport, *, name: str, extends: str, command: str) -> str:
    """A cost table extending ``extends`` whose operator prices by category follow the fitted times
    (1 s = 10^12 gas); loadable by :func:`gasmodel.load_cost_table`."""
    by_cat: dict[str, int] = {}
    by_op: dict[str, int] = {}
    acc = None
    for c in report.classes:
        if c.op_class == "control-accounting":
            acc = c.gas
        elif c.op_class == "control-other":
            by_cat["control"] = c.gas
        elif c.op_class == "call":
            # call operators are accounting operators too: priced by opcode, or accounting_cost wins
            by_cat["call"] = c.gas
            by_op.update({op.name: c.gas for op in OPCODES if op.category == "call"})
        elif c.op_class == DIVISION:
            by_op.update({op.name: c.gas for op in OPCODES if op_class(op.name, frozenset()) == DIVISION})
        else:
            by_cat[c.op_class] = c.gas
    default = int(np.median(list(by_cat.values()))) if by_cat else 0
    lines = [
        f"# Fitted by `gasmodel calibrate time` on {report.provenance.created_at}",
        f"# ({report.provenance.machine}, wasmtime {report.provenance.wasmtime}): "
        f"{sum(w.kind == 'workload' for w in report.workloads)} workloads x {report.rounds} rounds, "
        f"{sum(w.kind == 'corpus' for w in report.workloads)} corpus calls, "
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
    if by_op:
        lines.append("\n[operators.by_opcode]")
        lines += [f'"{k}" = {v}' for k, v in sorted(by_op.items())]
    return "\n".join(lines) + "\n"


def render_time(report: TimeReport) -> str:
    """The time calibration as text."""
    n_work = sum(w.kind == "workload" for w in report.workloads)
    n_corpus = len(report.workloads) - n_work
    lines = [
        f"time calibration: {n_work} workloads x {report.rounds} interleaved rounds, {n_corpus} corpus calls "
        f"({report.provenance.machine}, {report.provenance.cpus} CPUs, "
        f"wasmtime {report.provenance.wasmtime})",
        f"noise (MAD/median per workload): median {report.median_noise:.1%}, worst {report.max_noise:.1%}",
        f"fit: R^2 all samples {report.r2_nnls:.4f} (NNLS), {report.r2_robust:.4f} (soft-l1); workloads "
        f"{report.r2_workloads:.4f}, corpus calls {report.r2_corpus:.4f}",
        f"corpus calls (our host, not the chain's): {report.intercept_us_nnls:,.1f} us set-up per call; "
        "us per host call: "
        + ", ".join(
            f"{k} {v:,.1f}" for k, v in sorted(report.host_call_us_nnls.items(), key=lambda kv: -kv[1])
        ),
        f"{'class':<24} {'ns/op NNLS':>11} {'ns/op robust':>13} {'gas (1e12/s)':>13}",
    ]
    for c in report.classes:
        lines.append(f"{c.op_class:<24} {c.ns_nnls:>11.3f} {c.ns_robust:>13.3f} {c.gas:>13,}")
    lines.append(
        f"implied gas per second under {report.reference_table}: median "
        f"{report.median_gas_per_second:.3g} (target {report.target_gas_per_second:.0e}, ratio "
        f"{report.median_gas_per_second / report.target_gas_per_second:.2f})"
    )
    return "\n".join(lines) + "\n"
