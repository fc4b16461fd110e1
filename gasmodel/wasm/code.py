"""Function bodies: one regex pass over all bodies, an exact slow path for irregular instructions.

The scanner is a precompiled bytes regex derived from the opcode table. At each instruction it
captures the opcode byte (group 1) and then consumes the immediates, chosen by a one-byte
lookbehind on that opcode: short and padded LEB128s (exactly the valid u32/s32/s64 encodings),
a memarg with a one-byte alignment, fixed-width floats, one-byte block types, ``br_table`` with
up to 48 labels. Group 2 keeps the immediates of ``call``, ``return_call``, ``call_indirect``,
``return_call_indirect`` and ``ref.func``. ``Pattern.split`` returns, per instruction, the
opcode byte as a cached one-byte ``bytes`` object (no allocation), so ``b"".join`` of every fourth
item is the opcode stream. An instruction no regular alternative matches (a prefixed opcode, a
long ``br_table``, a block type with a type index, garbage …) is swallowed with the rest of the
input by group 3; the exact decoder of :mod:`gasmodel.wasm.instructions` reads that one
instruction and the scan resumes after it. The fast path accepts only encodings the exact decoder
decodes the same way, so both agree (``tests/test_wasm_fastpath.py`` checks it with hypothesis).

All bodies are scanned in one ``split`` over their instructions joined by a 12-byte separator
(see :func:`_scan_joined` for why that is exact); if anything looks wrong each body is scanned
alone, which also reports errors with their exact offset and function.

From the opcode bytes, with no Python-level loop per instruction: opcode ids by
``bytes.translate`` widened into an ``array('H')`` (prefixed instructions patched in), call
targets by decoding each distinct call encoding once, the block structure (every ``block``,
``loop``, ``if``, ``try``, ``try_table`` closed by ``end`` or ``delegate``, each body ending with its
own ``end``) by prefix sums over the structural bytes. Nothing is type-checked.
"""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from itertools import accumulate, compress

from gasmodel.errors import WasmDecodeError
from gasmodel.wasm.instructions import read_instruction
from gasmodel.wasm.opcodes import BY_NAME, OPCODES, SINGLE_BYTE_IDS
from gasmodel.wasm.reader import VALTYPES, Reader
from gasmodel.wasm.types import Function

# LEB128s the fast path accepts: exactly the valid encodings of u32, s32 and s64 (padded ones too:
# wasm-ld writes relocatable indices and addresses as 5-byte LEB128s).
_U32 = rb"(?:[\x80-\xff]{0,3}[\x00-\x7f]|[\x80-\xff]{4}[\x00-\x0f])"
_S32 = rb"(?:[\x80-\xff]{0,3}[\x00-\x7f]|[\x80-\xff]{4}[\x00-\x07\x78-\x7f])"
_I64 = rb"(?:[\x80-\xff]{0,8}[\x00-\x7f]|[\x80-\xff]{9}[\x00\x7f])"
_SHAPES: dict[tuple[str, ...], bytes] = {
    (): b"",
    ("i32",): _S32,
    ("i64",): _I64,
    ("f32",): rb"[\x00-\xff]{4}",
    ("f64",): rb"[\x00-\xff]{8}",
    ("memarg",): rb"[\x00-\x3f]" + _U32,
    ("typeidx", "tableidx"): _U32 + _U32,
    ("blocktype",): rb"[\x00-\x40\x6f\x70\x7b-\x7f]",
    ("heaptype",): rb"[\x6f\x70]",
}
for _k in ["labelidx", "funcidx", "typeidx", "tableidx", "memidx", "localidx", "globalidx", "tagidx"]:
    _SHAPES[(_k,)] = _U32


_CALLISH = tuple(BY_NAME[n].code for n in ("call", "return_call", "ref.func"))
_CALLISH2 = tuple(BY_NAME[n].code for n in ("call_indirect", "return_call_indirect"))


def _cls(codes: list[int] | tuple[int, ...]) -> bytes:
    return b"[" + b"".join(b"\\x%02x" % c for c in sorted(codes)) + b"]"


