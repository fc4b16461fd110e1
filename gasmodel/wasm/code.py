"""Function bodies: one regex pass over all bodies, an exact slow path for irregular instructions.

The scanner (:mod:`gasmodel.wasm.scanner`) turns instruction bytes into one opcode byte per
instruction (a pseudo byte for the common 0xFC instructions, see
:data:`~gasmodel.wasm.scanner.FC_PSEUDO`) plus the immediates of call-like instructions. An
instruction it leaves alone (another prefixed opcode, a long ``br_table``, a block
type with a type index, garbage ...) is read by the exact decoder of
:mod:`gasmodel.wasm.instructions` and the scan resumes after it. The fast path accepts only
encodings the exact decoder decodes the same way, so both agree (``tests/test_wasm_fastpath.py``
checks it with hypothesis).

All bodies are scanned in one pass over their instructions joined by a 12-byte separator (see
:func:`_scan_joined` for why that is exact; after an irregular instruction the scan resumes in
windows, so many of them cost linear time); if anything looks wrong each body is scanned alone,
which also reports errors with their exact offset and function.

From the opcode bytes, with no Python-level loop per instruction: opcode ids by
``bytes.translate`` widened into an ``array('H')`` (prefixed instructions patched in), call
targets by decoding each distinct call encoding once, the block structure by
:mod:`gasmodel.wasm.structure`, the :class:`Function` objects by :mod:`gasmodel.wasm.functions`.
"""

from __future__ import annotations

import gc
import sys
from array import array
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from itertools import accumulate, compress

from gasmodel.errors import WasmDecodeError
from gasmodel.wasm.functions import IS_KIND, KINDS, build_functions
from gasmodel.wasm.heads import Head, read_heads, read_locals
from gasmodel.wasm.instructions import read_instruction
from gasmodel.wasm.reader import Reader
from gasmodel.wasm.scanner import CALLISH, CALLISH2, SCAN_IDS, SEP, split_ops
from gasmodel.wasm.structure import check_structure, structure_ok
from gasmodel.wasm.types import Function

__all__ = ["decode_code", "fast_ops", "read_locals", "scan_body", "slow_ops"]

_WINDOW = 2048  # first scan window of a body (grows while no irregular instruction comes)
_MAX_WINDOW = 1 << 20
"""Largest scan window (bytes). ``Pattern.split`` returns about 1.2 list slots per instruction of
a window, so this bounds the scan's transient memory to about 10 MB whatever the body size."""
_LITTLE = sys.byteorder == "little"
_CALLS = frozenset(CALLISH + CALLISH2)


class _FirstLeb(dict[bytes, int]):
    """Immediates of a call-like instruction -> their first LEB128, computed once per encoding."""

    def __missing__(self, imm: bytes) -> int:
        result = shift = 0
        for b in imm:
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                break
            shift += 7
        self[imm] = result
        return result


def _read_irregular(
    r: Reader,
    start: int,
    index: int,
    firsts: list[bytes],
    callish: list[bytes],
    special: dict[int, int],
) -> int:
    """Read the instruction at ``start`` with the exact decoder as instruction ``index``: its
    first byte to ``firsts``, its opcode id to ``special``, a call-like one's immediate to
    ``callish``. Returns where the next instruction starts."""
    r.pos = start
    op_id, _ = read_instruction(r)
    special[index] = op_id
    data = r.data
    firsts.append(data[start : start + 1])
    if data[start] in _CALLS:
        callish.append(data[start + 1 : r.pos])
    return r.pos


def scan_body(
    data: bytes,
    pos: int,
    end: int,
    firsts: list[bytes],
    callish: list[bytes],
    special: dict[int, int],
    n_ops: int,
    func_index: int | None = None,
    func_name: str | None = None,
) -> int:
    """Scan the instructions of ``data[pos:end]`` (one body); returns ``n_ops`` plus their number.

    Appends to ``firsts`` the opcode bytes (one per instruction; a pseudo byte for the 0xFC
    instructions of the fast path, the first byte for instructions of the exact decoder), to
    ``callish`` the immediates of call-like instructions, and to ``special`` the opcode id of each
    instruction the exact decoder read (by instruction index).
    """
    r: Reader | None = None
    k0 = len(firsts)
    body_pos = pos
    # The scan goes window by window so that a body full of irregular instructions costs linear
    # time (each restart copies one window, not the rest of the body). A window may cut an
    # instruction: no regular alternative matches a cut one, so the exact decoder reads it whole.
    window = _WINDOW
    while pos < end:
        stop = min(end, pos + window)
        ops, tail = split_ops(data[pos:stop], callish)
        firsts.append(ops)
        n_ops += len(ops)
        if tail is None:
            pos = stop
            window = min(4 * window, _MAX_WINDOW)
            continue
        window = _WINDOW
        # Everything before the tail was regular; the tail starts with one irregular instruction.
        start = stop - len(tail)
        if r is None:
            r = Reader(data, start, end, func_index, func_name)
        pos = _read_irregular(r, start, n_ops, firsts, callish, special)
        n_ops += 1
    if any(b"\xff" in chunk for chunk in firsts[k0:]):
        # Twelve 0xff bytes where an instruction starts: a separator only when bodies are joined.
        # The exact decoder reports the unknown opcode where it is.
        r = Reader(data, body_pos, end, func_index, func_name)
        while not r.at_end():
            read_instruction(r)
        raise r.error("unknown opcode 0xff")  # pragma: no cover - the loop raises first
    return n_ops


