"""The seams inside :mod:`gasmodel.vm`: what host imports see of a call, and of the chain.

Three parties meet here, each behind a small protocol so that each can be built and tested alone:

* the **runtime** (instrumented module on wasmtime, the gas meter) gives host functions a
  :class:`CallContext` for the duration of one import call;
* the **host** (``env`` imports, Regions, crypto, addresses) is written against
  :class:`CallContext` and :class:`Backend` only;
* the **chain** (the mock chain, or a test double) implements :class:`Backend`: the contract's
  prefixed KV store, the querier, and what the chain knows about addresses.

Units: ``cw`` = CosmWasm VM gas, ``sdk`` = Cosmos SDK gas (see :mod:`gasmodel.costs.table`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol


class VmAbort(Exception):
    """Ends a contract call from inside a host function; the runtime turns it into a call outcome.

    ``kind`` is one of ``"out_of_gas"`` (cosmwasm-vm ``GasDepletion``: "Ran out of gas during
    contract execution"), ``"aborted"`` (``env.abort``: "Aborted: {message}"), ``"host_error"``
    (any other VmError a host function raises: a bad Region, a write in a query, a too-long key ...).
    Not a user-facing error: it never leaves :mod:`gasmodel.vm`.
    """

    def __init__(self, kind: str, message: str) -> None:
        self.kind = kind
        self.message = message
        super().__init__(f"{kind}: {message}")


class CallContext(Protocol):
    """What a host function may do during one import call (all offsets are u32 in linear memory)."""

    def read_memory(self, offset: int, length: int) -> bytes:
        """Bytes of the contract's memory; VmAbort("host_error") when out of bounds."""
        ...

    def write_memory(self, offset: int, data: bytes) -> None:
        """Write into the contract's memory; VmAbort("host_error") when out of bounds."""
        ...

    def allocate(self, size: int) -> int:
        """Call the guest's ``allocate(size)`` (metered Wasm, counted like any other guest code)."""
        ...

    def deallocate(self, ptr: int) -> None:
        """Call the guest's ``deallocate(ptr)``."""
        ...

    def charge(self, cost_cw: int, externally_used_cw: int = 0) -> None:
        """cosmwasm-vm ``process_gas_info``: charge VM gas (``cost_cw``, counted as the call's
        internal gas) and record ``externally_used_cw`` (gas the backend already charged on the
        SDK meter, e.g. KV store gas x multiplier). Raises VmAbort("out_of_gas") exactly when
        ``externally_used + cost > gas_left`` (the remaining gas is then set to 0, saturating).
        ``import_name`` accounting for the report is done by the caller of the host function."""
        ...

    @property
    def gas_left(self) -> int:
        """CW gas left in this call (what ``query_chain`` passes on as the sub-query's limit)."""
        ...


class KvStore(Protocol):
    """One contract's storage as wasmd gives it to the VM: keys are the contract's own keys; the
    gas (SDK gas) of each operation is returned by the store, computed on the *prefixed* key the
    Cosmos SDK gaskv store sees (``0x03`` + contract address bytes + key)."""

    def get(self, key: bytes) -> tuple[bytes | None, int]:
        """(value or None, sdk gas)."""
        ...

    def set(self, key: bytes, value: bytes) -> int:
        """sdk gas."""
        ...

    def remove(self, key: bytes) -> int:
        """sdk gas."""
        ...

    def scan(
        self, start: bytes | None, end: bytes | None, ascending: bool
    ) -> tuple[Iterator[tuple[bytes, bytes]], int]:
        """An iterator over ``[start, end)`` and the sdk gas of creating it (one seek if valid)."""
        ...

    def next_gas(self, key: bytes, value: bytes) -> int:
        """sdk gas of advancing onto the next item ``(key, value)`` (gaskv ``consumeSeekGas``)."""
        ...


class AddressApi(Protocol):
    """The chain's address functions (wasmd ``api.go``); each returns its sdk gas too."""

    def validate(self, human: str) -> tuple[str | None, int]:
        """(error text or None, sdk gas)."""
        ...

    def canonicalize(self, human: str) -> tuple[bytes | str, int]:
        """(canonical bytes, or an error text, sdk gas)."""
        ...

    def humanize(self, canonical: bytes) -> tuple[str | None, str | None, int]:
        """(human address or None, error text or None, sdk gas)."""
        ...


class Backend(Protocol):
    """What the host needs of the chain for one contract call."""

    @property
    def storage(self) -> KvStore: ...

    @property
    def api(self) -> AddressApi: ...

    @property
    def gas_multiplier(self) -> int:
        """CW gas per SDK gas (wasmd ``DefaultGasMultiplier``)."""
        ...

    def query_chain(self, request: bytes, gas_limit_cw: int) -> tuple[bytes, int]:
        """Run a ``QueryRequest`` (JSON bytes) for the contract; returns the serialized
        ``SystemResult<ContractResult<Binary>>`` JSON and the sdk gas the query used."""
        ...
