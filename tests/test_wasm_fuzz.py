"""Mutated and truncated real modules: only WasmDecodeError ever escapes, quickly, in bounded memory.

Oracles: properties that need no expected value (only WasmDecodeError escapes, its offset lies in
the input, time and tracemalloc's peak stay bounded), the single-body scan as the reference for the
joined scan, and hand-built bodies whose instruction counts are written out.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wasm_build import uleb

from gasmodel.errors import WasmDecodeError
from gasmodel.histogram import histogram
from gasmodel.wasm import decode

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "wasm_samples"


def _modules() -> list[bytes]:
    contracts = sorted(p for p in (ROOT / "contracts").glob("**/*.wasm") if "target" not in p.parts)
    small = [p for p in contracts if p.stat().st_size < 150_000][:4]
    files = [*sorted(SAMPLES.glob("*.wasm")), *small]
    return [p.read_bytes() for p in files]


MODULES = _modules()
# bounds on this process's CPU time (time.process_time), not the wall clock: on a shared machine under
# load the wall clock of the same work moves by several times, the CPU time does not
MAX_SECONDS = 2.0


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(MODULES)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "byte", "truncate", "insert", "delete", "duplicate", "leb"]))
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif kind == "byte":
            data[i] = draw(st.integers(0, 255))
        elif kind == "truncate":
            del data[i:]
        elif kind == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del data[i : i + draw(st.integers(1, 16))]
        elif kind == "duplicate":
            j = draw(st.integers(i, min(len(data), i + 64)))
            data[i:i] = data[i:j]
        else:  # a huge count or size where a LEB128 may sit
            data[i : i + 1] = b"\xff\xff\xff\xff\x0f"
    return bytes(data)


def _check(data: bytes) -> None:
    t0 = time.process_time()
    try:
        module = decode(data)
    except WasmDecodeError as exc:
        assert 0 <= exc.offset <= len(data)
        assert str(exc)
    else:
        h = histogram(module)
        assert h.total == sum(len(f.ops) for f in module.functions)
    assert time.process_time() - t0 < MAX_SECONDS


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutations_only_raise_our_error(data: bytes) -> None:
    _check(data)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(range(len(MODULES))), st.floats(0, 1))
def test_truncations_only_raise_our_error(which: int, frac: float) -> None:
    data = MODULES[which]
    _check(data[: int(len(data) * frac)])


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_garbage_after_a_valid_header(tail: bytes) -> None:
    _check(b"\x00asm\x01\x00\x00\x00" + tail)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_memory_stays_bounded(data: bytes) -> None:
    tracemalloc.start()
    try:
        _check(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 * len(data) + 2_000_000


def _decode_outcome(data: bytes) -> object:
    try:
        m = decode(data)
    except WasmDecodeError as exc:
        return ("error", exc.reason, exc.offset, exc.func_index)
    return [
        (f.index, f.ops.tobytes(), f.calls, f.indirect_type_refs, f.ref_funcs, f.locals) for f in m.functions
    ]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_joined_scan_equals_scanning_each_body(data: bytes) -> None:
    """All bodies scanned in one regex pass (joined by a separator) == each body scanned alone."""
    from gasmodel.wasm import code

    joined = _decode_outcome(data)
    original = code._scan_joined
    code._scan_joined = lambda *args, **kwargs: None  # type: ignore[assignment]
    try:
        alone = _decode_outcome(data)
    finally:
        code._scan_joined = original
    assert joined == alone


def _module(*codes: bytes) -> bytes:
    """Functions of type () -> () with these instruction bytes (no locals)."""

    def vec(items: list[bytes]) -> bytes:
        assert len(items) < 128
        return bytes([len(items)]) + b"".join(items)

    def sec(sid: int, payload: bytes) -> bytes:
        assert len(payload) < 128
        return bytes([sid, len(payload)]) + payload

    bodies = [bytes([len(c) + 1, 0]) + c for c in codes]
    return (
        b"\x00asm\x01\x00\x00\x00"
        + sec(1, b"\x01\x60\x00\x00")
        + sec(3, vec([b"\x00"] * len(codes)))
        + sec(10, vec(bodies))
    )


def test_separator_bytes_inside_a_body_are_rejected() -> None:
    """Twelve 0xff bytes where an instruction starts are an unknown opcode, in one body or many."""
    sep = b"\xff" * 12
    for codes in (
        [b"\x20\x00" + sep + b"\x0b"],
        [b"\x01\x0b", b"\x01" + sep + b"\x0b", b"\x0b"],
        [sep + b"\x0b", b"\x0b"],
        [b"\x41", b"\x0b" + sep[:11] + b"\x0b"],  # a token that would run into the separator
    ):
        data = _module(*codes)
        try:
            decode(data)
        except WasmDecodeError as exc:
            assert exc.offset in (data.find(sep[:11]), data.find(b"\x41") + 1), exc
            assert exc.func_index is not None
        else:
            raise AssertionError(f"decoded {codes}")


def test_bodies_full_of_irregular_instructions_take_linear_time() -> None:
    """30 000 prefixed instructions (each left to the exact decoder) in one body, then in many."""
    one = b"\x41\x00\x41\x00\x41\x00\xfc\x8b\x00\x00"  # i32.const 0 (x3), memory.fill 0 (padded)
    body = b"\x00" + one * 10_000 + b"\x0b"
    size = len(body)
    sizeleb = bytes([size & 0x7F | 0x80, size >> 7 & 0x7F | 0x80, size >> 14])
    code = b"\x01" + sizeleb + body
    clen = len(code)
    codesec = b"\x0a" + bytes([clen & 0x7F | 0x80, clen >> 7 & 0x7F | 0x80, clen >> 14]) + code
    data = b"\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x05\x03\x01\x00\x01" + codesec
    t0 = time.process_time()
    module = decode(data)
    assert time.process_time() - t0 < 3.0
    assert module.functions[0].histogram()["memory.fill"] == 10_000
    many = _module(*([b"\x41\x00" * 3 + b"\xfc\x8b\x00\x00\x0b"] * 9))
    t0 = time.process_time()
    assert sum(f.histogram()["memory.fill"] for f in decode(many).functions) == 9
    assert time.process_time() - t0 < 1.0
    # 2000 bodies with 15 irregular instructions each, scanned joined (resuming in windows).
    bt = b"\x0e\x3c" + b"\x00" * 61  # br_table with 60 labels: left to the exact decoder
    body = (b"\x20\x00" * 20 + bt) * 15 + b"\x0b"
    n = 2000
    code = b"".join(uleb(len(body) + 1) + b"\x00" + body for _ in range(n))
    code = uleb(n) + code
    data = (
        b"\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x03"
        + uleb(len(uleb(n)) + n) + uleb(n) + b"\x00" * n
        + b"\x0a" + uleb(len(code)) + code
    )
    t0 = time.process_time()
    assert sum(f.histogram()["br_table"] for f in decode(data).functions) == 15 * n
    assert time.process_time() - t0 < 3.0

