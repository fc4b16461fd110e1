"""The fast regex scanner and the exact decoder agree on every instruction sequence and on garbage.

Oracle: the exact one-at-a-time decoder (itself checked against wabt's wasm-objdump in
tests/test_wasm_wabt.py) and the specification's immediate layouts, stated in the test.
"""

from __future__ import annotations

import functools
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from wasm_build import MAGIC, section, sleb, uleb, vec

from gasmodel.errors import WasmDecodeError
from gasmodel.wasm import BY_NAME, OPCODES
from gasmodel.wasm.code import fast_ops, slow_ops
from gasmodel.wasm.reader import HEAPTYPES, VALTYPES
from gasmodel.wasm.scanner import is_regular


def _padded(enc: st.SearchStrategy[int], fn: object, max_len: int) -> st.SearchStrategy[bytes]:
    def build(draw: st.DrawFn) -> bytes:
        v = draw(enc)
        raw = fn(v)  # type: ignore[operator]
        pad = draw(st.integers(0, max(0, max_len - len(raw))))
        return fn(v, pad)  # type: ignore[no-any-return, operator]

    return st.composite(lambda draw: build(draw))()


U32 = _padded(st.integers(0, 2**32 - 1), uleb, 5)
U64 = _padded(st.integers(0, 2**64 - 1), uleb, 10)
S32 = _padded(st.integers(-(2**31), 2**31 - 1), sleb, 5)
S64 = _padded(st.integers(-(2**63), 2**63 - 1), sleb, 10)
S33_NONNEG = _padded(st.integers(0, 2**32 - 1), sleb, 5)
VALTYPE = st.sampled_from(sorted(VALTYPES)).map(lambda b: bytes([b]))


@st.composite
def memarg(draw: st.DrawFn) -> bytes:
    align = draw(st.integers(0, 63))
    if draw(st.booleans()):
        return uleb(align | 0x40) + draw(U32) + draw(U64)
    return draw(_padded(st.just(align), uleb, 5)) + draw(U64)


@st.composite
def labeltable(draw: st.DrawFn) -> bytes:
    n = draw(st.integers(0, 4))
    return uleb(n) + b"".join(draw(U32) for _ in range(n + 1))


@st.composite
def catches(draw: st.DrawFn) -> bytes:
    n = draw(st.integers(0, 3))
    out = uleb(n)
    for _ in range(n):
        kind = draw(st.integers(0, 3))
        out += bytes([kind]) + (draw(U32) if kind < 2 else b"") + draw(U32)
    return out


IMMEDIATE: dict[str, st.SearchStrategy[bytes]] = {
    **{
        k: U32
        for k in [
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
    },
    "blocktype": st.one_of(st.just(b"\x40"), VALTYPE, S33_NONNEG),
    "labeltable": labeltable(),
    "memarg": memarg(),
    "i32": S32,
    "i64": S64,
    "f32": st.binary(min_size=4, max_size=4),
    "f64": st.binary(min_size=8, max_size=8),
    "v128": st.binary(min_size=16, max_size=16),
    "shuffle": st.binary(min_size=16, max_size=16),
    "laneidx": st.binary(min_size=1, max_size=1),
    "heaptype": st.one_of(st.sampled_from(sorted(HEAPTYPES)).map(lambda b: bytes([b])), S33_NONNEG),
    "valtypes": st.lists(VALTYPE, max_size=2).map(lambda ts: uleb(len(ts)) + b"".join(ts)),
    "catches": catches(),
    "zero": st.just(b"\x00"),
}


@st.composite
def instruction(draw: st.DrawFn) -> tuple[int, bytes]:
    op = draw(st.sampled_from(OPCODES))
    enc = op.encoding
    if op.prefix is not None:  # sub-opcodes may be padded LEB128s too
        enc = bytes([op.prefix]) + draw(_padded(st.just(op.code), uleb, 5))
    return op.id, enc + b"".join(draw(IMMEDIATE[k]) for k in op.immediates)


@st.composite
def fc_instruction(draw: st.DrawFn) -> tuple[int, bytes]:
    """A 0xFC instruction with a one-byte sub-opcode and index immediates (the shapes the fast
    path accepts: trunc_sat, memory.*, data.drop, table.*)."""
    op = draw(st.sampled_from([o for o in OPCODES if o.prefix == 0xFC and o.code in range(18)]))
    return op.id, op.encoding + b"".join(draw(IMMEDIATE[k]) for k in op.immediates)


@st.composite
def long_br_table(draw: st.DrawFn) -> tuple[int, bytes]:
    """A ``br_table`` too long for the regex (left to the exact decoder)."""
    n = draw(st.integers(49, 70))
    return BY_NAME["br_table"].id, b"\x0e" + uleb(n) + b"".join(draw(U32) for _ in range(n + 1))


ANY_INSTRUCTION = st.one_of(instruction(), fc_instruction(), fc_instruction(), long_br_table())
"""Any instruction, the 0xFC shapes of the fast path and long ``br_table`` s more often."""


@settings(max_examples=400, deadline=None)
@given(st.lists(ANY_INSTRUCTION, min_size=1, max_size=40))
def test_fast_and_exact_agree_on_valid_sequences(instrs: list[tuple[int, bytes]]) -> None:
    data = b"".join(enc for _, enc in instrs)
    expected = [i for i, _ in instrs]
    assert slow_ops(data, 0, len(data)) == expected
    assert fast_ops(data, 0, len(data)) == expected


def _outcome(fn: object, data: bytes) -> tuple[str, object]:
    try:
        return "ok", fn(data, 0, len(data))  # type: ignore[operator]
    except WasmDecodeError as exc:
        return "error", (exc.reason, exc.offset)


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=60))
def test_fast_and_exact_agree_on_garbage(data: bytes) -> None:
    assert _outcome(fast_ops, data) == _outcome(slow_ops, data)


