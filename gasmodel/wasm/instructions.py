"""The exact (slow) decoder of one instruction, driven by the immediate kinds in the opcode table.

It handles every instruction in :data:`~gasmodel.wasm.opcodes.OPCODES`. Function bodies use it
only for the instructions the fast scanner in :mod:`gasmodel.wasm.code` leaves to it (``br_table``,
prefixed opcodes, long LEB128s, block types with a type index, …); constant expressions use it
for everything.
"""

from __future__ import annotations

from collections.abc import Callable

from gasmodel.wasm.opcodes import BY_ENCODING, OPCODES, PREFIXES
from gasmodel.wasm.reader import VALTYPES, Reader

Immediate = int | float | str | bytes | tuple[object, ...] | None
Instruction = tuple[int, tuple[Immediate, ...]]


def read_blocktype(r: Reader) -> int | str:
    """A block type: ``""`` (empty), a value type name, or a type index."""
    start = r.pos
    b = r.peek()
    if b == 0x40:
        r.pos += 1
        return ""
    if b in VALTYPES or b in (0x63, 0x64):
        return r.valtype()
    value = r.s33()
    if value < 0:
        raise r.error(f"invalid block type 0x{b:02x}", start)
    return value


def read_memarg(r: Reader) -> tuple[int, int, int]:
    """A memarg: ``(align, offset, memidx)``; bit 6 of the flags announces a memory index."""
    start = r.pos
    flags = r.u32()
    memidx = 0
    if flags & 0x40:
        memidx = r.u32()
        flags &= ~0x40
    if flags >= 0x40:
        raise r.error(f"memarg alignment exponent {flags} too large", start)
    offset = r.u64()
    return flags, offset, memidx


def _labeltable(r: Reader) -> tuple[int, ...]:
    n = r.count(1, "br_table label")
    labels = [r.u32() for _ in range(n)]
    labels.append(r.u32())
    return tuple(labels)


def _catches(r: Reader) -> tuple[tuple[int, int | None, int], ...]:
    n = r.count(2, "try_table catch")
    out: list[tuple[int, int | None, int]] = []
    for _ in range(n):
        start = r.pos
        kind = r.byte()
        if kind in (0x00, 0x01):
            tag: int | None = r.u32()
        elif kind in (0x02, 0x03):
            tag = None
        else:
            raise r.error(f"unknown try_table catch kind 0x{kind:02x}", start)
        out.append((kind, tag, r.u32()))
    return tuple(out)


def _valtypes(r: Reader) -> tuple[str, ...]:
    n = r.count(1, "select type")
    return tuple(r.valtype() for _ in range(n))


def _zero(r: Reader) -> int:
    start = r.pos
    b = r.byte()
    if b != 0:
        raise r.error(f"expected a zero byte, got 0x{b:02x}", start)
    return 0


_U32_KINDS = [
    "labelidx",
    "funcidx",
    "typeidx",
    "tableidx",
    "memidx",
    "localidx",
    "globalidx",
    "tagidx",
    "dataidx",
    "elemidx",
]

_READERS: dict[str, Callable[[Reader], Immediate]] = {
    **{k: Reader.u32 for k in _U32_KINDS},
    "blocktype": read_blocktype,
    "labeltable": _labeltable,
    "memarg": read_memarg,
    "i32": Reader.s32,
    "i64": Reader.s64,
    "f32": Reader.f32,
    "f64": Reader.f64,
    "v128": lambda r: r.take(16),
    "shuffle": lambda r: r.take(16),
    "laneidx": Reader.byte,
    "heaptype": Reader.heaptype,
    "valtypes": _valtypes,
    "catches": _catches,
    "zero": _zero,
}

# Per opcode id, the readers of its immediates.
_IMM_READERS: tuple[tuple[Callable[[Reader], Immediate], ...], ...] = tuple(
    tuple(_READERS[k] for k in op.immediates) for op in OPCODES
)


def read_opcode(r: Reader) -> int:
    """The opcode id of the instruction at the cursor (consumes the opcode bytes only)."""
    start = r.pos
    b = r.byte()
    if b in PREFIXES:
        sub = r.u32()
        op = BY_ENCODING.get((b, sub))
        if op is None:
            raise r.error(f"unknown opcode 0x{b:02x} 0x{sub:x}", start)
        return op.id
    op = BY_ENCODING.get((None, b))
    if op is None:
        raise r.error(f"unknown opcode 0x{b:02x}", start)
    return op.id


def read_instruction(r: Reader) -> Instruction:
    """One instruction at the cursor: ``(opcode id, immediates)``."""
    op_id = read_opcode(r)
    return op_id, tuple(read(r) for read in _IMM_READERS[op_id])
