"""The regex that splits instruction bytes into opcode bytes: built from the opcode table.

One match covers up to :data:`PER_MATCH` instructions, each one *level* of nested optional
groups. A level captures the opcode byte of its instruction (``Pattern.split`` returns it as a
cached one-byte ``bytes``: nothing is allocated per instruction), then an alternation consumes
the whole instruction, one alternative per immediate shape, most frequent first, each starting
with the character class of its opcodes (the engine skips an alternative on its first byte):

- a LEB128 of at most 4 bytes (``local.*``, ``global.*``, ``br``, ``br_if``, ``i32.const`` ...);
- no immediates; a memarg (one-byte alignment, then a LEB128); call-like instructions (their
  immediates go to a group of their own); a one-byte block type;
- 5-byte LEB128s, unsigned and signed apart (their last bytes differ), ``i64.const``, the common
  0xFC instructions (one-byte sub-opcode, 0-2 index LEB128s: their token is the prefix and the
  sub-opcode, folded after the split to the one byte ``FC_PSEUDO + sub-opcode``), and the
  12-byte separator between joined bodies (see :mod:`gasmodel.wasm.code`);
- first instruction of a match only: rare shapes (floats, ``memory.size`` ...) and ``br_table``
  with up to 48 labels.

LEB128s accept exactly the valid encodings of u32, s32 and s64 (padded ones too: wasm-ld writes
relocatable indices as 5-byte LEB128s); repeats are possessive, so nothing backtracks. A match
ends before an instruction no alternative of its level accepts; if even the first level fails,
the last group swallows the rest of the input: the exact decoder reads that one instruction (another
prefixed opcode, a long ``br_table``, a block type with a type index, garbage ...) and the scan
resumes after it.

Two builds, same groups and same results (tests check it on real modules and with hypothesis):
:func:`_build_marked` (used when this Python compiles it) places the group marks by hand in the
compiled code: no lookahead per instruction, a call anywhere in a match, no ``None`` in the
output; :func:`_build_plain` uses the standard syntax only (a lookahead captures each opcode
byte, calls only as the first instruction of a match) and is the fallback.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from gasmodel.wasm.opcodes import BY_ENCODING, BY_NAME, OPCODES, SINGLE_BYTE_IDS, names_with_role

# LEB128s the fast path accepts: exactly the valid encodings of u32, s32 and s64.
U32 = rb"(?:[\x80-\xff]{0,3}+[\x00-\x7f]|[\x80-\xff]{4}[\x00-\x0f])"
S32 = rb"(?:[\x80-\xff]{0,3}+[\x00-\x7f]|[\x80-\xff]{4}[\x00-\x07\x78-\x7f])"
I64 = rb"(?:[\x80-\xff]{0,8}+[\x00-\x7f]|[\x80-\xff]{9}[\x00\x7f])"
_SHORT = rb"[\x80-\xff]{0,3}+[\x00-\x7f]"
_MEMARG = rb"[\x00-\x3f]" + U32
_BLOCKTYPE = rb"[\x00-\x40\x6f\x70\x7b-\x7f]"
SHAPES: dict[tuple[str, ...], bytes] = {
    (): b"",
    ("i32",): S32,
    ("i64",): I64,
    ("f32",): rb"[\x00-\xff]{4}",
    ("f64",): rb"[\x00-\xff]{8}",
    ("memarg",): _MEMARG,
    ("typeidx", "tableidx"): U32 + U32,
    ("blocktype",): _BLOCKTYPE,
    ("heaptype",): rb"[\x6f\x70]",
}
for _k in ["labelidx", "funcidx", "typeidx", "tableidx", "memidx", "localidx", "globalidx", "tagidx"]:
    SHAPES[(_k,)] = U32

CALLISH = tuple(BY_NAME[n].code for n in (*names_with_role("call"), "ref.func"))
"""First bytes of call-like instructions with one index (the target)."""
CALLISH2 = tuple(BY_NAME[n].code for n in names_with_role("call_indirect"))
"""First bytes of call-like instructions with two indices (type, table)."""

FC_SHAPES: dict[int, tuple[int, ...]] = {}
"""Number of LEB128 immediates -> sub-opcodes of the 0xFC instructions the fast path accepts: a
one-byte sub-opcode and only index immediates (``trunc_sat``, ``memory.*``, ``table.*`` ...)."""
for _op in OPCODES:
    if _op.prefix == 0xFC and _op.code < 0x80 and all(k.endswith("idx") for k in _op.immediates):
        FC_SHAPES.setdefault(len(_op.immediates), ())
        FC_SHAPES[len(_op.immediates)] += (_op.code,)
FC_PSEUDO = 0xE0
"""A regular 0xFC instruction with sub-opcode ``s`` comes out as the one byte ``FC_PSEUDO + s``
(no single-byte opcode uses 0xE0-0xF1)."""
_FC_SUBS = sorted(c for codes in FC_SHAPES.values() for c in codes)
_FC_TOKEN = re.compile(rb"\xfc[\x00-\x%02x]" % _FC_SUBS[-1])
_FC_PSEUDO_OF = {bytes((0xFC, c)): bytes((FC_PSEUDO + c,)) for c in _FC_SUBS}
assert list(range(len(_FC_SUBS))) == _FC_SUBS and FC_PSEUDO + len(_FC_SUBS) <= 0xFB
assert all(SINGLE_BYTE_IDS[FC_PSEUDO + c] == 0xFF for c in _FC_SUBS)
SCAN_IDS: bytes = bytes(
    BY_ENCODING[(0xFC, b - FC_PSEUDO)].id if b - FC_PSEUDO in _FC_SUBS else SINGLE_BYTE_IDS[b]
    for b in range(256)
)
"""Translation table: byte of the scanner's opcode stream -> opcode id (0xFF: none, the exact
decoder's id is patched in)."""
assert max(SCAN_IDS[FC_PSEUDO + c] for c in _FC_SUBS) < 0xFF