@settings(max_examples=200, deadline=None)
@given(st.lists(ANY_INSTRUCTION, min_size=1, max_size=10), st.data())
def test_fast_and_exact_agree_on_damaged_sequences(
    instrs: list[tuple[int, bytes]], data: st.DataObject
) -> None:
    raw = bytearray(b"".join(enc for _, enc in instrs))
    i = data.draw(st.integers(0, len(raw) - 1))
    raw[i] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(raw)))
    damaged = bytes(raw[:cut])
    assert _outcome(fast_ops, damaged) == _outcome(slow_ops, damaged)


def test_fast_path_covers_the_common_shapes() -> None:
    assert is_regular(b"\x20\x00")  # local.get 0
    assert is_regular(b"\x41\xab\x80\xc0\x80\x00")  # padded i32.const (wasm-ld)
    assert is_regular(b"\x10\xdd\x81\x80\x80\x00")  # padded call
    assert is_regular(b"\x28\x02\x04")  # i32.load align=4 offset=4
    assert is_regular(b"\x0e\x01\x00\x00")  # br_table with a short table
    assert not is_regular(b"\x0e\x7f" + b"\x00" * 128)  # long tables go to the exact decoder
    assert is_regular(b"\xfc\x0a\x00\x00")  # memory.copy
    assert is_regular(b"\xfc\x0b\x80\x00")  # memory.fill, padded memory index
    assert is_regular(b"\xfc\x08\x05\x00")  # memory.init
    assert is_regular(b"\xfc\x07")  # i64.trunc_sat_f64_u
    assert not is_regular(b"\xfc\x8a\x00\x00\x00")  # a padded sub-opcode: exact decoder
    assert not is_regular(b"\xfc\x12\x00")  # no such 0xFC instruction
    assert not is_regular(b"\xfd\x0c" + bytes(16))  # other prefixes (v128.const)
    assert is_regular(b"\x41\xff\xff\xff\xff\x7f")  # -1 padded to 5 bytes
    assert not is_regular(b"\x41\xff\xff\xff\xff\x4f")  # unused bits disagree with the sign


def test_real_modules_take_the_joined_fast_path() -> None:
    """Every real module is scanned in one joined pass (no silent fallback to per-body scans)."""
    from pathlib import Path

    from gasmodel.wasm import code, decode
    from gasmodel.wasm.heads import read_heads
    from gasmodel.wasm.reader import Reader
    from gasmodel.wasm.structure import structure_ok

    root = Path(__file__).resolve().parent.parent
    files = [p for p in (root / "contracts").glob("**/*.wasm") if "target" not in p.parts]
    files += sorted((root / "tests" / "wasm_samples").glob("rust_*.wasm"))
    assert len(files) >= 2
    for path in files:
        data = path.read_bytes()
        module = decode(data)
        if not module.functions:
            continue
        sections = {sid: (a, b) for sid, a, b in code_sections(data)}
        a, b = sections[10]
        r = Reader(data, a, b)
        n = r.count(2, "function body")
        heads = read_heads(data, r.pos, b, n, module.num_imported_functions, {})
        joined = code._scan_joined(data, heads, module.num_imported_functions, {})
        assert joined is not None, path
        assert structure_ok(joined[0], len(heads)), path


def code_sections(data: bytes) -> list[tuple[int, int, int]]:
    from gasmodel.wasm.module import _Decoder

    return _Decoder(data).frame()


def test_marked_scanner_is_in_use() -> None:
    """The scanner compiled with hand-placed group marks is what this Python runs (not the
    plain fallback, which is slower), and its ``split`` output has no ``None``."""
    from gasmodel.wasm import scanner

    assert scanner.MARKED, "the marked scanner did not build or failed its probe: plain fallback in use"
    assert None not in scanner.SCAN.split(b"\x20\x00\x10\x05\x0b")


@functools.cache
def _plain_scanner() -> re.Pattern[bytes]:
    from gasmodel.wasm import scanner

    return scanner._build_plain()