# Bodies are scanned joined by this separator (see decode_code): 12 bytes, longer than any token
# the scanner's regular alternatives can match, and 0xff is no opcode.
_SEP = b"\xff" * 12
_BR_TABLE_FAST_MAX = 48  # br_table with up to this many labels is matched by the regex


def _fast_pattern() -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """The scanner and the pattern of one regular instruction.

    Scanner groups: 1 the opcode byte, 2 the immediates of call-like instructions (their first
    LEB128 is the target), 3 the rest of the input from an instruction the fast path leaves to
    the exact decoder. Immediates are chosen by a one-byte lookbehind on the opcode just matched.
    """
    groups: dict[bytes, list[int]] = {}
    for op in OPCODES:
        if op.prefix is None and op.immediates in _SHAPES:
            groups.setdefault(_SHAPES[op.immediates], []).append(op.code)
    callish = b"(?<=" + _cls(_CALLISH) + b")" + _U32 + b"|(?<=" + _cls(_CALLISH2) + b")" + _U32 + _U32
    u32 = [c for c in groups[_U32] if c not in _CALLISH + _CALLISH2]
    s32 = groups[_S32]
    memarg = _SHAPES[("memarg",)]
    # Most frequent first: a LEB128 of at most 4 bytes (local.*, global.*, br*, i32.const), no
    # immediates, memarg; 5-byte LEB128s apart, as unsigned and signed differ in their last byte.
    imms = [
        b"(?<=" + _cls(u32 + s32) + rb")[\x80-\xff]{0,3}[\x00-\x7f]",
        b"(?<=" + _cls(groups[b""]) + b")",
        b"(?<=" + _cls(groups[memarg]) + b")" + memarg,
        b"(?<=" + _cls(_CALLISH + _CALLISH2) + b")(" + callish + b")",
        b"(?<=" + _cls(u32) + rb")[\x80-\xff]{4}[\x00-\x0f]",
        b"(?<=" + _cls(s32) + rb")[\x80-\xff]{4}[\x00-\x07\x78-\x7f]",
    ]
    for shape in sorted(groups):
        if shape not in (_U32, _S32, b"", memarg):
            imms.append(b"(?<=" + _cls(groups[shape]) + b")" + shape)
    br_table = BY_NAME["br_table"].code
    tables = b"|".join(b"\\x%02x(?:%s){%d}" % (n, _U32, n + 1) for n in range(_BR_TABLE_FAST_MAX + 1))
    imms.append(b"(?<=\\x%02x)(?:%s)" % (br_table, tables))
    imms.append(rb"(?<=\xff)\xff{11}")
    every = _cls([c for codes in groups.values() for c in codes] + [br_table, 0xFF])
    scanner = b"(" + every + b")(?:" + b"|".join(imms) + rb")|([\x00-\xff]+)"
    regular = b"|".join(_cls(groups[sh]) + sh for sh in groups)
    regular += b"|\\x%02x(?:%s)" % (br_table, tables)
    return re.compile(scanner, re.S), re.compile(regular, re.S)


_SCAN, _REGULAR = _fast_pattern()
_LITTLE = sys.byteorder == "little"

_OPEN = {BY_NAME[n].id for n in ("block", "loop", "if", "try", "try_table")}
_CLOSE = {BY_NAME[n].id for n in ("end", "delegate")}
_STRUCT_TABLE = bytes(0x28 if i in _OPEN else 0x29 if i in _CLOSE else 0 for i in range(256))
_STRUCT_DELETE = bytes(i for i in range(256) if i not in _OPEN and i not in _CLOSE)
_DEPTH_DELTA = (0,) * 0x28 + (1, -1)
_END_ID = BY_NAME["end"].id


# Per first byte: 1 direct call (call, return_call), 2 indirect call, 3 ref.func, 0 anything else.
_KIND = bytearray(256)
for _name, _kind in (
    ("call", 1),
    ("return_call", 1),
    ("call_indirect", 2),
    ("return_call_indirect", 2),
    ("ref.func", 3),
):
    _KIND[BY_NAME[_name].code] = _kind
