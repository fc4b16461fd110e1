"""CW100: validity under the chain's validator features, by a real validator (wasmtime's).

wasmtime stops at the first problem. When that problem is a proposal another rule already
reports (e.g. "bulk memory support is not enabled" for a CW402 instruction), the rule's finding
stands for it and validation goes on with that proposal switched on, so that a genuine invalidity
further on is still found. Anything else is CW100 with the validator's words, located.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from gasmodel.lint.context import Context
from gasmodel.lint.model import Finding
from gasmodel.wasm.validate import validate

# wasmparser's message (prefix) -> (rule that reports it, feature to switch on to look further)
_KNOWN: tuple[tuple[str, str, str | None], ...] = (
    ("bulk memory support is not enabled", "CW402", "bulk_memory"),
    ("reference types support is not enabled", "CW403", "reference_types"),
    ("SIMD support is not enabled", "CW404", "simd"),
    ("relaxed SIMD support is not enabled", "CW405", "relaxed_simd"),
    ("threads must be enabled", "CW406", "threads"),
    ("threads support is not enabled", "CW406", "threads"),
    ("tail calls support is not enabled", "CW407", "tail_call"),
    ("exceptions proposal not enabled", "CW408", "exceptions"),
    ("legacy exceptions support is not enabled", "CW408", "exceptions"),
    ("legacy_exceptions feature required", "CW408", None),  # wasmtime has no switch for it
    ("function references required", "CW409", "function_references"),
    ("multiple tables", "CW103", "reference_types"),
    ("multiple memories", "CW101", "multi_memory"),
)
_ROUNDS = 8


def check_validity(ctx: Context, found: Sequence[Finding]) -> Iterator[Finding]:
    """CW100 findings, given the findings of every other rule (``found``)."""
    codes = {f.code for f in found}
    features = set(ctx.profile.features.validator)
    for _ in range(_ROUNDS):
        problem = validate(ctx.facts.data, features)
        if problem is None:
            return
        known = next((k for k in _KNOWN if problem.message.startswith(k[0])), None)
        if known is not None and known[1] in codes:
            if known[2] is None or known[2] in features:
                return  # the rule's finding stands for it; the validator cannot look further
            features.add(known[2])
            continue
        where = f" at 0x{problem.offset:x}" if problem.offset is not None else ""
        yield ctx.finding(
            "CW100",
            f"invalid module: {problem.message}{where}",
            function=problem.func_index if ctx.facts.module is not None else None,
            offset=problem.offset,
        )
        return
