"""What the scenario runner needs of a chain: the protocol both the localnet and the mock chain implement.

The runner (:mod:`gasmodel.scenario.runner`) only talks to a :class:`ScenarioBackend`; it never
knows whether a real chain (:mod:`gasmodel.scenario.localnet`, over the cosmpy client) or the
mock chain (:mod:`gasmodel.scenario.offline`, :class:`gasmodel.vm.chain.MockChain`) answers.
Senders are the scenario's account names; the backend holds their keys or accounts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, Protocol

from gasmodel.chaintypes import ChainInfo, Coin, QueryResult, TxResult
from gasmodel.report import GasReport


class ScenarioBackend(Protocol):
    """A chain that runs a scenario's steps. Each tx method returns what the chain recorded; a tx
    the chain refuses is a result with a non-zero code, not an exception (``ChainError`` is for a
    chain that cannot be used at all)."""

    kind: Literal["localnet", "mock"]

    def address_of(self, account: str) -> str:
        """The address of a scenario account."""
        ...

    def chain_info(self) -> ChainInfo:
        """The chain's versions and gas parameters (for the results file)."""
        ...

    def settings(self) -> dict[str, Any]:
        """How the chain was set up (chain id, heights, gas price...; the results' ``localnet`` field)."""
        ...

    def store_code(self, sender: str, wasm: bytes, *, gas_limit: int | None) -> TxResult:
        """Upload ``wasm`` exactly as given (already gzipped if it should be)."""
        ...

    def instantiate(self, sender: str, code_id: int, msg: Any, *, label: str, admin: str | None,
                    funds: Sequence[Coin], gas_limit: int | None) -> TxResult:
        """Instantiate a stored code."""
        ...

    def execute(self, sender: str, contract: str, msg: Any, *, funds: Sequence[Coin],
                gas_limit: int | None) -> TxResult:
        """Execute a contract."""
        ...

    def migrate(self, sender: str, contract: str, code_id: int, msg: Any, *,
                gas_limit: int | None) -> TxResult:
        """Migrate a contract (the sender must be its admin)."""
        ...

    def bank_send(self, sender: str, to: str, amount: Sequence[Coin], *, gas_limit: int | None) -> TxResult:
        """A bank transfer."""
        ...

    def smart_query(self, contract: str, msg: Any) -> QueryResult:
        """A smart query."""
        ...

    def raw_query(self, contract: str, key: bytes) -> QueryResult:
        """A raw storage read."""
        ...

    def report_for(self, tx_hash: str) -> GasReport | None:
        """The model's gas report of a tx this backend ran (None on a real chain)."""
        ...

    def last_query_report(self) -> GasReport | None:
        """The model's gas report of the last smart query (None on a real chain)."""
        ...
