"""The ``name`` section: function names with one- and two-byte indices and lengths, malformed maps."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from wasm_build import uleb

from gasmodel.errors import WasmDecodeError
from gasmodel.wasm.names import read_names
from gasmodel.wasm.reader import Reader


def name_map(entries: list[tuple[int, bytes]]) -> bytes:
    """A name section payload with one function-name subsection."""
    body = uleb(len(entries)) + b"".join(uleb(i) + uleb(len(n)) + n for i, n in entries)
    return b"\x01" + uleb(len(body)) + body


def reference(data: bytes) -> dict[int, str]:
    """Function names read entry by entry with the plain reader (what read_names must equal)."""
    r = Reader(data, 0, len(data))
    names: dict[int, str] = {}
    try:
        while not r.at_end():
            sub = r.byte()
            size = r.u32()
            if size > r.remaining:
                break
            sr = Reader(data, r.pos, r.pos + size)
            r.pos += size
            if sub == 1:
                for _ in range(sr.count(2, "function name")):
                    index = sr.u32()
                    names[index] = sr.name()
    except WasmDecodeError:
        pass
    return names


def test_long_indices_and_names() -> None:
    entries = [(0, b"a"), (127, b"b" * 127), (128, b"c"), (300, b"d" * 200), (20000, b"e"), (5, b"")]
    _, names = read_names(name_map(entries), 0, len(name_map(entries)))
    assert names == {i: n.decode() for i, n in entries}


def test_malformed_entry_keeps_the_names_before_it() -> None:
    good = name_map([(1, b"one"), (200, b"two")])
    bad_utf8 = name_map([(1, b"one"), (200, b"\xff\xfe"), (3, b"three")])
    assert read_names(bad_utf8, 0, len(bad_utf8))[1] == {1: "one"}
    short = good[:1] + bytes([good[1] - 2]) + good[2:-2]  # the subsection ends inside the last name
    assert read_names(short, 0, len(short))[1] == {1: "one"}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 70000), st.binary(max_size=300)), max_size=6),
    st.integers(0, 40),
)
def test_fast_path_equals_reader(entries: list[tuple[int, bytes]], cut: int) -> None:
    """Any map, whole or cut short, and any bytes as names: the same names as the plain reader."""
    data = name_map(entries)
    if cut and len(data) > 2 and data[1] < 0x80 and data[1] >= cut:  # shrink the subsection
        data = data[:1] + bytes([data[1] - cut]) + data[2 : len(data) - cut]
    assert read_names(data, 0, len(data))[1] == reference(data)
