"""The ``name`` custom section: module name and function names.

Custom sections carry no semantics, so a malformed ``name`` section is not an error: reading
stops at the first malformed subsection and keeps what was read before it.
"""

from __future__ import annotations

from gasmodel.errors import WasmDecodeError
from gasmodel.wasm.reader import Reader

MODULE_NAMES = 0
FUNCTION_NAMES = 1


def read_names(data: bytes, pos: int, end: int) -> tuple[str | None, dict[int, str]]:
    """``(module name, {absolute function index: name})`` from a name section payload."""
    module_name: str | None = None
    names: dict[int, str] = {}
    r = Reader(data, pos, end)
    try:
        while not r.at_end():
            sub = r.byte()
            size = r.u32()
            if size > r.remaining:
                break
            sr = Reader(data, r.pos, r.pos + size)
            r.pos += size
            if sub == MODULE_NAMES:
                module_name = sr.name()
            elif sub == FUNCTION_NAMES:
                _function_names(sr, names)
    except WasmDecodeError:
        pass
    return module_name, names


def _function_names(r: Reader, names: dict[int, str]) -> None:
    """The entries of a function name map into ``names``; raises at the first malformed one.

    Indices and name lengths below 2^14 (one or two LEB128 bytes) take no call.
    """
    data, end = r.data, r.end
    for _ in range(r.count(2, "function name")):
        p = r.pos
        if p + 2 < end and data[p] < 0x80 and data[p + 1] < 0x80:  # one-byte index and length
            index, n, p = data[p], data[p + 1], p + 2
        elif p + 4 < end and data[p + 1] < 0x80 and data[p + 2] < 0x80 and data[p] >= 0x80:
            index, n, p = data[p] & 0x7F | data[p + 1] << 7, data[p + 2], p + 3
        else:
            index = r.u32()
            names[index] = r.name()
            continue
        if p + n > end:
            r.pos = p
            raise r.error("unexpected end in a name")
        try:
            names[index] = data[p : p + n].decode("utf-8")
        except UnicodeDecodeError:
            raise r.error("name is not valid UTF-8", p) from None
        r.pos = p + n
