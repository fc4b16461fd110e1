"""Test doubles for the host imports: a CallContext over a bytearray and a dict-like backend.

``FakeContext.charge`` follows cosmwasm-vm ``process_gas_info`` (CosmWasm/cosmwasm@v2.1.6
packages/vm/src/environment.rs): the remaining gas drops by ``cost + externally_used``
(saturating) and the call fails exactly when ``cost + externally_used > gas_left``.
"""

from __future__ import annotations

import struct

from gasmodel.costs import ChainProfile
from gasmodel.vm.addresses import Bech32Api
from gasmodel.vm.context import VmAbort
from gasmodel.vm.storage import ContractStorage


class FakeContext:
    """Linear memory, a bump allocator standing in for the guest's ``allocate``, a gas meter."""

    def __init__(self, gas_limit: int = 10**18, memory_size: int = 1 << 22) -> None:
        self.memory = bytearray(memory_size)
        self._gas_left = gas_limit
        self.charges: list[tuple[int, int]] = []
        self.allocations: list[int] = []
        self._heap = 4096

    # --- CallContext ---

    def read_memory(self, offset: int, length: int) -> bytes:
        if offset < 0 or offset + length > len(self.memory):
            raise VmAbort("host_error", f"out of bounds read at {offset}+{length}")
        return bytes(self.memory[offset : offset + length])

    def write_memory(self, offset: int, data: bytes) -> None:
        if offset < 0 or offset + len(data) > len(self.memory):
            raise VmAbort("host_error", f"out of bounds write at {offset}+{len(data)}")
        self.memory[offset : offset + len(data)] = data

    def allocate(self, size: int) -> int:
        self.allocations.append(size)
        return self.region(capacity=size)

    def deallocate(self, ptr: int) -> None:
        pass

    def charge(self, cost_cw: int, externally_used_cw: int = 0) -> None:
        self.charges.append((cost_cw, externally_used_cw))
        left = self._gas_left
        self._gas_left = max(0, left - externally_used_cw - cost_cw)
        if externally_used_cw + cost_cw > left:
            raise VmAbort("out_of_gas", "Ran out of gas during contract execution")

    @property
    def gas_left(self) -> int:
        return self._gas_left

    # --- helpers ---

    def region(self, data: bytes = b"", capacity: int | None = None) -> int:
        """A new Region holding ``data`` (capacity ``len(data)`` unless given); its pointer."""
        cap = len(data) if capacity is None else capacity
        ptr = self._heap
        offset = ptr + 12
        self._heap = (offset + cap + 8) & ~7
        self.memory[ptr : ptr + 12] = struct.pack("<III", offset, cap, len(data))
        self.memory[offset : offset + len(data)] = data
        return ptr

    def region_data(self, ptr: int) -> bytes:
        offset, _cap, length = struct.unpack("<III", self.memory[ptr : ptr + 12])
        return bytes(self.memory[offset : offset + length])

    @property
    def cost(self) -> int:
        """VM gas charged (``GasInfo.cost`` summed)."""
        return sum(c for c, _ in self.charges)

    @property
    def external(self) -> int:
        """Externally used gas reported (CW gas)."""
        return sum(e for _, e in self.charges)


class DictBackend:
    """A Backend: one contract's storage, the profile's bech32 API, a canned querier."""

    def __init__(self, profile: ChainProfile, contract: bytes, query_gas: int = 0) -> None:
        assert profile.costs.store is not None and profile.costs.wasmd is not None
        self._storage = ContractStorage(contract, profile.costs.store)
        self._api = Bech32Api(profile.address, profile.costs.wasmd)
        self._multiplier = profile.costs.wasmd.gas_multiplier
        self.query_gas = query_gas
        self.queries: list[tuple[bytes, int]] = []

    @property
    def storage(self) -> ContractStorage:
        return self._storage

    @property
    def api(self) -> Bech32Api:
        return self._api

    @property
    def gas_multiplier(self) -> int:
        return self._multiplier

    def query_chain(self, request: bytes, gas_limit_cw: int) -> tuple[bytes, int]:
        self.queries.append((request, gas_limit_cw))
        return b'{"ok":{"ok":"e30="}}', self.query_gas
