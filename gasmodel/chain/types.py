"""Data the chain client returns (defined in :mod:`gasmodel.chaintypes`, shared with the mock chain)."""

from __future__ import annotations

from gasmodel.chaintypes import (
    ChainInfo,
    ChainVersions,
    Coin,
    Event,
    EventAttribute,
    QueryResult,
    Stage,
    TxResult,
)

__all__ = [
    "ChainInfo",
    "ChainVersions",
    "Coin",
    "Event",
    "EventAttribute",
    "QueryResult",
    "Stage",
    "TxResult",
]
