"""``gasmodel analyze`` (static report, one or several contracts) and ``gasmodel callgraph``
(DOT / node-link JSON, optionally a part of the graph)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from typing import IO, Any

from rich.text import Text

from gasmodel.analysis.api import analyze, call_graph
from gasmodel.analysis.graph_export import to_dot, to_node_link
from gasmodel.analysis.pricing import Pricing, resolve_pricing, same_static_prices
from gasmodel.analysis.report import AnalysisReport, EntryPointReport
from gasmodel.analysis.select import call_subgraph
from gasmodel.cli._args import add_chain, add_parser, preset_help
from gasmodel.cli._files import naming, read_contract_arg
from gasmodel.cli._style import console, fmt_gas, fmt_int, progress, use_colour
from gasmodel.errors import GasmodelError

TOP_FUNCTIONS = 15
CALLED_BY_CHAIN = ("entry", "memory", "start")
"""Roles of the exports (and start function) the chain calls: the "Entry points" table."""
_GROUP_NAMES_SHOWN = 4

HEAD = "bold"
TITLE = "bold cyan"
WARN = "bold red"
FLAG = "yellow"


class Out:
    """Text for people on standard output: plain lines, or styled ones when colour is on
    (:func:`gasmodel.cli._style.use_colour`)."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = sys.stdout if stream is None else stream
        self.colour = use_colour(self.stream)
        self._console = console(self.stream) if self.colour else None

    def line(
        self, text: str = "", style: str | None = None, spans: Sequence[tuple[int, int, str]] = ()
    ) -> None:
        """Write ``text``; ``style`` for the whole line, ``spans`` (start, end, style) for parts."""
        if self._console is None or (style is None and not spans):
            self.stream.write(text + "\n")
            return
        t = Text(text, style=style or "")
        for start, end, span_style in spans:
            t.stylize(span_style, start, end)
        self._console.print(t, soft_wrap=True)


