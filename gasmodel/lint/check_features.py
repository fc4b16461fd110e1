"""CW4xx: instructions (and declarations) of Wasm proposals the chain's VM refuses.

An instruction is accepted only when its feature (the opcode table's ``feature`` column) passes
both the validator and the Gatekeeper (``WasmFeatures.allows``). One finding per function and
rule, with the count, the first offending instruction and its byte offset (the exact instruction
stream of :mod:`gasmodel.wasm.stream`). Floats and sign-extension where the VM accepts them are
reported as ``info`` (the VMs that refuse them are older).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType

from gasmodel.lint.context import Context
from gasmodel.lint.model import Finding
from gasmodel.wasm.opcodes import FEATURE_OF, NAMES

# feature name -> rule code
FEATURE_CODE: Mapping[str, str] = MappingProxyType(
    {
        "floats": "CW401",
        "saturating_float_to_int": "CW401",
        "bulk_memory": "CW402",
        "reference_types": "CW403",
        "simd": "CW404",
        "relaxed_simd": "CW405",
        "threads": "CW406",
        "tail_call": "CW407",
        "exceptions": "CW408",
        "function_references": "CW409",
        "gc": "CW409",
        "sign_extension": "CW410",
        "extended_const": "CW412",
    }
)
# Features reported as info when allowed (a VM generation before refused them).
_INFO_WHEN_ALLOWED = frozenset({"floats", "saturating_float_to_int", "sign_extension"})
_EXTENDED = frozenset({"i32.add", "i32.sub", "i32.mul", "i64.add", "i64.sub", "i64.mul"})
_REF_CONST = frozenset({"ref.func", "ref.null"})


def _classify(ctx: Context) -> tuple[dict[int, str], dict[int, str]]:
    """Opcode id -> rule code, for refused (error) and for accepted-but-noted (info) instructions."""
    feats = ctx.profile.features
    bad: dict[int, str] = {}
    info: dict[int, str] = {}
    for op_id, feature in enumerate(FEATURE_OF):
        if feature is None:
            continue
        code = FEATURE_CODE.get(feature)
        if code is None:
            continue
        if not feats.allows(feature):
            bad[op_id] = code
        elif feature in _INFO_WHEN_ALLOWED:
            info[op_id] = code
    return bad, info


def check_instructions(ctx: Context) -> Iterator[Finding]:
    """CW401-CW410: per function, the instructions of refused (or noted) proposals.

    Refused instructions are located exactly (instruction stream); noted ones (info) by the
    function's body offset, which keeps lint fast on contracts full of floats or sign-extension.
    """
    bad, info = _classify(ctx)
    watched = set(bad) | set(info)
    vm = f"cosmwasm-vm {ctx.profile.vm_version}"
    for fn in ctx.module.functions:
        present = watched.intersection(fn.ops)
        if not present:
            continue
        count: dict[str, int] = {}
        first: dict[str, tuple[int, int]] = {}
        if present & bad.keys():
            for ins in ctx.facts.instrs(fn):
                code = bad.get(ins.op) or info.get(ins.op)
                if code is not None:
                    count[code] = count.get(code, 0) + 1
                    first.setdefault(code, (ins.op, ins.offset))
        else:
            ops = fn.ops
            for op in sorted(present, key=ops.index):
                code = info[op]
                count[code] = count.get(code, 0) + ops.count(op)
                first.setdefault(code, (op, fn.offset))
        for code in sorted(first):
            op, offset = first[code]
            n = count[code]
            refused = op in bad
            where = f"at 0x{offset:x}" if refused else f"(body at 0x{offset:x})"
            verdict = f"refused by {vm}" if refused else f"accepted by {vm}"
            yield ctx.finding(
                code,
                f"{n} {FEATURE_OF[op]} instruction{'s' if n > 1 else ''} in f{fn.index}, first {NAMES[op]} "
                f"{where}: {verdict}",
                function=fn.index,
                offset=offset,
                severity=None if refused else "info",
            )


def check_declarations(ctx: Context) -> Iterator[Finding]:
    """CW402 passive segments, CW403 references in constant expressions, CW406 shared memory,
    CW412 extended constant expressions: declarations, which only the validator sees (the
    Gatekeeper filters operators in function bodies)."""
    m = ctx.module
    validator = set(ctx.profile.features.validator)
    vm = f"cosmwasm-vm {ctx.profile.vm_version}"
    if "bulk_memory" not in validator:
        for i, d in enumerate(m.data):
            if d.mode == "passive":
                yield ctx.finding(
                    "CW402", f"data segment {i} is passive (bulk memory): refused by {vm}", offset=d.offset
                )
        for i, e in enumerate(m.elements):
            if e.mode != "active":
                yield ctx.finding(
                    "CW402",
                    f"element segment {i} is {e.mode} (bulk memory): refused by {vm}",
                    offset=e.offset,
                )
    if "threads" not in validator:
        for i, mem in enumerate(m.memories):
            if mem.shared:
                yield ctx.finding("CW406", f"memory {i} is shared (threads): refused by {vm}")
    exprs = [(f"global {i} initialiser", g.init) for i, g in enumerate(m.globals)]
    exprs += [(f"data segment {i} offset", d.offset_expr) for i, d in enumerate(m.data) if d.offset_expr]
    exprs += [
        (f"element segment {i} offset", e.offset_expr) for i, e in enumerate(m.elements) if e.offset_expr
    ]
    for what, expr in exprs:
        names = {name for name, _ in expr.instrs}
        if names & _EXTENDED and "extended_const" not in validator:
            ops = ", ".join(sorted(names & _EXTENDED))
            yield ctx.finding(
                "CW412", f"{what} computes with {ops} (extended-const): refused by {vm}", offset=expr.offset
            )
        if names & _REF_CONST and "reference_types" not in validator:
            ops = ", ".join(sorted(names & _REF_CONST))
            yield ctx.finding(
                "CW403", f"{what} uses {ops} (reference types): refused by {vm}", offset=expr.offset
            )
