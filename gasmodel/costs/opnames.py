"""Opcode names and categories a cost table may name, checked against the Wasm decoder.

The per-opcode part of a cost table is keyed by WebAssembly text-format names (``local.get``,
``call_indirect``) and by the decoder's category names. When :mod:`gasmodel.wasm.opcodes` is
importable, every name a table uses is checked against its ``BY_NAME``; until then only the
spelling is checked (lower case, digits, ``_`` and ``.``).
"""

from __future__ import annotations

import difflib
import importlib
import re
from collections.abc import Iterable

# The decoder's category names (gasmodel.wasm.opcodes: each opcode has one of these).
CATEGORIES: frozenset[str] = frozenset(
    {
        "control",
        "call",
        "parametric",
        "variable",
        "table",
        "memory",
        "bulk-memory",
        "const",
        "numeric-int",
        "numeric-float",
        "conversion",
        "sign-extension",
        "saturating-conversion",
        "reference",
        "simd",
        "atomic",
        "exception",
    }
)

# Operators that cosmwasm-vm's `is_accounting` lists (wasmparser knows them) but that a
# decoder for the proposals CosmWasm can see may not decode: legacy and new exception
# handling, typed function references and GC. Every VM rejects them at upload, so their
# price never matters; a table may still name them so that it can copy the VM's list verbatim.
OPERATORS_BEYOND_DECODER: frozenset[str] = frozenset(
    {
        "try",
        "catch",
        "catch_all",
        "delegate",
        "rethrow",
        "throw",
        "throw_ref",
        "try_table",
        "call_ref",
        "return_call_ref",
        "br_on_null",
        "br_on_non_null",
        "br_on_cast",
        "br_on_cast_fail",
    }
)

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
_DECODER_MODULE = "gasmodel.wasm.opcodes"


def decoder_opcode_names() -> frozenset[str] | None:
    """Names in the decoder's ``BY_NAME``, or ``None`` while the decoder module does not exist."""
    try:
        module = importlib.import_module(_DECODER_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name in (_DECODER_MODULE, "gasmodel.wasm"):
            return None
        raise
    by_name = getattr(module, "BY_NAME", None)
    if by_name is None:
        return None
    return frozenset(str(name) for name in by_name)


def check_opcode_names(names: Iterable[str], known: frozenset[str] | None) -> list[str]:
    """Problems with ``names`` (empty when all are fine), each naming the bad name."""
    problems: list[str] = []
    allowed = None if known is None else known | OPERATORS_BEYOND_DECODER
    for name in names:
        if not _NAME_RE.match(name):
            problems.append(f"{name!r} is not a Wasm text-format opcode name (like 'i32.add')")
        elif allowed is not None and name not in allowed:
            hint = difflib.get_close_matches(name, sorted(allowed), n=1)
            tail = f" (did you mean {hint[0]!r}?)" if hint else ""
            problems.append(f"unknown opcode {name!r}{tail}")
    return problems


def check_category_names(names: Iterable[str]) -> list[str]:
    """Problems with category ``names`` (empty when all are decoder categories)."""
    problems: list[str] = []
    for name in names:
        if name not in CATEGORIES:
            hint = difflib.get_close_matches(name, sorted(CATEGORIES), n=1)
            tail = f" (did you mean {hint[0]!r}?)" if hint else ""
            problems.append(f"unknown opcode category {name!r}{tail}")
    return problems
