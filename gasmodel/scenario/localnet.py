"""Scenarios on a real local chain: the chain client as a :class:`~gasmodel.scenario.backend.ScenarioBackend`.

Two ways to get a chain:

* :func:`run_on_fresh_localnet` builds a chain for the run whose genesis funds exactly the
  scenario's accounts (keys derived from the scenario's name), with the scenario's chain id and
  initial height, runs, and removes it. Two such runs give the same addresses, code ids, contract
  addresses, and so the same gas per step.
* :func:`run_scenario` uses a running localnet: the scenario's accounts get fresh keys and are
  funded from one of the chain's accounts (``faucet``) in one multi-send before the first step.
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from cosmpy.protos.cosmos.bank.v1beta1.bank_pb2 import Input, Output
from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgMultiSend
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as ProtoCoin

from gasmodel.chain.client import ChainClient
from gasmodel.chain.keys import AccountKey, derive_key
from gasmodel.chain.localnet import AccountSpec, Localnet, LocalnetConfig
from gasmodel.chaintypes import DEFAULT_DENOM, ChainInfo, Coin, QueryResult, TxResult
from gasmodel.errors import ChainError, ConfigError
from gasmodel.report import GasReport
from gasmodel.scenario.model import Scenario
from gasmodel.scenario.results import ScenarioResult
from gasmodel.scenario.runner import ProgressFn, execute_scenario


class ChainBackend:
    """A :class:`ChainClient` and the scenario's keys, seen as a scenario backend."""

    kind: Literal["localnet", "mock"] = "localnet"

    def __init__(self, client: ChainClient, keys: dict[str, AccountKey], settings: dict[str, Any]) -> None:
        self.client = client
        self.keys = keys
        self._settings = settings

    def _key(self, account: str) -> AccountKey:
        try:
            return self.keys[account]
        except KeyError:
            raise ConfigError(f"unknown account {account!r}") from None

    def address_of(self, account: str) -> str:
        """The address of a scenario account."""
        return self._key(account).address

    def chain_info(self) -> ChainInfo:
        """The chain's versions and parameters."""
        return self.client.chain_info()

    def settings(self) -> dict[str, Any]:
        """The localnet's settings."""
        return dict(self._settings)

    def store_code(self, sender: str, wasm: bytes, *, gas_limit: int | None) -> TxResult:
        """Upload as given (no second gzip)."""
        return self.client.store_code(self._key(sender), wasm, gzip=False, gas_limit=gas_limit)

    def instantiate(self, sender: str, code_id: int, msg: Any, *, label: str, admin: str | None,
                    funds: Sequence[Coin], gas_limit: int | None) -> TxResult:
        """Instantiate a stored code."""
        return self.client.instantiate(self._key(sender), code_id, msg, label=label, admin=admin,
                                       funds=funds, gas_limit=gas_limit)

    def execute(self, sender: str, contract: str, msg: Any, *, funds: Sequence[Coin],
                gas_limit: int | None) -> TxResult:
        """Execute a contract."""
        return self.client.execute(self._key(sender), contract, msg, funds=funds, gas_limit=gas_limit)

    def migrate(self, sender: str, contract: str, code_id: int, msg: Any, *,
                gas_limit: int | None) -> TxResult:
        """Migrate a contract."""
        return self.client.migrate(self._key(sender), contract, code_id, msg, gas_limit=gas_limit)

    def bank_send(self, sender: str, to: str, amount: Sequence[Coin], *, gas_limit: int | None) -> TxResult:
        """A bank transfer."""
        return self.client.bank_send(self._key(sender), to, amount, gas_limit=gas_limit)

    def smart_query(self, contract: str, msg: Any) -> QueryResult:
        """A smart query."""
        return self.client.smart_query(contract, msg)

    def raw_query(self, contract: str, key: bytes) -> QueryResult:
        """A raw storage read."""
        return self.client.raw_query(contract, key)

    def report_for(self, tx_hash: str) -> GasReport | None:
        """A real chain has no model report."""
        return None

    def last_query_report(self) -> GasReport | None:
        """A real chain has no model report."""
        return None


