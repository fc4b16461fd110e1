"""Calibration end to end offline: fuel on a scenario, workload counts, the chain fit on recorded runs.

Oracles: wasmtime's own fuel (fuel); a hand count of the workload's operators (time); the gas the
Injective localnet reported, recorded in calibration/results/ (chain)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import wasmtime

from gasmodel.calibrate.chain import calibrate_chain, load_recorded, profile_toml
from gasmodel.calibrate.fuel import calibrate_fuel
from gasmodel.calibrate.timing import class_counts
from gasmodel.calibrate.workloads import workload
from gasmodel.cli import main
from gasmodel.costs import load_cost_table, load_profile
from gasmodel.scenario.model import load_scenario
from gasmodel.vm.runtime import Runtime

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "calibration" / "results"


def test_fuel_every_call_of_the_counter_scenario_matches_wasmtime() -> None:
    report = calibrate_fuel(load_scenario(ROOT / "calibration/scenarios/counter.yaml"))
    assert report.ok and report.checked >= 10
    # the out-of-gas step is left out (wasmtime drops the fuel of straight-line code before a trap)
    assert report.skipped >= 1
    assert {e.entry_point for e in report.entries} >= {"instantiate", "execute", "query", "migrate"}
    assert all(c.fuel_counted == c.fuel_wasmtime for c in report.calls if c.status == "match")


def test_workload_counts_are_the_hand_count() -> None:
    table = load_cost_table("cosmwasm-vm-2.1.6-2.1.7")
    w = workload("int", (("int", 2),))
    n = 1000
    res = Runtime(bytes(wasmtime.wat2wasm(w.wat)), table).instance({}, 10**12).call("run", n)
    by_class = class_counts(res.opcode_counts, frozenset(table.operators.accounting))
    # per iteration: 2 x (mul, xor, add) and the loop's i32.sub; no int op outside the loop
    assert by_class["numeric-int"] == 7 * n
    # per iteration: br_if; once: loop + 2 ends (loop, function)
    assert by_class["control-accounting"] == n + 3


@pytest.mark.slow
def test_chain_fit_recovers_the_chain_numbers_from_a_wrong_start(tmp_path: Path) -> None:
    # start from a profile whose tx-level numbers are wrong; the fit must find the chain's again
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(
        'version = 1\nkind = "chain-profile"\nname = "wrong"\nextends = "injective-localnet"\n'
        "[ante]\ntx_size_cost_per_byte = 7\nsig_verify_cost = { eth_secp256k1 = 20000, secp256k1 = 900 }\n"
        "[sdk]\nunpriced_per_send = 0\n[costs.wasmd]\ninstance_cost = 50000\nper_attribute_cost = 0\n"
    )
    fit = [load_recorded(RESULTS / "contracts.localnet.json")]
    held = [load_recorded(RESULTS / "counter.localnet.json")]
    report, values, preset = calibrate_chain(
        fit, held, wrong, candidates=["cosmwasm-vm-2.1.6-2.1.7", "cosmwasm-vm-3.0.9"]
    )
    assert preset == "cosmwasm-vm-2.1.6-2.1.7"  # the residuals pick the VM the chain runs
    scores = {s.preset: s for s in report.presets}
    assert scores["cosmwasm-vm-2.1.6-2.1.7"].exact > scores["cosmwasm-vm-3.0.9"].exact
    # oracle: the auth params the chain itself reported in the results file
    auth = fit[0].chain.chain.auth_params
    assert values["ante.tx_size_cost_per_byte"] == int(auth["tx_size_cost_per_byte"])
    assert values["ante.sig_verify_cost.secp256k1"] == int(auth["sig_verify_cost_secp256k1"])
    # wasmd v0.53.3 x/wasm/types/gas_register.go: DefaultInstanceCost 60_000, DefaultPerAttributeCost 10
    assert values["costs.wasmd.instance_cost"] == 60_000
    assert values["costs.wasmd.per_attribute_cost"] == 10
    # and the chain's gas: every held-out step (both key types, first and later txs, store /
    # instantiate / execute / migrate / bank send, errors, out of gas) to the unit
    assert report.held_out.steps >= 12 and report.held_out.rate >= 0.9
    assert report.fit.rate >= 0.9
    assert {s.use for s in report.steps} == {"fit", "held-out"}
    text = profile_toml(report, values, preset, name="fitted", extends=str(wrong), commands=["x"])
    path = tmp_path / "fitted.toml"
    path.write_text(text)
    prof = load_profile(path)
    for k, v in values.items():
        section, _, rest = k.partition(".")
        node = getattr(prof, section)
        for part in rest.split("."):
            node = node[part] if isinstance(node, dict) else getattr(node, part)
        assert node == v


def test_cli_fuel_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "calibrate",
            "fuel",
            "--scenario",
            str(ROOT / "calibration/scenarios/counter.yaml"),
            "--json",
            "--no-progress",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["format"] == "gasmodel-calibration-fuel/1" and data["provenance"]["wasmtime"]


def test_the_default_profile_is_the_fitted_one() -> None:
    # calibration/make_reports.sh fitted the Injective localnet profile on recorded chain runs; the
    # shipped default carries the same numbers (and names the report that backs them)
    path = ROOT / "calibration/reports/injective-localnet-fitted.toml"
    assert "gasmodel calibrate chain" in path.read_text()
    fitted, default = load_profile(path), load_profile("injective-localnet")
    assert fitted.ante == default.ante and fitted.sdk == default.sdk
    assert fitted.costs.model_dump(exclude={"name"}) == default.costs.model_dump(exclude={"name"})
    report = json.loads((ROOT / "calibration/reports/chain.json").read_text())
    assert report["held_out"]["steps"] >= 50 and report["held_out"]["rate"] >= 0.9


def test_time_cost_table_prices_each_class_as_the_report_says(tmp_path: Path) -> None:
    from gasmodel.calibrate.timing import TimeReport, cost_table_toml
    from gasmodel.wasm.opcodes import BY_NAME

    report = TimeReport.model_validate_json((ROOT / "calibration/reports/time.json").read_text())
    path = tmp_path / "t.toml"
    path.write_text(cost_table_toml(report, name="t", extends="cosmwasm-vm-2.1.6-2.1.7", command="x"))
    table = load_cost_table(path)
    gas = {c.op_class: c.gas for c in report.classes}
    for op, cls in (
        ("call", "call"),
        ("i64.div_u", "numeric-int-division"),
        ("f64.mul", "numeric-float"),
        ("br_if", "control-accounting"),
        ("i32.const", "const"),
    ):
        assert table.operators.cost_of(op, BY_NAME[op].category) == gas[cls], op


def test_cli_chain_names_an_unknown_fit_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["calibrate", "chain", "--results", str(RESULTS / "counter.localnet.json"), "--fit", "nope"])
    assert code == 2
    assert "--fit: no such scenario nope; have counter" in capsys.readouterr().err


def test_time_fit_survives_a_workload_timed_at_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    """A loaded machine can time a workload's n-run no slower than its 1-run (differenced time 0):
    that workload has no gas per second and no noise (None) instead of a ZeroDivisionError, and the
    report still loads back from its JSON. Oracle: the zero is injected by hand into real timings."""
    from gasmodel.calibrate import timing
    from gasmodel.calibrate.workloads import standard_workloads

    real = timing.measure

    def zeroed(*args: Any, **kwargs: Any) -> Any:
        data = real(*args, **kwargs)
        w, n, counts, gas, times = data[0]
        return [(w, n, counts, gas, [0.0] * len(times)), *data[1:]]

    monkeypatch.setattr(timing, "measure", zeroed)
    workloads = standard_workloads()[:12]
    report = timing.calibrate_time(workloads=workloads, rounds=2, iterations=2000)
    first = report.workloads[0]
    assert first.seconds == 0.0 and first.gas_per_second is None and first.noise is None
    timed = [r for r in report.workloads[1:] if r.seconds > 0]
    assert timed and all(r.gas_per_second is not None and r.gas_per_second > 0 for r in timed)
    again = timing.TimeReport.model_validate_json(report.model_dump_json())
    assert again.workloads == report.workloads
    assert "12 workloads" in timing.render_time(report)
