"""The product's LEB128 encoders (gasmodel/wasm/leb.py: instrumentation, opcode encodings, protobuf
varints) against the tests' own encoders (tests/wasm_build.py, written from the WebAssembly
specification's definition) and read back by the decoder's reader.

Oracle: the tests' own encoders in tests/wasm_build.py, written from the specification's LEB128 definition.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from wasm_build import sleb as spec_sleb
from wasm_build import uleb as spec_uleb

from gasmodel.wasm.leb import sleb, uleb
from gasmodel.wasm.reader import Reader


@given(st.integers(0, 2**64 - 1))
def test_unsigned_is_the_shortest_encoding(v: int) -> None:
    enc = uleb(v)
    assert enc == spec_uleb(v)
    assert Reader(enc, 0, len(enc)).u64() == v


@given(st.integers(-(2**63), 2**63 - 1))
def test_signed_is_the_shortest_encoding(v: int) -> None:
    enc = sleb(v)
    assert enc == spec_sleb(v)
    assert Reader(enc, 0, len(enc)).s64() == v


def test_hand_derived_vectors() -> None:
    # the specification's examples and the 7-bit boundaries, by hand
    assert uleb(0) == b"\x00" and uleb(127) == b"\x7f" and uleb(128) == b"\x80\x01"
    assert uleb(624485) == b"\xe5\x8e\x26"
    assert sleb(-1) == b"\x7f" and sleb(63) == b"\x3f" and sleb(64) == b"\xc0\x00"
    assert sleb(-64) == b"\x40" and sleb(-65) == b"\xbf\x7f" and sleb(-123456) == b"\xc0\xbb\x78"