SEP = b"\xff" * 12
"""Separator between joined bodies: longer than any token a regular alternative matches, and
0xff is no opcode."""
BR_TABLE_FAST_MAX = 48  # br_table with up to this many labels is matched by the regex
PER_MATCH = 16


def _cls(codes: Sequence[int]) -> bytes:
    return b"[" + b"".join(b"\\x%02x" % c for c in sorted(codes)) + b"]"


Shapes = list[tuple[bytes, bytes]]


def _alternatives() -> tuple[Shapes, Shapes, bytes, bytes]:
    """``(opcode class, immediates)`` of the common shapes (most frequent first), of the rare
    ones, and the class and immediates of the call-like instructions."""
    groups: dict[bytes, list[int]] = {}
    for op in OPCODES:
        if op.prefix is None and op.immediates in SHAPES:
            groups.setdefault(SHAPES[op.immediates], []).append(op.code)
    calls = CALLISH + CALLISH2
    u32 = [c for c in groups[U32] if c not in calls]
    s32 = groups[S32]
    common: list[tuple[Sequence[int], bytes]] = [
        (u32 + s32, _SHORT),
        (groups[b""], b""),
        (groups[_MEMARG], _MEMARG),
        (groups[_BLOCKTYPE], _BLOCKTYPE),
        (u32, rb"[\x80-\xff]{4}[\x00-\x0f]"),
        (s32, rb"[\x80-\xff]{4}[\x00-\x07\x78-\x7f]"),
        (groups[I64], I64),
    ]
    fc = [(b"\xfc" + _cls(FC_SHAPES[n]), U32 * n) for n in sorted(FC_SHAPES)]
    sep = (_cls([0xFF]), rb"\xff{11}")  # the separator
    done = (U32, S32, b"", _MEMARG, I64, _BLOCKTYPE, U32 + U32)
    rare = [(groups[sh], sh) for sh in sorted(groups) if sh not in done]
    assert all(c not in calls for codes, _ in rare for c in codes)
    tables = b"|".join(b"\\x%02x(?:%s){%d}" % (n, U32, n + 1) for n in range(BR_TABLE_FAST_MAX + 1))
    rare.append(([BY_NAME["br_table"].code], b"(?:" + tables + b")"))
    call_imms = b"(?<=" + _cls(CALLISH) + b")" + U32 + b"|(?<=" + _cls(CALLISH2) + b")" + U32 + U32
    return (
        [(_cls(c), imm) for c, imm in common] + fc + [sep],
        [(_cls(c), imm) for c, imm in rare],
        _cls(calls),
        call_imms,
    )


def _build_plain() -> re.Pattern[bytes]:
    """The scanner with standard groups (unmatched levels come out as ``None``).

    Groups: 1 the first opcode byte, 2 the immediates of a call-like first instruction, then one
    group per further opcode byte, last the rest of the input from an instruction the fast path
    leaves to the exact decoder. A lookahead captures each opcode byte. Rare shapes (and calls)
    are only accepted as the first instruction of a match.
    """
    common, rare, call_cls, call_imms = _alternatives()
    call = (call_cls, b"(" + call_imms + b")")
    first = [cls + imm for cls, imm in [*common[:3], call, *common[3:], *rare]]
    level = [cls + imm for cls, imm in common]
    capture = rb"(?=(\xfc[\x00-\x7f]|[\x00-\xff]))"
    nested = b""
    for _ in range(PER_MATCH - 1):
        nested = b"(?:" + capture + b"(?:" + b"|".join(level) + b")" + nested + b"|)"
    scanner = capture + b"(?:" + b"|".join(first) + b")" + nested + rb"|([\x00-\xff]+)"
    return re.compile(scanner, re.S)


