"""LEB128 encoding of an unsigned integer (Wasm's ``u32``/``u64``, and protobuf's varint: the same bytes)."""

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
