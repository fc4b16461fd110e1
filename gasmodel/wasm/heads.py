"""Function body headers: body sizes and local declarations, read in one tight loop."""

from __future__ import annotations

from collections.abc import Mapping

from gasmodel.errors import WasmDecodeError
from gasmodel.wasm.reader import VALTYPES, Reader

Head = tuple[int, int, int, tuple[tuple[int, str], ...], int]
"""Per body: offset, size, offset of its first instruction, local declarations, number of locals."""

Locals = tuple[tuple[tuple[int, str], ...], int]


def read_locals(r: Reader, cache: dict[bytes, Locals] | None = None) -> Locals:
    """The local declarations at the cursor: ``((count, valtype), ...)`` and the total count.

    Declarations whose counts and types are one byte each are read at once (and remembered in
    ``cache`` by their bytes: bodies of one module repeat a few headers).
    """
    data, p = r.data, r.pos
    n = data[p] if p < r.end else 0x80
    if n < 0x80 and p + 1 + 2 * n <= r.end:
        key = data[p : p + 1 + 2 * n]
        if cache is not None:
            hit = cache.get(key)
            if hit is not None:
                r.pos = p + 1 + 2 * n
                return hit
        counts = key[1::2]
        types = key[2::2]
        if (not counts or max(counts) < 0x80) and not types.translate(None, _SIMPLE_TYPE_BYTES):
            r.pos = p + 1 + 2 * n
            out = tuple(zip(counts, map(VALTYPES.__getitem__, types), strict=True)), sum(counts)
            if cache is not None:
                cache[key] = out
            return out
    n_groups = r.count(2, "local declaration")
    decls: list[tuple[int, str]] = []
    total = 0
    for _ in range(n_groups):
        k = r.u32()
        decls.append((k, r.valtype()))
        total += k
    if total >= 1 << 32:
        raise r.error(f"too many locals ({total})")
    return tuple(decls), total


_SIMPLE_TYPE_BYTES = bytes(VALTYPES)


def read_heads(
    data: bytes, pos: int, end: int, count: int, base_index: int, names: Mapping[int, str]
) -> list[Head]:
    """Per body: ``(offset, size, offset of its first instruction, local declarations, #locals)``.

    A tight loop: sizes of one or two bytes and already seen local declarations take no call.
    """
    r = Reader(data, pos, end)
    heads: list[Head] = []
    append = heads.append
    cache: dict[bytes, Locals] = {}
    get = cache.get
    p = pos
    for k in range(count):
        if p < end and data[p] < 0x80:
            size = data[p]
            q = p + 1
        elif p + 1 < end and data[p + 1] < 0x80:  # two-byte size (bodies under 16 KiB)
            size = data[p] & 0x7F | data[p + 1] << 7
            q = p + 2
        else:
            r.pos, r.func_index, r.func_name = p, base_index + k, names.get(base_index + k)
            size = r.u32()
            q = r.pos
        if size == 0 or size > end - q:
            r.func_index, r.func_name = base_index + k, names.get(base_index + k)
            if size == 0:
                raise r.error("empty function body", q)
            raise r.error(f"function body size {size} exceeds the {end - q} bytes left", p)
        body_end = q + size
        n = data[q]
        key = data[q : q + 1 + 2 * n]
        hit = get(key) if n < 0x80 else None
        if hit is not None and q + 1 + 2 * n < body_end:
            append((q, size, q + 1 + 2 * n, hit[0], hit[1]))
        else:
            r.pos, r.end = q, body_end
            r.func_index, r.func_name = base_index + k, names.get(base_index + k)
            decls, num_locals = read_locals(r, cache)
            if r.pos >= body_end:
                raise r.error("function body has no instructions")
            append((q, size, r.pos, decls, num_locals))
            r.end = end
        p = body_end
    if p != end:
        raise WasmDecodeError(f"code section has {end - p} unread bytes", p)
    return heads
