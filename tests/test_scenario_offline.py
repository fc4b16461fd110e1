"""Scenarios offline on the mock chain, checked against what the localnet recorded for the same files.

Oracle: the Injective localnet (calibration/results/*.localnet.json, written by
``gasmodel scenario run --localnet`` from calibration/scenarios/). The offline runs are fully
offline (tx sizes from the client's encoder); one test also replays the chain's recorded tx sizes
(:func:`gasmodel.scenario.compare.recorded_tx_sizes`) to check that the rest does not depend on them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gasmodel.scenario import ScenarioResult, load_scenario
from gasmodel.scenario.compare import compare_results, recorded_tx_sizes
from gasmodel.scenario.offline import run_offline

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = {"counter": "counter.yaml", "contracts": "contracts.json", "lint_fixtures": "lint_fixtures.json"}
KEEP_EVENTS = ("execute", "instantiate", "wasm", "reply", "store_code", "migrate")


@pytest.fixture(scope="module")
def runs() -> dict[str, tuple[ScenarioResult, ScenarioResult]]:
    """Each corpus scenario: (offline result, recorded chain result)."""
    out = {}
    for name, file in SCENARIOS.items():
        scenario = load_scenario(ROOT / "calibration" / "scenarios" / file)
        chain = ScenarioResult.read(ROOT / "calibration" / "results" / f"{name}.localnet.json")
        out[name] = (run_offline(scenario), chain)
    return out


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_offline_results_have_the_localnet_format_and_meet_the_expectations(
    name: str, runs: dict[str, tuple[ScenarioResult, ScenarioResult]], tmp_path: Path
) -> None:
    offline, chain = runs[name]
    path = offline.write(tmp_path / "offline.json")
    again = ScenarioResult.read(path)  # the localnet results reader takes it
    assert again.backend == "mock" and chain.backend == "localnet"
    assert [s.name for s in again.steps] == [s.name for s in chain.steps]
    assert again.passed, [(s.name, s.problems) for s in again.steps if not s.expectation_met]
    assert all(s.report is not None for s in again.steps if s.action != "query")
    smart = [s for s in again.steps if s.action == "query" and "raw_key" not in (s.msg or {})]
    assert all(s.report is not None and s.report.action == "query" and s.report.gas_used > 0 for s in smart)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_addresses_code_ids_results_and_events_are_the_chains(
    name: str, runs: dict[str, tuple[ScenarioResult, ScenarioResult]]
) -> None:
    offline, chain = runs[name]
    assert [a.address for a in offline.accounts] == [a.address for a in chain.accounts]
    for ours, theirs in zip(offline.steps, chain.steps, strict=True):
        assert (ours.code_id, ours.contract_address, ours.code) == (
            theirs.code_id,
            theirs.contract_address,
            theirs.code,
        ), ours.name
        assert ours.data == theirs.data, ours.name
        assert ours.tx_size == theirs.tx_size, ours.name  # the offline encoder's length is the chain's
        # the simulation before a tx, so its gas limit (and fee), are the chain's too
        assert (ours.simulated_gas, ours.gas_wanted) == (theirs.simulated_gas, theirs.gas_wanted), ours.name
        if ours.action == "query":
            assert ours.result == theirs.result, ours.name
        mine = [
            (e.type, [(a.key, a.value) for a in e.attributes])
            for e in ours.events
            if e.type.startswith(KEEP_EVENTS)
        ]
        recorded = [
            (e.type, [(a.key, a.value) for a in e.attributes])
            for e in theirs.events
            if e.type.startswith(KEEP_EVENTS)
        ]
        assert mine == recorded, ours.name


def _cases() -> list[object]:
    cases: list[object] = []
    for name in SCENARIOS:
        data = json.loads((ROOT / "calibration" / "results" / f"{name}.localnet.json").read_text())
        cases += [
            pytest.param(name, step["name"], id=f"{name}:{step['name']}")
            for step in data["steps"]
            if step["action"] != "query"
        ]
    return cases


@pytest.mark.parametrize(("name", "step"), _cases())
def test_recorded_gas_used_to_the_unit(
    name: str, step: str, runs: dict[str, tuple[ScenarioResult, ScenarioResult]]
) -> None:
    # the chain's numbers straight from the recorded JSON (not through ScenarioResult or
    # compare_results, which only supply the cause in the message)
    recorded = json.loads((ROOT / "calibration" / "results" / f"{name}.localnet.json").read_text())
    theirs = next(s for s in recorded["steps"] if s["name"] == step)
    ours = next(s for s in runs[name][0].steps if s.name == step)
    row = next(r for r in compare_results(*runs[name]) if r.name == step)
    assert ours.code == theirs["code"], row.cause
    assert isinstance(theirs["gas_used"], int) and theirs["gas_used"] > 0
    chain_gas = theirs["gas_used"]
    assert ours.gas_used == chain_gas, f"model {ours.gas_used}, chain {chain_gas}: {row.cause}"


def test_replaying_the_chains_tx_sizes_changes_nothing(
    runs: dict[str, tuple[ScenarioResult, ScenarioResult]],
) -> None:
    offline, chain = runs["counter"]
    scenario = load_scenario(ROOT / "calibration" / "scenarios" / SCENARIOS["counter"])
    replayed = run_offline(scenario, tx_sizer=recorded_tx_sizes(chain))
    assert [s.gas_used for s in replayed.steps] == [s.gas_used for s in offline.steps]
