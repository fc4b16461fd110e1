"""One contract's storage as the chain meters it: a sorted map with Cosmos SDK ``gaskv`` gas.

wasmd gives a contract ``prefix.NewStore(gasKVStore, 0x03 + contract address)``
(CosmWasm/wasmd@v0.53.3:x/wasm/types/keys.go ``GetContractStorePrefix``), so the gas store sees
the *prefixed* key. Charges (cosmos/cosmos-sdk store v1 ``gaskv/store.go``, SDK v0.50):

* ``Get``: ``ReadCostFlat + ReadCostPerByte * (len(key) + len(value))`` (value 0 when absent);
* ``Set``: ``WriteCostFlat + WriteCostPerByte * (len(key) + len(value))``;
* ``Delete``: ``DeleteCost``;
* creating an iterator: one ``consumeSeekGas``: ``ReadCostPerByte * (len(key) + len(value))`` of
  the first item if there is one, plus ``IterNextCostFlat`` always;
* ``Next()``: ``consumeSeekGas`` on the item it moves *away from* - so wasmvm's ``db_next``
  (read key and value, then ``Next()``) pays for the item it returns, and nothing at the end.

With ``StoreCosts.charges_key_bytes = False`` (tm-db era SDKs) only value bytes are charged and
an iterator over nothing costs nothing to create.

All gas here is SDK gas. The store keeps a journal so a failed call or sub-message can be
rolled back (:meth:`ContractStorage.snapshot` / :meth:`ContractStorage.rollback`).
"""

from __future__ import annotations

from collections.abc import Iterator

from sortedcontainers import SortedDict

from gasmodel.costs.table import StoreCosts

# wasmd x/wasm/types/keys.go: ContractStorePrefix
CONTRACT_STORE_PREFIX = b"\x03"


def contract_store_prefix(contract: bytes) -> bytes:
    """wasmd ``GetContractStorePrefix``: ``0x03`` + the contract's canonical address bytes."""
    return CONTRACT_STORE_PREFIX + contract


class ContractStorage:
    """A :class:`gasmodel.vm.context.KvStore` for the contract at canonical address ``contract``."""

    def __init__(self, contract: bytes, costs: StoreCosts) -> None:
        self._costs = costs
        self._prefix_len = len(contract_store_prefix(contract))
        self._data: SortedDict = SortedDict()
        self._journal: list[tuple[bytes, bytes | None]] = []

    # --- KvStore ---

    def get(self, key: bytes) -> tuple[bytes | None, int]:
        """(value or None, sdk gas of a gaskv ``Get``)."""
        value: bytes | None = self._data.get(key)
        return value, self._costs.read(self._prefix_len + len(key), len(value or b""))

    def set(self, key: bytes, value: bytes) -> int:
        """Store ``value``; sdk gas of a gaskv ``Set``."""
        self._journal.append((key, self._data.get(key)))
        self._data[key] = value
        return self._costs.write(self._prefix_len + len(key), len(value))

    def remove(self, key: bytes) -> int:
        """Delete ``key`` (absent keys too); sdk gas of a gaskv ``Delete``."""
        if key in self._data:
            self._journal.append((key, self._data[key]))
            del self._data[key]
        return self._costs.delete

    def scan(
        self, start: bytes | None, end: bytes | None, ascending: bool
    ) -> tuple[Iterator[tuple[bytes, bytes]], int]:
        """Items with ``start <= key < end`` in order, and the sdk gas of creating the iterator.

        The iterator sees writes made after it was created (like the SDK's cache store, it
        looks the next key up on each step)."""
        it = self._iterate(start, end, ascending)
        first = self._first(start, end, ascending)
        return it, self._seek_gas(first)

    def next_gas(self, key: bytes, value: bytes) -> int:
        """sdk gas of ``Next()`` moving away from the item ``(key, value)``."""
        return self._costs.iter_step(self._prefix_len + len(key), len(value))

    # --- beyond the protocol ---

    def __len__(self) -> int:
        return len(self._data)

    def items(self) -> list[tuple[bytes, bytes]]:
        """All items in key order."""
        return list(self._data.items())

    def snapshot(self) -> int:
        """A mark to :meth:`rollback` to."""
        return len(self._journal)

    def rollback(self, mark: int) -> None:
        """Undo every write and delete since ``mark`` was taken."""
        while len(self._journal) > mark:
            key, old = self._journal.pop()
            if old is None:
                self._data.pop(key, None)
            else:
                self._data[key] = old

    # --- internals ---

    def _seek_gas(self, item: tuple[bytes, bytes] | None) -> int:
        if item is not None:
            return self.next_gas(*item)
        return self._costs.iter_next_flat if self._costs.charges_key_bytes else 0

    def _first(self, start: bytes | None, end: bytes | None, ascending: bool) -> tuple[bytes, bytes] | None:
        for key in self._data.irange(start, end, (True, False), reverse=not ascending):
            return key, self._data[key]
        return None

    def _iterate(
        self, start: bytes | None, end: bytes | None, ascending: bool
    ) -> Iterator[tuple[bytes, bytes]]:
        last: bytes | None = None
        while True:
            if last is None:
                keys = self._data.irange(start, end, (True, False), reverse=not ascending)
            elif ascending:
                keys = self._data.irange(last, end, (False, False))
            else:
                keys = self._data.irange(start, last, (True, False), reverse=True)
            key = next(iter(keys), None)
            if key is None:
                return
            last = key
            yield key, self._data[key]