_KINDS = bytes(_KIND)

# Local declarations whose count and type are one byte each (the usual case) are read at once.


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

    Appends to ``firsts`` the opcode bytes (one per instruction; the prefix byte for prefixed
    opcodes), to ``callish`` the immediates of call-like instructions, and to ``special`` the opcode
    id of each instruction the exact decoder read (by instruction index).
    """
    split = _SCAN.split
    r: Reader | None = None
    k0 = len(firsts)
    body_pos = pos
    while pos < end:
        parts = split(data[pos:end])
        tail = parts[-2]
        if tail is None:
            ops = b"".join(parts[1::4])
            firsts.append(ops)
            callish += filter(None, parts[2::4])
            n_ops += len(ops)
            break
        # Everything before the tail was regular; the tail starts with one irregular instruction.
        ops = b"".join(parts[1:-4:4])
        firsts.append(ops)
        callish += filter(None, parts[2:-4:4])
        n_ops += len(ops)
        start = end - len(tail)
        if r is None:
            r = Reader(data, start, end, func_index, func_name)
        r.pos = start
        op_id, _ = read_instruction(r)
        special[n_ops] = op_id
        first = data[start]
        firsts.append(data[start : start + 1])
        if first in _CALLISH or first in _CALLISH2:
            callish.append(data[start + 1 : r.pos])
        n_ops += 1
        pos = r.pos
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


Locals = tuple[tuple[tuple[int, str], ...], int]


def read_locals(r: Reader, cache: dict[bytes, Locals] | None = None) -> Locals:
    """The local declarations at the cursor: ``((count, valtype), ...)`` and the total count.

    Declarations whose counts and types are one byte each are read at once (and remembered in
    ``cache`` by their bytes: bodies of one module repeat a few headers).
    """
    data, p = r.data, r.pos
    n = data[p] if p < r.end else 0x80
    if n < 0x80 and p + 1 + 2 * n <= r.end:
        key = data[p : p + 1 + 2 * n]
        if cache is not None:
            hit = cache.get(key)
            if hit is not None:
                r.pos = p + 1 + 2 * n
                return hit
        counts = key[1::2]
        types = key[2::2]
        if (not counts or max(counts) < 0x80) and not types.translate(None, _SIMPLE_TYPE_BYTES):
            r.pos = p + 1 + 2 * n
            out = tuple(zip(counts, map(VALTYPES.__getitem__, types), strict=True)), sum(counts)
            if cache is not None:
                cache[key] = out
            return out
    n_groups = r.count(2, "local declaration")
    decls: list[tuple[int, str]] = []
    total = 0
    for _ in range(n_groups):
        k = r.u32()
        decls.append((k, r.valtype()))
        total += k
    if total >= 1 << 32:
        raise r.error(f"too many locals ({total})")
    return tuple(decls), total


_SIMPLE_TYPE_BYTES = bytes(VALTYPES)


def _scan_joined(
    data: bytes,
    heads: list[tuple[int, int, int, tuple[tuple[int, str], ...], int]],
    base_index: int,
    names: Mapping[int, str],
) -> tuple[bytes, dict[int, int], list[bytes]] | None:
    """Scan all bodies in one pass over their instructions joined by :data:`_SEP`.

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
        q += body_start + size - code_start + len(_SEP)
    buf = _SEP.join(pieces)
    split = _SCAN.split
    firsts: list[bytes] = []
    callish: list[bytes] = []
    special: dict[int, int] = {}
    pos = n_ops = tails = 0
    end = len(buf)
    while pos < end:
        parts = split(buf[pos:] if pos else buf)
        tail = parts[-2]
        if tail is None:
            firsts.append(b"".join(parts[1::4]))
            callish += filter(None, parts[2::4])
            break
        ops = b"".join(parts[1:-4:4])
        firsts.append(ops)
        callish += filter(None, parts[2:-4:4])
        n_ops += len(ops)
        tails += 1
        if tails > 64:  # each restart copies the rest of the buffer: scan bodies alone instead
            return None
        at = end - len(tail)
        k = bisect_right(starts, at) - 1
        body_start, size, code_start, _, _ = heads[k]
        orig = code_start + at - starts[k]
        if orig >= body_start + size:
            return None
        r = Reader(data, orig, body_start + size, base_index + k, names.get(base_index + k))
        try:
            op_id, _ = read_instruction(r)
        except WasmDecodeError:
            return None
        special[n_ops] = op_id
        first = data[orig]
        firsts.append(data[orig : orig + 1])
        if first in _CALLISH or first in _CALLISH2:
            callish.append(data[orig + 1 : r.pos])
        n_ops += 1
        pos = at + r.pos - orig
    ops_all = b"".join(firsts)
    if ops_all.count(b"\xff") != len(heads) - 1:
        return None
    return ops_all, special, callish


