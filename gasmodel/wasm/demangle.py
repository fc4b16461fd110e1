"""Readable function names: Rust symbol demangling for display, bounded and silent.

The name section of a Rust build holds mangled symbols (``_ZN8workload3fib17h…E``). Reports show
them demangled and without the 16-hex-digit hash suffix or a compiler suffix such as ``.llvm.123``
(``workload::fib``), as GNU ``c++filt`` shows them; the raw name stays in
:attr:`gasmodel.wasm.Module.func_names`.

Names come from untrusted modules, so demangling is bounded: a symbol longer than
:data:`MAX_SYMBOL` characters, a v0 symbol that needs more than :data:`MAX_BACKREFS`
back-reference expansions (nested back-references double the output with each level) or nests
deeper than :data:`MAX_DEPTH`, or whose readable form would exceed :data:`MAX_OUTPUT` characters,
is shown raw. The v0 printer of the ``rust_demangler`` package is driven through a subclass that
counts back-references and depth and raises instead of printing to standard output on invalid
input; nothing here writes to stdout or stderr.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rust_demangler.rust_legacy import LegacyDemangler
from rust_demangler.rust_v0 import Parser, Printer

_HASH_SUFFIX = re.compile(r"::h[0-9a-f]{16}(?:\.[\w.$]*)?$")
# A Rust legacy symbol: ``_ZN``, length-prefixed path segments, ``E``, then at most a ``.llvm.…``-like
# suffix. An Itanium C++ symbol has parameter types after the ``E`` (``_ZN3foo3barEi``) and stays raw.
_RUST_LEGACY = re.compile(r"^_ZN(?:\d+[^\d].*)?E(?:\.[\w.$]*)?$", re.S)

MAX_SYMBOL = 4096
"""Longest symbol demangled (characters); longer ones are shown raw."""
MAX_OUTPUT = 4096
"""Longest readable form (characters); a symbol that expands further is shown raw."""
MAX_BACKREFS = 256
"""Most back-reference expansions in one v0 symbol."""
MAX_DEPTH = 64
"""Deepest nesting of v0 back-references."""


class _Bounded(Exception):
    """A v0 symbol is invalid or exceeds a bound: the raw name is shown."""


class _BoundedPrinter(Printer):  # type: ignore[misc]  # untyped third-party class
    """``rust_demangler``'s v0 printer with a back-reference budget, a depth bound, an output
    bound, and an :meth:`invalid` that raises without printing."""

    def __init__(self, parser: Parser, out: str, bound: int, budget: list[int], depth: int) -> None:
        super().__init__(parser, out, bound)
        self._budget = budget
        self._depth = depth

    def invalid(self) -> None:
        raise _Bounded

    def backref_printer(self) -> _BoundedPrinter:
        self._budget[0] -= 1
        if self._budget[0] < 0 or self._depth >= MAX_DEPTH or len(self.out) > MAX_OUTPUT:
            raise _Bounded
        p = self.parser_mut()
        depth = self._depth + 1
        return _BoundedPrinter(p.backref(), self.out, self.bound_lifetime_depth, self._budget, depth)


def _v0(symbol: str) -> str:
    """A v0 symbol (``_R…``) demangled, or :class:`_Bounded` / another exception."""
    inner = symbol[2:]
    if not inner[:1].isupper() or not inner.isascii():
        raise _Bounded
    suffix = ""
    if "." in inner:
        inner, suffix = inner[: inner.index(".")], inner[inner.index(".") :]
    parser = Parser(inner, 0)
    parser.skip_path()
    printer = _BoundedPrinter(Parser(inner, 0), "", 0, [MAX_BACKREFS], 0)
    printer.print_path(True)
    out = str(printer.out)
    if len(out) > MAX_OUTPUT:
        raise _Bounded
    return out + suffix


@lru_cache(maxsize=8192)
def demangle(symbol: str) -> str:
    """``symbol`` demangled if it is a Rust symbol (legacy ``_ZN…E`` or v0 ``_R…``), else unchanged
    (C++ symbols included: ``_ZN3foo3barEi`` has parameter types after the ``E``).

    Bounded in time and output (see the module docstring); any symbol that cannot be demangled
    within the bounds comes back unchanged.
    """
    if len(symbol) > MAX_SYMBOL:
        return symbol
    try:
        if symbol.startswith("_ZN"):
            if not _RUST_LEGACY.match(symbol):
                return symbol
            readable = str(LegacyDemangler().demangle(symbol))
        elif symbol.startswith("_R"):
            readable = _v0(symbol)
        else:
            return symbol
    except (_Bounded, RecursionError, Exception):  # the package raises assorted types on bad input
        return symbol
    if len(readable) > MAX_OUTPUT:
        return symbol
    return _HASH_SUFFIX.sub("", readable)
