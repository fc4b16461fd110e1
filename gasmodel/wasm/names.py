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
                for _ in range(sr.count(2, "function name")):
                    index = sr.u32()
                    names[index] = sr.name()
    except WasmDecodeError:
        pass
    return module_name, names
