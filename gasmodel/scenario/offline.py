"""Scenarios offline: the mock chain (:class:`gasmodel.vm.chain.MockChain`) as a scenario backend.

:func:`run_offline` builds a mock chain for a profile with the scenario's chain settings (chain
id, initial height, genesis time), funds its accounts with the same keys the fresh localnet
derives (so the same addresses), runs every step through the same runner as the localnet and
returns the same results format; each tx step also carries the model's gas report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from gasmodel.chaintypes import DEFAULT_GAS_PRICE, LOCALNET_GENTX_GAS, ChainInfo, Coin, QueryResult, TxResult
from gasmodel.costs import load_profile
from gasmodel.costs.profile import ChainProfile
from gasmodel.report import GasReport
from gasmodel.scenario.model import Scenario
from gasmodel.scenario.results import ScenarioResult
from gasmodel.scenario.runner import ProgressFn, execute_scenario
from gasmodel.txsizer import ClientTxSizer
from gasmodel.vm.chain import MockChain
from gasmodel.vm.keeper import TxSizer


class MockBackend:
    """A :class:`MockChain` seen as a scenario backend."""

    kind: Literal["localnet", "mock"] = "mock"

    def __init__(self, chain: MockChain, settings: dict[str, Any]) -> None:
        self.chain = chain
        self._settings = settings
        self._reports: dict[str, GasReport] = {}
        self._last_query: GasReport | None = None

    def address_of(self, account: str) -> str:
        """The address of a scenario account."""
        return self.chain.address_of(account)

    def chain_info(self) -> ChainInfo:
        """The mock chain's description."""
        return self.chain.chain_info()

    def settings(self) -> dict[str, Any]:
        """The mock chain's settings."""
        return dict(self._settings)

    def _tx(self, report: GasReport) -> TxResult:
        tx = self.chain.tx_result(report)
        self._reports[tx.tx_hash] = report
        return tx

    def store_code(self, sender: str, wasm: bytes, *, gas_limit: int | None) -> TxResult:
        """Upload as given."""
        return self._tx(self.chain.store_code(sender, wasm, gas_limit=gas_limit))

    def instantiate(
        self,
        sender: str,
        code_id: int,
        msg: Any,
        *,
        label: str,
        admin: str | None,
        funds: Sequence[Coin],
        gas_limit: int | None,
    ) -> TxResult:
        """Instantiate a stored code."""
        return self._tx(
            self.chain.instantiate(
                sender, code_id, msg, label=label, admin=admin, funds=funds, gas_limit=gas_limit
            )
        )

    def execute(
        self, sender: str, contract: str, msg: Any, *, funds: Sequence[Coin], gas_limit: int | None
    ) -> TxResult:
        """Execute a contract."""
        return self._tx(self.chain.execute(sender, contract, msg, funds=funds, gas_limit=gas_limit))

    def migrate(
        self, sender: str, contract: str, code_id: int, msg: Any, *, gas_limit: int | None
    ) -> TxResult:
        """Migrate a contract."""
        return self._tx(self.chain.migrate(sender, contract, code_id, msg, gas_limit=gas_limit))

    def bank_send(self, sender: str, to: str, amount: Sequence[Coin], *, gas_limit: int | None) -> TxResult:
        """A bank transfer."""
        return self._tx(self.chain.bank_send(sender, to, amount, gas_limit=gas_limit))

    def smart_query(self, contract: str, msg: Any) -> QueryResult:
        """A smart query."""
        self._last_query = self.chain.query(contract, msg)
        return self.chain.query_result(self._last_query)

    def raw_query(self, contract: str, key: bytes) -> QueryResult:
        """A raw storage read (JSON-decoded when the value is JSON)."""
        import json

        value = self.chain.raw_query(contract, key)
        if value is None:
            return QueryResult(ok=True, data=None, raw=None)
        try:
            return QueryResult(ok=True, data=json.loads(value), raw=value.decode())
        except (UnicodeDecodeError, ValueError):
            return QueryResult(ok=True, data=None, raw=value.hex())

    def report_for(self, tx_hash: str) -> GasReport | None:
        """The model's report of a tx."""
        return self._reports.get(tx_hash)

    def last_query_report(self) -> GasReport | None:
        """The model's report of the last smart query."""
        return self._last_query


def mock_chain_for(
    scenario: Scenario,
    profile: str | ChainProfile = "injective-localnet",
    *,
    tx_sizer: TxSizer | None = None,
    **overrides: Any,
) -> MockChain:
    """A mock chain with the scenario's chain settings and funded accounts; tx sizes from the chain
    client's encoder unless ``tx_sizer`` says otherwise."""
    prof = profile if isinstance(profile, ChainProfile) else load_profile(profile)
    if tx_sizer is None:
        tx_sizer = ClientTxSizer()
    settings = scenario.chain
    # the state a fresh localnet starts from: the validator is the genesis' first account, and
    # the fee of its genesis tx is with the fee receiver (gasmodel/chain/localnet.py)
    kw: dict[str, Any] = {
        "first_account_number": 1,
        "fee_receiver_balance": LOCALNET_GENTX_GAS * DEFAULT_GAS_PRICE,
        "chain_id": settings.chain_id,
        "height": settings.initial_height,
        "time": settings.genesis_time,
        "block_seconds": settings.block_seconds,
        "gas_margin": scenario.gas_margin,
        "fallback_gas_limit": scenario.fallback_gas_limit,
        "key_seed": scenario.key_seed(),
        "tx_sizer": tx_sizer,
    }
    kw.update(overrides)
    chain = MockChain(prof, **kw)
    for a in scenario.accounts:
        chain.add_account(a.name, key_type=a.key_type, balance=a.balance)
    return chain


def run_offline(
    scenario: Scenario,
    profile: str | ChainProfile = "injective-localnet",
    *,
    progress: ProgressFn | None = None,
    tx_sizer: TxSizer | None = None,
    profile_calls: bool = False,
    **overrides: Any,
) -> ScenarioResult:
    """Run a scenario on a fresh mock chain; the same results format as a localnet run
    (``profile_calls``: every step's report gets its call stacks, see ``docs/profiling.md``)."""
    chain = mock_chain_for(scenario, profile, tx_sizer=tx_sizer, **overrides)
    chain.profiling = profile_calls
    settings = {
        "chain_id": chain.block.chain_id,
        "initial_height": scenario.chain.initial_height,
        "genesis_time": scenario.chain.genesis_time.isoformat(),
        "block_seconds": scenario.chain.block_seconds,
        "min_gas_price": chain.gas_price,
        "denom": chain.denom,
        "gas_margin": scenario.gas_margin,
    }
    return execute_scenario(
        scenario, MockBackend(chain, settings), fresh=True, progress=progress, profile=chain.profile.name
    )
