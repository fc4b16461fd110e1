"""Static cost of a function: its metering blocks under a cost table.

The *static cost* of a function is the sum of its metering blocks, i.e. the cost of executing
every instruction of the body exactly once (no loop iterations, every branch arm counted). Its
*weight* on a call path adds the locals charge, paid once per call.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from gasmodel.analysis.blocks import MeteringBlock, split_blocks
from gasmodel.wasm import Function


def _no_locals_charge(_: int) -> int:
    return 0


@dataclass(frozen=True, slots=True)
class MeteringSpec:
    """What the metering needs from a cost table (in the table's unit, CW gas for CosmWasm)."""

    op_cost: Callable[[int], int]
    """Cost of one operator by opcode id."""
    accounting: Collection[int]
    """Opcode ids that close a metering block."""
    op_name: Callable[[int], str]
    """Text-format name of an opcode id (names block terminators)."""
    locals_charge: Callable[[int], int] = _no_locals_charge
    """Per-call charge of a function with this many declared locals."""
    unit: str = "cw_gas"
    charge_at_block_end: bool = True
    """cosmwasm-vm metering: a block is charged at its accounting operator (else: per instruction)."""
    function_entry: int = 0
    """Charged on every function entry (wasmtime fuel: 1)."""


@dataclass(frozen=True, slots=True)
class FunctionCost:
    """Static facts of one defined function under a :class:`MeteringSpec`."""

    index: int
    blocks: tuple[MeteringBlock, ...]
    static_cost: int
    locals_charge: int

    @property
    def weight(self) -> int:
        """Cost of one call executing each instruction once: static cost + locals charge."""
        return self.static_cost + self.locals_charge


def function_cost(fn: Function, spec: MeteringSpec) -> FunctionCost:
    """Metering blocks and static cost of one function."""
    blocks = split_blocks(fn.ops, spec.op_cost, spec.accounting, spec.op_name)
    return FunctionCost(
        index=fn.index,
        blocks=blocks,
        static_cost=sum(b.cost for b in blocks),
        locals_charge=spec.locals_charge(fn.num_locals),
    )
