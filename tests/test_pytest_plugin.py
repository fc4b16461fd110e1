"""The pytest plugin, run by pytester: fixtures, a passing budget, a failing one with its breakdown.

Oracles: pytest's own outcome counts and output of the inner session; the gas numbers printed are
checked against the same call made directly on a fresh mock chain, without the plugin.
"""

from __future__ import annotations

import importlib.metadata
import os
import tomllib
from pathlib import Path

import pytest

from gasmodel.vm.chain import MockChain

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
TOKEN = ROOT / "contracts" / "artifacts" / "token.wasm"
COUNTER_SCENARIO = ROOT / "calibration" / "scenarios" / "counter.yaml"


def _plugin_args() -> list[str]:
    """Load the plugin by name unless the installed distribution already registers it."""
    eps = importlib.metadata.entry_points(group="pytest11")
    return [] if any(ep.value == "gasmodel.pytest_plugin" for ep in eps) else ["-p", "gasmodel.pytest_plugin"]


@pytest.fixture(autouse=True)
def _this_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    """The inner pytest runs in a subprocess (an in-process run would drop and re-import the
    chain client's native modules between sessions); it imports this checkout's gasmodel."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def test_the_entry_point_is_declared() -> None:
    doc = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert doc["project"]["entry-points"]["pytest11"] == {"gasmodel": "gasmodel.pytest_plugin"}


def _transfer_gas() -> int:
    """The transfer's gas_used on a fresh mock chain, driven directly (no plugin)."""
    from gasmodel.pytest_plugin import DEFAULT_BALANCE
    from gasmodel.txsizer import ClientTxSizer

    chain = MockChain("injective-localnet", tx_sizer=ClientTxSizer())

    alice = chain.add_account("alice", balance=[DEFAULT_BALANCE])
    chain.add_account("bob", balance=[DEFAULT_BALANCE])
    code = chain.store_code("alice", TOKEN.read_bytes()).code_id
    assert code is not None
    init = {
        "name": "Gas Token",
        "symbol": "GAS",
        "decimals": 6,
        "initial_balances": [{"address": alice, "amount": "1000"}],
    }
    addr = chain.instantiate("alice", code, init, label="token", admin=alice).contract_address
    assert addr is not None
    bob = chain.address_of("bob")
    return chain.execute("alice", addr, {"transfer": {"recipient": bob, "amount": "10"}}).gas_used


TEST_FILE = f"""
from pathlib import Path

TOKEN = Path({str(TOKEN)!r})


def _token(gas_chain, gas_contract):
    alice = gas_chain.address_of("alice")
    init = {{"name": "Gas Token", "symbol": "GAS", "decimals": 6,
            "initial_balances": [{{"address": alice, "amount": "1000"}}]}}
    return gas_contract(TOKEN, init, label="token")


def test_transfer_within_budget(gas_chain, gas_contract, gas_budget):
    token = _token(gas_chain, gas_contract)
    report = token.execute({{"transfer": {{"recipient": gas_chain.address_of("bob"), "amount": "10"}}}})
    gas_budget(report, 1_000_000)
    bob = gas_chain.address_of("bob")
    assert token.query({{"balance": {{"address": bob}}}}).result == {{"balance": "10"}}


def test_transfer_over_budget(gas_chain, gas_contract, gas_budget):
    token = _token(gas_chain, gas_contract)
    report = token.execute({{"transfer": {{"recipient": gas_chain.address_of("bob"), "amount": "10"}}}})
    gas_budget(report, 100_000, what="token transfer")


def test_scenario_offline(gas_scenario):
    result = gas_scenario({str(COUNTER_SCENARIO)!r})
    assert result.backend == "mock"
    assert result.step("inc-alice").gas_used > 0
"""


def test_budgets_pass_and_fail_with_the_breakdown(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_gas=TEST_FILE)
    result = pytester.runpytest_subprocess(*_plugin_args())
    result.assert_outcomes(passed=2, failed=1)
    gas = _transfer_gas()
    out = result.stdout.str()
    # the failure names the call, the numbers, and prints the breakdown and the top functions
    result.stdout.fnmatch_lines(
        [
            f"*GasBudgetExceeded: token transfer: gas_used {gas:,} > budget 100,000 (+{gas - 100_000:,}*",
            "*breakdown (SDK gas):*",
            "*top functions by self gas (CW gas, calls):*",
        ]
    )
    assert "wasm: vm execution" in out and "host calls:" in out
    assert "compiler_builtins::mem::memcpy" in out  # a function, by its readable name


def test_gas_chain_option_and_a_failed_scenario(pytester: pytest.Pytester, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: bad\naccounts:\n  - name: alice\nsteps:\n"
        f"  - name: store\n    action: store\n    sender: alice\n    wasm: {TOKEN}\n"
        "    expect:\n      ok: false\n"
    )
    pytester.makepyfile(
        test_opts=f"""
def test_profile_option(gas_chain):
    assert gas_chain.profile.name == "injective-localnet"

def test_expectation_fails(gas_scenario):
    gas_scenario({str(bad)!r})
"""
    )
    result = pytester.runpytest_subprocess(*_plugin_args(), "--gasmodel-chain", "injective-localnet")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*expectations not met:*", "*store:*"])


@pytest.mark.localnet
def test_gas_scenario_on_the_localnet(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_chain=f"""
def test_counter_on_chain(gas_scenario):
    result = gas_scenario({str(COUNTER_SCENARIO)!r})
    assert result.backend == "localnet"
    assert result.step("inc-alice").gas_used > 0
"""
    )
    result = pytester.runpytest_subprocess(*_plugin_args(), "--gasmodel-localnet")
    result.assert_outcomes(passed=1)
