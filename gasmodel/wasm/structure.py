"""Block structure of function bodies, checked on their opcode bytes without a loop per instruction.

Every ``block``, ``loop``, ``if``, ``try`` and ``try_table`` must be closed by an ``end`` (or a
``delegate``) inside the same body, and each body must end with its own final ``end``, which
closes the function. Nothing is type-checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import accumulate, repeat

from gasmodel.errors import WasmDecodeError
from gasmodel.wasm.opcodes import BY_NAME, names_with_role

_OPEN_CODES = {BY_NAME[n].code for n in names_with_role("block")}
_CLOSE_CODES = {BY_NAME[n].code for n in ("end", "delegate")}
_END = BY_NAME["end"].code

# Opcode bytes -> "(" for block openers, ")" for end/delegate, "]" for the separator between bodies
# (put in place of each body's final end before translating), everything else deleted.
_PARENS = bytes(
    0x28 if b in _OPEN_CODES else 0x29 if b in _CLOSE_CODES else 0x5D if b == 0xFF else 0 for b in range(256)
)
_PARENS_DELETE = bytes(b for b in range(256) if _PARENS[b] == 0)
_DEPTH_STEP = {0x28: 1, 0x29: -1}  # "(" and ")" -> change of the running depth


def structure_ok(ops: bytes, n_bodies: int) -> bool:
    """Whether every body nests its blocks and ends with its own ``end``.

    ``ops`` holds the opcode bytes of all bodies (first byte of each instruction), one 0xff
    between two bodies. Each body's final ``end`` becomes a mark ``]`` and the other structural
    opcodes ``(`` and ``)``; a body is well formed when it opens as many blocks as it closes and
    its running depth never drops below zero.
    """
    if not ops.endswith(b"\x0b") or ops.count(b"\x0b\xff") != n_bodies - 1:
        return False
    # Every body ends with ``end``, so the ")" before each "]" (and the last one) is a final end.
    parens = (ops.translate(_PARENS, _PARENS_DELETE) + b"]").replace(b")]", b"]")
    bodies = parens.split(b"]")
    if list(map(bytes.count, bodies, repeat(b"("))) != list(map(bytes.count, bodies, repeat(b")"))):
        return False
    # Every body is balanced, so the running depth over all of them is each body's own depth.
    return min(accumulate(map(_DEPTH_STEP.__getitem__, parens.replace(b"]", b""))), default=0) >= 0


def check_structure(
    ops: bytes, a: int, b: int, start: int, size: int, index: int, names: Mapping[int, str]
) -> None:
    """Raise the error of one body (opcode bytes ``ops[a:b]``, at ``start`` with ``size`` bytes)."""
    end = start + size
    if ops[b - 1] != _END:
        raise WasmDecodeError("function body does not end with 'end'", end - 1, index, names.get(index))
    parens = ops[a : b - 1].translate(_PARENS, _PARENS_DELETE)
    opens = parens.count(b"(")
    closes = len(parens) - opens
    if opens != closes:
        raise WasmDecodeError(
            f"unbalanced blocks: {opens} opened, {closes} closed before the final 'end'",
            end - 1,
            index,
            names.get(index),
        )
    if opens and min(accumulate(map(_DEPTH_STEP.__getitem__, parens))) < 0:
        raise WasmDecodeError(
            "an 'end' closes the function before the end of its body",
            start,
            index,
            names.get(index),
        )
