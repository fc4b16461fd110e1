"""WebAssembly binary pieces for tests that build modules byte by byte (LEB128, vectors, names,
sections, function types), after the WebAssembly core specification's binary format (section 5).

The LEB128 encoders here are the tests' own, on purpose, not :mod:`gasmodel.wasm.leb`: the decoder
tests read what these write (padded, non-minimal encodings included), so the encoder they check
the decoder against must not be the product's.
"""

from __future__ import annotations

MAGIC = b"\x00asm\x01\x00\x00\x00"
"""The module preamble: magic and version 1."""


def uleb(v: int, pad: int = 0) -> bytes:
    """Unsigned LEB128 of ``v >= 0``, with ``pad`` extra (redundant, still valid) bytes."""
    out = bytearray()
    while True:
        b, v = v & 0x7F, v >> 7
        if v == 0 and pad == 0:
            out.append(b)
            return bytes(out)
        if v == 0:
            pad -= 1
        out.append(b | 0x80)


def sleb(v: int, pad: int = 0) -> bytes:
    """Signed LEB128 of ``v``, with ``pad`` extra (redundant, still valid) bytes."""
    out = bytearray()
    while True:
        b, v = v & 0x7F, v >> 7
        done = (v == 0 and not b & 0x40) or (v == -1 and b & 0x40 != 0)
        if done and pad == 0:
            out.append(b)
            return bytes(out)
        if done:
            pad -= 1
        out.append(b | 0x80)


def vec(items: list[bytes]) -> bytes:
    """A vector: count, then the items."""
    return uleb(len(items)) + b"".join(items)


def name(s: str | bytes) -> bytes:
    """A name: byte length, then UTF-8."""
    raw = s.encode() if isinstance(s, str) else s
    return uleb(len(raw)) + raw


def section(sid: int, payload: bytes) -> bytes:
    """A section: id, size, payload."""
    return bytes([sid]) + uleb(len(payload)) + payload


def functype(params: bytes = b"", results: bytes = b"") -> bytes:
    """A function type (value types as bytes, e.g. ``b"\\x7f"`` for i32)."""
    return b"\x60" + uleb(len(params)) + params + uleb(len(results)) + results
