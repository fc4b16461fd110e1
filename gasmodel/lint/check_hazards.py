"""CW5xx: accepted at upload, but a hazard: start function, recursion, memory growth, dead exports."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from gasmodel.analysis.callgraph import export_role
from gasmodel.lint.context import Context
from gasmodel.lint.model import Finding
from gasmodel.wasm.opcodes import BY_NAME

_GROW = BY_NAME["memory.grow"].id
_I32_CONST = BY_NAME["i32.const"].id
_PAGE_KIB = 64


def check_start(ctx: Context) -> Iterator[Finding]:
    """CW501 start function, CW505 an exported ``_start``."""
    m = ctx.module
    if m.start is not None:
        yield ctx.finding(
            "CW501",
            f"start function f{m.start} {ctx.facts.label(m.start)} runs at every instantiation; "
            "the code is stored but its calls fail",
            function=m.start,
        )
    for e in m.exports:
        if e.kind == "func" and e.name == "_start":
            yield ctx.finding(
                "CW505", "exports _start (a WASI command): the VM never calls it", function=e.index
            )


def check_recursion(ctx: Context) -> Iterator[Finding]:
    """CW502: recursive groups that an entry point reaches."""
    for group in ctx.facts.recursive_groups():
        reached = [i for i in group if ctx.facts.reachable(i)]
        if not reached:
            continue
        head = min(reached, key=lambda i: (len(ctx.facts.path(i)), i))
        names = ", ".join(f"f{i} {ctx.facts.label(i)}" for i in group[:4])
        more = f" and {len(group) - 4} more" if len(group) > 4 else ""
        kind = "calls itself" if len(group) == 1 else f"{len(group)} functions call each other"
        yield ctx.finding(
            "CW502",
            f"recursion: {kind} ({names}{more}){ctx.via(head)}",
            function=head,
            offset=ctx.module.function(head).offset,
        )


def check_memory_grow(ctx: Context) -> Iterator[Finding]:
    """CW503: ``memory.grow`` by a constant that passes the instance memory limit."""
    m = ctx.module
    if not m.memories:
        return
    limit_pages = ctx.profile.runtime.instance_memory_limit_mib * 1024 // _PAGE_KIB
    initial = m.memories[0].min
    for fn in m.functions:
        ops = fn.ops
        if not any(ops[k] == _GROW and ops[k - 1] == _I32_CONST for k in _positions(ops, _GROW)):
            continue
        prev = None
        for ins in ctx.facts.instrs(fn):
            if ins.op == _GROW and prev is not None and prev.op == _I32_CONST:
                imm = prev.immediates[0]
                pages = imm & 0xFFFF_FFFF if isinstance(imm, int) else 0
                if initial + pages > limit_pages:
                    yield ctx.finding(
                        "CW503",
                        f"memory.grow by {pages} pages at 0x{ins.offset:x} (initial {initial}): passes the "
                        f"instance memory limit of {limit_pages} pages "
                        f"({ctx.profile.runtime.instance_memory_limit_mib} MiB) and returns -1",
                        function=fn.index,
                        offset=ins.offset,
                    )
            prev = ins


def _positions(ops: Sequence[int], op: int) -> Iterator[int]:
    """Indices (> 0) of ``op`` in ``ops``."""
    k = 0
    while True:
        try:
            k = ops.index(op, k + 1)
        except ValueError:
            return
        yield k


def check_exports(ctx: Context) -> Iterator[Finding]:
    """CW504: exported functions the host never calls."""
    for e in ctx.module.exports:
        if e.kind != "func" or e.name == "_start" or export_role(e.name) != "other":
            continue
        yield ctx.finding(
            "CW504", f"export {e.name!r} (f{e.index}) is never called by the VM", function=e.index
        )
