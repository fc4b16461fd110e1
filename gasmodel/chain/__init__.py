"""The local chain: a localnet manager (:mod:`.localnet`) and a cosmpy-based client (:mod:`.client`)."""

from __future__ import annotations

from gasmodel.chain.client import ChainClient
from gasmodel.chain.keys import AccountKey, KeyType, derive_key
from gasmodel.chain.localnet import (
    AccountSpec,
    Localnet,
    LocalnetConfig,
    LocalnetPorts,
    LocalnetStatus,
    running_localnet,
)
from gasmodel.chain.txsize import encode_json_msg
from gasmodel.chain.types import ChainInfo, Coin, Event, QueryResult, TxResult

__all__ = [
    "AccountKey",
    "AccountSpec",
    "ChainClient",
    "ChainInfo",
    "Coin",
    "Event",
    "KeyType",
    "Localnet",
    "LocalnetConfig",
    "LocalnetPorts",
    "LocalnetStatus",
    "QueryResult",
    "TxResult",
    "derive_key",
    "encode_json_msg",
    "running_localnet",
]
