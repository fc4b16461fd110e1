"""Scenarios on the chain: the calibration scenario, determinism over two fresh chains, a user's own
contract through the CLI, and failures recorded as data.

Oracle: the Injective localnet (fresh chains or the session chain): its gas, codes, events and query
results; determinism is checked across two fresh chains.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import wasmtime

from gasmodel.chain.localnet import Localnet
from gasmodel.scenario.localnet import run_on_fresh_localnet, run_scenario
from gasmodel.scenario.model import load_scenario
from gasmodel.scenario.results import ScenarioResult

pytestmark = pytest.mark.localnet

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
COUNTER_YAML = ROOT / "calibration" / "scenarios" / "counter.yaml"
CONTRACTS_MANIFEST = ROOT / "contracts" / "manifest.json"


def _gasmodel(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gasmodel", *args], capture_output=True, text=True,
                          timeout=300, check=False)


def test_counter_scenario_on_the_session_chain(localnet: Localnet, tmp_path: Path) -> None:
    out = tmp_path / "counter.json"
    done = _gasmodel("scenario", "run", str(COUNTER_YAML), "--home", str(localnet.home), "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "14/14 steps as expected" in done.stdout
    r = ScenarioResult.read(out)
    assert r.passed and not r.fresh_chain
    # self-describing: versions, parameters, accounts
    assert r.chain.versions.wasmvm and r.chain.versions.wasmd and r.chain.versions.cosmos_sdk
    assert r.chain.auth_params["tx_size_cost_per_byte"] == "10" and r.chain.wasm_params
    assert r.localnet["min_gas_price"] == 160_000_000 and r.source_sha256
    assert {a.key_type for a in r.accounts} == {"eth_secp256k1", "secp256k1"}
    # every tx step has measured gas and size; queries have results
    for s in r.steps:
        if s.action == "query":
            assert s.status == "ok" and s.result is not None
        else:
            assert s.gas_used and s.gas_wanted and s.tx_size and s.tx_hash and s.height
    assert r.step("count").result == {"count": 3} and r.step("raw-count").result == 3
    assert r.step("store").wasm is not None and r.step("store").wasm.gzip
    assert r.step("store").tx_size < r.step("store-plain").tx_size  # type: ignore[operator]
    # failures are data: code, codespace, log
    assert (r.step("contract-error").code, r.step("contract-error").codespace) == (5, "wasm")
    assert r.step("out-of-gas").code == 11 and r.step("out-of-gas").gas_wanted == 300_000
    assert r.step("rejected-upload").status == "failed"
    assert "exactly one memory" in (r.step("rejected-upload").raw_log or "")
    assert r.step("inc-bob").gas_used == r.step("inc-bob-again").gas_used


def test_same_scenario_on_two_fresh_chains_gives_identical_gas(tmp_path: Path) -> None:
    """The project's contracts (scenario written from contracts/manifest.json, or the WAT counter
    scenario while there is no manifest), once through the CLI (``--localnet``) and once through
    the library, each on a fresh chain: the same gas, sizes and outcomes at every step."""
    scenario_file = COUNTER_YAML
    if CONTRACTS_MANIFEST.exists():
        scenario_file = tmp_path / "contracts.json"
        made = _gasmodel("scenario", "from-manifest", str(CONTRACTS_MANIFEST), "--out", str(scenario_file))
        assert made.returncode == 0, made.stderr
    out = tmp_path / "first.json"
    done = _gasmodel("scenario", "run", str(scenario_file), "--localnet", "--out", str(out), "--quiet")
    assert done.returncode == 0, done.stdout + done.stderr
    first = ScenarioResult.read(out)
    second = run_on_fresh_localnet(load_scenario(scenario_file), tmp_path / "chain2")
    assert first.fresh_chain and second.fresh_chain and first.passed and second.passed
    assert not (tmp_path / "chain2").exists()  # removed after the run
    assert sum(1 for s in first.steps if s.gas_used) >= 8
    # gas_wanted is the node's simulation x the margin; the node's Simulate itself was seen to differ
    # between two fresh chains by its simulation-only charge (1314 gas, see docs/sdk-gas.md), so the
    # delivered gas is what must be identical.
    for a, b in zip(first.steps, second.steps, strict=True):
        assert (a.name, a.gas_used, a.tx_size, a.code) == (b.name, b.gas_used, b.tx_size, b.code)
        assert (a.code_id, a.contract_address, a.result) == (b.code_id, b.contract_address, b.result)
    assert first.gas_used() == second.gas_used()
    assert [a.address for a in first.accounts] == [a.address for a in second.accounts]


def test_a_user_runs_their_own_contract_from_the_cli(localnet: Localnet, tmp_path: Path) -> None:
    """A contract the user brings (here: a .wasm file copied to their folder) and a YAML scenario."""
    project = tmp_path / "my-project"
    project.mkdir()
    (project / "my_counter.wasm").write_bytes(bytes(wasmtime.wat2wasm((DATA / "counter.wat").read_text())))
    (project / "scenario.yaml").write_text(textwrap.dedent("""
        name: my-counter
        accounts:
          - {name: me, key_type: secp256k1, balance: 10000000000000000000inj}
          - {name: friend}
        steps:
          - {name: upload, action: store, sender: me, wasm: my_counter.wasm}
          - {name: mine, action: instantiate, sender: me, code_id: $code:upload, admin: $me}
          - {name: bump, action: execute, sender: friend, contract: $contract:mine, msg: {increment: {}}}
          - name: read
            action: query
            contract: $contract:mine
            msg: {count: {}}
            expect: {result: {count: 1}}
          - {name: tip, action: bank_send, sender: friend, to: $me, amount: 5inj}
        """))
    out = project / "out" / "results.json"
    done = _gasmodel("scenario", "run", str(project / "scenario.yaml"), "--home", str(localnet.home),
                     "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(out.read_text())
    assert data["format"] == "gasmodel-scenario-result/1" and data["passed"] is True
    assert [s["status"] for s in data["steps"]] == ["ok"] * 5
    assert data["steps"][2]["sender"] == "friend" and data["steps"][2]["gas_used"] > 0


def test_failed_dependencies_skip_later_steps_and_the_exit_code_says_so(localnet: Localnet,
                                                                       tmp_path: Path) -> None:
    shutil.copy(DATA / "no_memory.wat", tmp_path / "broken.wat")
    (tmp_path / "s.yaml").write_text(textwrap.dedent("""
        name: broken-upload
        accounts: [{name: me}]
        steps:
          - {name: upload, action: store, wasm: broken.wat}
          - {name: inst, action: instantiate, code_id: $code:upload}
          - {name: call, action: execute, contract: $contract:inst, msg: {increment: {}}}
        """))
    result = run_scenario(load_scenario(tmp_path / "s.yaml"), localnet)
    assert not result.passed
    upload, inst, call = result.steps
    assert upload.status == "failed" and upload.code == 2 and upload.gas_used
    assert "exactly one memory" in (upload.raw_log or "")
    assert upload.problems and "expected success" in upload.problems[0]
    assert inst.status == "skipped" and "store step 'upload' produced no code id" in inst.problems[0]
    assert call.status == "skipped" and "instantiate step 'inst' produced no contract" in call.problems[0]
    out = tmp_path / "r.json"
    done = _gasmodel("scenario", "run", str(tmp_path / "s.yaml"), "--home", str(localnet.home),
                     "--out", str(out), "--quiet")
    assert done.returncode == 1 and "0/3 steps as expected" in done.stdout
    assert ScenarioResult.read(out).steps[0].code == 2
