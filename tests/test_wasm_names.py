"""The ``name`` section: function names with one- and two-byte indices and lengths, malformed maps.

Oracle: a reference name-section reader written in the test from the extended-name-section
specification, and hand-built sections with known names.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from wasm_build import uleb

from gasmodel.wasm.names import read_names


def name_map(entries: list[tuple[int, bytes]]) -> bytes:
    """A name section payload with one function-name subsection."""
    body = uleb(len(entries)) + b"".join(uleb(i) + uleb(len(n)) + n for i, n in entries)
    return b"\x01" + uleb(len(body)) + body


class _Malformed(Exception):
    pass


def _u32(data: bytes, pos: int, end: int) -> tuple[int, int]:
    """An unsigned LEB128 u32 read as the binary format's section 5.2.2 defines it: at most 5
    bytes, the last one's unused bits zero. Written here, not gasmodel's Reader."""
    value = 0
    for i in range(5):
        if pos >= end:
            raise _Malformed
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << (7 * i)
        if not b & 0x80:
            if i == 4 and b & 0x70:
                raise _Malformed
            return value, pos
    raise _Malformed


def reference(data: bytes) -> dict[int, str]:
    """Function names read entry by entry from the extended name section's layout (subsection id,
    size, then for id 1 a vector of (index, name)); a malformed entry ends the reading with the
    names before it. What read_names must equal."""
    names: dict[int, str] = {}
    pos, end = 0, len(data)
    try:
        while pos < end:
            sub = data[pos]
            size, pos = _u32(data, pos + 1, end)
            if size > end - pos:
                break
            spos, send = pos, pos + size
            pos = send
            if sub != 1:
                continue
            count, spos = _u32(data, spos, send)
            if count * 2 > send - spos:  # every entry takes at least two bytes
                raise _Malformed
            for _ in range(count):
                index, spos = _u32(data, spos, send)
                length, spos = _u32(data, spos, send)
                if length > send - spos:
                    raise _Malformed
                try:
                    text = data[spos : spos + length].decode("utf-8")
                except UnicodeDecodeError:
                    raise _Malformed from None
                spos += length
                names[index] = text
    except _Malformed:
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
