"""Hostile WebAssembly modules, built byte by byte (shared by tests/test_hostile*.py, the fuzz
campaign in scripts/fuzz_campaign.py and benchmarks/bench_memory.py).

Every builder returns the bytes of a module; the encodings follow the WebAssembly core
specification's binary format (the pieces are tests/wasm_build.py's), so that ``wasm-validate``
accepts each module unless its docstring says it is invalid on purpose.
"""

from __future__ import annotations

import gzip

from wasm_build import MAGIC, functype, name, section, uleb, vec


def module(
    bodies: list[bytes],
    *,
    types: list[bytes] | None = None,
    func_types: list[int] | None = None,
    imports: list[bytes] | None = None,
    table: int | None = None,
    elems: list[int] | None = None,
    exports: list[tuple[str, int]] | None = None,
    names: dict[int, bytes] | None = None,
) -> bytes:
    """A module with the given function bodies (each: locals + instructions, ``end`` included).

    Types default to one ``() -> ()``; every function has type ``func_types[k]`` (default 0).
    ``imports`` are raw import entries; ``table`` a funcref table of that size with ``elems`` at 0.
    """
    types = types or [functype()]
    out = MAGIC + section(1, vec(types))
    if imports:
        out += section(2, vec(imports))
    ft = func_types if func_types is not None else [0] * len(bodies)
    out += section(3, uleb(len(bodies)) + b"".join(uleb(t) for t in ft))
    if table is not None:
        out += section(4, vec([b"\x70\x00" + uleb(table)]))
    if exports:
        out += section(7, vec([name(n) + b"\x00" + uleb(i) for n, i in exports]))
    if elems:
        out += section(9, vec([b"\x00\x41\x00\x0b" + vec([uleb(i) for i in elems])]))
    out += section(10, uleb(len(bodies)) + b"".join(uleb(len(b)) + b for b in bodies))
    if names:
        entries = b"".join(uleb(i) + name(n) for i, n in sorted(names.items()))
        sub = uleb(len(names)) + entries
        out += section(0, name("name") + b"\x01" + uleb(len(sub)) + sub)
    return out


EMPTY_BODY = b"\x00\x0b"


def call_chain(n: int, exported: int) -> bytes:
    """``n`` functions, each calling the next; the first ``exported`` of them exported."""
    bodies = [b"\x00\x10" + uleb(k + 1) + b"\x0b" for k in range(n - 1)] + [EMPTY_BODY]
    return module(bodies, exports=[(f"e{k}", k) for k in range(exported)])


def fan_out(n: int, exported: int) -> bytes:
    """Function 0 calls functions 1..n-1; the last ``exported`` functions call function 0 and are exported."""
    hub = b"\x00" + b"".join(b"\x10" + uleb(k) for k in range(1, n)) + b"\x0b"
    leaf = b"\x00\x10\x00\x0b"
    bodies = [hub] + [leaf if k >= n - exported else EMPTY_BODY for k in range(1, n)]
    return module(bodies, exports=[(f"e{k}", k) for k in range(n - exported, n)])


def big_body(n_instr: int) -> bytes:
    """One function of ``n_instr`` instructions (``nop``) plus ``end``."""
    return module([b"\x00" + b"\x01" * n_instr + b"\x0b"], exports=[("execute", 0)])


def many_functions(n: int) -> bytes:
    """``n`` empty functions, the first exported."""
    return module([EMPTY_BODY] * n, exports=[("execute", 0)])


def named(symbol: bytes) -> bytes:
    """One exported function whose name-section entry is ``symbol``."""
    return module([EMPTY_BODY], exports=[("execute", 0)], names={0: symbol})


def v0_backref_bomb(depth: int = 40) -> bytes:
    """A Rust v0 symbol whose generic arguments nest back-references: argument ``k`` is a tuple
    of two back-references to argument ``k - 1``, so the readable form doubles with each level.

    ``_RINvC1a1f`` (``a::f::<...>``), then ``u`` (unit), then ``depth`` tuples ``T B.._ B.._ E``,
    then ``E``. A back-reference is ``B``, the base-62 offset (counted after ``_R``), ``_``.
    """
    body = "INvC1a1f"
    prev = len(body)
    body += "u"
    for _ in range(depth):
        ref = "B" + _b62(prev) + "_"
        prev = len(body)
        body += "T" + ref + ref + "E"
    return ("_R" + body + "E").encode()


def _b62(n: int) -> str:
    """A v0 base-62 number without its ``_``: empty for 0, else the digits of ``n - 1``."""
    if n == 0:
        return ""
    n -= 1
    digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while True:
        out = digits[n % 62] + out
        n //= 62
        if not n:
            return out


def invalid_call_indirect() -> bytes:
    """Decodes, but is invalid: ``call_indirect`` with no table (wasm-validate: unknown table 0)."""
    body = b"\x00\x41\x00\x11\x00\x00\x0b"
    return module([body], exports=[("execute", 0)])


def invalid_type_mismatch() -> bytes:
    """Decodes, but is invalid: ``i32.add`` on an empty stack (wasm-validate: type mismatch)."""
    return module([b"\x00\x6a\x1a\x0b"], exports=[("execute", 0)])


def gz(data: bytes) -> bytes:
    """``data`` gzipped (level 9)."""
    return gzip.compress(data, compresslevel=9, mtime=0)
