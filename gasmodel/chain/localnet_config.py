"""The localnet's configuration and state as data: accounts, ports, the state file, the status."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from gasmodel.chain.keys import AccountKey, KeyType
from gasmodel.chain.types import Coin
from gasmodel.chaintypes import DEFAULT_DENOM, DEFAULT_GAS_PRICE

_INJ = 10**18
VALIDATOR = "validator"
"""The validator's key name (reserved: no account may take it)."""


class AccountSpec(BaseModel):
    """A named account funded in genesis."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    key_type: KeyType = KeyType.ETH_SECP256K1
    balance: int = Field(default=10**9 * _INJ, ge=0, description="in the fee denom's base unit")
    extra_coins: list[Coin] = Field(default_factory=list, description="other denominations")


def default_accounts() -> list[AccountSpec]:
    """The accounts a localnet has unless told otherwise: a faucet and one account of each key type."""
    return [
        AccountSpec(name="faucet", key_type=KeyType.ETH_SECP256K1, balance=10**12 * _INJ),
        AccountSpec(name="alice", key_type=KeyType.ETH_SECP256K1),
        AccountSpec(name="bob", key_type=KeyType.SECP256K1),
    ]


class LocalnetPorts(BaseModel):
    """Ports on 127.0.0.1; ``None`` means: pick a free one at start."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rpc: int | None = Field(default=None, ge=1, le=65535)
    p2p: int | None = Field(default=None, ge=1, le=65535)
    grpc: int | None = Field(default=None, ge=1, le=65535)
    api: int | None = Field(default=None, ge=1, le=65535)
    abci: int | None = Field(default=None, ge=1, le=65535)


class LocalnetConfig(BaseModel):
    """How to build and run the chain. ``initial_height`` is 1_000_000 so block heights keep 7 digits
    (a contract's env JSON, hence its gas, changes when the height gains a digit)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    home: Path
    chain_id: str = "gasmodel-1"
    moniker: str = "gasmodel"
    ports: LocalnetPorts = LocalnetPorts()
    accounts: list[AccountSpec] = Field(default_factory=default_accounts)
    key_seed: str = "gasmodel"
    denom: str = DEFAULT_DENOM
    min_gas_price: int = DEFAULT_GAS_PRICE
    timeout_commit_ms: int = Field(default=300, ge=10)
    max_block_gas: int = Field(default=100_000_000, ge=1_000_000)
    simulation_gas_limit: int | None = Field(default=30_000_000, ge=100_000)
    query_gas_limit: int | None = Field(default=None, ge=100_000)
    initial_height: int = Field(default=1_000_000, ge=1)
    startup_timeout_s: float = Field(default=60.0, gt=0)
    binary: Path | None = None

    @field_validator("accounts")
    @classmethod
    def _unique_names(cls, value: list[AccountSpec]) -> list[AccountSpec]:
        names = [a.name for a in value]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"duplicate account names: {', '.join(dupes)}")
        if VALIDATOR in names:
            raise ValueError(f"the account name {VALIDATOR!r} is reserved")
        return value


class ResolvedPorts(BaseModel):
    """The ports the node actually uses."""

    model_config = ConfigDict(frozen=True)

    rpc: int
    p2p: int
    grpc: int
    api: int
    abci: int


class AccountInfo(BaseModel):
    """A funded account of the chain, with its (test-only) private key."""

    model_config = ConfigDict(frozen=True)

    name: str
    key_type: KeyType
    address: str
    private_key: str

    def key(self) -> AccountKey:
        """The signing key."""
        return AccountKey(name=self.name, key_type=self.key_type, private_key=bytes.fromhex(self.private_key))


class LocalnetState(BaseModel):
    """What ``<home>/gasmodel-localnet.json`` holds."""

    model_config = ConfigDict(frozen=True)

    config: LocalnetConfig
    ports: ResolvedPorts
    accounts: list[AccountInfo]
    binary: str
    pid: int | None = None
    started_at: str | None = None
    startup_seconds: float | None = None
    create_seconds: float | None = None


class LocalnetStatus(BaseModel):
    """What ``status`` reports."""

    model_config = ConfigDict(frozen=True)

    home: str
    chain_id: str
    running: bool
    pid: int | None
    height: int | None
    ports: ResolvedPorts
    accounts: dict[str, str]
