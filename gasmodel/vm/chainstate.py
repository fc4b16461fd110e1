"""What the mock chain stores: accounts, balances, codes, contracts, block; with snapshots.

Everything that a transaction may change goes through :class:`Journal`, so a failed message,
a failed sub-message or a simulation rolls back exactly (contract storage keeps its own journal,
:class:`gasmodel.vm.storage.ContractStorage`, whose marks are taken with the same snapshot).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from gasmodel.chaintypes import KeyType
from gasmodel.vm.storage import ContractStorage


@dataclass(frozen=True)
class AccountState:
    """An account: address, key type (None for contracts and modules), public key, number, sequence."""

    address: str
    canonical: bytes
    account_number: int
    key_type: KeyType | None = None
    public_key: bytes | None = None
    sequence: int = 0
    name: str | None = None


@dataclass(frozen=True)
class StoredCode:
    """A stored code: id, checksum, the uncompressed module, who stored it and when."""

    code_id: int
    checksum: bytes
    wasm: bytes
    creator: str
    height: int
    pinned: bool = False
    """Pinned in the VM cache (by governance); the mock chain has no pin message yet."""


@dataclass
class ContractState:
    """A contract instance: address, code, creator, admin, label, creation position, storage."""

    address: str
    canonical: bytes
    code_id: int
    creator: str
    admin: str | None
    label: str
    created_height: int
    created_tx_index: int
    storage: ContractStorage
    history: list[tuple[str, int, int, bytes]] = field(default_factory=list)
    """(operation, code id, height, msg) per history entry (init, migrate)."""


@dataclass
class Block:
    """The current block: height, time, chain id, index of the tx within it."""

    chain_id: str
    height: int
    time: datetime
    tx_index: int = 0

    @property
    def time_ns(self) -> int:
        """Block time in Unix nanoseconds, as the env carries it."""
        return int(self.time.timestamp()) * 1_000_000_000 + self.time.microsecond * 1000


_MISSING = object()


class Journal:
    """Undo log for plain dict changes; contract storages are marked alongside."""

    def __init__(self) -> None:
        self._log: list[tuple[dict[Any, Any], Any, Any]] = []

    def set(self, d: dict[Any, Any], key: Any, value: Any) -> None:
        """``d[key] = value``, undoable."""
        self._log.append((d, key, d.get(key, _MISSING)))
        d[key] = value

    def delete(self, d: dict[Any, Any], key: Any) -> None:
        """``del d[key]`` if present, undoable."""
        if key in d:
            self._log.append((d, key, d[key]))
            del d[key]

    def mark(self) -> int:
        """A position to roll back to."""
        return len(self._log)

    def rollback(self, mark: int) -> None:
        """Undo every change made after ``mark``."""
        while len(self._log) > mark:
            d, key, old = self._log.pop()
            if old is _MISSING:
                d.pop(key, None)
            else:
                d[key] = old
