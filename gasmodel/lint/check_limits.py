"""CW3xx: the upload size and cosmwasm-vm's static limits, each with the numbers.

Counting follows cosmwasm-vm's ``ParsedWasm``: functions = bodies (imports not counted);
parameters and results = every type of the type section (unused types count); total parameters
= summed over the function section; locals = declared locals (parameters not counted). A limit the
profile's VM does not check (``None``) yields a warning when another known VM would refuse it.
"""

from __future__ import annotations

from collections.abc import Iterator

from gasmodel.compress import gzip_like_cli
from gasmodel.lint.context import Context
from gasmodel.lint.model import Finding


def check_size(ctx: Context) -> Iterator[Finding]:
    """CW301 uncompressed size, CW302 the CLI's gzipped upload."""
    p = ctx.profile
    n = len(ctx.facts.data)
    if n > p.max_wasm_size:
        yield ctx.finding(
            "CW301",
            f"module is {n:,} bytes; {p.name} accepts at most {p.max_wasm_size:,} bytes "
            f"({n - p.max_wasm_size:,} too many)",
        )
        return
    limit = p.max_upload_size or p.max_wasm_size
    # DEFLATE never grows data by more than its stored-block framing: gzip only when that could pass the limit
    if n + 5 * (n // 16_383 + 1) + 18 > limit:
        sent = len(gzip_like_cli(ctx.facts.data))
        if sent > limit:
            yield ctx.finding(
                "CW302",
                f"gzipped upload is {sent:,} bytes (module {n:,}); {p.name} accepts at most {limit:,} bytes "
                "as sent: upload it uncompressed",
            )


def _limit(
    ctx: Context,
    code: str,
    field: str,
    value: int,
    text: str,
    function: int | None = None,
    offset: int | None = None,
) -> Iterator[Finding]:
    bound = getattr(ctx.profile.limits, field)
    vm = f"cosmwasm-vm {ctx.profile.vm_version}"
    if bound is not None:
        if value > bound:
            yield ctx.finding(
                code, f"{text}: {value:,}, limit {bound:,} ({vm})", function=function, offset=offset
            )
        return
    others = ctx.others_enforcing(field, value)
    if others:
        yield ctx.finding(
            code,
            f"{text}: {value:,}; {vm} does not check this, but {', '.join(others)} refuse it",
            severity="warning",
            function=function,
            offset=offset,
        )


def check_limits(ctx: Context) -> Iterator[Finding]:
    """CW303-CW311."""
    m = ctx.module
    lim = ctx.profile.limits
    if m.memories and m.memories[0].min > lim.memory_pages:
        yield ctx.finding(
            "CW303",
            f"initial memory is {m.memories[0].min:,} pages; limit {lim.memory_pages:,} pages "
            f"({lim.memory_pages * 64:,} KiB)",
        )
    if m.tables and m.tables[0].max is not None:
        yield from _limit(ctx, "CW304", "table_size", m.tables[0].max, "table 0 maximum size")
    yield from _limit(ctx, "CW305", "max_imports", len(m.imports), "imports")
    yield from _limit(ctx, "CW306", "max_functions", len(m.functions), "defined functions")
    if m.types:
        widest = max(range(len(m.types)), key=lambda i: len(m.types[i].params))
        yield from _limit(
            ctx,
            "CW307",
            "max_function_params",
            len(m.types[widest].params),
            f"parameters of type {widest}" + _used_by(ctx, widest),
        )
        most = max(range(len(m.types)), key=lambda i: len(m.types[i].results))
        yield from _limit(
            ctx,
            "CW309",
            "max_function_results",
            len(m.types[most].results),
            f"results of type {most}" + _used_by(ctx, most),
        )
    total = sum(len(m.types[f.type_index].params) for f in m.functions if 0 <= f.type_index < len(m.types))
    yield from _limit(ctx, "CW308", "max_total_function_params", total, "parameters of all defined functions")
    if m.functions:
        big = max(m.functions, key=lambda f: f.num_locals)
        yield from _limit(
            ctx,
            "CW310",
            "max_function_locals",
            big.num_locals,
            f"locals declared in f{big.index}",
            function=big.index,
            offset=big.offset,
        )
        yield from _limit(
            ctx,
            "CW311",
            "max_total_function_locals",
            sum(f.num_locals for f in m.functions),
            "locals declared in all functions",
        )


def _used_by(ctx: Context, type_index: int) -> str:
    users = [f.index for f in ctx.module.functions if f.type_index == type_index]
    users += [i for i, t in enumerate(ctx.module.imported_func_type_indices) if t == type_index]
    if not users:
        return " (used by no function: it counts anyway)"
    return f" (e.g. f{min(users)} {ctx.facts.label(min(users))})"
