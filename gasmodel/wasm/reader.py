"""Exact, bounds-checked readers for the primitive encodings of the WebAssembly binary format.

A :class:`Reader` walks ``data[pos:end]``. Every read checks the bound it may not cross and every
LEB128 its maximal length and unused bits, raising :class:`~gasmodel.errors.WasmDecodeError` with
the byte offset (and, inside code, the function) where the input stops making sense.
"""

from __future__ import annotations

import struct

from gasmodel.errors import WasmDecodeError

_F32 = struct.Struct("<f")
_F64 = struct.Struct("<d")

# Single-byte value types (text-format names).
VALTYPES: dict[int, str] = {
    0x7F: "i32",
    0x7E: "i64",
    0x7D: "f32",
    0x7C: "f64",
    0x7B: "v128",
    0x70: "funcref",
    0x6F: "externref",
    0x69: "exnref",
    0x6E: "anyref",
    0x6D: "eqref",
    0x6C: "i31ref",
    0x6B: "structref",
    0x6A: "arrayref",
    0x71: "nullref",
    0x72: "nullexternref",
    0x73: "nullfuncref",
    0x74: "nullexnref",
}

# Abstract heap types (s33 negative, encoded as one byte).
HEAPTYPES: dict[int, str] = {
    0x70: "func",
    0x6F: "extern",
    0x69: "exn",
    0x6E: "any",
    0x6D: "eq",
    0x6C: "i31",
    0x6B: "struct",
    0x6A: "array",
    0x71: "none",
    0x72: "noextern",
    0x73: "nofunc",
    0x74: "noexn",
}


class Reader:
    """A cursor over ``data[pos:end]`` with exact primitive decoders."""

    __slots__ = ("data", "end", "func_index", "func_name", "pos")

    def __init__(
        self,
        data: bytes,
        pos: int = 0,
        end: int | None = None,
        func_index: int | None = None,
        func_name: str | None = None,
    ) -> None:
        self.data = data
        self.pos = pos
        self.end = len(data) if end is None else end
        self.func_index = func_index
        self.func_name = func_name

    def error(self, message: str, offset: int | None = None) -> WasmDecodeError:
        """An error at ``offset`` (default: the current position), naming the function if any."""
        return WasmDecodeError(
            message, self.pos if offset is None else offset, self.func_index, self.func_name
        )

    @property
    def remaining(self) -> int:
        """Bytes left before ``end``."""
        return self.end - self.pos

    def at_end(self) -> bool:
        """Whether the cursor reached ``end``."""
        return self.pos >= self.end

    def byte(self) -> int:
        """One byte."""
        if self.pos >= self.end:
            raise self.error("unexpected end")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def peek(self) -> int:
        """The next byte, without consuming it."""
        if self.pos >= self.end:
            raise self.error("unexpected end")
        return self.data[self.pos]

    def take(self, n: int) -> bytes:
        """``n`` raw bytes."""
        if n < 0 or n > self.end - self.pos:
            raise self.error(f"unexpected end: {n} bytes needed, {self.end - self.pos} left")
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def _leb(self, max_bytes: int, signed: bool, bits: int) -> int:
        start = self.pos
        data, end = self.data, self.end
        result = 0
        shift = 0
        pos = start
        while True:
            if pos >= end:
                self.pos = pos
                raise self.error("unexpected end in LEB128 integer", start)
            b = data[pos]
            pos += 1
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
            if pos - start >= max_bytes:
                raise self.error(f"LEB128 integer longer than {max_bytes} bytes", start)
        if pos - start == max_bytes:
            # The last byte may only carry the bits that remain (sign bits must agree for signed).
            used = bits - 7 * (max_bytes - 1)
            last = data[pos - 1]
            if signed:
                sign_bits = last >> (used - 1) & (0x7F >> (used - 1))
                if sign_bits not in (0, 0x7F >> (used - 1)):
                    raise self.error("LEB128 integer too large", start)
            elif last >> used:
                raise self.error("LEB128 integer too large", start)
        self.pos = pos
        if signed and b & 0x40:
            result -= 1 << shift
        return result

    def u32(self) -> int:
        """An unsigned 32-bit LEB128."""
        data, pos = self.data, self.pos
        if pos < self.end and data[pos] < 0x80:
            self.pos = pos + 1
            return data[pos]
        return self._leb(5, False, 32)

    def u64(self) -> int:
        """An unsigned 64-bit LEB128."""
        return self._leb(10, False, 64)

    def s32(self) -> int:
        """A signed 32-bit LEB128."""
        return self._leb(5, True, 32)

    def s33(self) -> int:
        """A signed 33-bit LEB128 (block types, heap types)."""
        return self._leb(5, True, 33)

    def s64(self) -> int:
        """A signed 64-bit LEB128."""
        return self._leb(10, True, 64)

    def f32(self) -> float:
        """A little-endian IEEE 754 single."""
        value: float = _F32.unpack(self.take(4))[0]
        return value

    def f64(self) -> float:
        """A little-endian IEEE 754 double."""
        value: float = _F64.unpack(self.take(8))[0]
        return value

    def count(self, min_item_size: int = 1, what: str = "items") -> int:
        """A vector length, checked against the bytes left (each item needs ``min_item_size``)."""
        start = self.pos
        n = self.u32()
        if n * min_item_size > self.end - self.pos:
            raise self.error(f"{what} count {n} exceeds the {self.end - self.pos} bytes left", start)
        return n

    def name(self) -> str:
        """A UTF-8 name (length-prefixed)."""
        start = self.pos
        n = self.count(1, "name length")
        raw = self.take(n)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise self.error("name is not valid UTF-8", start) from None

    def heaptype(self) -> str:
        """A heap type: an abstract type name or a type index (as a decimal string)."""
        start = self.pos
        b = self.peek()
        if b in HEAPTYPES:
            self.pos += 1
            return HEAPTYPES[b]
        value = self.s33()
        if value < 0:
            raise self.error(f"unknown heap type 0x{b:02x}", start)
        return str(value)

    def valtype(self) -> str:
        """A value type, in text-format spelling (``i32``, ``funcref``, ``(ref null 3)`` …)."""
        start = self.pos
        b = self.byte()
        name = VALTYPES.get(b)
        if name is not None:
            return name
        if b in (0x63, 0x64):
            ht = self.heaptype()
            return f"(ref null {ht})" if b == 0x63 else f"(ref {ht})"
        raise self.error(f"unknown value type 0x{b:02x}", start)

    def reftype(self) -> str:
        """A reference type."""
        start = self.pos
        t = self.valtype()
        if t in ("i32", "i64", "f32", "f64", "v128"):
            raise self.error(f"expected a reference type, got {t}", start)
        return t

    def limits(self, memory: bool) -> tuple[int, int | None, bool, bool]:
        """Limits: ``(min, max, shared, is64)``."""
        start = self.pos
        flags = self.byte()
        allowed = 0x07 if memory else 0x05
        if flags & ~allowed:
            raise self.error(f"invalid limits flags 0x{flags:02x}", start)
        is64 = bool(flags & 0x04)
        read = self.u64 if is64 else self.u32
        lo = read()
        hi = read() if flags & 0x01 else None
        return lo, hi, bool(flags & 0x02), is64
