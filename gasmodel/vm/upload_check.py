"""What the chain checks when a module is stored, in cosmwasm-vm's order, with its error texts.

cosmwasm-vm ``check_wasm`` (``packages/vm/src/compatibility.rs``, CosmWasm/cosmwasm@v2.1.6):
parse, tables, memories, interface version, exports, imports, capabilities, functions. Only the
first failure is reported, as the chain does. The mock chain stores a module only when this
passes and the module instruments and compiles (:class:`gasmodel.vm.runtime.Runtime`).
"""

from __future__ import annotations

from gasmodel.costs.profile import ChainProfile
from gasmodel.errors import WasmDecodeError
from gasmodel.wasm import OPCODES, decode
from gasmodel.wasm.types import Module


def check_upload(wasm: bytes, profile: ChainProfile) -> str | None:
    """The chain's static-validation error text for ``wasm``, or None when it passes."""
    try:
        module = decode(wasm)
    except WasmDecodeError as exc:
        return f'Wasm bytecode could not be deserialized. Deserialization error: "{exc}"'
    problem = _features(module, profile)
    if problem is not None:
        return problem
    for check in (_tables, _memories, _interface_version, _exports, _imports, _capabilities, _functions):
        problem = check(module, profile)
        if problem is not None:
            return problem
    return None


# decoder proposal -> (the profile's feature name, wasmparser's words in "... support is not enabled")
_PROPOSALS = {
    "bulk-memory": ("bulk_memory", "bulk memory"),
    "sign-extension": ("sign_extension", "sign extension operations"),
    "nontrapping-float-to-int": ("saturating_float_to_int", "saturating float to int conversions"),
    "reference-types": ("reference_types", "reference types"),
    "simd": ("simd", "SIMD"),
    "relaxed-simd": ("relaxed_simd", "relaxed SIMD"),
    "threads": ("threads", "threads"),
    "tail-call": ("tail_call", "tail calls"),
    "exceptions": ("exceptions", "exceptions"),
    "legacy-exceptions": ("exceptions", "legacy exceptions"),
    "function-references": ("function_references", "function references"),
    "gc": ("gc", "gc"),
}


def _features(module: Module, profile: ChainProfile) -> str | None:
    """An operator of a proposal the chain's parser does not enable (wasmparser rejects the module
    while parsing it; the error names the proposal, in the function it is found)."""
    allowed = set(profile.features.validator)
    tables = len(module.tables) + sum(1 for i in module.imports if i.kind == "table")
    if tables > 1 and "reference_types" not in allowed:
        return 'Wasm bytecode could not be deserialized. Deserialization error: "multiple tables"'
    for fn in module.functions:
        for op_id in sorted(set(fn.ops)):
            proposal = OPCODES[op_id].proposal
            if proposal == "mvp":
                continue
            feature, words = _PROPOSALS.get(proposal, (proposal, proposal))
            if feature not in allowed:
                where = f"function {fn.name or fn.index}"
                return (
                    "Wasm bytecode could not be deserialized. Deserialization error: "
                    f'"{words} support is not enabled (in {where})"'
                )
    return None


def _tables(module: Module, profile: ChainProfile) -> str | None:
    tables = [*[i.desc for i in module.imports if i.kind == "table"], *module.tables]
    if len(tables) > 1:
        return "Wasm contract must not have more than 1 table section"
    if tables:
        limit = profile.limits.table_size
        table = tables[0]
        maximum = getattr(table, "max", None)
        if maximum is None:
            return "Wasm contract must not have unbound table section"
        if limit is not None and maximum > limit:
            return "Wasm contract's first table section has a too large max limit"
    return None


def _memories(module: Module, profile: ChainProfile) -> str | None:
    memories = [*[i.desc for i in module.imports if i.kind == "memory"], *module.memories]
    if len(memories) != 1:
        return "Wasm contract must contain exactly one memory"
    memory = memories[0]
    pages = profile.limits.memory_pages
    if getattr(memory, "min", 0) > pages:
        return f"Wasm contract memory's minimum must not exceed {pages} pages."
    if getattr(memory, "max", None) is not None:
        return "Wasm contract memory's maximum must be unset. The host will set it for you."
    return None


def _interface_version(module: Module, profile: ChainProfile) -> str | None:
    markers = [e.name for e in module.exports if e.kind == "func" and e.name.startswith("interface_version_")]
    if not markers:
        return "Wasm contract missing a required marker export: interface_version_*"
    if len(markers) > 1:
        return "Wasm contract contains more than one marker export: interface_version_*"
    if markers[0] not in profile.interface_versions:
        return (
            "Wasm contract has unknown interface_version_* marker export (see "
            "https://github.com/CosmWasm/cosmwasm/blob/main/packages/vm/README.md)"
        )
    return None


def _exports(module: Module, profile: ChainProfile) -> str | None:
    names = {e.name for e in module.exports if e.kind == "func"}
    for required in profile.required_exports:
        if required not in names:
            listing = ", ".join(f'"{r}"' for r in profile.required_exports)
            return (
                f'Wasm contract doesn\'t have required export: "{required}". '
                f"Exports required by VM: [{listing}]."
            )
    return None


def _imports(module: Module, profile: ChainProfile) -> str | None:
    limit = profile.limits.max_imports
    if limit is not None and len(module.imports) > limit:
        return f"Import count exceeds limit. Imports: {len(module.imports)}. Limit: {limit}."
    available = set(profile.imports)
    required = sorted({f"{i.module}.{i.name}" for i in module.imports})
    for imp in module.imports:
        full = f"{imp.module}.{imp.name}"
        if full not in available:
            listing = ", ".join(f'"{r}"' for r in required)
            offered = ", ".join(f'"{a}"' for a in profile.imports)
            return (
                f'Wasm contract requires unsupported import: "{full}". Required imports: {{{listing}}}. '
                f"Available imports: [{offered}]."
            )
        if imp.kind != "func":
            return (
                f'Wasm contract requires non-function import: "{full}". Right now, all supported imports '
                "are functions."
            )
    return None


def _capabilities(module: Module, profile: ChainProfile) -> str | None:
    required = sorted(
        {
            e.name[len("requires_") :]
            for e in module.exports
            if e.kind == "func" and e.name.startswith("requires_") and len(e.name) > len("requires_")
        }
    )
    missing = [c for c in required if c not in profile.capabilities]
    if missing:
        listing = ", ".join(f'"{c}"' for c in missing)
        return f"Wasm contract requires unavailable capabilities: {{{listing}}}"
    return None


def _functions(module: Module, profile: ChainProfile) -> str | None:
    limits = profile.limits
    if limits.max_functions is not None and len(module.functions) > limits.max_functions:
        return f"Wasm contract contains more than {limits.max_functions} functions"
    return None
