"""Running the rules: one module under one chain profile, or under every shipped profile.

Every rule runs (the verdict ``accepted`` needs them all); ``select``/``ignore`` only choose
which findings the report lists. Input may be raw Wasm or gzip (bounded gunzip, as the chain
does); bytes that are neither are bad input (:class:`LintInputError`), while a module that
starts like Wasm but is broken is a CW100 finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from gasmodel.analysis.api import MAX_READ_BYTES, read_contract
from gasmodel.analysis.upload import ensure_wasm
from gasmodel.costs.load import load_profile, profile_names
from gasmodel.costs.profile import ChainProfile
from gasmodel.errors import GasmodelError
from gasmodel.lint.check_features import check_declarations, check_instructions
from gasmodel.lint.check_hazards import check_exports, check_memory_grow, check_recursion, check_start
from gasmodel.lint.check_imports import check_imports
from gasmodel.lint.check_limits import check_limits, check_size
from gasmodel.lint.check_structure import (
    check_capabilities,
    check_custom_sections,
    check_interface,
    check_memories,
    check_tables,
)
from gasmodel.lint.check_validity import check_validity
from gasmodel.lint.context import Context, ModuleFacts
from gasmodel.lint.model import Finding, LintMatrix, LintReport, MatrixRow
from gasmodel.lint.rules import BY_CODE, SEVERITY_RANK, matching

DEFAULT_CHAIN = "injective-localnet"

Check = Callable[[Context], Iterable[Finding]]

# Every check with the rule codes it may report (tests assert each rule has one).
CHECKS: tuple[tuple[frozenset[str], Check], ...] = (
    (frozenset({"CW101", "CW102"}), check_memories),
    (frozenset({"CW103", "CW104"}), check_tables),
    (frozenset({"CW105", "CW106", "CW107", "CW108"}), check_interface),
    (frozenset({"CW109"}), check_custom_sections),
    (frozenset({"CW110", "CW111"}), check_capabilities),
    (frozenset({"CW201", "CW202", "CW203", "CW210", "CW211", "CW212"}), check_imports),
    (
        frozenset({"CW303", "CW304", "CW305", "CW306", "CW307", "CW308", "CW309", "CW310", "CW311"}),
        check_limits,
    ),
    (
        frozenset({"CW401", "CW402", "CW403", "CW404", "CW405", "CW406", "CW407", "CW408", "CW409", "CW410"}),
        check_instructions,
    ),
    (frozenset({"CW402", "CW403", "CW406", "CW412"}), check_declarations),
    (frozenset({"CW501", "CW505"}), check_start),
    (frozenset({"CW502"}), check_recursion),
    (frozenset({"CW503"}), check_memory_grow),
    (frozenset({"CW504"}), check_exports),
)
# Checks that need no decoded module.
SIZE_CODES = frozenset({"CW301", "CW302"})
VALIDITY_CODES = frozenset({"CW100"})


class LintInputError(GasmodelError):
    """The input is not a Wasm module (nor gzip of one), or cannot be read."""


def _sort_key(f: Finding) -> tuple[int, str, int]:
    return (-SEVERITY_RANK[f.severity], f.code, f.offset if f.offset is not None else -1)


def resolve_profile(chain: str | Path | ChainProfile | None) -> ChainProfile:
    """A chain profile from a name, a path or a profile (default: the Injective localnet)."""
    if isinstance(chain, ChainProfile):
        return chain
    if isinstance(chain, Path):
        return load_profile(chain)
    return _shipped_or_file(chain if chain is not None else DEFAULT_CHAIN)


@lru_cache(maxsize=64)
def _shipped_or_file(ref: str) -> ChainProfile:
    return load_profile(ref)


@lru_cache(maxsize=1)
def all_profiles() -> tuple[ChainProfile, ...]:
    """Every shipped chain profile (``--chain all``), one per name (aliases of a profile skipped)."""
    out: list[ChainProfile] = []
    seen: set[str] = set()
    for name in profile_names():
        p = _shipped_or_file(name)
        data = p.model_dump(mode="json", exclude={"name", "description", "source", "cites", "chain"})
        data["costs"].pop("name", None)
        data["costs"].pop("source", None)
        key = repr(data)
        if key in seen:
            continue
        seen.add(key)
        out.append(p)
    return tuple(out)


def read_wasm(wasm: bytes | str | Path, source: str) -> tuple[bytes, str]:
    """The module bytes (gunzipped) and the name to report them under; LintInputError if not Wasm."""
    if isinstance(wasm, str | Path):
        try:
            data = read_contract(wasm)
        except GasmodelError as exc:
            raise LintInputError(str(exc)) from None
        return _ensure(data, str(wasm)), str(wasm)
    return _ensure(bytes(wasm), source), source


def _ensure(data: bytes, source: str) -> bytes:
    try:
        return ensure_wasm(data, MAX_READ_BYTES, source)
    except GasmodelError as exc:
        raise LintInputError(str(exc)) from None


def run_rules(
    facts: ModuleFacts, profile: ChainProfile, others: Sequence[ChainProfile] = ()
) -> list[Finding]:
    """Every finding of every rule for one module under one profile (unfiltered, unsorted)."""
    ctx = Context(facts, profile, tuple(others))
    found: list[Finding] = list(check_size(ctx))
    if facts.module is None:
        err = facts.decode_error
        assert err is not None
        found.extend(check_validity(ctx, found))
        if not any(f.code == "CW100" for f in found):  # wasmtime accepted what our decoder did not
            found.append(ctx.finding("CW100", f"undecodable module: {err.reason}", offset=err.offset))
        return found
    for _codes, check in CHECKS:
        found.extend(check(ctx))
    found.extend(check_validity(ctx, found))
    return found


def report_for(
    facts: ModuleFacts,
    profile: ChainProfile,
    *,
    file: str,
    select: Iterable[str] = ("ALL",),
    ignore: Iterable[str] = (),
    others: Sequence[ChainProfile] = (),
) -> LintReport:
    """The report of one module under one profile, findings filtered by ``select``/``ignore``."""
    found = run_rules(facts, profile, others)
    accepted = not any(f.severity == "error" for f in found)
    try:
        keep = matching(select) - matching(ignore)
    except ValueError as exc:
        raise LintInputError(str(exc)) from None
    listed = sorted((f for f in found if f.code in keep), key=_sort_key)
    return LintReport(
        file=file,
        chain=profile.name,
        vm_version=profile.vm_version,
        accepted=accepted,
        size=len(facts.data),
        findings=tuple(listed),
    )


def lint(
    wasm: bytes | str | Path,
    chain: str | Path | ChainProfile | None = None,
    *,
    select: Iterable[str] = ("ALL",),
    ignore: Iterable[str] = (),
    source: str = "<bytes>",
) -> LintReport:
    """Lint a contract (bytes or a path; raw Wasm or gzip) for one chain profile.

    ``chain``: a shipped profile name (default ``injective-localnet``), a profile file or a
    :class:`~gasmodel.costs.ChainProfile`. ``select``/``ignore``: rule codes or prefixes
    (``CW2``, ``ALL``). ``accepted`` in the report is the chain's verdict at upload.
    """
    data, file = read_wasm(wasm, source)
    profile = resolve_profile(chain)
    facts = ModuleFacts.of(data)
    return report_for(facts, profile, file=file, select=select, ignore=ignore, others=all_profiles())


def lint_matrix(
    wasm: bytes | str | Path,
    *,
    chains: Sequence[str | Path | ChainProfile] | None = None,
    select: Iterable[str] = ("ALL",),
    ignore: Iterable[str] = (),
    source: str = "<bytes>",
) -> LintMatrix:
    """Lint one contract under several chain profiles (default: every shipped one)."""
    data, file = read_wasm(wasm, source)
    profiles = tuple(resolve_profile(c) for c in chains) if chains else all_profiles()
    others = all_profiles()
    facts = ModuleFacts.of(data)
    sel, ign = tuple(select), tuple(ignore)
    reports = tuple(report_for(facts, p, file=file, select=sel, ignore=ign, others=others) for p in profiles)
    rows = []
    for p, r in zip(profiles, reports, strict=True):
        errors = sorted({f.code for f in run_rules(facts, p, others) if f.severity == "error"})
        rows.append(
            MatrixRow(chain=p.name, vm_version=p.vm_version, accepted=r.accepted, errors=tuple(errors))
        )
    return LintMatrix(file=file, rows=tuple(rows), reports=reports)


def known_codes() -> frozenset[str]:
    """Every rule code."""
    return frozenset(BY_CODE)
