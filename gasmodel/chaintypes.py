"""What a chain records, shared by the chain client, the mock chain and scenarios.

Coins, events, tx and query results, the chain's versions and parameters, and the key types an
account may have. Nothing here talks to a chain: :mod:`gasmodel.chain` (the cosmpy client) and
:mod:`gasmodel.vm.chain` (the mock chain) both produce these, and :mod:`gasmodel.scenario` reads
them without importing either.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

LOCALNET_GENTX_GAS = 1_000_000
"""Gas limit of the validator's genesis tx on the project's localnet: its fee (this x the minimum gas
price) is with the fee receiver when the first block starts, and the validator's account is the
genesis' first (account number 0). The mock chain starts from the same state for scenarios."""

DEFAULT_DENOM = "inj"
"""The fee and balance denomination of the project's localnet (and the default of clients and scenarios)."""
DEFAULT_GAS_PRICE = 160_000_000
"""The gas price (in ``DEFAULT_DENOM`` per gas) the project's localnet requires at the least, and
the one its client and the mock chain pay by default."""
DEFAULT_GAS_MARGIN = 1.3
"""What the client multiplies the simulated gas by to get a tx's gas limit (when not fixed)."""
DEFAULT_FALLBACK_GAS_LIMIT = 5_000_000
"""The gas limit the client gives a tx whose simulation fails (so the chain still reports why)."""


def gas_limit_from_simulation(simulated: int, margin: float, cap: int | None = None) -> int:
    """The gas limit the client sets after a simulation: the simulated gas times ``margin``,
    rounded up, at most ``cap`` (when given and not 0). The mock chain sets the same."""
    limit = math.ceil(simulated * margin)
    return min(limit, cap) if cap else limit


class KeyType(StrEnum):
    """The key types an account may sign with (Injective accepts both)."""

    ETH_SECP256K1 = "eth_secp256k1"
    SECP256K1 = "secp256k1"



class Coin(BaseModel):
    """An amount of one denomination; ``amount`` is an integer (arbitrary size)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    denom: str
    amount: int = Field(ge=0)

    def __str__(self) -> str:
        return f"{self.amount}{self.denom}"


class EventAttribute(BaseModel):
    """One key/value attribute of an ABCI event."""

    model_config = ConfigDict(frozen=True)

    key: str
    value: str


class Event(BaseModel):
    """One ABCI event as the chain emitted it, attributes in order."""

    model_config = ConfigDict(frozen=True)

    type: str
    attributes: list[EventAttribute] = Field(default_factory=list)

    def get(self, key: str) -> str | None:
        """The value of the first attribute named ``key``."""
        return next((a.value for a in self.attributes if a.key == key), None)


Stage = Literal["simulate", "check_tx", "deliver_tx"]


class TxResult(BaseModel):
    """The outcome of one transaction: what the chain measured and said.

    ``stage`` is where the outcome was decided: ``deliver_tx`` for a tx included in a block
    (successful or not), ``check_tx`` for a tx the mempool refused (it never reached a block).
    ``simulated_gas`` is the gas the simulation reported before broadcast (None if the gas limit
    was fixed or the simulation failed; ``simulate_error`` then holds the chain's text).
    """

    model_config = ConfigDict(frozen=True)

    tx_hash: str
    stage: Stage
    height: int = 0
    timestamp: str = ""
    code: int
    codespace: str = ""
    gas_wanted: int
    gas_used: int
    raw_log: str = ""
    events: list[Event] = Field(default_factory=list)
    tx_size: int
    msg_type: str
    simulated_gas: int | None = None
    simulate_error: str | None = None
    code_id: int | None = None
    checksum: str | None = None
    contract_address: str | None = None
    data: str | None = None
    tx_bytes: bytes = Field(default=b"", repr=False, exclude=True)

    @property
    def ok(self) -> bool:
        """True if the chain executed the tx successfully."""
        return self.code == 0 and self.stage == "deliver_tx"

    def events_of(self, event_type: str) -> list[Event]:
        """All events of one type, in order."""
        return [e for e in self.events if e.type == event_type]


class QueryResult(BaseModel):
    """The outcome of a smart or raw query: the returned bytes (decoded as JSON when they are) or an error."""

    model_config = ConfigDict(frozen=True)

    ok: bool
    data: Any = None
    raw: str | None = None
    error: str | None = None
    code: int = 0


class ChainVersions(BaseModel):
    """Versions the node reports about itself."""

    model_config = ConfigDict(frozen=True)

    app_name: str
    app_version: str
    git_commit: str
    go_version: str
    cosmos_sdk: str
    wasmd: str | None = None
    wasmvm: str | None = None
    cometbft: str | None = None
    node_version: str = ""


class ChainInfo(BaseModel):
    """Everything that makes a measurement on this chain self-describing."""

    model_config = ConfigDict(frozen=True)

    chain_id: str
    versions: ChainVersions
    wasm_params: dict[str, Any]
    auth_params: dict[str, Any]
    block_params: dict[str, Any]
    min_gas_price: str
    latest_height: int
