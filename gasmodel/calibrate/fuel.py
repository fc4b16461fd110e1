"""``gasmodel calibrate fuel``: the exact operator counts against wasmtime's own fuel, call by call.

A scenario (by default one over every accepted contract of ``contracts/manifest.json``) runs
offline twice on the mock chain: once with instrumented runtimes (exact per-opcode counts), once
uninstrumented on wasmtime's fuel engine. The two runs make the same calls in the same order; for
each call the counts priced under the ``wasmtime-fuel`` table must equal the fuel wasmtime
counted (the check of :func:`gasmodel.vm.runtime.fuel_cross_check`, applied to every call of a
whole scenario with the real host). Calls that do not complete are not comparable (wasmtime
drops the fuel of straight-line code before a trap) and are reported as skipped, with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gasmodel.calibrate.provenance import Provenance, provenance
from gasmodel.calibrate.recorder import RecordedCall, code_names, record_scenario, without_out_of_gas
from gasmodel.costs import load_cost_table
from gasmodel.costs.profile import ChainProfile
from gasmodel.scenario.model import Scenario
from gasmodel.scenario.results import StepResult
from gasmodel.vm.engine import Engine

FUEL_REPORT_FORMAT: Literal["gasmodel-calibration-fuel/1"] = "gasmodel-calibration-fuel/1"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class FuelCall(_Model):
    """One contract call: operators executed, fuel from the counts, wasmtime's fuel."""

    step: str
    contract: str
    entry_point: str
    outcome: str
    operators: int
    fuel_counted: int | None
    fuel_wasmtime: int | None
    status: Literal["match", "mismatch", "skipped"]
    reason: str = ""


class FuelEntry(_Model):
    """One entry point of one contract, summed over its calls."""

    contract: str
    entry_point: str
    calls: int
    matched: int
    mismatched: int
    skipped: int
    operators: int
    fuel: int


class FuelReport(_Model):
    """Every call of a scenario: counts priced as fuel vs wasmtime's fuel."""

    format: Literal["gasmodel-calibration-fuel/1"] = FUEL_REPORT_FORMAT
    provenance: Provenance
    scenario: str
    profile: str
    calls: list[FuelCall]
    entries: list[FuelEntry]
    checked: int = Field(description="calls compared")
    matched: int
    skipped: int

    @property
    def ok(self) -> bool:
        """Every comparable call matched (and at least one was compared)."""
        return self.checked > 0 and self.matched == self.checked

    def to_json(self) -> str:
        """The report as JSON text."""
        return self.model_dump_json(indent=2)


def _compare(
    metered: RecordedCall,
    plain: RecordedCall | None,
    fuel_table_name: str,
    names: dict[str, str],
    step_names: dict[int, str],
) -> FuelCall:
    fuel_table = load_cost_table(fuel_table_name)
    res = metered.result
    base = {
        "step": step_names.get(metered.step, str(metered.step)),
        "contract": names.get(metered.checksum, metered.checksum[:12]),
        "entry_point": metered.entry,
        "outcome": res.outcome,
        "operators": sum(res.opcode_counts.values()),
    }
    if plain is None or plain.entry != metered.entry or plain.checksum != metered.checksum:
        return FuelCall(
            **base,
            fuel_counted=None,
            fuel_wasmtime=None,
            status="skipped",
            reason="the fuel run made other calls in this step",
        )
    if res.outcome not in ("ok", "aborted", "host_error"):
        return FuelCall(
            **base,
            fuel_counted=None,
            fuel_wasmtime=plain.result.fuel,
            status="skipped",
            reason=f"{res.outcome}: wasmtime drops the fuel of straight-line code before a trap",
        )
    counted = res.fuel_from_counts(fuel_table)
    fuel = plain.result.fuel
    same = plain.result.outcome == res.outcome and plain.result.result == res.result
    if not same:
        return FuelCall(
            **base,
            fuel_counted=counted,
            fuel_wasmtime=fuel,
            status="mismatch",
            reason=f"outcomes differ: {res.outcome} vs {plain.result.outcome}",
        )
    return FuelCall(
        **base,
        fuel_counted=counted,
        fuel_wasmtime=fuel,
        status="match" if counted == fuel else "mismatch",
        reason="" if counted == fuel else f"counts give {counted}, wasmtime {fuel}",
    )


def calibrate_fuel(
    scenario: Scenario,
    profile: str | ChainProfile = "injective-localnet",
    *,
    progress: Callable[[StepResult], None] | None = None,
    engine: Engine | None = None,
) -> FuelReport:
    """Run ``scenario`` instrumented and on the fuel engine; compare every call (see module docs)."""
    eng = engine if engine is not None else Engine()
    skipped_steps = len(scenario.steps)
    scenario = without_out_of_gas(scenario)
    skipped_steps -= len(scenario.steps)
    metered = record_scenario(scenario, profile, "metered", engine=eng, progress=progress)
    plain = record_scenario(scenario, profile, "fuel", engine=eng, progress=progress)
    names = code_names(scenario)
    step_names = {s.index: s.name for s in metered.result.steps}
    by_key = {(c.step, c.ordinal): c for c in plain.calls}
    calls = [
        _compare(c, by_key.get((c.step, c.ordinal)), "wasmtime-fuel", names, step_names)
        for c in metered.calls
    ]
    entries: dict[tuple[str, str], dict[str, int]] = {}
    for c in calls:
        e = entries.setdefault(
            (c.contract, c.entry_point),
            {"calls": 0, "matched": 0, "mismatched": 0, "skipped": 0, "operators": 0, "fuel": 0},
        )
        e["calls"] += 1
        e[{"match": "matched", "mismatch": "mismatched", "skipped": "skipped"}[c.status]] += 1
        e["operators"] += c.operators
        e["fuel"] += c.fuel_wasmtime or 0
    checked = sum(c.status != "skipped" for c in calls)
    return FuelReport(
        provenance=provenance(),
        scenario=scenario.name,
        profile=metered.result.profile or (profile if isinstance(profile, str) else profile.name),
        calls=calls,
        entries=[FuelEntry(contract=k[0], entry_point=k[1], **v) for k, v in sorted(entries.items())],
        checked=checked,
        matched=sum(c.status == "match" for c in calls),
        skipped=sum(c.status == "skipped" for c in calls) + skipped_steps,
    )


def render_fuel(report: FuelReport) -> str:
    """The per-contract, per-entry-point table as text."""
    lines = [
        f"fuel calibration: scenario {report.scenario}, profile {report.profile}",
        f"{'contract':<16} {'entry point':<14} {'calls':>5} {'match':>5} {'skip':>4} "
        f"{'operators':>12} {'fuel':>12}",
    ]
    for e in report.entries:
        lines.append(
            f"{e.contract:<16} {e.entry_point:<14} {e.calls:>5} {e.matched:>5} {e.skipped:>4} "
            f"{e.operators:>12,} {e.fuel:>12,}"
        )
    bad = [c for c in report.calls if c.status == "mismatch"]
    for c in bad:
        lines.append(f"MISMATCH {c.step} {c.contract}.{c.entry_point}: {c.reason}")
    verdict = "all equal" if report.ok else f"{len(bad)} mismatch(es)"
    lines.append(
        f"{report.matched} of {report.checked} calls: counted fuel == wasmtime fuel ({verdict}); "
        f"{report.skipped} skipped"
    )
    return "\n".join(lines) + "\n"
