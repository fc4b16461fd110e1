"""The exact instruction stream of one function, on demand: offsets, opcode ids, immediates.

:func:`gasmodel.wasm.decode` keeps only opcode ids per function (``Function.ops``). Whoever needs
where each instruction sits in the module (a rewriter inserting code, a lint pointing at a byte)
asks for one function's stream here; it is read by the exact decoder of
:mod:`gasmodel.wasm.instructions`, so it agrees with ``Function.ops`` instruction by instruction.
"""

from __future__ import annotations

from dataclasses import dataclass

from gasmodel.errors import WasmDecodeError
from gasmodel.wasm.heads import read_locals
from gasmodel.wasm.instructions import Immediate, read_instruction
from gasmodel.wasm.reader import Reader
from gasmodel.wasm.types import Function

__all__ = ["Instr", "code_start", "instruction_offsets", "instructions"]


@dataclass(frozen=True, slots=True)
class Instr:
    """One instruction: absolute byte offsets ``[offset, end)`` in the module, opcode id
    (index into :data:`gasmodel.wasm.opcodes.OPCODES`) and immediates."""

    offset: int
    op: int
    immediates: tuple[Immediate, ...]
    end: int


def code_start(data: bytes, fn: Function) -> int:
    """Absolute offset of the first instruction of ``fn`` (after its local declarations)."""
    r = Reader(data, fn.offset, fn.offset + fn.size, fn.index, fn.name)
    read_locals(r)
    return r.pos


def instructions(data: bytes, fn: Function) -> list[Instr]:
    """Every instruction of ``fn`` (the final ``end`` included), read exactly from ``data``.

    ``data`` is the module's bytes (the ones ``fn`` was decoded from).
    """
    end = fn.offset + fn.size
    if end > len(data):
        raise WasmDecodeError("function body lies beyond the module's bytes", fn.offset, fn.index, fn.name)
    r = Reader(data, code_start(data, fn), end, fn.index, fn.name)
    out: list[Instr] = []
    append = out.append
    while r.pos < end:
        at = r.pos
        op, imms = read_instruction(r)
        append(Instr(at, op, imms, r.pos))
    _check_ops(out, fn)
    return out


def instruction_offsets(data: bytes, fn: Function) -> list[int]:
    """Absolute offset of each instruction of ``fn`` plus, last, the end of the body."""
    offs = [i.offset for i in instructions(data, fn)]
    offs.append(fn.offset + fn.size)
    return offs


def _check_ops(out: list[Instr], fn: Function) -> None:
    if len(out) != len(fn.ops) or any(i.op != o for i, o in zip(out, fn.ops, strict=False)):
        raise WasmDecodeError(
            "instruction stream disagrees with the decoded function (different module bytes?)",
            fn.offset,
            fn.index,
            fn.name,
        )
