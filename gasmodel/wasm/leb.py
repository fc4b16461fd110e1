"""LEB128 encodings: unsigned (Wasm's ``u32``/``u64``, and protobuf's varint: the same bytes) and
signed (Wasm's ``s32``/``s64`` constants)."""

from __future__ import annotations


def uleb(v: int) -> bytes:
    """The unsigned LEB128 bytes of ``v >= 0``."""
    if v < 0x80:
        return bytes((v,))
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def sleb(v: int) -> bytes:
    """The signed LEB128 bytes of ``v`` (shortest form)."""
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if (v == 0 and not b & 0x40) or (v == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)
