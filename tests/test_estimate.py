"""``gasmodel.estimate()`` and ``gasmodel estimate``.

Oracles: the gas the Injective localnet recorded for the same steps (calibration/results/
contracts.localnet.json) and the offline scenario run of them (itself checked against the localnet in
tests/test_scenario_offline.py), the contract's own behaviour (what a query returns after a
known storage), and the CLI contract (JSON messages, exit codes).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import gasmodel
from gasmodel.chaintypes import Coin
from gasmodel.cli import main
from gasmodel.report import GasReport
from gasmodel.scenario import load_scenario
from gasmodel.scenario.offline import run_offline
from gasmodel.vm.chain import MockChain

ROOT = Path(__file__).resolve().parent.parent
COUNTER = ROOT / "contracts" / "artifacts" / "counter.wasm"
TOKEN = ROOT / "contracts" / "artifacts" / "token.wasm"


def test_estimate_equals_the_same_steps_in_a_scenario() -> None:
    # contracts.json begins with: store counter, instantiate {"count": 0} (label counter, admin the
    # owner), execute increment - all by an eth_secp256k1 account on a fresh chain
    scenario = load_scenario(ROOT / "calibration" / "scenarios" / "contracts.json")
    first = scenario.model_copy(update={"steps": scenario.steps[:3]})
    offline = run_offline(first)
    report = gasmodel.estimate(
        COUNTER, instantiate={"count": 0}, execute={"increment": {}}, label="counter", sender="owner"
    )
    step = offline.steps[2]
    assert report.ok and step.report is not None
    # the chain's own gas_used for that step, as the localnet recorded it
    recorded = json.loads((ROOT / "calibration" / "results" / "contracts.localnet.json").read_text())
    assert recorded["steps"][2]["msg"] == {"increment": {}} and recorded["steps"][2]["code"] == 0
    assert report.gas_used == recorded["steps"][2]["gas_used"]
    assert report.gas_used == step.gas_used
    assert report.breakdown == step.report.breakdown
    assert report.action == "execute" and report.target == step.target


def test_sender_placeholder_and_a_token_transfer() -> None:
    init = {
        "name": "Gas Token",
        "symbol": "GAS",
        "decimals": 6,
        "mint": None,
        "initial_balances": [{"address": "$sender", "amount": "1000"}],
    }
    other = "inj1qqqsyqcyq5rqwzqfpg9scrgwpugpzysnflx7rp"
    report = gasmodel.estimate(
        TOKEN, instantiate=init, execute={"transfer": {"recipient": other, "amount": "10"}}
    )
    assert report.ok, report.error
    assert any(e.type == "wasm" and e.get("action") == "transfer" for e in report.events)
    too_much = gasmodel.estimate(
        TOKEN, instantiate=init, execute={"transfer": {"recipient": other, "amount": "1001"}}
    )
    assert (too_much.ok, too_much.code) == (False, 5)
    assert "Insufficient funds: balance 1000, required 1001" in (too_much.error or "")


def test_storage_preset_without_instantiate() -> None:
    # find what instantiate stores, then start a contract from exactly that storage
    mock = MockChain("injective-localnet")
    mock.add_account("a", balance=[Coin(denom="inj", amount=10**21)])
    code = mock.store_code("a", COUNTER.read_bytes()).code_id
    assert code is not None
    addr = mock.instantiate("a", code, {"count": 41}).contract_address
    assert addr is not None
    ((key, value),) = mock.storage(addr)
    patched = value.replace(b"41", b"7")
    report = gasmodel.estimate(COUNTER, storage={key: patched}, query={"get_count": {}})
    assert report.ok and report.result == {"count": 7}
    assert report.action == "query" and report.gas_used > 0


def test_only_the_upload() -> None:
    report = gasmodel.estimate(COUNTER.read_bytes())
    assert report.ok and report.action == "store" and report.code_id == 1
    names = [i.name for i in report.breakdown]
    assert "keeper: uncompress" in names and "wasm: compile" in names


def test_cli_prints_the_report_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["estimate", str(COUNTER), "--instantiate", '{"count": 0}', "--execute", '{"increment": {}}'])
    out = capsys.readouterr().out
    assert code == 0 and "gas_used" in out and "wasm: vm execution" in out
    code = main(
        [
            "estimate",
            str(COUNTER),
            "--instantiate",
            '{"count": 0}',
            "--execute",
            '{"increment": {}}',
            "--json",
        ]
    )
    report = GasReport.model_validate_json(capsys.readouterr().out)
    assert code == 0 and report.ok and report.action == "execute"


def test_cli_refuses_a_message_that_is_not_json() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "gasmodel", "estimate", str(COUNTER), "--execute", "{increment}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gasmodel: error: --execute: not JSON"), proc.stderr
    assert proc.stdout == ""


def test_cli_exit_code_says_the_message_failed(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "estimate",
            str(COUNTER),
            "--instantiate",
            '{"count": 0}',
            "--execute",
            '{"decrement": {}}',
            "--json",
        ]
    )
    report = GasReport.model_validate_json(capsys.readouterr().out)
    assert code == 1 and report.code == 5 and "unknown variant `decrement`" in (report.error or "")


def test_report_json_field_names_are_stable() -> None:
    report = gasmodel.estimate(COUNTER, instantiate={"count": 0}, execute={"increment": {}})
    data = json.loads(report.to_json())
    assert data["format"] == "gasmodel-gas-report/1"
    assert {
        "profile",
        "action",
        "ok",
        "outcome",
        "code",
        "error",
        "gas_used",
        "complete",
        "unpriced",
        "vm_cw_gas",
        "vm_sdk_gas",
        "breakdown",
        "calls",
        "histogram",
        "categories",
        "functions",
        "imports",
        "events",
        "timings",
    } <= set(data)
    item = data["breakdown"][0]
    assert set(item) == {
        "category",
        "name",
        "count",
        "quantity",
        "unit",
        "cw_gas",
        "sdk_gas",
        "note",
        "part_of",
    }


def test_a_profile_without_sdk_layout_says_what_to_do() -> None:
    """upstream-wasmd ships no [sdk] section (its ante handler is not modelled): estimate stops with a
    ConfigError naming the profile and the way out, not a KeyError or a partial number. Oracle: the
    shipped profile file itself has no [sdk] table (read with tomllib)."""
    import tomllib

    from gasmodel.errors import ConfigError

    shipped = ROOT / "gasmodel" / "costs" / "profiles" / "upstream-wasmd.toml"
    assert "sdk" not in tomllib.loads(shipped.read_text())
    with pytest.raises(ConfigError) as exc:
        gasmodel.estimate(
            COUNTER, instantiate={"count": 0}, execute={"increment": {}}, chain="upstream-wasmd"
        )
    text = str(exc.value)
    assert "upstream-wasmd has no [sdk] section" in text and "--chain injective-localnet" in text