def _build_marked() -> re.Pattern[bytes]:
    """The same scanner, faster, compiled with hand-placed group marks (CPython's ``re`` internals).

    The standard syntax cannot say "this group starts before an alternation and ends inside each
    alternative", nor give several groups one number. Here every capture is an empty group ``()``
    in the pattern text whose two marks are renumbered in the compiled code: each level marks the
    start of its opcode byte where the previous instruction ended and its end right after the
    opcode class of the alternative that matched (no lookahead), so the engine skips alternatives
    on their first byte; all call alternatives write the one call group, so a call may be any
    instruction of a match (a conditional on that group refuses a second one); and the way out of
    each level sets every group not matched to empty, so ``split`` returns no ``None``. Same groups
    and same results as :func:`_build_plain`; raises if the internals are not as expected.
    """
    import _sre  # type: ignore[import-not-found]
    from re import _compiler, _parser  # type: ignore[attr-defined]

    common, rare, call_cls, call_imms = _alternatives()
    n_groups = PER_MATCH + 2
    tail = n_groups
    targets: dict[int, tuple[bool, int]] = {}  # parsed group -> (is a mark, mark index | group)

    def mark(index: int) -> bytes:  # both marks of this empty group become mark ``index``
        targets[len(targets) + 1] = (True, index)
        return b"()"

    def group(n: int, body: bytes = b"") -> bytes:  # a group numbered ``n`` in the result
        targets[len(targets) + 1] = (False, n)
        return b"(" + body + b")"

    def op_group(k: int) -> int:  # group of the opcode byte of level ``k`` (group 2: call immediates)
        return 1 if k == 1 else k + 1

    call_ref = 0

    def level(k: int) -> bytes:
        nonlocal call_ref
        end = 2 * op_group(k) - 1
        alts = []
        for j, (cls, imm) in enumerate(common + rare if k == 1 else common):
            if j == 3:
                refuse = b"(?(%d)(?!))" % call_ref if call_ref else b""
                alts.append(call_cls + refuse + mark(end) + group(2, call_imms))
                call_ref = call_ref or len(targets)
            alts.append(cls + mark(end) + imm)
        return b"(?:" + b"|".join(alts) + b")"

    def way_out(k: int) -> bytes:  # levels k.. not matched: their groups, the tail, the call group
        unset = b"".join(group(op_group(j)) for j in range(k, PER_MATCH + 1)) + group(tail)
        return unset + b"(?(%d)|" % call_ref + group(2) + b")"

    def nested(k: int) -> bytes:
        if k > PER_MATCH:
            return way_out(k)
        this = level(k)
        start_next = mark(2 * op_group(k + 1) - 2) if k < PER_MATCH else b""
        inner = nested(k + 1)
        return b"(?:" + this + start_next + inner + b"|" + way_out(k) + b")"

    pattern = b"(?:" + mark(0) + level(1) + mark(2 * op_group(2) - 2) + nested(2)
    pattern += b"|" + b"".join(group(n) for n in range(1, tail)) + group(tail, rb"[\x00-\xff]+") + b")"
    parsed = _parser.parse(pattern, re.S)
    if parsed.state.groups - 1 != len(targets):
        raise RuntimeError("unexpected group count")
    code = _compiler._code(parsed, re.S)
    _shift_groups(parsed.data, 1000)
    shifted = _compiler._code(parsed, re.S)
    if len(code) != len(shifted):
        raise RuntimeError("unexpected compiled code")
    out = list(code)
    for i, (a, b) in enumerate(zip(code, shifted, strict=True)):
        if b - a == 2000:  # a MARK argument: 2 * (group - 1) + (0 start | 1 end)
            is_mark, value = targets[a // 2 + 1]
            out[i] = value if is_mark else 2 * value - 2 + a % 2
        elif b - a == 1000:  # a GROUPREF_EXISTS argument: group - 1
            out[i] = targets[a + 1][1] - 1
        elif a != b:
            raise RuntimeError("unexpected compiled code")
    compiled: re.Pattern[bytes] = _sre.compile(
        pattern, re.S | parsed.state.flags, out, n_groups, {}, (None,) * (n_groups + 1)
    )
    return compiled


def _shift_groups(items: list[tuple[Any, Any]], by: int) -> None:
    """Add ``by`` to every group number in a parsed pattern (in place)."""
    from re import _constants  # type: ignore[attr-defined]

    for i, (op, av) in enumerate(items):
        if op is _constants.SUBPATTERN:
            _shift_groups(av[3].data, by)
            items[i] = (op, (av[0] + by, *av[1:]))
        elif op is _constants.GROUPREF_EXISTS:
            _shift_groups(av[1].data, by)
            if av[2] is not None:
                _shift_groups(av[2].data, by)
            items[i] = (op, (av[0] + by, av[1], av[2]))
        elif op is _constants.BRANCH:
            for branch in av[1]:
                _shift_groups(branch.data, by)
        elif op in (_constants.ASSERT, _constants.ASSERT_NOT):
            _shift_groups(av[1].data, by)
        elif op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT):
            _shift_groups(av[2].data, by)
        elif op is _constants.ATOMIC_GROUP:
            _shift_groups(av.data, by)