def _widen(ids8: bytes) -> array[int]:
    buf = bytearray(2 * len(ids8))
    if _LITTLE:
        buf[0::2] = ids8
    else:
        buf[1::2] = ids8
    ops: array[int] = array("H")
    ops.frombytes(buf)
    return ops


def _scan_joined(
    data: bytes,
    heads: list[Head],
    base_index: int,
    names: Mapping[int, str],
) -> tuple[bytes, dict[int, int], list[bytes]] | None:
    """Scan all bodies in one pass over their instructions joined by :data:`SEP`.

    Returns the opcode bytes (one 0xff between bodies), the exact-path ids by index in them and
    the call-like immediates, or ``None`` when that result cannot be trusted: then each body is
    scanned alone, which also reports errors exactly. A token can never cross a separator without
    an error (the separator is longer than any regular token, 0xff starts no instruction and no
    body may start with 0xff), so an error-free scan with exactly one separator between each two
    bodies splits the tokens exactly as scanning each body alone would.
    """
    pieces: list[bytes] = []
    starts: list[int] = []
    q = 0
    for body_start, size, code_start, _, _ in heads:
        if data[code_start] == 0xFF:
            return None
        starts.append(q)
        pieces.append(data[code_start : body_start + size])
        q += body_start + size - code_start + len(SEP)
    buf = SEP.join(pieces)
    firsts: list[bytes] = []
    callish: list[bytes] = []
    special: dict[int, int] = {}
    pos = n_ops = 0
    end = len(buf)
    # The first scan covers up to _MAX_WINDOW bytes; after an irregular instruction the scan
    # resumes in windows (growing while no irregular instruction comes), so that each restart
    # copies one window, not the rest of the buffer. A window never ends inside a separator; it may cut an
    # instruction of a body: no regular alternative matches a cut one, so the exact decoder
    # reads it whole from ``data``.
    window = min(end, _MAX_WINDOW)
    while pos < end:
        stop = pos + window
        if stop >= end:
            stop = end
        else:
            k = bisect_right(starts, stop) - 1
            body_start, size, code_start, _, _ = heads[k]
            if stop > starts[k] + body_start + size - code_start:  # inside the separator after body k
                stop = starts[k + 1]
        ops, tail = split_ops(buf[pos:stop] if pos or stop < end else buf, callish)
        firsts.append(ops)
        n_ops += len(ops)
        if tail is None:
            pos = stop
            window = min(4 * window, _MAX_WINDOW)
            continue
        window = _WINDOW
        at = stop - len(tail)
        k = bisect_right(starts, at) - 1
        body_start, size, code_start, _, _ = heads[k]
        orig = code_start + at - starts[k]
        if orig >= body_start + size:
            return None
        r = Reader(data, orig, body_start + size, base_index + k, names.get(base_index + k))
        try:
            after = _read_irregular(r, orig, n_ops, firsts, callish, special)
        except WasmDecodeError:
            return None
        n_ops += 1
        pos = at + after - orig
    ops_all = b"".join(firsts)
    if ops_all.count(b"\xff") != len(heads) - 1:
        return None
    return ops_all, special, callish