def register(subparsers: Any) -> None:
    """Add the ``analyze`` and ``callgraph`` commands."""
    p = add_parser(
        subparsers,
        "analyze",
        help="static report of one or more contracts: entry points, reachability, recursion, static "
        "cost, upload cost",
        description="Static analysis of contracts (.wasm or gzipped), each reported in turn: entry "
        "points, reachability, recursion, static cost under a cost table, heaviest loop-free "
        "executions and call paths, upload cost. Exit code: 0, or 2 if any file could not be "
        "analysed (the others are still reported).",
    )
    p.add_argument(
        "contracts", nargs="+", metavar="CONTRACT.wasm", help="contract files ('-': standard input)"
    )
    add_chain(p, "the chain profile pricing the operators")
    p.add_argument(
        "--preset",
        metavar="NAME",
        help=preset_help("cost table pricing the operators instead of the chain's"),
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print the full report as JSON: one object for one file, a list of objects (one per file, "
        'in order; a file that failed is {"source", "error"}) for several',
    )
    p.add_argument("--all", action="store_true", help="list every function, not only the most expensive")
    p.add_argument(
        "--top",
        type=int,
        default=TOP_FUNCTIONS,
        metavar="N",
        help="list the N functions with the highest 'body once'",
    )
    p.set_defaults(func=run_analyze)

    c = add_parser(
        subparsers,
        "callgraph",
        help="print the call graph (or a part of it) as Graphviz DOT or node-link JSON",
        description="The contract's call graph: direct and type-resolved indirect calls, imports as "
        "nodes. DOT labels are 'index: name'; imports are boxes, exported functions bold, unreachable "
        "functions grey, recursive ones red, edges that exist only through indirect calls dashed. "
        "JSON (networkx node-link data) also gives each node reachable, recursive, entry and "
        "static_cost (the body once, in the unit of the --chain/--preset cost table).",
    )
    c.add_argument(
        "contract", metavar="CONTRACT.wasm", help="contract file (.wasm or gzipped; '-': standard input)"
    )
    c.add_argument(
        "--format", choices=("dot", "json"), default="dot", help="output format: dot (Graphviz) or json"
    )
    add_chain(c, "the chain profile for static_cost and validation")
    c.add_argument(
        "--preset", metavar="NAME", help=preset_help("cost table for static_cost instead of the chain's")
    )
    c.add_argument(
        "--entry",
        action="append",
        default=[],
        metavar="NAME",
        help="start from this function: an export name, a function name or an index (repeatable); "
        "keeps what it calls",
    )
    c.add_argument(
        "--depth",
        type=int,
        metavar="N",
        help="keep functions at most N calls from the entries (from every export when no --entry)",
    )
    c.add_argument(
        "--reachable-only",
        action="store_true",
        help="drop functions that no export or start function reaches",
    )
    c.set_defaults(func=run_callgraph)


def _one(path: str, pricing: Pricing) -> AnalysisReport:
    with progress(f"analysing {path}"):
        wasm = read_contract_arg(path)
        with naming(path):
            return analyze(wasm, source=path, pricing=pricing)


def _named(path: str, exc: GasmodelError) -> str:
    msg = str(exc)
    return msg if msg.startswith(f"{path}:") else f"{path}: {msg}"


def run_analyze(args: argparse.Namespace) -> int:
    """Run ``gasmodel analyze``: every file in turn; exit 2 if any failed, after reporting the rest."""
    if args.top < 1:
        raise GasmodelError("--top must be at least 1")
    pricing = resolve_pricing(args.preset, args.chain)
    paths: list[str] = list(args.contracts)
    if len(paths) == 1:
        report = _one(paths[0], pricing)
        if args.json:
            sys.stdout.write(report.model_dump_json(indent=2) + "\n")
        else:
            write_report(Out(), report, pricing, show_all=args.all, top=args.top)
        return 0
    worst = 0
    docs: list[str] = []
    out = Out()
    for k, path in enumerate(paths):
        try:
            report = _one(path, pricing)
        except GasmodelError as exc:
            sys.stdout.flush()
            sys.stderr.write(f"gasmodel: error: {_named(path, exc)}\n")
            sys.stderr.flush()
            worst = 2
            if args.json:
                docs.append(json.dumps({"source": path, "error": _named(path, exc)}, indent=2))
            continue
        if args.json:
            docs.append(report.model_dump_json(indent=2))
        else:
            if k:
                out.line()
            write_report(out, report, pricing, show_all=args.all, top=args.top)
            sys.stdout.flush()
    if args.json:
        sys.stdout.write("[\n" + ",\n".join(docs) + "\n]\n")
    return worst


def run_callgraph(args: argparse.Namespace) -> int:
    """Run ``gasmodel callgraph``."""
    if args.depth is not None and args.depth < 0:
        raise GasmodelError(f"--depth must be 0 or more, not {args.depth}")
    pricing = resolve_pricing(args.preset, args.chain)
    with progress(f"building the call graph of {args.contract}"):
        wasm = read_contract_arg(args.contract)
        with naming(args.contract):
            report = analyze(wasm, source=args.contract, pricing=pricing)
        g = call_graph(wasm, report=report, source=args.contract)
    try:
        g = call_subgraph(g, entries=args.entry, depth=args.depth, reachable_only=args.reachable_only)
    except GasmodelError as exc:
        raise GasmodelError(_named(args.contract, exc)) from None
    if args.format == "json":
        sys.stdout.write(json.dumps(to_node_link(g), indent=1) + "\n")
    else:
        sys.stdout.write(to_dot(g))
    return 0


def _sdk(report: AnalysisReport, cw: int) -> str:
    if report.gas_multiplier is None or report.cost_unit != "cw_gas":
        return ""
    return fmt_gas(round(cw / report.gas_multiplier, 2))


def _costs_lines(report: AnalysisReport, pricing: Pricing) -> list[str]:
    unit = report.cost_unit
    per = (
        f"; {fmt_int(report.gas_multiplier)} CW gas = 1 SDK gas"
        if report.gas_multiplier and unit == "cw_gas"
        else ""
    )
    lines = [f"costs: {report.cost_table} (unit {unit}{per})"]
    own_table = pricing.table.name == pricing.profile.costs.name
    prices = pricing.profile.vm_preset if own_table else pricing.table.name
    same = [n for n in same_static_prices(pricing) if not (own_table and n == pricing.profile.name)]
    lines += [
        f"  static figures depend only on the operator prices of {prices} (cost per operator,",
        "  block-ending operators, locals charge)"
        + ("" if same else "; host-call, storage and wasmd costs do not enter them"),
    ]
    if same:
        lines += [
            "  these chain profiles price operators the same, so they give the same static figures (they",
            f"  differ in host-call, storage or wasmd costs, which static figures leave out): {_and(same)}",
        ]
    return lines


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def write_report(
    out: Out, report: AnalysisReport, pricing: Pricing, show_all: bool = False, top: int = TOP_FUNCTIONS
) -> None:
    """The human-readable report of one contract."""
    for line in render_lines(report, pricing, show_all, top):
        out.line(*line)


Line = tuple[str] | tuple[str, str | None] | tuple[str, str | None, list[tuple[int, int, str]]]


def render(
    report: AnalysisReport, pricing: Pricing | None = None, show_all: bool = False, top: int = TOP_FUNCTIONS
) -> str:
    """The human-readable report as plain text."""
    p = pricing or resolve_pricing(None, None)
    return "".join(line[0] + "\n" for line in render_lines(report, p, show_all, top))


def render_lines(
    report: AnalysisReport, pricing: Pricing, show_all: bool = False, top: int = TOP_FUNCTIONS
) -> Iterator[Line]:
    """The report's lines, each with its style (and styled spans) for a terminal."""
    unit = report.cost_unit
    yield (
        f"{report.source or 'contract'}: {fmt_int(report.module_size)} bytes, "
        f"{fmt_int(report.num_functions)} functions + {fmt_int(report.num_imported_functions)} imports",
        HEAD,
    )
    for line in _costs_lines(report, pricing):
        yield (line,)
    yield (
        f"reachable from exports: {fmt_int(report.num_reachable)} of {fmt_int(report.num_functions)} "
        f"functions; unreachable: {fmt_int(len(report.unreachable))}; "
        f"recursive groups: {fmt_int(len(report.cycles))}",
    )
    yield ("",)
    for line in (
        f"STATIC figures, in {unit}: Wasm operators only, host calls and storage priced at 0. They",
        "bound the compute of one pass, not a tx's gas_used: `gasmodel estimate` runs the call and prices",
        "everything.",
    ):
        yield (line, FLAG)
    yield ("",)
    yield from _entry_lines(report)
    yield from _cycle_lines(report)
    if report.unreachable:
        shown = report.unreachable_names[:20]
        more = len(report.unreachable) - len(shown)
        yield ("",)
        yield (f"Unreachable functions ({fmt_int(len(report.unreachable))})", TITLE)
        yield ("  " + ", ".join(_collapse(shown)),)
        if more > 0:
            yield (f"  ... and {fmt_int(more)} more (--json lists all)",)
    yield from _function_lines(report, show_all, top)
    yield from _upload_lines(report)


def _entry_lines(report: AnalysisReport) -> Iterator[Line]:
    unit = report.cost_unit
    called = [e for e in report.entry_points if e.role in CALLED_BY_CHAIN]
    others = [e for e in report.entry_points if e.role not in CALLED_BY_CHAIN]
    yield ("Entry points (the functions the chain calls)", TITLE)
    for line in (
        f"  body once     = the function's own body, every instruction once (every branch arm), in {unit}",
        "  heaviest pass = the costliest single execution with no loop repeated and no recursion, callees",
        "                  included; it takes one arm of each branch, so it can be below 'body once'",
        "  pass SDK      = heaviest pass in SDK gas (/ the multiplier)",
        "  call path     = the costliest chain of calls in the call graph, each function weighing its",
        "                  'body once' + locals gas (direct path: direct calls only; listed below)",
        "  reach, imports = functions and imports it can reach",
        "  role: entry (called for a message), memory (allocate/deallocate), start (the start function)",
    ):
        yield (line,)
    rows = [
        [
            "index",
            "export",
            "role",
            "body once",
            "heaviest pass",
            "pass SDK",
            "call path",
            "direct path",
            "reach",
            "imports",
        ]
    ]
    for e in called:
        rows.append(
            [
                str(e.index),
                e.name,
                e.role,
                fmt_int(e.static_cost),
                fmt_int(e.max_pass_cost),
                _sdk(report, e.max_pass_cost),
                fmt_int(e.max_path_cost),
                fmt_int(e.direct_path_cost),
                fmt_int(e.reachable_functions),
                fmt_int(len(e.reachable_imports)),
            ]
        )
    if not called:
        yield ("  (none: no export the chain calls)",)
    else:
        for k, line in enumerate(_table(rows, right={0, 3, 4, 5, 6, 7, 8, 9})):
            yield (line, HEAD if k == 0 else None)
    if others:
        yield ("",)
        yield ("Other exports (the chain never calls them; their costs are in --json)", TITLE)
        by_role: dict[str, list[str]] = {}
        for e in others:
            by_role.setdefault(e.role, []).append(f"{e.name} ({e.index})")
        legend = {"marker": "interface/capability markers", "other": "toolchain or helper exports"}
        for role, names in by_role.items():
            yield (f"  {role} ({legend.get(role, role)}): {', '.join(names)}",)
    heavy = [e for e in called if e.role == "entry"]
    if heavy:
        groups = _group_of(report)
        yield ("",)
        yield (
            "Heaviest call paths (call order; a recursive group is one step; 'f (x3)' = 3 in a row)",
            TITLE,
        )
        for e in heavy:
            total = e.max_path_length or len(e.max_path)
            yield (f"  {e.name}: {fmt_int(total)} functions, {fmt_int(e.max_path_cost)} {unit}", HEAD)
            for k, step in enumerate(_path_steps(e, groups, report)):
                yield (("      " if k == 0 else "   -> ") + step,)


def _group_of(report: AnalysisReport) -> dict[int, int]:
    return {m: k for k, c in enumerate(report.cycles) for m in c.members}


def _collapse(names: Sequence[str]) -> list[str]:
    """Runs of one name as ``name (xN)``."""
    out: list[str] = []
    k = 0
    while k < len(names):
        j = k
        while j < len(names) and names[j] == names[k]:
            j += 1
        out.append(names[k] if j - k == 1 else f"{names[k]} (x{j - k})")
        k = j
    return out


def _distinct(names: Sequence[str]) -> list[str]:
    """Each name once, in first-seen order, with ``(xN)`` when it occurs N > 1 times."""
    counts: dict[str, int] = {}
    for n in names:
        counts[n] = counts.get(n, 0) + 1
    return [n if c == 1 else f"{n} (x{c})" for n, c in counts.items()]


def _path_steps(e: EntryPointReport, groups: dict[int, int], report: AnalysisReport) -> list[str]:
    """The heaviest call path as readable steps: recursive groups folded, name runs collapsed, and
    where the listed part ends, how many functions follow."""
    steps: list[str] = []
    names: list[str] = []
    k = 0
    path, labels = e.max_path, e.max_path_names
    last_group: int | None = None
    listed_in_last = 0
    while k < len(path):
        grp = groups.get(path[k])
        j = k + 1
        while grp is not None and j < len(path) and groups.get(path[j]) == grp:
            j += 1
        if grp is None or report.cycles[grp].members == [path[k]]:
            names.append(labels[k])
            last_group = None
            k += 1
            continue
        steps += _collapse(names)
        names = []
        members = report.cycles[grp].members
        shown = _distinct(labels[k:j])
        more = len(shown) - _GROUP_NAMES_SHOWN
        listed = ", ".join(shown[:_GROUP_NAMES_SHOWN]) + (
            f", ... ({fmt_int(more)} more names)" if more > 0 else ""
        )
        steps.append(
            f"recursive group of {fmt_int(len(members))} functions ({report.cycles[grp].kind}): {listed}"
        )
        last_group, listed_in_last = grp, j - k
        k = j
    steps += _collapse(names)
    total = e.max_path_length or len(path)
    rest = total - len(path)
    if rest > 0:
        in_group = len(report.cycles[last_group].members) - listed_in_last if last_group is not None else 0
        after = rest - in_group
        what = f"{fmt_int(after)} more function{'s' if after != 1 else ''}"
        where = f" after the group ({fmt_int(in_group)} of its members not listed)" if in_group else ""
        steps.append(
            f"... {what}{where}: the report keeps the first {fmt_int(len(path))} of the "
            f"{fmt_int(total)} functions on this path"
        )
    return steps


def _cycle_lines(report: AnalysisReport) -> Iterator[Line]:
    if not report.cycles:
        return
    yield ("",)
    yield ("Recursive groups (direct: certain; indirect: only through type-resolved indirect calls)", TITLE)
    for c in report.cycles:
        shown = _distinct(c.names)
        names = ", ".join(shown[:6]) + (", ..." if len(shown) > 6 else "")
        yield (f"  {c.kind:8} {fmt_int(len(c.members)):>5} function(s): {names}",)


def _function_lines(report: AnalysisReport, show_all: bool, top: int) -> Iterator[Line]:
    fns = sorted(report.functions, key=lambda f: (-f.static_cost, f.index))
    if not show_all:
        fns = fns[:top]
    yield ("",)
    yield (
        "Functions" + ("" if show_all else f" (top {len(fns)} by 'body once'; --all for every one)"),
        TITLE,
    )
    for line in (
        "  size = body bytes; ops = instructions; blocks = metering blocks (gas checks); body once and",
        f"  heaviest pass as above, in {report.cost_unit}; locals gas = the per-call charge for declared",
        "  locals; in/out = distinct callers/callees; flags: exp exported, dead unreachable, rec directly",
        "  recursive, rec? recursive only through type-resolved indirect calls",
    ):
        yield (line,)
    rows = [
        [
            "index",
            "name",
            "size",
            "ops",
            "blocks",
            "body once",
            "heaviest pass",
            "locals gas",
            "in",
            "out",
            "flags",
        ]
    ]
    for f in fns:
        rec = "rec " if f.directly_recursive else ("rec? " if f.recursive else "")
        flags = ("" if f.reachable else "dead ") + rec + ("exp" if f.exports else "")
        rows.append(
            [
                str(f.index),
                f.name if len(f.name) <= 48 else f.name[:47] + "~",
                fmt_int(f.size),
                fmt_int(f.ops),
                fmt_int(f.blocks),
                fmt_int(f.static_cost),
                fmt_int(f.max_pass_cost),
                fmt_int(f.locals_charge),
                fmt_int(f.callers),
                fmt_int(f.callees),
                flags.strip(),
            ]
        )
    for k, line in enumerate(_table(rows, right={0, 2, 3, 4, 5, 6, 7, 8, 9})):
        flags = rows[k][-1]
        if k == 0:
            yield (line, HEAD)
        elif flags:
            yield (line, None, [(len(line) - len(flags), len(line), FLAG)])
        else:
            yield (line,)


def _upload_lines(report: AnalysisReport) -> Iterator[Line]:
    u = report.upload
    verdict = "ok" if u.within_limit else "TOO LARGE"
    title = (
        f"Upload cost (SDK gas; code {fmt_int(u.wasm_bytes)} bytes, gzip -{u.gzip_level} "
        f"{fmt_int(u.gzip_bytes)} bytes, limit {fmt_int(u.max_wasm_size)} bytes: {verdict})"
    )
    yield ("",)
    yield (title, TITLE, [] if u.within_limit else [(len(title) - len(verdict) - 1, len(title) - 1, WARN)])
    rows = [["upload", "bytes", "uncompress", "compile", "tx size", "total"]]
    for name, v in (("gzipped", u.gz), ("raw", u.raw)):
        rows.append(
            [
                name,
                fmt_int(v.upload_bytes),
                fmt_int(v.uncompress_gas),
                fmt_int(v.compile_gas),
                fmt_int(v.tx_size_gas),
                fmt_int(v.total_gas),
            ]
        )
    for k, line in enumerate(_table(rows, right={1, 2, 3, 4, 5})):
        yield (line, HEAD if k == 0 else None)
    yield ("  tx size counts the code bytes only (signatures, fee, addresses add a few hundred bytes)",)


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for r in rows:
        cells = [
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines
