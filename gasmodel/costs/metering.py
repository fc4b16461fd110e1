"""Metering blocks: how cosmwasm-vm's Metering middleware splits a function body.

The middleware walks a function's operators once. Each operator's cost is added to an
accumulator *first*; when the operator is an accounting operator (a branch, ``end``, a call…)
the accumulated cost, the operator's own included, is charged there and the accumulator resets.
A metering block is therefore a maximal run of operators ending at an accounting operator
(or at the end of the body, which in valid Wasm is always the accounting ``end``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TypeVar

Op = TypeVar("Op")


@dataclass(frozen=True, slots=True)
class MeteringBlock:
    """One metering block: operators ``start..end`` (inclusive indexes into the body)."""

    start: int
    end: int
    cost: int
    terminator: str
    """Name of the operator that closes the block ("" if the body ends without one)."""

    @property
    def num_ops(self) -> int:
        """How many operators the block holds."""
        return self.end - self.start + 1


def split_blocks(
    ops: Sequence[Op],
    cost: Callable[[Op], int],
    accounting: Collection[Op],
    name: Callable[[Op], str] = str,
) -> tuple[MeteringBlock, ...]:
    """Split ``ops`` into metering blocks.

    ``cost(op)`` prices one operator, ``accounting`` holds the operators that close a block and
    ``name(op)`` names a terminator. Ops may be opcode ids or names: the function only compares.
    """
    blocks: list[MeteringBlock] = []
    start = 0
    acc = 0
    for i, op in enumerate(ops):
        acc += cost(op)
        if op in accounting:
            blocks.append(MeteringBlock(start, i, acc, name(op)))
            start = i + 1
            acc = 0
    if start < len(ops):
        blocks.append(MeteringBlock(start, len(ops) - 1, acc, ""))
    return tuple(blocks)