# Instructions covering every level and kind of alternative the scanner has (calls at several
# levels, two calls in a row, the separator), then one it leaves to the exact decoder.
_PROBE = [b"\x20\x00", b"\x10\x85\x01", b"\x41\x7f", b"\x11\x02\x00", b"\x0b", SEP, b"\x10\x03"]
_PROBE += [b"\xd2\x01", b"\x28\x02\x80\x80\x80\x80\x00", b"\xfc\x0a\x00\x00", b"\x6a"] * 5
_PROBE += [b"\xfc\x02", b"\xfc\x0b\x00", b"\x0b"]
_PROBE_REST = b"\xfc\x8a\x00\x00\x00\x0b"  # a padded sub-opcode: left to the exact decoder


def _probe_ok(scan: re.Pattern[bytes]) -> bool:
    """Whether the marked scanner splits :data:`_PROBE` into its opcode bytes, calls and rest."""
    calls: list[bytes] = []
    ops, rest = _split(scan, True, b"".join(_PROBE) + _PROBE_REST, calls)
    expected_calls = [i[1:] for i in _PROBE if i[0] in CALLISH + CALLISH2]
    firsts = bytes(FC_PSEUDO + i[1] if i[0] == 0xFC else i[0] for i in _PROBE)
    return ops == firsts and calls == expected_calls and rest == _PROBE_REST


def _scanner() -> tuple[re.Pattern[bytes], bool]:
    """The marked scanner if this Python compiles it and it passes :func:`_probe_ok`, else the
    plain one; ``True`` for the marked one."""
    try:
        marked = _build_marked()
        if _probe_ok(marked):
            return marked, True
    except Exception:  # any surprise in CPython's internals: the plain scanner
        pass
    return _build_plain(), False


def _split(
    scan: re.Pattern[bytes], marked: bool, chunk: bytes, calls: list[bytes]
) -> tuple[bytes, bytes | None]:
    """:func:`split_ops` with this scanner (``marked``: its output has no ``None``)."""
    parts = scan.split(chunk)
    if len(parts) == 1:
        return b"", None
    tail = parts[-2] or None
    parts[-2] = b""
    stride = scan.groups + 1
    imms = parts[2::stride]
    parts[2::stride] = [b""] * len(imms)
    calls += filter(None, imms)
    if len(parts) <= _JOIN_CHUNK:
        ops = b"".join(parts) if marked else b"".join(filter(None, parts))
    else:  # bytes.join holds an 80-byte buffer view per part: join a slice at a time
        pieces = (parts[i : i + _JOIN_CHUNK] for i in range(0, len(parts), _JOIN_CHUNK))
        ops = b"".join([b"".join(p if marked else filter(None, p)) for p in pieces])
    if b"\xfc" in ops:  # the two-byte tokens of 0xFC instructions: one byte each
        ops = _FC_TOKEN.sub(_fc_pseudo, ops)
    return ops, tail


_JOIN_CHUNK = 1 << 15
"""Parts joined at once: ``bytes.join`` takes 80 bytes of buffer views per part."""


def _fc_pseudo(m: re.Match[bytes]) -> bytes:
    return _FC_PSEUDO_OF[m[0]]


SCAN, MARKED = _scanner()
"""The scanner, and whether it is the marked one (no ``None`` in its ``split`` output)."""
_common, _rare, _call_cls, _call_imms = _alternatives()
REGULAR = re.compile(
    b"|".join([cls + imm for cls, imm in _common[:-1] + _rare] + [_call_cls + b"(?:" + _call_imms + b")"]),
    re.S,
)
"""One whole regular instruction (the separator excluded)."""


def split_ops(chunk: bytes, calls: list[bytes]) -> tuple[bytes, bytes | None]:
    """Opcode bytes of the regular instructions at the start of ``chunk``, and the rest.

    Appends the immediates of call-like instructions to ``calls``. The rest (``None`` when
    everything was regular) starts with an instruction for the exact decoder.
    """
    return _split(SCAN, MARKED, chunk, calls)


def is_regular(encoding: bytes) -> bool:
    """Whether the fast path accepts ``encoding`` as one whole instruction (for tests)."""
    return REGULAR.fullmatch(encoding) is not None
