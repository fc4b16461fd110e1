"""Gas diffs between two builds of a contract or two results files, for pull requests.

Both sides are reduced to :class:`GasSide`: per step, ``gas_used`` (SDK gas), the VM gas and the
self gas of every function (CW gas, by readable name: function indexes move between builds, names
do not). Sides come from two :class:`~gasmodel.report.GasReport` JSON files, two scenario results
files (:class:`~gasmodel.scenario.results.ScenarioResult`, offline runs carry per-function gas), or
runs made here: the same messages (:func:`estimate`) or the same scenario on each build.

:func:`diff` pairs the steps by name and the functions by name; :func:`check_budgets` compares the
new side with per-step budgets (``[tool.gasmodel.budget]`` of a ``pyproject.toml``, or a TOML / JSON
file of ``step = max gas_used``). Renderers: :func:`render_markdown` (a pull-request comment) and
``GasDiff.model_dump_json`` (tools).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from gasmodel.errors import ConfigError
from gasmodel.estimate import estimate, read_wasm
from gasmodel.report import REPORT_FORMAT, GasReport
from gasmodel.scenario.model import Scenario, StoreStep
from gasmodel.scenario.results import RESULT_FORMAT, ScenarioResult

__all__ = [
    "BudgetResult",
    "Change",
    "GasDiff",
    "GasSide",
    "StepDiff",
    "StepGas",
    "check_budgets",
    "diff",
    "load_budgets",
    "read_side",
    "render_markdown",
    "run_builds",
    "side_from_report",
    "side_from_scenario",
]

DIFF_FORMAT = "gasmodel-gas-diff/1"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StepGas(_Model):
    """One step of one side: SDK gas, VM gas, self CW gas per function (readable names)."""

    name: str
    gas_used: int | None
    vm_cw_gas: int | None = None
    ok: bool = True
    functions: dict[str, int] = Field(default_factory=dict)


class GasSide(_Model):
    """What one build / one results file costs, step by step."""

    label: str
    steps: list[StepGas]


class Change(_Model):
    """One number before and after (None: absent on that side)."""

    name: str
    old: int | None
    new: int | None

    @property
    def delta(self) -> int:
        """new - old (an absent side counts as 0)."""
        return (self.new or 0) - (self.old or 0)

    @property
    def relative(self) -> float | None:
        """delta / old, or None when old is absent or 0."""
        return self.delta / self.old if self.old else None

    def as_row(self) -> dict[str, Any]:
        """The JSON form with the derived fields."""
        return {
            "name": self.name,
            "old": self.old,
            "new": self.new,
            "delta": self.delta,
            "relative": self.relative,
        }


class StepDiff(_Model):
    """One step on both sides: ``gas_used``, VM gas, and the functions whose self gas changed
    (largest absolute change first)."""

    name: str
    gas_used: Change
    vm_cw_gas: Change
    functions: list[Change] = Field(default_factory=list)


class BudgetResult(_Model):
    """A step's budget and the new side's ``gas_used``."""

    step: str
    budget: int
    gas_used: int | None

    @property
    def exceeded(self) -> bool:
        """Whether the step used more than its budget (a missing step counts as exceeded)."""
        return self.gas_used is None or self.gas_used > self.budget


class GasDiff(_Model):
    """The diff of two sides."""

    format: str = DIFF_FORMAT
    old: str
    new: str
    steps: list[StepDiff]
    functions: list[Change] = Field(description="self CW gas per function, all steps together")
    budgets: list[BudgetResult] = Field(default_factory=list)

    @property
    def over_budget(self) -> list[BudgetResult]:
        """The budgets the new side exceeds."""
        return [b for b in self.budgets if b.exceeded]

    def to_json(self) -> str:
        """JSON for tools: every change with its ``delta`` and ``relative`` change."""
        doc = self.model_dump(mode="json")
        doc["steps"] = [
            {
                "name": s.name,
                "gas_used": s.gas_used.as_row(),
                "vm_cw_gas": s.vm_cw_gas.as_row(),
                "functions": [f.as_row() for f in s.functions],
            }
            for s in self.steps
        ]
        doc["functions"] = [f.as_row() for f in self.functions]
        doc["budgets"] = [{**b.model_dump(), "exceeded": b.exceeded} for b in self.budgets]
        return json.dumps(doc, indent=2) + "\n"


# ---------------------------------------------------------------- sides
def _functions(report: GasReport) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in report.functions:
        name = f.display or f.name
        out[name] = out.get(name, 0) + f.self_cw_gas
    return out


def _step(name: str, report: GasReport) -> StepGas:
    return StepGas(
        name=name,
        gas_used=report.gas_used,
        vm_cw_gas=report.vm_cw_gas,
        ok=report.ok,
        functions=_functions(report),
    )


def side_from_report(report: GasReport, label: str, step: str | None = None) -> GasSide:
    """One report as a side of one step (named ``step``, default: the report's action)."""
    return GasSide(label=label, steps=[_step(step or report.action, report)])


def side_from_scenario(result: ScenarioResult, label: str) -> GasSide:
    """A scenario's results as a side: its tx steps (queries left out)."""
    steps = []
    for s in result.steps:
        if s.action == "query":
            continue
        if s.report is not None:
            steps.append(_step(s.name, s.report))
        else:
            steps.append(StepGas(name=s.name, gas_used=s.gas_used, ok=s.status == "ok"))
    return GasSide(label=label, steps=steps)


def read_side(path: Path | str) -> GasSide:
    """A results file as a side: a GasReport JSON or a scenario results JSON (by its ``format``)."""
    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{p}: cannot read a results file: {exc}") from None
    fmt = doc.get("format") if isinstance(doc, dict) else None
    try:
        if fmt == REPORT_FORMAT:
            return side_from_report(GasReport.model_validate(doc), p.name)
        if fmt == RESULT_FORMAT:
            return side_from_scenario(ScenarioResult.model_validate(doc), p.name)
    except ValueError as exc:
        first = str(exc).splitlines()[:3]
        raise ConfigError(f"{p}: not a valid {fmt} file: {' '.join(first)}") from None
    raise ConfigError(f"{p}: neither a gas report ({REPORT_FORMAT}) nor scenario results ({RESULT_FORMAT})")


def _swap_builds(scenario: Scenario, old: Path, new: Path, use: Path) -> Scenario:
    """The scenario with every upload of ``old`` or ``new`` (same bytes) uploading ``use``."""
    builds = {old.read_bytes(), new.read_bytes()}
    steps: list[Any] = []
    found = False
    for step in scenario.steps:
        if isinstance(step, StoreStep):
            path = scenario.wasm_path(step)
            if path.suffix == ".wasm" and path.is_file() and path.read_bytes() in builds:
                step = step.model_copy(update={"wasm": str(use.resolve())})
                found = True
        steps.append(step)
    if not found:
        raise ConfigError(
            f"{scenario.source or scenario.name}: no store step uploads {old} or {new} "
            "(the scenario must upload one of the two builds)"
        )
    return scenario.model_copy(update={"steps": steps})


def run_builds(
    old: Path | str,
    new: Path | str,
    *,
    scenario: Scenario | None = None,
    chain: str = "injective-localnet",
    messages: Mapping[str, Any] | None = None,
) -> tuple[GasSide, GasSide]:
    """Run the same thing on two builds of a contract, offline: a scenario (its uploads of either
    build swapped for each in turn) or ``estimate()`` with the same ``messages``."""
    old_p, new_p = Path(old), Path(new)
    sides = []
    for path in (old_p, new_p):
        if scenario is not None:
            from gasmodel.scenario.offline import run_offline

            result = run_offline(_swap_builds(scenario, old_p, new_p, path), chain)
            sides.append(side_from_scenario(result, path.name))
        else:
            report = estimate(read_wasm(path), chain=chain, **dict(messages or {}))
            sides.append(side_from_report(report, path.name))
    if sides[0].label == sides[1].label:
        sides = [
            sides[0].model_copy(update={"label": str(old_p)}),
            sides[1].model_copy(update={"label": str(new_p)}),
        ]
    return sides[0], sides[1]


# ---------------------------------------------------------------- the diff
def _function_changes(old: Mapping[str, int], new: Mapping[str, int]) -> list[Change]:
    out = [Change(name=n, old=old.get(n), new=new.get(n)) for n in sorted(set(old) | set(new))]
    out = [c for c in out if c.delta]
    out.sort(key=lambda c: (-abs(c.delta), c.name))
    return out


def diff(old: GasSide, new: GasSide, budgets: Mapping[str, int] | None = None) -> GasDiff:
    """Pair the steps (by name, in the old side's order, then steps only the new side has) and
    their functions; check ``budgets`` against the new side."""
    old_steps = {s.name: s for s in old.steps}
    new_steps = {s.name: s for s in new.steps}
    names = [s.name for s in old.steps] + [s.name for s in new.steps if s.name not in old_steps]
    steps = []
    all_old: dict[str, int] = {}
    all_new: dict[str, int] = {}
    for name in names:
        a, b = old_steps.get(name), new_steps.get(name)
        fa = a.functions if a else {}
        fb = b.functions if b else {}
        for f, g in fa.items():
            all_old[f] = all_old.get(f, 0) + g
        for f, g in fb.items():
            all_new[f] = all_new.get(f, 0) + g
        steps.append(
            StepDiff(
                name=name,
                gas_used=Change(name=name, old=a.gas_used if a else None, new=b.gas_used if b else None),
                vm_cw_gas=Change(name=name, old=a.vm_cw_gas if a else None, new=b.vm_cw_gas if b else None),
                functions=_function_changes(fa, fb),
            )
        )
    results = check_budgets(new, budgets or {})
    return GasDiff(
        old=old.label,
        new=new.label,
        steps=steps,
        functions=_function_changes(all_old, all_new),
        budgets=results,
    )


# ---------------------------------------------------------------- budgets
def check_budgets(side: GasSide, budgets: Mapping[str, int]) -> list[BudgetResult]:
    """Each budgeted step with the side's ``gas_used`` (None when the side has no such step)."""
    used = {s.name: s.gas_used for s in side.steps}
    return [BudgetResult(step=k, budget=v, gas_used=used.get(k)) for k, v in budgets.items()]


def load_budgets(path: Path | str) -> dict[str, int]:
    """Per-step budgets (max ``gas_used``) from ``[tool.gasmodel.budget]`` of a pyproject.toml, or
    from a TOML / JSON file of ``step = gas`` (at its top level or under that same table)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
        doc: Any = json.loads(text) if p.suffix == ".json" else tomllib.loads(text)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{p}: cannot read budgets: {exc}") from None
    table = doc.get("tool", {}).get("gasmodel", {}).get("budget") if isinstance(doc, dict) else None
    if table is None:
        if p.name == "pyproject.toml":
            return {}
        table = doc
    if not isinstance(table, dict):
        raise ConfigError(f"{p}: budgets must be a table of step = gas")
    out: dict[str, int] = {}
    for k, v in table.items():
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise ConfigError(f"{p}: budget of step {k!r} must be a non-negative integer (gas), not {v!r}")
        out[str(k)] = v
    return out


# ---------------------------------------------------------------- markdown
def _fmt(v: int | None) -> str:
    return "-" if v is None else f"{v:,}"


def _signed(c: Change) -> str:
    if c.old is None or c.new is None:
        return "new" if c.old is None else "removed"
    rel = c.relative
    pct = f" ({rel:+.2%})" if rel is not None else ""
    return f"{c.delta:+,}{pct}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(d: GasDiff, *, top: int = 10) -> str:
    """The diff as a pull-request comment: steps, then the functions that changed most."""
    changed = [s for s in d.steps if s.gas_used.delta or s.vm_cw_gas.delta]
    lines = [
        f"### Gas diff: `{d.old}` → `{d.new}`",
        "",
        f"{len(changed)} of {len(d.steps)} steps changed.",
        "",
        "| step | gas_used (old) | gas_used (new) | change | VM gas change (CW) |",
        "|---|---:|---:|---:|---:|",
    ]
    for s in d.steps:
        vm = s.vm_cw_gas
        vm_cell = _signed(vm) if vm.old is not None or vm.new is not None else "-"
        lines.append(
            f"| {_cell(s.name)} | {_fmt(s.gas_used.old)} | {_fmt(s.gas_used.new)} | {_signed(s.gas_used)} "
            f"| {vm_cell} |"
        )
    if d.functions:
        lines += [
            "",
            f"#### Functions whose self gas changed (CW gas, all steps; top {min(top, len(d.functions))})",
            "",
            "| function | old | new | change |",
            "|---|---:|---:|---:|",
        ]
        for c in d.functions[:top]:
            lines.append(f"| `{_cell(c.name)}` | {_fmt(c.old)} | {_fmt(c.new)} | {_signed(c)} |")
    if d.budgets:
        lines += ["", "#### Budgets", "", "| step | budget | gas_used | |", "|---|---:|---:|---|"]
        for b in d.budgets:
            mark = "**over budget**" if b.exceeded else "ok"
            lines.append(f"| {_cell(b.step)} | {b.budget:,} | {_fmt(b.gas_used)} | {mark} |")
    return "\n".join(lines) + "\n"
