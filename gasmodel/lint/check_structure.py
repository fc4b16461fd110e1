"""CW1xx: memories, tables, interface markers, required exports, capabilities, custom sections.

Each check mirrors one step of cosmwasm-vm's ``check_wasm`` (compatibility.rs): the memory and
table sections (imports are not memories or tables to the VM), exported *function* names, the
``cw_migrate_version`` custom section.
"""

from __future__ import annotations

from collections.abc import Iterator

from gasmodel.lint.context import Context
from gasmodel.lint.model import Finding

_IFACE = "interface_version_"
_REQUIRES = "requires_"


def _func_exports(ctx: Context) -> dict[str, int]:
    return {e.name: e.index for e in ctx.module.exports if e.kind == "func"}


def check_memories(ctx: Context) -> Iterator[Finding]:
    """CW101 memory count, CW102 declared maximum (CW303, the page limit, is in check_limits)."""
    m = ctx.module
    imported = [i for i in m.imports if i.kind == "memory"]
    if len(m.memories) != 1:
        how = f"{len(m.memories)} defined"
        if imported:
            how += f", {len(imported)} imported ({imported[0].module}.{imported[0].name})"
        off = imported[0].offset if imported else None
        yield ctx.finding("CW101", f"the module must define exactly one memory: {how}", offset=off)
    if m.memories and m.memories[0].max is not None:
        mem = m.memories[0]
        yield ctx.finding(
            "CW102",
            f"memory 0 declares a maximum of {mem.max} pages (initial {mem.min}); the VM requires it unset",
        )


def check_tables(ctx: Context) -> Iterator[Finding]:
    """CW103 several tables, CW104 a table without maximum (CW304 is in check_limits)."""
    tables = ctx.module.tables
    if len(tables) > 1:
        yield ctx.finding("CW103", f"the module defines {len(tables)} tables; at most 1 is allowed")
    if tables and tables[0].max is None:
        yield ctx.finding(
            "CW104", f"table 0 ({tables[0].elem_type}, {tables[0].min} entries) has no maximum size"
        )


def check_interface(ctx: Context) -> Iterator[Finding]:
    """CW105-CW107 interface markers, CW108 required exports."""
    exports = _func_exports(ctx)
    markers = sorted(n for n in exports if n.startswith(_IFACE))
    supported = ctx.profile.interface_versions
    if not markers:
        yield ctx.finding(
            "CW105", f"no interface_version_* export; this VM needs one of: {', '.join(supported)}"
        )
    elif len(markers) > 1:
        yield ctx.finding(
            "CW106",
            f"{len(markers)} interface markers exported ({', '.join(markers)}); exactly one is allowed",
        )
    elif markers[0] not in supported:
        yield ctx.finding(
            "CW107",
            f"{markers[0]} is not supported by cosmwasm-vm {ctx.profile.vm_version} "
            f"(supported: {', '.join(supported)})",
            function=exports[markers[0]],
        )
    for name in ctx.profile.required_exports:
        if name not in exports:
            yield ctx.finding(
                "CW108",
                f"required export {name!r} is missing (cosmwasm-vm {ctx.profile.vm_version} requires "
                f"{', '.join(ctx.profile.required_exports)})",
            )


def check_capabilities(ctx: Context) -> Iterator[Finding]:
    """CW110 unavailable / CW111 available capabilities (exported requires_<cap> functions)."""
    available = set(ctx.profile.capabilities)
    for name, index in sorted(_func_exports(ctx).items()):
        if not name.startswith(_REQUIRES) or len(name) == len(_REQUIRES):
            continue
        cap = name[len(_REQUIRES) :]
        if cap in available:
            yield ctx.finding(
                "CW111", f"requires capability {cap!r} (available on {ctx.profile.name})", function=index
            )
        else:
            yield ctx.finding(
                "CW110",
                f"requires capability {cap!r}, which {ctx.profile.name} does not offer "
                f"(it offers: {', '.join(sorted(available))})",
                function=index,
            )


def check_custom_sections(ctx: Context) -> Iterator[Finding]:
    """CW109: the cw_migrate_version custom section must be a UTF-8 decimal u64 (2.1+)."""
    if not ctx.profile.checks.migrate_version_section:
        return
    for sec in ctx.module.customs:
        if sec.name != "cw_migrate_version":
            continue
        raw = _custom_payload(ctx.facts.data, sec.offset, sec.size)
        try:
            text = raw.decode("utf-8")
            value = int(text, 10) if text.isascii() and text.strip("0123456789") == "" and text else -1
        except UnicodeDecodeError:
            value, text = -1, repr(raw[:20])
        if not 0 <= value < 2**64:
            yield ctx.finding(
                "CW109", f"cw_migrate_version section holds {text[:40]!r}, not a u64", offset=sec.offset
            )


def _custom_payload(data: bytes, offset: int, size: int) -> bytes:
    """The custom section's content (``offset``/``size`` frame it, after the section name)."""
    return data[offset : offset + size]
