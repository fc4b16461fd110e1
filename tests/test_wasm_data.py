"""The data section: its one-regex path for the usual segment head agrees with the exact reader.

Oracle: the exact data-segment reader (itself checked against wabt in tests/test_wasm_oracles.py), on
hypothesis-built segments; one usual head decoded by hand.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from wasm_build import sleb, uleb

from gasmodel.errors import WasmDecodeError
from gasmodel.wasm.module import _Decoder
from gasmodel.wasm.reader import Reader

S32 = st.builds(sleb, st.integers(-(2**31), 2**31 - 1), st.integers(0, 4)).filter(lambda b: len(b) <= 5)


@st.composite
def segment(draw: st.DrawFn) -> bytes:
    """An active segment at ``i32.const`` in memory 0 (the usual head, padded LEB128s included),
    sometimes with another flag, memory or offset expression."""
    body = draw(st.binary(max_size=6))
    size = draw(st.sampled_from([uleb(len(body)), uleb(len(body), 1), uleb(len(body), 4)]))
    head = draw(
        st.sampled_from(
            [b"\x00\x41", b"\x00\x41", b"\x02\x00\x41", b"\x00\x42", b"\x01", b"\x00\x23", b"\x03\x41"]
        )
    )
    if head == b"\x01":
        return head + size + body
    return head + draw(S32) + b"\x0b" + size + body


def _outcome(read: object, payload: bytes) -> object:
    try:
        return "ok", read(payload)  # type: ignore[operator]
    except WasmDecodeError as exc:
        return "error", exc.reason, exc.offset


def _fast(payload: bytes) -> list[object]:
    decoder = _Decoder(payload)
    decoder.sec_data(Reader(payload, 0, len(payload)))
    return list(decoder.data_segments)


def _exact(payload: bytes) -> list[object]:
    r = Reader(payload, 0, len(payload))
    return [_Decoder._data_segment(r) for _ in range(r.count(1, "data segment"))]


@settings(max_examples=300, deadline=None)
@given(st.lists(segment(), max_size=6), st.data())
def test_data_segments_fast_and_exact_agree(segments: list[bytes], data: st.DataObject) -> None:
    payload = bytearray(uleb(len(segments)) + b"".join(segments))
    assert _outcome(_fast, bytes(payload)) == _outcome(_exact, bytes(payload))
    if payload:  # one damaged byte, then cut anywhere
        i = data.draw(st.integers(0, len(payload) - 1))
        payload[i] = data.draw(st.integers(0, 255))
        damaged = bytes(payload[: data.draw(st.integers(0, len(payload)))])
        assert _outcome(_fast, damaged) == _outcome(_exact, damaged)


def test_usual_segment_head() -> None:
    payload = b"\x02" + b"\x00\x41\x80\x80\x04\x0b\x02ab" + b"\x00\x41\x7f\x0b\x80\x00"
    first, second = _fast(payload)
    assert first.offset_expr is not None and first.offset_expr.value == 65536
    assert (first.mode, first.memory, first.size, first.offset) == ("active", 0, 2, 1)
    assert second.offset_expr is not None and second.offset_expr.value == -1
    assert second.size == 0 and second.offset_expr.offset == 11
