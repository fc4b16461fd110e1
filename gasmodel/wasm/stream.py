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
from gasmodel.wasm.opcodes import OPCODES
from gasmodel.wasm.reader import VALTYPES, Reader
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
    """Absolute offset of each instruction of ``fn`` plus, last, the end of the body.

    A length-only walk (no immediates decoded) for the common single-byte instructions; anything
    else is read by the exact decoder. The result is checked against ``fn.ops`` (count and the
    first byte of every instruction); on any disagreement the exact stream decides.
    """
    end = fn.offset + fn.size
    p = code_start(data, fn)
    offs: list[int] = []
    append = offs.append
    shape = _SHAPE
    r: Reader | None = None
    try:
        while p < end:
            append(p)
            b = data[p]
            k = shape[b]
            p += 1
            if k == 1:  # one LEB128
                while data[p] & 0x80:
                    p += 1
                p += 1
            elif k == 0:
                pass
            elif k == 3 and data[p] < 0x40:  # memarg without a memory index: flags, offset
                p += 1
                while data[p] & 0x80:
                    p += 1
                p += 1
            elif k == 4 and data[p] in _ONE_BYTE_BLOCKTYPES:
                p += 1
            elif k == 2:  # two LEB128s
                while data[p] & 0x80:
                    p += 1
                p += 1
                while data[p] & 0x80:
                    p += 1
                p += 1
            elif k == 5:
                p += 4
            elif k == 6:
                p += 8
            else:  # the exact decoder
                if r is None:
                    r = Reader(data, p - 1, end, fn.index, fn.name)
                r.pos = p - 1
                read_instruction(r)
                p = r.pos
    except IndexError:
        p = -1
    if (
        p != end
        or len(offs) != len(fn.ops)
        or bytes(data[o] for o in offs) != bytes(_FIRST[i] for i in fn.ops)
    ):
        offs = [i.offset for i in instructions(data, fn)]
    offs.append(end)
    return offs


def _shapes() -> tuple[bytes, bytes]:
    kinds = {
        (): 0,
        ("memarg",): 3,
        ("blocktype",): 4,
        ("typeidx", "tableidx"): 2,
        ("f32",): 5,
        ("f64",): 6,
    }
    one_leb = {
        "labelidx",
        "funcidx",
        "localidx",
        "tagidx",
        "typeidx",
        "globalidx",
        "tableidx",
        "memidx",
        "i32",
        "i64",
    }
    shape = bytearray([7] * 256)  # 7: the exact decoder
    for op in OPCODES:
        if op.prefix is not None:
            continue
        if len(op.immediates) == 1 and op.immediates[0] in one_leb:
            shape[op.code] = 1
        elif op.immediates in kinds:
            shape[op.code] = kinds[op.immediates]
    first = bytes(op.code if op.prefix is None else op.prefix for op in OPCODES)
    return bytes(shape), first


_SHAPE, _FIRST = _shapes()
_ONE_BYTE_BLOCKTYPES = frozenset([0x40, *VALTYPES])


def _check_ops(out: list[Instr], fn: Function) -> None:
    if len(out) != len(fn.ops) or any(i.op != o for i, o in zip(out, fn.ops, strict=False)):
        raise WasmDecodeError(
            "instruction stream disagrees with the decoded function (different module bytes?)",
            fn.offset,
            fn.index,
            fn.name,
        )
