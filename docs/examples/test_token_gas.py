"""The example of docs/pytest-plugin.md (run from the repository root)."""

from pathlib import Path

TOKEN = Path("contracts/artifacts/token.wasm")


def test_transfer_gas(gas_chain, gas_contract, gas_budget):
    alice, bob = gas_chain.address_of("alice"), gas_chain.address_of("bob")
    token = gas_contract(TOKEN, {
        "name": "Gas Token", "symbol": "GAS", "decimals": 6,
        "initial_balances": [{"address": alice, "amount": "1000"}],
    })
    report = token.execute({"transfer": {"recipient": bob, "amount": "10"}})
    gas_budget(report, 200_000, what="token transfer")
    assert token.query({"balance": {"address": bob}}).result == {"balance": "10"}


def test_counter_scenario(gas_scenario, gas_budget):
    result = gas_scenario("calibration/scenarios/counter.yaml")
    gas_budget(result.step("inc-alice").report, 200_000, what="inc-alice")