def _read_heads(
    data: bytes, pos: int, end: int, count: int, base_index: int, names: Mapping[int, str]
) -> list[tuple[int, int, int, tuple[tuple[int, str], ...], int]]:
    """Per body: ``(offset, size, offset of its first instruction, local declarations, #locals)``."""
    r = Reader(data, pos, end)
    heads: list[tuple[int, int, int, tuple[tuple[int, str], ...], int]] = []
    cache: dict[bytes, Locals] = {}
    for k in range(count):
        index = base_index + k
        r.func_index = index
        size_at = r.pos
        size = r.u32()
        if size > end - r.pos:
            r.func_name = names.get(index)
            raise r.error(f"function body size {size} exceeds the {end - r.pos} bytes left", size_at)
        body_start = r.pos
        body_end = r.end = body_start + size
        if size == 0:
            r.func_name = names.get(index)
            raise r.error("empty function body")
        decls, num_locals = read_locals(r, cache)
        if r.pos >= body_end:
            r.func_name = names.get(index)
            raise r.error("function body has no instructions")
        heads.append((body_start, size, r.pos, decls, num_locals))
        r.pos, r.end = body_end, end
    if r.pos != end:
        raise WasmDecodeError(f"code section has {end - r.pos} unread bytes", r.pos)
    return heads


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
    """
    heads = _read_heads(data, pos, end, len(type_indices), base_index, names)
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
        callish, special, n_ops = [], {}, 0
        for k, (body_start, size, code_start, _, _) in enumerate(heads):
            index = base_index + k
            starts.append(n_ops)
            n_ops = scan_body(
                data, code_start, body_start + size, firsts, callish, special, n_ops, index, names.get(index)
            )
        starts.append(n_ops)
        first = b"".join(firsts)

    ids8 = first.translate(SINGLE_BYTE_IDS)
    # Block structure: checked at once on the joined stream; per body only to report an error.
    check_each = joined is None or not _structure_ok(joined[0], len(heads))
    all_ops = _widen(ids8)
    for i, op_id in special.items():
        all_ops[i] = op_id
    kinds = first.translate(_KINDS)
    targets = list(map(_FirstLeb().__getitem__, callish))
    ref_kinds = kinds.translate(None, b"\x00")

    _check_targets(
        targets, ref_kinds, heads, starts, kinds, base_index + len(heads), num_types, base_index, names
    )
    bodies: list[Function] = []
    n_ref = 0
    empty: tuple[int, ...] = ()
    for k, (body_start, size, _, decls, num_locals) in enumerate(heads):
        a, b = starts[k], starts[k + 1]
        index = base_index + k
        if check_each:
            _check_structure(ids8, a, b, body_start, size, index, names)
        c = b - a - kinds.count(0, a, b)
        calls = indirect = ref_funcs = empty
        if c:
            these = targets[n_ref : n_ref + c]
            these_kinds = ref_kinds[n_ref : n_ref + c]
            n_ref += c
            if these_kinds.count(1) == c:
                calls = tuple(these)
            else:
                calls = tuple(compress(these, these_kinds.translate(_IS_1)))
                indirect = tuple(compress(these, these_kinds.translate(_IS_2)))
                ref_funcs = tuple(compress(these, these_kinds.translate(_IS_3)))
        bodies.append(
            Function(
                index,
                type_indices[k],
                names.get(index),
                num_locals,
                body_start,
                size,
                all_ops[a:b],
                calls,
                indirect,
                ref_funcs,
                decls,
            )
        )
    return bodies


def _check_targets(
    targets: list[int],
    ref_kinds: bytes,
    heads: list[tuple[int, int, int, tuple[tuple[int, str], ...], int]],
    starts: list[int],
    kinds: bytes,
    num_functions: int,
    num_types: int,
    base_index: int,
    names: Mapping[int, str],
) -> None:
    """Every call / ``ref.func`` target is a function, every ``call_indirect`` type a type."""
    funcs = list(compress(targets, ref_kinds.translate(_NOT_2)))
    types = list(compress(targets, ref_kinds.translate(_IS_2)))
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
_IS_1 = bytes(1 if i == 1 else 0 for i in range(256))
_IS_2 = bytes(1 if i == 2 else 0 for i in range(256))
_IS_3 = bytes(1 if i == 3 else 0 for i in range(256))


# First bytes -> "(" for block openers, ")" for end/delegate, "[" for the separator between bodies.
_FIRST_STRUCT = bytes(
    0x28 if b in (0x02, 0x03, 0x04, 0x06, 0x1F) else 0x29 if b in (0x0B, 0x18) else 0x5B if b == 0xFF else 0
    for b in range(256)
)
_FIRST_STRUCT_DELETE = bytes(b for b in range(256) if _FIRST_STRUCT[b] == 0)
_STRUCT_DELTA = {0x28: 1, 0x5B: 1, 0x29: -1}


def _structure_ok(ops_sep: bytes, n_bodies: int) -> bool:
    """Whether every body (opcode bytes joined by 0xff) nests its blocks and ends with its ``end``.

    Each body opens one implicit level ("["), closed by its final ``end``: the depth must never be
    negative, and be zero exactly before each separator and at the very end.
    """
    if not ops_sep.endswith(b"\x0b") or ops_sep.count(b"\x0b\xff") != n_bodies - 1:
        return False
    assert _FIRST_STRUCT[0x02] == 0x28 and _FIRST_STRUCT[0x0B] == 0x29
    parens = b"[" + ops_sep.translate(_FIRST_STRUCT, _FIRST_STRUCT_DELETE)
    depth = list(accumulate(map(_STRUCT_DELTA.__getitem__, parens)))
    if min(depth) < 0 or depth[-1] != 0 or depth.count(0) != n_bodies:
        return False
    j = 0
    for _ in range(n_bodies - 1):
        j = parens.index(b"[", j + 1)
        if depth[j - 1]:
            return False
    return True


def _check_structure(
    ids8: bytes, a: int, b: int, start: int, size: int, index: int, names: Mapping[int, str]
) -> None:
    """Blocks nest and the body ends with the function's own ``end`` (instructions ``a..b``)."""
    end = start + size
    if ids8[b - 1] != _END_ID:
        raise WasmDecodeError("function body does not end with 'end'", end - 1, index, names.get(index))
    parens = ids8[a:b].translate(_STRUCT_TABLE, _STRUCT_DELETE)
    opens = parens.count(b"(")
    if opens * 2 + 1 != len(parens):
        raise WasmDecodeError(
            f"unbalanced blocks: {opens} opened, {len(parens) - opens - 1} closed before the final 'end'",
            end - 1,
            index,
            names.get(index),
        )
    if opens and min(accumulate(map(_DEPTH_DELTA.__getitem__, parens[:-1]))) < 0:
        raise WasmDecodeError(
            "an 'end' closes the function before the end of its body",
            start,
            index,
            names.get(index),
        )


def is_regular(encoding: bytes) -> bool:
    """Whether the fast path accepts ``encoding`` as one whole instruction (for tests)."""
    return _REGULAR.fullmatch(encoding) is not None


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
    ids = list(b"".join(firsts).translate(SINGLE_BYTE_IDS))
    for i, op_id in special.items():
        ids[i] = op_id
    return ids
