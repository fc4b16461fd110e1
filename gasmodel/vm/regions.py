"""Regions: how the host and the contract pass bytes (cosmwasm-vm ``memory.rs``).

A Region is 12 bytes in the contract's memory: ``offset``, ``capacity``, ``length``, each a
little-endian u32. Reading and writing one is charged as the cost table's ``region`` section says
(``read_region_cost`` before the length check, ``write_region_cost`` in 3.x) through
:meth:`CallContext.charge`; every failure is a ``VmAbort("host_error")`` with cosmwasm-vm's
reason. This is the one Region reader of :mod:`gasmodel.vm` (entry points and host imports).
"""

from __future__ import annotations

import struct
from typing import NamedTuple

from gasmodel.costs.table import RegionCosts
from gasmodel.vm.context import CallContext, VmAbort

__all__ = ["Region", "get_region", "read_region", "write_region"]

_REGION = struct.Struct("<III")
_U32_MAX = 0xFFFF_FFFF


class Region(NamedTuple):
    """The three fields of a Region."""

    offset: int
    capacity: int
    length: int


def get_region(ctx: CallContext, ptr: int) -> Region:
    """The Region at ``ptr``, validated as cosmwasm-vm ``validate_region`` does."""
    raw = ctx.read_memory(ptr, 12)
    region = Region(*_REGION.unpack(raw))
    if region.offset == 0:
        raise VmAbort("host_error", "Region validation error: Got a zero Wasm address in the offset")
    if region.length > region.capacity:
        raise VmAbort(
            "host_error",
            f"Region validation error: The length {region.length} exceeds the capacity {region.capacity}",
        )
    if region.capacity > _U32_MAX - region.offset:
        raise VmAbort(
            "host_error",
            f"Region validation error: The Region with offset {region.offset} and capacity "
            f"{region.capacity} is out of range",
        )
    return region


def read_region(ctx: CallContext, ptr: int, max_length: int, costs: RegionCosts) -> bytes:
    """The bytes a Region holds: charged (``read_region_cost``) before the length check."""
    region = get_region(ctx, ptr)
    cost = costs.read_cost(region.length)
    if cost:
        ctx.charge(cost)
    if region.length > max_length:
        raise VmAbort(
            "host_error",
            f"Region length too big. Got {region.length}, limit {max_length}",
        )
    return ctx.read_memory(region.offset, region.length)


def write_region(ctx: CallContext, ptr: int, data: bytes, costs: RegionCosts) -> None:
    """Write ``data`` into the Region at ``ptr`` and set its length (``write_region_cost`` first)."""
    region = get_region(ctx, ptr)
    cost = costs.write_cost(len(data))
    if cost:
        ctx.charge(cost)
    if len(data) > region.capacity:
        raise VmAbort(
            "host_error",
            f"Region too small. Got {region.capacity}, required {len(data)}",
        )
    ctx.write_memory(region.offset, data)
    ctx.write_memory(ptr, _REGION.pack(region.offset, region.capacity, len(data)))