def decode_code(
    data: bytes,
    pos: int,
    end: int,
    type_indices: Sequence[int],
    base_index: int,
    names: Mapping[int, str],
    num_types: int,
) -> list[Function]:
    """Decode the function bodies in ``data[pos:end]`` (the code section after its count).

    ``type_indices`` are the defined functions' types (one body each), ``base_index`` is the
    absolute index of the first of them, ``names`` names functions. Call targets, ``ref.func``
    targets and ``call_indirect`` types are checked against the function and type counts.

    The cyclic garbage collector is paused meanwhile: the objects made here (a few per body) hold
    no cycles, and with many bodies its passes would cost more than the decoding.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _decode_code(data, pos, end, type_indices, base_index, names, num_types)
    finally:
        if paused:
            gc.enable()


def _decode_code(
    data: bytes,
    pos: int,
    end: int,
    type_indices: Sequence[int],
    base_index: int,
    names: Mapping[int, str],
    num_types: int,
) -> list[Function]:
    heads = read_heads(data, pos, end, len(type_indices), base_index, names)
    if not heads:
        return []
    starts: list[int] = []
    callish: list[bytes]
    special: dict[int, int]
    joined = _scan_joined(data, heads, base_index, names)
    if joined is not None:
        ops_sep, special_sep, callish = joined
        lengths = list(map(len, ops_sep.split(b"\xff")))
        starts = list(accumulate(lengths, initial=0))
        first = ops_sep.replace(b"\xff", b"")
        # Index in ops_sep -> index without separators: minus the separators before it.
        sep_starts = [a + k for k, a in enumerate(starts)]
        special = {i - (bisect_right(sep_starts, i) - 1): op_id for i, op_id in special_sep.items()}
    else:
        firsts: list[bytes] = []
        per_body: list[bytes] = []
        callish, special, n_ops = [], {}, 0
        for k, (body_start, size, code_start, _, _) in enumerate(heads):
            index = base_index + k
            starts.append(n_ops)
            k0 = len(firsts)
            n_ops = scan_body(
                data, code_start, body_start + size, firsts, callish, special, n_ops, index, names.get(index)
            )
            per_body.append(b"".join(firsts[k0:]))
        starts.append(n_ops)
        ops_sep = b"\xff".join(per_body)
        first = b"".join(per_body)

    all_ops = _widen(first.translate(SCAN_IDS))
    for i, op_id in special.items():
        all_ops[i] = op_id
    kinds = first.translate(KINDS)
    targets = list(map(_FirstLeb().__getitem__, callish))
    ref_kinds = kinds.translate(None, b"\x00")
    _check_targets(
        targets, ref_kinds, heads, starts, kinds, base_index + len(heads), num_types, base_index, names
    )
    # Block structure: checked at once on the joined stream; per body only to report an error.
    if not structure_ok(ops_sep, len(heads)):
        for k, (body_start, size, _, _, _) in enumerate(heads):
            check_structure(first, starts[k], starts[k + 1], body_start, size, base_index + k, names)
    return build_functions(
        heads, ops_sep, all_ops, starts, targets, ref_kinds, type_indices, base_index, names
    )


def _check_targets(
    targets: list[int],
    ref_kinds: bytes,
    heads: list[Head],
    starts: list[int],
    kinds: bytes,
    num_functions: int,
    num_types: int,
    base_index: int,
    names: Mapping[int, str],
) -> None:
    """Every call / ``ref.func`` target is a function, every ``call_indirect`` type a type."""
    funcs = list(compress(targets, ref_kinds.translate(_NOT_2)))
    types = list(compress(targets, ref_kinds.translate(IS_KIND[2])))
    if (not funcs or max(funcs) < num_functions) and (not types or max(types) < num_types):
        return
    n_ref = 0
    for k, (body_start, _, _, _, _) in enumerate(heads):
        c = starts[k + 1] - starts[k] - kinds.count(0, starts[k], starts[k + 1])
        for kind, target in zip(ref_kinds[n_ref : n_ref + c], targets[n_ref : n_ref + c], strict=True):
            index = base_index + k
            if kind != 2 and target >= num_functions:
                raise WasmDecodeError(
                    f"call or ref.func to function {target} out of range ({num_functions} functions)",
                    body_start,
                    index,
                    names.get(index),
                )
            if kind == 2 and target >= num_types:
                raise WasmDecodeError(
                    f"call_indirect type {target} out of range ({num_types} types)",
                    body_start,
                    index,
                    names.get(index),
                )
        n_ref += c


_NOT_2 = bytes(0 if i in (0, 2) else 1 for i in range(256))


def slow_ops(data: bytes, pos: int, end: int) -> list[int]:
    """Opcode ids of ``data[pos:end]`` by the exact decoder alone (reference for tests, benchmarks)."""
    r = Reader(data, pos, end)
    out: list[int] = []
    while not r.at_end():
        out.append(read_instruction(r)[0])
    return out


def fast_ops(data: bytes, pos: int, end: int) -> list[int]:
    """Opcode ids of ``data[pos:end]`` by the fast scanner (with its exact fallback), without the
    structure check: the counterpart of :func:`slow_ops` for tests and benchmarks."""
    firsts: list[bytes] = []
    special: dict[int, int] = {}
    scan_body(data, pos, end, firsts, [], special, 0)
    ids = list(b"".join(firsts).translate(SCAN_IDS))
    for i, op_id in special.items():
        ids[i] = op_id
    return ids
