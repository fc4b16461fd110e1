"""Opcode names and categories a cost table may name, checked against the decoder's opcode table.

The per-opcode part of a cost table is keyed by WebAssembly text-format names (``local.get``,
``call_indirect``) and by the decoder's category names (:data:`gasmodel.wasm.opcodes.CATEGORIES`);
a typo is an error with a suggestion.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from gasmodel.wasm.opcodes import BY_NAME
from gasmodel.wasm.opcodes import CATEGORIES as _DECODER_CATEGORIES

CATEGORIES: frozenset[str] = frozenset(_DECODER_CATEGORIES)

# Operators on cosmwasm-vm's `is_accounting` list (wasmparser knows them) that the decoder does not
# decode (GC). Every VM rejects them at upload, so their price never matters; a table may still
# name them so that it can copy the VM's list verbatim.
OPERATORS_BEYOND_DECODER: frozenset[str] = frozenset({"br_on_cast", "br_on_cast_fail"}) - frozenset(BY_NAME)

KNOWN_OPCODE_NAMES: frozenset[str] = frozenset(BY_NAME) | OPERATORS_BEYOND_DECODER


def _unknown(names: Iterable[str], known: frozenset[str], what: str) -> list[str]:
    problems: list[str] = []
    for name in names:
        if name not in known:
            hint = difflib.get_close_matches(name, sorted(known), n=1)
            tail = f" (did you mean {hint[0]!r}?)" if hint else ""
            problems.append(f"unknown {what} {name!r}{tail}")
    return problems


def check_opcode_names(names: Iterable[str]) -> list[str]:
    """Problems with opcode ``names`` (empty when all are fine), each naming the bad name."""
    return _unknown(names, KNOWN_OPCODE_NAMES, "opcode")


def check_category_names(names: Iterable[str]) -> list[str]:
    """Problems with category ``names`` (empty when all are decoder categories)."""
    return _unknown(names, CATEGORIES, "opcode category")
