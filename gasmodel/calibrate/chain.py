"""``gasmodel calibrate chain``: fit the tx-level numbers the offline model cannot know a priori.

The model (:mod:`gasmodel.vm.ante` and :mod:`gasmodel.vm.wasmd` through the mock chain) prices
every tx from the profile. A few of the profile's numbers are the chain's own choice, not derivable
from source: the signature cost per key type, the per-byte tx cost, and the charges the profile
keeps as measured constants (``sdk.unpriced_per_send``, ``sdk.unpriced_per_tx``). The model's
``gas_used`` is linear in each of them, with a coefficient the model itself gives per step (the
breakdown items named by :mod:`gasmodel.vm.ante`: ``ante: tx size``, ``ante: signature KEY``,
``unpriced: ... per coin transfer``, one ante handler per tx). So, per step,

    chain gas_used - (model gas_used - sum_j prior_j x_j)  =  sum_j theta_j x_j

and the fit is a linear least-squares problem (scipy ``least_squares`` with a soft-l1 loss, so
that a step the model gets wrong for another reason does not pull the numbers; theta >= 0), rounded
to whole gas and then *checked* by running every scenario again offline with the fitted profile.

Each recorded chain run is replayed exactly: its tx sizes, its gas limits (so fees and balance
digits are the chain's), and the chain state before it (:class:`ChainState`: the fee receiver's
starting balance, given; the first account number, found). Scenarios
are split: the fit uses some, the report judges on the others (held out). Which cosmwasm-vm
preset's operator prices the chain runs is found by fitting with each candidate and comparing the
residuals: only the right one leaves the contract calls exact.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from scipy.optimize import least_squares

from gasmodel.calibrate.provenance import Provenance, provenance
from gasmodel.costs import load_profile
from gasmodel.costs.load import deep_merge, preset_names, profile_from_dict, read_file
from gasmodel.costs.profile import ChainProfile
from gasmodel.errors import ConfigError
from gasmodel.report import GasReport
from gasmodel.scenario.compare import recorded_tx_sizes
from gasmodel.scenario.model import Scenario, load_scenario
from gasmodel.scenario.offline import run_offline
from gasmodel.scenario.results import ScenarioResult, StepResult

CHAIN_REPORT_FORMAT: Literal["gasmodel-calibration-chain/1"] = "gasmodel-calibration-chain/1"
OUT_OF_GAS = 11


# ---------------------------------------------------------------------------------------------
# Parameters: profile paths and the breakdown items whose count they multiply


@dataclass(frozen=True)
class Parameter:
    """A fitted profile number: its path (``ante.sig_verify_cost.secp256k1``) and its column.

    ``column`` reads the coefficient of a step from the model's breakdown; None: the coefficient is
    the model's own difference, the step's gas with the number raised by 1 minus its gas (gas
    limits are replayed, so fees, and with them balance digits, stay the same)."""

    path: str
    description: str
    column: Callable[[StepResult, GasReport], int] | None = None


def _count(prefix: str, suffix: str = "") -> Callable[[StepResult, GasReport], int]:
    def col(step: StepResult, report: GasReport) -> int:
        return sum(i.count for i in report.breakdown if i.name.startswith(prefix) and i.name.endswith(suffix))

    return col


def _tx_bytes(step: StepResult, report: GasReport) -> int:
    return report.tx_size or step.tx_size or 0


def _one_per_tx(step: StepResult, report: GasReport) -> int:
    return 1 if any(i.name.startswith("ante: ") for i in report.breakdown) else 0


# wasmd register numbers a chain's build may change (a fork's gas register): fitted by difference
WASMD_FITTED: tuple[tuple[str, str], ...] = (
    ("instance_cost", "contract setup (instance) cost"),
    ("compile_cost_per_byte", "compile cost per byte of code"),
    ("per_attribute_cost", "per event attribute"),
    ("per_custom_event_cost", "per custom event"),
    ("event_attribute_data_cost_per_byte", "per byte of event attributes above the free tier"),
)


def parameters_for(profile: ChainProfile) -> list[Parameter]:
    """The fitted parameters, in priority order (a later one collinear with earlier ones is not fitted)."""
    out = [Parameter("ante.tx_size_cost_per_byte", "SDK gas per byte of the signed tx", _tx_bytes)]
    for kt in sorted(profile.ante.sig_verify_cost):
        out.append(
            Parameter(
                f"ante.sig_verify_cost.{kt}",
                f"signature verification, {kt} key",
                _count(f"ante: signature {kt}"),
            )
        )
    out += [
        Parameter(
            "sdk.unpriced_per_send",
            "per coin transfer (fee, MsgSend, funds), not attributed",
            _count("unpriced: ", "per coin transfer"),
        ),
        Parameter("sdk.unpriced_per_tx", "per tx, not attributed", _one_per_tx),
    ]
    wasmd = profile.costs.wasmd
    for name, what in WASMD_FITTED:
        if wasmd is not None and isinstance(getattr(wasmd, name, None), int):
            out.append(Parameter(f"costs.wasmd.{name}", f"wasmd: {what}"))
    return out


def get_value(profile: ChainProfile, path: str) -> int:
    """A profile number by dotted path."""
    node: Any = profile
    for part in path.split("."):
        node = node[part] if isinstance(node, dict) else getattr(node, part)
    return int(node)


def _nested(path: str, value: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    cur = out
    parts = path.split(".")
    for p in parts[:-1]:
        cur = cur.setdefault(p, {})
    cur[parts[-1]] = value
    return out


def with_values(
    base_ref: str | Path, values: dict[str, int], *, vm_preset: str | None = None
) -> ChainProfile:
    """The profile ``base_ref`` with ``values`` (dotted paths) and optionally another VM preset."""
    data: dict[str, Any] = {"extends": str(base_ref)}
    for path, v in values.items():
        data = deep_merge(data, _nested(path, v))
    if vm_preset is not None:
        data["vm_preset"] = vm_preset
    base = load_profile(base_ref)
    data["name"] = base.name if vm_preset is None else f"{base.name} with {vm_preset}"
    folder = Path(base_ref).parent if isinstance(base_ref, Path) or "/" in str(base_ref) else None
    return profile_from_dict(data, f"calibrated {base.name}", folder)


# ---------------------------------------------------------------------------------------------
# Replaying a recorded chain run offline


@dataclass(frozen=True)
class Recorded:
    """A recorded chain run and the scenario it ran."""

    name: str
    scenario: Scenario
    chain: ScenarioResult


def _find_scenario(result: ScenarioResult, results_path: Path) -> Path:
    if not result.source:
        raise ConfigError(f"{results_path}: the results file does not name its scenario (source)")
    src = Path(result.source)
    candidates = (
        [src] if src.is_absolute() else [Path.cwd() / src, *(p / src for p in results_path.resolve().parents)]
    )
    for c in candidates:
        if c.is_file():
            return c
    raise ConfigError(
        f"{results_path}: its scenario {result.source} was not found (looked from here and "
        "from the results file's folders)"
    )


def load_recorded(results_path: Path, scenario_path: Path | None = None) -> Recorded:
    """A results file recorded on a chain, with its scenario (found from the file's ``source``)."""
    chain = ScenarioResult.read(results_path)
    if chain.backend != "localnet":
        raise ConfigError(f"{results_path}: recorded on the mock chain, not on a chain")
    scen = load_scenario(scenario_path or _find_scenario(chain, results_path))
    return Recorded(results_path.name.split(".")[0], scen, chain)


@dataclass(frozen=True)
class ChainState:
    """What the chain held before the scenario's first tx that changes byte lengths, hence gas: the
    fee receiver's balance (its digits) and the account number of the scenario's first account
    (proto3 leaves a 0 out of the stored account: 2 bytes, read and written on every tx). None: the
    state of a fresh localnet, as :func:`gasmodel.scenario.offline.mock_chain_for` assumes it."""

    fee_receiver_balance: int | None = None
    first_account_number: int | None = None

    def overrides(self) -> dict[str, Any]:
        """The mock chain arguments that differ from a fresh localnet's."""
        out = {}
        if self.fee_receiver_balance is not None:
            out["fee_receiver_balance"] = self.fee_receiver_balance
        if self.first_account_number is not None:
            out["first_account_number"] = self.first_account_number
        return out


def replay(rec: Recorded, profile: ChainProfile, state: ChainState) -> ScenarioResult:
    """Run the scenario offline as the chain ran it: its tx sizes and gas limits, and ``state``."""
    by_name = {s.name: s for s in rec.chain.steps}
    steps = []
    for st in rec.scenario.steps:
        got = by_name.get(st.name or "")
        if got is not None and got.gas_wanted and got.stage == "deliver_tx" and st.action != "query":
            st = st.model_copy(update={"gas_limit": got.gas_wanted})
        steps.append(st)
    scenario = rec.scenario.model_copy(update={"steps": steps})
    return run_offline(scenario, profile, tx_sizer=recorded_tx_sizes(rec.chain), **state.overrides())


# ---------------------------------------------------------------------------------------------
# Reports


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class StepFit(_Model):
    """One tx step: the model's gas_used (fitted profile) against the chain's."""

    scenario: str
    step: str
    action: str
    use: Literal["fit", "held-out"]
    key_type: str
    first_tx: bool
    code: int | None
    outcome_same: bool
    predicted: int | None
    measured: int | None
    error: int | None

    @property
    def exact(self) -> bool:
        """Same outcome and the same gas to the unit."""
        return self.outcome_same and self.error == 0


class FittedValue(_Model):
    """One parameter: its prior (the base profile), the fit (real and rounded), whether it was fitted."""

    path: str
    description: str
    prior: int
    fitted: float | None
    value: int
    status: Literal["fitted", "not identifiable (kept)", "no data (kept)"]


class PresetScore(_Model):
    """One candidate VM preset: how well the fit explains the fit steps with it."""

    preset: str
    exact: int
    steps: int
    median_abs_error: float
    max_abs_error: int


class Rate(_Model):
    """Exact-match rate of a group of steps."""

    steps: int
    exact: int
    rate: float
    worst_error: int
    worst_step: str = ""


class ChainReport(_Model):
    """The chain fit: parameters, the VM preset found, and per-step predicted vs measured gas."""

    format: Literal["gasmodel-calibration-chain/1"] = CHAIN_REPORT_FORMAT
    provenance: Provenance
    base_profile: str
    fee_receiver_balance: int | None = Field(
        description="None: a fresh localnet's (the mock chain's default)"
    )
    first_account_number: int | None = Field(
        description="None: a fresh localnet's (the mock chain's default)"
    )
    first_account_number_scores: dict[str, int] = Field(
        default_factory=dict, description="fit steps exact with the prior profile, by first account number"
    )
    fit_scenarios: list[str]
    held_out_scenarios: list[str]
    parameters: list[FittedValue]
    vm_preset: str
    vm_preset_prior: str
    vm_preset_ties: list[str] = Field(
        default_factory=list, description="other candidates that explain the fit steps as well (same prices)"
    )
    presets: list[PresetScore] = Field(default_factory=list)
    fit: Rate
    held_out: Rate
    by_group: dict[str, Rate] = Field(default_factory=dict, description="held-out steps by group")
    steps: list[StepFit]
    results_files: list[str] = Field(default_factory=list)

    def to_json(self) -> str:
        """The report as JSON text."""
        return self.model_dump_json(indent=2)


# ---------------------------------------------------------------------------------------------
# The fit


@dataclass(frozen=True)
class _Row:
    rec: str
    step: StepResult
    chain: StepResult
    x: tuple[int, ...]


def _key_types(rec: Recorded) -> dict[str, str]:
    return {a.name: str(a.key_type) for a in rec.chain.accounts}


def _tx_rows(
    rec: Recorded,
    offline: ScenarioResult,
    params: Sequence[Parameter],
    differences: Mapping[tuple[str, str, str], int] | None = None,
) -> list[_Row]:
    by_name = {s.name: s for s in rec.chain.steps}
    diffs = differences or {}
    rows = []
    for s in offline.steps:
        other = by_name.get(s.name)
        if other is None or s.action == "query" or s.report is None:
            continue
        x = tuple(
            p.column(s, s.report) if p.column is not None else diffs.get((rec.name, s.name, p.path), 0)
            for p in params
        )
        rows.append(_Row(rec.name, s, other, x))
    return rows


def _differences(
    fit: Sequence[Recorded],
    base_profile: str | Path,
    values: Mapping[str, int],
    params: Sequence[Parameter],
    state: ChainState,
    say: Callable[[str], None],
) -> dict[tuple[str, str, str], int]:
    """(scenario, step, parameter path) -> the step's gas with the parameter raised by 1 minus its gas."""
    out: dict[tuple[str, str, str], int] = {}
    diff_params = [p for p in params if p.column is None]
    if not diff_params:
        return out
    base_runs = {rec.name: replay(rec, with_values(base_profile, dict(values)), state) for rec in fit}
    for p in diff_params:
        say(f"coefficients of {p.path}")
        bumped = with_values(base_profile, {**values, p.path: values[p.path] + 1})
        for rec in fit:
            base = {st.name: st.gas_used for st in base_runs[rec.name].steps}
            for st in replay(rec, bumped, state).steps:
                before = base.get(st.name)
                if st.gas_used is not None and before is not None:
                    out[(rec.name, st.name, p.path)] = st.gas_used - before
    return out


def _fittable(r: _Row) -> bool:
    return (
        r.step.code == r.chain.code
        and r.chain.code != OUT_OF_GAS
        and r.step.gas_used is not None
        and r.chain.gas_used is not None
    )


def _identifiable(x: np.ndarray) -> list[bool]:
    keep: list[bool] = []
    rank = 0
    for j in range(x.shape[1]):
        cols = [i for i in range(j) if keep[i]] + [j]
        r = int(np.linalg.matrix_rank(x[:, cols])) if x.shape[0] else 0
        keep.append(r > rank)
        rank = max(rank, r)
    return keep


def _objective(err: np.ndarray, theta: np.ndarray, prior: np.ndarray) -> tuple[int, float, float]:
    return int(np.count_nonzero(err)), float(np.abs(err).sum()), float(np.abs(theta - prior).sum())


def integer_refine(
    x: np.ndarray,
    y: np.ndarray,
    theta: np.ndarray,
    prior: np.ndarray,
    free: Sequence[int],
    *,
    reach: int = 20,
) -> np.ndarray:
    """Whole-gas values near ``theta``: the most steps exact, then the least total error, then the
    closest to the prior. Moves of one to three free parameters together (a group moved together
    follows a direction the data pins only weakly, such as one signature per tx against one fee
    transfer per tx)."""
    best = np.rint(theta)
    score = _objective(x @ best - y, best, prior)
    n = len(theta)
    moves: list[np.ndarray] = []
    for k in range(1, min(3, len(free)) + 1):
        for group in itertools.combinations(free, k):
            for signs in itertools.product((-1, 1), repeat=k):
                base = np.zeros(n)
                base[list(group)] = signs
                moves += [d * base for d in range(1, reach + 1)]
    improved = True
    while improved:
        improved = False
        for m in moves:
            cand = best + m
            if (cand < 0).any():
                continue
            sc = _objective(x @ cand - y, cand, prior)
            if sc < score:
                best, score, improved = cand, sc, True
    return np.asarray(best, dtype=float)


def solve(x: np.ndarray, y: np.ndarray, prior: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Robust non-negative fit of ``y = x @ theta`` (whole gas); columns not identifiable keep their prior.

    Returns theta (real, from the robust fit), theta (whole gas, see :func:`integer_refine`, the
    best from three starts) and a status per column."""
    keep = _identifiable(x)
    status = [
        "fitted" if k else ("no data (kept)" if not x[:, j].any() else "not identifiable (kept)")
        for j, k in enumerate(keep)
    ]
    theta = prior.astype(float).copy()
    idx = [j for j, k in enumerate(keep) if k]
    if not idx:
        return theta, theta.copy(), status
    fixed = [j for j in range(x.shape[1]) if j not in idx]
    target = y - x[:, fixed] @ prior[fixed] if fixed else y
    a = x[:, idx].astype(float)
    start = np.linalg.lstsq(a, target, rcond=None)[0].clip(0)
    # a weak pull towards the prior settles directions the data leave almost free
    weight = 1e-3

    def residuals(t: np.ndarray) -> np.ndarray:
        return np.concatenate([a @ t - target, weight * (t - prior[idx])])

    sol = least_squares(residuals, start, loss="soft_l1", f_scale=1.0, bounds=(0, np.inf), x_scale="jac")
    theta[idx] = sol.x
    # whole gas from several starts (the robust fit, plain least squares, the prior): the robust
    # fit may set aside as outliers the few steps that alone pin a weak direction
    plain = prior.astype(float).copy()
    plain[idx] = start
    starts = [theta, plain, prior.astype(float)]
    candidates = [integer_refine(x, y, t, prior, idx) for t in starts]
    whole = min(candidates, key=lambda c: _objective(x @ c - y, c, prior))
    return theta, whole, status


def _fit_on(
    rows: Sequence[_Row], params: Sequence[Parameter], prior: np.ndarray, probe: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    fit_rows = [r for r in rows if _fittable(r)]
    x = np.array([r.x for r in fit_rows], dtype=float).reshape(len(fit_rows), len(params))
    # the model's gas (run with the probe values) without the parameters' part, then what the
    # parameters must explain
    rest = np.array([r.step.gas_used - np.dot(probe, r.x) for r in fit_rows], dtype=float)
    y = np.array([r.chain.gas_used for r in fit_rows], dtype=float) - rest
    return solve(x, y, prior)


def _rate(rows: Sequence[StepFit]) -> Rate:
    if not rows:
        return Rate(steps=0, exact=0, rate=math.nan, worst_error=0)
    exact = sum(r.exact for r in rows)
    worst = max(rows, key=lambda r: (not r.outcome_same, abs(r.error or 0)))
    return Rate(
        steps=len(rows),
        exact=exact,
        rate=exact / len(rows),
        worst_error=abs(worst.error or 0),
        worst_step=f"{worst.scenario}/{worst.step}" if (worst.error or not worst.outcome_same) else "",
    )


def _step_fits(rec: Recorded, offline: ScenarioResult, use: Literal["fit", "held-out"]) -> list[StepFit]:
    kts = _key_types(rec)
    by_name = {s.name: s for s in rec.chain.steps}
    seen: set[str] = set()
    out = []
    for s in offline.steps:
        other = by_name.get(s.name)
        if other is None or s.action == "query":
            continue
        first = s.sender is not None and s.sender not in seen and other.stage == "deliver_tx"
        if s.sender is not None and other.stage == "deliver_tx":
            seen.add(s.sender)
        err = None if s.gas_used is None or other.gas_used is None else s.gas_used - other.gas_used
        out.append(
            StepFit(
                scenario=rec.name,
                step=s.name,
                action=s.action,
                use=use,
                key_type=kts.get(s.sender or "", ""),
                first_tx=first,
                code=other.code,
                outcome_same=s.code == other.code,
                predicted=s.gas_used,
                measured=other.gas_used,
                error=err,
            )
        )
    return out


def _group(s: StepFit) -> list[str]:
    outcome = "ok" if s.code == 0 else ("out of gas" if s.code == OUT_OF_GAS else "error")
    return [
        f"key {s.key_type}",
        "first tx" if s.first_tx else "later tx",
        f"action {s.action}",
        f"outcome {outcome}",
    ]


def calibrate_chain(
    fit: Sequence[Recorded],
    held_out: Sequence[Recorded],
    base_profile: str | Path = "injective-localnet",
    *,
    fee_receiver_balance: int | None = None,
    first_account_number: int | None = None,
    search_state: bool = True,
    candidates: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[ChainReport, dict[str, int], str]:
    """Fit the tx-level parameters on ``fit``, judge on ``held_out``.

    Returns the report, the fitted values (dotted path -> gas, every fitted parameter) and the VM
    preset found.
    ``candidates``: VM presets to try (default: every shipped ``cosmwasm-vm-*`` preset).
    ``fee_receiver_balance``, ``first_account_number``: chain state (None: a fresh localnet's).
    ``search_state``: with no ``first_account_number`` given, try the mock chain's default and
    0..3, keep the one that leaves the most fit steps exact under the prior profile (the default
    on a tie) and report the scores: evidence of the state, or of a different one.
    """
    if not fit:
        raise ConfigError("calibrate chain: no recorded run to fit on")
    say = progress or (lambda _m: None)
    base = load_profile(base_profile)
    params = parameters_for(base)
    prior = np.array([get_value(base, p.path) for p in params], dtype=float)
    cands = (
        list(candidates)
        if candidates is not None
        else [n for n in preset_names() if n.startswith("cosmwasm-vm-")]
    )
    if base.vm_preset not in cands:
        cands.insert(0, base.vm_preset)
    state_scores: dict[str, int] = {}
    if first_account_number is None and search_state:
        options: list[int | None] = [None, 0, 1, 2, 3]
        for n in options:
            say(f"chain state: first account number {'default' if n is None else n}")
            st = ChainState(fee_receiver_balance, n)
            rows = [r for rec in fit for r in _tx_rows(rec, replay(rec, base, st), params)]
            state_scores["default" if n is None else str(n)] = sum(
                1 for r in rows if _fittable(r) and r.step.gas_used == r.chain.gas_used
            )
        first_account_number = max(
            options, key=lambda n: (state_scores["default" if n is None else str(n)], n is None)
        )
    state = ChainState(fee_receiver_balance, first_account_number)
    scores: list[PresetScore] = []
    fits: dict[str, tuple[np.ndarray, np.ndarray, list[str]]] = {}
    # the model's runs price every parameter at least 1, so that each leaves its named item in
    # the breakdown (a charge of 0 is not booked, and its count would be lost)
    probe = np.maximum(prior, 1)
    probe_values = {p.path: int(v) for p, v in zip(params, probe, strict=True)}
    # coefficients by difference: they count setups, attributes, bytes; no VM price enters them
    differences = _differences(fit, base_profile, probe_values, params, state, say)
    for preset in cands:
        say(f"fit with {preset}")
        prof = with_values(base_profile, probe_values, vm_preset=None if preset == base.vm_preset else preset)
        rows = [r for rec in fit for r in _tx_rows(rec, replay(rec, prof, state), params, differences)]
        theta, rounded, status = _fit_on(rows, params, prior, probe)
        fits[preset] = (theta, rounded, status)
        errs = [
            int(r.step.gas_used + np.dot(rounded - probe, r.x) - r.chain.gas_used)
            for r in rows
            if _fittable(r)
        ]
        scores.append(
            PresetScore(
                preset=preset,
                exact=sum(e == 0 for e in errs),
                steps=len(errs),
                median_abs_error=float(np.median(np.abs(errs))) if errs else math.nan,
                max_abs_error=max((abs(e) for e in errs), default=0),
            )
        )
    best = max(scores, key=lambda s: (s.exact, -s.median_abs_error, s.preset == base.vm_preset)).preset
    top = next(sc for sc in scores if sc.preset == best)
    ties = [
        sc.preset
        for sc in scores
        if sc.preset != best and (sc.exact, sc.median_abs_error) == (top.exact, top.median_abs_error)
    ]
    theta, whole, status = fits[best]
    values = {p.path: int(t) for p, t in zip(params, whole, strict=True)}
    fitted_values = {p.path: values[p.path] for p, st in zip(params, status, strict=True) if st == "fitted"}
    fitted_profile = with_values(
        base_profile, fitted_values, vm_preset=None if best == base.vm_preset else best
    )
    steps: list[StepFit] = []
    for use, recs in (("fit", fit), ("held-out", held_out)):
        for rec in recs:
            say(f"check {rec.name} ({use})")
            steps += _step_fits(rec, replay(rec, fitted_profile, state), use)  # type: ignore[arg-type]
    held = [s for s in steps if s.use == "held-out"]
    groups: dict[str, list[StepFit]] = {}
    for s in held:
        for g in _group(s):
            groups.setdefault(g, []).append(s)
    report = ChainReport(
        provenance=provenance(fit[0].chain.chain.model_dump(mode="json").get("versions") or {}),
        base_profile=base.name,
        fee_receiver_balance=fee_receiver_balance,
        first_account_number=first_account_number,
        first_account_number_scores=state_scores,
        fit_scenarios=[r.name for r in fit],
        held_out_scenarios=[r.name for r in held_out],
        parameters=[
            FittedValue(
                path=p.path,
                description=p.description,
                prior=int(prior[j]),
                fitted=float(theta[j]) if status[j] == "fitted" else None,
                value=values[p.path],
                status=status[j],
            )
            for j, p in enumerate(params)
        ],
        vm_preset=best,
        vm_preset_prior=base.vm_preset,
        vm_preset_ties=ties,
        presets=sorted(scores, key=lambda s: (-s.exact, s.median_abs_error)),
        fit=_rate([s for s in steps if s.use == "fit"]),
        held_out=_rate(held),
        by_group={k: _rate(v) for k, v in sorted(groups.items())},
        steps=steps,
    )
    return report, fitted_values, best


def _state(value: int | None) -> str:
    return "as on a fresh localnet" if value is None else f"{value:,}"


def render_chain(report: ChainReport) -> str:
    """The chain fit as text."""
    lines = [
        f"chain calibration of {report.base_profile}: fit on {', '.join(report.fit_scenarios)}; "
        f"held out {', '.join(report.held_out_scenarios) or 'none'}",
        f"chain state: fee receiver balance {_state(report.fee_receiver_balance)}, first account number "
        f"{_state(report.first_account_number)}"
        + (
            f" (fit steps exact by number: {report.first_account_number_scores})"
            if report.first_account_number_scores
            else ""
        ),
        f"VM preset: {report.vm_preset} (profile said {report.vm_preset_prior})"
        + (
            f"; as good: {', '.join(report.vm_preset_ties)} (not told apart by these steps)"
            if report.vm_preset_ties
            else ""
        ),
    ]
    for sc in report.presets[:5]:
        lines.append(
            f"  {sc.preset:<28} exact {sc.exact:,}/{sc.steps:,}  median |error| {sc.median_abs_error:,.6g}  "
            f"max {sc.max_abs_error:,}"
        )
    lines.append("parameters (SDK gas):")
    for p in report.parameters:
        fitted = f"{p.fitted:,.2f}" if p.fitted is not None else "-"
        lines.append(f"  {p.path:<46} prior {p.prior:>7,}  fit {fitted:>10}  -> {p.value:>7,}  {p.status}")
    for label, r in (("fit", report.fit), ("held out", report.held_out)):
        lines.append(
            f"{label}: {r.exact:,}/{r.steps:,} steps exact ({r.rate:.1%}), worst error {r.worst_error:,}"
            + (f" ({r.worst_step})" if r.worst_step else "")
        )
    for g, r in report.by_group.items():
        lines.append(f"  held out, {g:<22} {r.exact:>3,}/{r.steps:<3,} exact, worst {r.worst_error:,}")
    off = [s for s in report.steps if not s.exact]
    if off:
        lines.append("steps not exact:")
        for s in off:
            lines.append(
                f"  [{s.use}] {s.scenario}/{s.step} {s.action}: predicted {s.predicted:,}, measured "
                f"{s.measured:,}, error {s.error:+,d}"
                if s.error is not None
                else f"  [{s.use}] {s.scenario}/{s.step}: outcome differs"
            )
    return "\n".join(lines) + "\n"


def profile_toml(
    report: ChainReport,
    values: dict[str, int],
    vm_preset: str,
    *,
    name: str,
    extends: str,
    commands: Sequence[str],
    report_file: str | None = None,
) -> str:
    """A chain profile file that extends ``extends`` with the fitted numbers, saying how they were fitted."""
    counts = Counter(s.use for s in report.steps)
    lines = [
        f"# Fitted by `gasmodel calibrate chain` on {report.provenance.created_at} (gasmodel "
        f"{report.provenance.gasmodel}, scipy {report.provenance.scipy}).",
        f"# Fit on {', '.join(report.fit_scenarios)} ({counts['fit']} tx steps); held out "
        f"{', '.join(report.held_out_scenarios) or 'none'} ({counts['held-out']} tx steps): "
        f"{report.held_out.exact}/{report.held_out.steps} exact, worst error {report.held_out.worst_error}.",
        "# Robust linear least squares (soft-l1, non-negative) on the model's own per-step coefficients,",
        "# rounded to whole gas, then checked by replaying every step offline. Made with:",
        *(f"#   {c}" for c in commands),
        "version = 1",
        'kind = "chain-profile"',
        f'name = "{name}"',
        f'extends = "{extends}"',
        f'description = "{report.base_profile} with its tx-level numbers fitted to the chain"',
        f'source = "gasmodel calibrate chain (report: {report_file or "see the command above"})"',
    ]
    if vm_preset != report.vm_preset_prior:
        lines.append(f'vm_preset = "{vm_preset}"  # identified by the residuals')
    by_section: dict[str, list[tuple[str, int]]] = {}
    for path, v in values.items():
        section, _, key = path.partition(".")
        by_section.setdefault(section, []).append((key, v))
    notes = {p.path: p for p in report.parameters}
    for section, items in by_section.items():
        plain = [(k, v) for k, v in items if "." not in k]
        nested = [(k, v) for k, v in items if "." in k]
        lines.append(f"\n[{section}]")
        for k, v in plain:
            p = notes[f"{section}.{k}"]
            lines.append(
                f"{k} = {v}  # prior {p.prior}, fit {p.fitted:.2f}" if p.fitted is not None else f"{k} = {v}"
            )
        for k, v in nested:
            table, _, leaf = k.partition(".")
            p = notes[f"{section}.{k}"]
            fit = f", fit {p.fitted:.2f}" if p.fitted is not None else ""
            lines.append(f"{table}.{leaf} = {v}  # prior {p.prior}{fit}")
    return "\n".join(lines) + "\n"


def read_profile_values(path: Path) -> dict[str, Any]:
    """The raw data of a written profile (for tests and tools)."""
    return read_file(path)
