"""The regex that splits instruction bytes into opcode bytes: built from the opcode table.

One match covers up to :data:`PER_MATCH` instructions. Each instruction is one *level*: a
lookahead captures its opcode byte (``Pattern.split`` returns it as a cached one-byte ``bytes``:
nothing is allocated per instruction), then an alternation consumes the whole instruction, one
alternative per immediate shape, most frequent first, each starting with the character class of
its opcodes (the engine skips an alternative on its first byte without entering it):

- a LEB128 of at most 4 bytes (``local.*``, ``global.*``, ``br``, ``br_if``, ``i32.const`` ...);
- no immediates; a memarg (one-byte alignment, then a LEB128); a one-byte block type;
- 5-byte LEB128s, unsigned and signed apart (their last bytes differ), ``i64.const``;
- rare shapes (floats, ``memory.size`` ...), ``br_table`` with up to 48 labels, and the 12-byte
  separator between bodies (see :mod:`gasmodel.wasm.code`).

LEB128s accept exactly the valid encodings of u32, s32 and s64 (padded ones too: wasm-ld writes
relocatable indices as 5-byte LEB128s); repeats are possessive, so nothing backtracks.

Call-like instructions (``call``, ``return_call``, ``ref.func``, ``call_indirect``,
``return_call_indirect``) may only be the *first* instruction of a match, where a second group
keeps their immediates: a call ends the match before it, and its immediates come out once per
match rather than as one more group per instruction. Levels after the first are optional: a
match ends before a call, before an instruction no alternative accepts, or after
:data:`PER_MATCH` instructions. If even the first level fails, the last group swallows the rest
of the input: the exact decoder reads that one instruction (a prefixed opcode, a long
``br_table``, a block type with a type index, garbage ...) and the scan resumes after it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from gasmodel.wasm.opcodes import BY_NAME, OPCODES

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

CALLISH = tuple(BY_NAME[n].code for n in ("call", "return_call", "ref.func"))
"""First bytes of call-like instructions with one index (the target)."""
CALLISH2 = tuple(BY_NAME[n].code for n in ("call_indirect", "return_call_indirect"))
"""First bytes of call-like instructions with two indices (type, table)."""

SEP = b"\xff" * 12
"""Separator between joined bodies: longer than any token a regular alternative matches, and
0xff is no opcode."""
BR_TABLE_FAST_MAX = 48  # br_table with up to this many labels is matched by the regex
PER_MATCH = 16


def _cls(codes: Sequence[int]) -> bytes:
    return b"[" + b"".join(b"\\x%02x" % c for c in sorted(codes)) + b"]"


def _alternatives() -> tuple[list[bytes], bytes]:
    """Non-call alternatives (most frequent first) and the call alternative (with its group)."""
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
    done = (U32, S32, b"", _MEMARG, I64, _BLOCKTYPE, U32 + U32)
    rare = [(groups[sh], sh) for sh in sorted(groups) if sh not in done]
    assert all(c not in calls for codes, _ in rare for c in codes)
    tables = b"|".join(b"\\x%02x(?:%s){%d}" % (n, U32, n + 1) for n in range(BR_TABLE_FAST_MAX + 1))
    rare.append(([BY_NAME["br_table"].code], b"(?:" + tables + b")"))
    alts = [_cls(codes) + imm for codes, imm in common + rare]
    call_imms = b"(?<=" + _cls(CALLISH) + b")" + U32 + b"|(?<=" + _cls(CALLISH2) + b")" + U32 + U32
    return alts, _cls(calls) + b"(" + call_imms + b")"


def _build() -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """The scanner and the pattern of one regular instruction.

    Scanner groups: 1 the first opcode byte, 2 the immediates of a call-like first instruction,
    then one group per further opcode byte, last the rest of the input from an instruction the
    fast path leaves to the exact decoder.
    """
    alts, call = _alternatives()
    sep = rb"\xff\xff{11}"
    first = rb"(?=([\x00-\xff]))(?:" + b"|".join([*alts[:3], call, *alts[3:], sep]) + b")"
    level = rb"(?=([\x00-\xff]))(?:" + b"|".join([*alts, sep]) + b")"
    nested = b""
    for _ in range(PER_MATCH - 1):
        nested = b"(?:" + level + nested + b"|)"
    scanner = first + nested + rb"|([\x00-\xff]+)"
    regular = b"|".join([*alts, call])
    return re.compile(scanner, re.S), re.compile(regular, re.S)


SCAN, REGULAR = _build()
STRIDE = SCAN.groups + 1  # entries per match in SCAN.split's output (the gap, then the groups)


def split_ops(chunk: bytes, calls: list[bytes]) -> tuple[bytes, bytes | None]:
    """Opcode bytes of the regular instructions at the start of ``chunk``, and the rest.

    Appends the immediates of call-like instructions to ``calls``. The rest (``None`` when
    everything was regular) starts with an instruction for the exact decoder.
    """
    parts = SCAN.split(chunk)
    if len(parts) == 1:
        return b"", None
    tail = parts[-2]
    parts[-2] = None
    imms = parts[2::STRIDE]
    parts[2::STRIDE] = [None] * len(imms)
    calls += filter(None, imms)
    return b"".join(filter(None, parts)), tail


def is_regular(encoding: bytes) -> bool:
    """Whether the fast path accepts ``encoding`` as one whole instruction (for tests)."""
    return REGULAR.fullmatch(encoding) is not None