def fund_accounts(client: ChainClient, funder: AccountKey, keys: list[AccountKey],
                  balances: list[list[Coin]]) -> TxResult:
    """Fund accounts from ``funder`` in one multi-send; ChainError if the chain refuses it."""
    total: dict[str, int] = {}
    outputs = []
    for key, coins in zip(keys, balances, strict=True):
        for c in coins:
            total[c.denom] = total.get(c.denom, 0) + c.amount
        outputs.append(Output(address=key.address, coins=[ProtoCoin(denom=c.denom, amount=str(c.amount))
                                                          for c in sorted(coins, key=lambda c: c.denom)]))
    msg = MsgMultiSend(inputs=[Input(address=funder.address, coins=[
        ProtoCoin(denom=d, amount=str(a)) for d, a in sorted(total.items())])], outputs=outputs)
    tx = client.submit(funder, [msg])
    if not tx.ok:
        raise ChainError(f"funding the scenario's accounts from {funder.name} failed: {tx.raw_log}")
    return tx


def _execute(scenario: Scenario, net: Localnet, keys: dict[str, AccountKey], fresh: bool,
             progress: ProgressFn | None) -> ScenarioResult:
    cfg = net.config
    settings = {"chain_id": cfg.chain_id, "initial_height": cfg.initial_height,
                "timeout_commit_ms": cfg.timeout_commit_ms, "max_block_gas": cfg.max_block_gas,
                "simulation_gas_limit": cfg.simulation_gas_limit, "min_gas_price": cfg.min_gas_price,
                "denom": cfg.denom, "gas_margin": scenario.gas_margin}
    with net.client(gas_margin=scenario.gas_margin, fallback_gas_limit=scenario.fallback_gas_limit) as client:
        backend = ChainBackend(client, keys, settings)
        return execute_scenario(scenario, backend, fresh=fresh, progress=progress)


def run_scenario(scenario: Scenario, net: Localnet, *, funder: str = "faucet", key_seed: str | None = None,
                 progress: ProgressFn | None = None) -> ScenarioResult:
    """Run on a running localnet: fresh keys for the scenario's accounts, funded from ``funder``."""
    seed = key_seed or f"scenario:{scenario.name}:{secrets.token_hex(8)}"
    keys = {a.name: derive_key(a.name, a.key_type, seed) for a in scenario.accounts}
    funder_key = net.account(funder).key()
    with net.client() as client:
        fund_accounts(client, funder_key, list(keys.values()), [a.balance for a in scenario.accounts])
    return _execute(scenario, net, keys, fresh=False, progress=progress)


def localnet_config_for(scenario: Scenario, home: Path, **overrides: Any) -> LocalnetConfig:
    """A localnet whose genesis funds exactly the scenario's accounts, with its chain id and height."""
    specs = []
    for a in scenario.accounts:
        main = sum(c.amount for c in a.balance if c.denom == DEFAULT_DENOM)
        extra = [c for c in a.balance if c.denom != DEFAULT_DENOM]
        specs.append(AccountSpec(name=a.name, key_type=a.key_type, balance=main, extra_coins=extra))
    settings: dict[str, Any] = {"chain_id": scenario.chain.chain_id,
                                "initial_height": scenario.chain.initial_height}
    settings.update(overrides)
    return LocalnetConfig(home=home, accounts=specs, key_seed=scenario.key_seed(), **settings)


def run_on_fresh_localnet(scenario: Scenario, home: Path | None = None, *, keep: bool = False,
                          progress: ProgressFn | None = None, **overrides: Any) -> ScenarioResult:
    """Build a chain for this scenario, run it, stop the chain (and remove it unless ``keep``)."""
    tmp: tempfile.TemporaryDirectory[str] | None = None
    if home is None:
        tmp = tempfile.TemporaryDirectory(prefix="gasmodel-localnet-")
        home = Path(tmp.name) / "chain"
    net = Localnet(localnet_config_for(scenario, home, **overrides))
    try:
        net.up(owned=True)
        keys = {a.name: net.account(a.name).key() for a in scenario.accounts}
        return _execute(scenario, net, keys, fresh=True, progress=progress)
    finally:
        net.down(remove=not keep)
        if tmp is not None:
            tmp.cleanup()