def _both_scanners(chunk: bytes) -> tuple[object, object]:
    """``(plain result, marked result)`` of splitting ``chunk`` into opcode bytes, calls and rest."""
    from gasmodel.wasm import scanner

    marked = scanner.SCAN if scanner.MARKED else scanner._build_marked()
    calls_plain: list[bytes] = []
    calls_marked: list[bytes] = []
    plain = scanner._split(_plain_scanner(), False, chunk, calls_plain)
    fast = scanner._split(marked, True, chunk, calls_marked)
    return (plain, calls_plain), (fast, calls_marked)


def test_marked_and_plain_scanners_agree_on_real_modules() -> None:
    from pathlib import Path

    from gasmodel.wasm.heads import read_heads
    from gasmodel.wasm.reader import Reader
    from gasmodel.wasm.scanner import SEP

    root = Path(__file__).resolve().parent.parent
    files = sorted((root / "contracts" / "artifacts").glob("*.wasm"))
    files += sorted((root / "tests" / "wasm_samples").glob("*.wasm"))
    for path in files:
        data = path.read_bytes()
        sections = {sid: (a, b) for sid, a, b in code_sections(data)}
        if 10 not in sections:
            continue
        a, b = sections[10]
        r = Reader(data, a, b)
        n = r.count(2, "function body")
        heads = read_heads(data, r.pos, b, n, 0, {})
        buf = SEP.join(data[c : s + z] for s, z, c, _, _ in heads)
        plain, marked = _both_scanners(buf)
        assert plain == marked, path


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(ANY_INSTRUCTION, min_size=1, max_size=30), min_size=1, max_size=4),
    st.binary(max_size=3),
)
def test_marked_and_plain_scanners_agree(bodies: list[list[tuple[int, bytes]]], junk: bytes) -> None:
    """Bodies joined by the separator, with junk at the end: same opcode bytes, calls and rest."""
    from gasmodel.wasm.scanner import SEP

    chunk = SEP.join(b"".join(enc for _, enc in body) for body in bodies) + junk
    plain, marked = _both_scanners(chunk)
    assert plain == marked


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["call", "call_indirect", "ref.func", "return_call", "local.get", "i32.add"]),
                min_size=1, max_size=60), U32, U32)
def test_calls_anywhere_in_a_match(names: list[str], a: bytes, b: bytes) -> None:
    """Runs of call-like instructions (one call per regex match at most) keep every immediate."""
    from gasmodel.wasm import BY_NAME
    from gasmodel.wasm.scanner import split_ops

    imms = {"call": a, "return_call": b, "ref.func": a, "call_indirect": a + b}
    imms |= {"local.get": b, "i32.add": b""}
    data = b"".join(bytes([BY_NAME[n].code]) + imms[n] for n in names)
    assert fast_ops(data, 0, len(data)) == [BY_NAME[n].id for n in names]
    calls: list[bytes] = []
    ops, rest = split_ops(data, calls)
    assert rest is None and ops == bytes(BY_NAME[n].code for n in names)
    assert calls == [imms[n] for n in names if n not in ("local.get", "i32.add")]


def _leb_module(bodies: list[bytes]) -> bytes:
    """Functions of type () -> () with these instruction bytes (no locals), any sizes."""
    code = [uleb(len(b) + 1) + b"\x00" + b for b in bodies]
    header = MAGIC + section(1, b"\x01\x60\x00\x00") + section(3, vec([b"\x00"] * len(bodies)))
    return header + section(5, b"\x01\x00\x01") + section(10, vec(code))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(ANY_INSTRUCTION, max_size=25), min_size=1, max_size=5),
    st.integers(1, 40),
)
def test_joined_scan_in_small_windows(bodies: list[list[tuple[int, bytes]]], window: int) -> None:
    """After an irregular instruction the joined scan resumes in windows: windows cutting
    instructions and separators anywhere give every body's exact opcode ids."""
    from unittest import mock

    from gasmodel.wasm import code, decode

    # Block openers, ends and calls are dropped: the bodies need not nest nor call existing
    # functions (those checks are elsewhere).
    skip = {BY_NAME[n].id for n in ("block", "loop", "if", "try", "try_table", "end", "delegate")}
    calls = ("call", "return_call", "ref.func", "call_indirect", "return_call_indirect")
    skip |= {BY_NAME[n].id for n in calls}
    kept = [[(i, enc) for i, enc in body if i not in skip] for body in bodies]
    data = _leb_module([b"".join(enc for _, enc in body) + b"\x0b" for body in kept])
    joined = []
    scan_joined = code._scan_joined

    def spy(*args: object) -> object:
        joined.append(scan_joined(*args))  # type: ignore[arg-type]
        return joined[-1]

    with mock.patch.object(code, "_WINDOW", window), mock.patch.object(code, "_scan_joined", spy):
        functions = decode(data).functions
    assert joined and joined[0] is not None  # the joined scan succeeded (no per-body fallback)
    assert [list(f.ops) for f in functions] == [[i for i, _ in body] + [BY_NAME["end"].id] for body in kept]
