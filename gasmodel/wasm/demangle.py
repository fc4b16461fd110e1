"""Readable function names: Rust symbol demangling for display.

The name section of a Rust build holds mangled symbols (``_ZN8workload3fib17h…E``). Reports show
them demangled and without the 16-hex-digit hash suffix (``workload::fib``); the raw name stays in
:attr:`gasmodel.wasm.Module.func_names`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rust_demangler import demangle as _rust_demangle

_HASH_SUFFIX = re.compile(r"::h[0-9a-f]{16}$")


@lru_cache(maxsize=8192)
def demangle(symbol: str) -> str:
    """``symbol`` demangled if it is a Rust symbol (legacy ``_ZN…E`` or v0 ``_R…``), else unchanged."""
    if not (symbol.startswith("_ZN") or symbol.startswith("_R")):
        return symbol
    try:
        readable = str(_rust_demangle(symbol))
    except Exception:  # the demangler raises its own assorted types on non-Rust input
        return symbol
    return _HASH_SUFFIX.sub("", readable)
