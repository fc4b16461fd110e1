"""``gasmodel analyze`` (static report) and ``gasmodel callgraph`` (DOT / node-link JSON)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from gasmodel.analysis.api import analyze, call_graph
from gasmodel.analysis.graph_export import to_dot, to_node_link
from gasmodel.analysis.report import AnalysisReport
from gasmodel.cli._files import naming, read_contract_arg

TOP_FUNCTIONS = 15


def register(subparsers: Any) -> None:
    """Add the ``analyze`` and ``callgraph`` commands."""
    p = subparsers.add_parser(
        "analyze",
        help="static report: call graph facts, static cost per entry point, upload cost",
        description="Static analysis of a contract (.wasm or gzipped): entry points, reachability, "
        "recursion, static cost under a cost table, heaviest loop-free call paths, upload cost.",
    )
    p.add_argument("contract", metavar="CONTRACT.wasm")
    p.add_argument("--chain", metavar="PROFILE", help="chain profile (default: injective-localnet)")
    p.add_argument("--preset", metavar="NAME", help="cost table pricing the operators (default: the chain's)")
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.add_argument("--all", action="store_true", help="list every function, not only the most expensive")
    p.set_defaults(func=run_analyze)

    c = subparsers.add_parser(
        "callgraph",
        help="print the call graph as Graphviz DOT or node-link JSON",
        description="The contract's call graph (direct and type-resolved indirect calls, imports as "
        "nodes), annotated with reachability, recursion and static cost.",
    )
    c.add_argument("contract", metavar="CONTRACT.wasm")
    c.add_argument("--format", choices=("dot", "json"), default="dot")
    c.add_argument("--chain", metavar="PROFILE", help="chain profile for the cost annotation")
    c.add_argument("--preset", metavar="NAME", help="cost table for the cost annotation")
    c.set_defaults(func=run_callgraph)


def run_analyze(args: argparse.Namespace) -> int:
    """Run ``gasmodel analyze``."""
    wasm = read_contract_arg(args.contract)
    with naming(args.contract):
        report = analyze(wasm, preset=args.preset, chain=args.chain, source=args.contract)
    if args.json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(render(report, show_all=args.all))
    return 0


def run_callgraph(args: argparse.Namespace) -> int:
    """Run ``gasmodel callgraph``."""
    wasm = read_contract_arg(args.contract)
    with naming(args.contract):
        report = analyze(wasm, preset=args.preset, chain=args.chain, source=args.contract)
    g = call_graph(wasm, report=report, source=args.contract)
    if args.format == "json":
        sys.stdout.write(json.dumps(to_node_link(g), indent=1) + "\n")
    else:
        sys.stdout.write(to_dot(g))
    return 0


def _sdk(report: AnalysisReport, cw: int) -> str:
    if report.gas_multiplier is None or report.cost_unit != "cw_gas":
        return ""
    return f"{cw / report.gas_multiplier:,.2f}"


def render(report: AnalysisReport, show_all: bool = False) -> str:
    """The human-readable report."""
    unit = report.cost_unit
    out = [
        f"{report.source or 'contract'}: {report.module_size:,} bytes, "
        f"{report.num_functions} functions + {report.num_imported_functions} imports",
        f"costs: {report.cost_table} (unit {unit}"
        + (
            f", {report.gas_multiplier:,} CW gas = 1 SDK gas)"
            if report.gas_multiplier and unit == "cw_gas"
            else ")"
        ),
        f"reachable from exports: {report.num_reachable}/{report.num_functions}; "
        f"unreachable: {len(report.unreachable)}; recursive groups: {len(report.cycles)}",
        "",
        "STATIC figures, in the table's unit: Wasm operators only, each body counted once (loops once),",
        "host calls and storage priced at 0. They bound the compute of one pass, not a tx's gas_used:",
        "`gasmodel estimate` runs the call and prices everything.",
        "",
        "Entry points: own = the export's body once; pass = heaviest loop-free execution with callees;",
        "pass SDK = pass / multiplier; path = heaviest call-graph path of whole bodies (direct: direct",
        "calls only); reach = functions reachable; imports = imports reachable; role: entry (called by",
        "the chain), memory (allocate/deallocate), marker (interface/capability), other (an export the",
        "chain never calls, e.g. a toolchain helper), start (the start function)",
    ]
    rows = [["index", "export", "role", "own", "pass", "pass SDK", "path", "direct path", "reach", "imports"]]
    for e in report.entry_points:
        rows.append(
            [
                str(e.index),
                e.name,
                e.role,
                f"{e.static_cost:,}",
                f"{e.max_pass_cost:,}",
                _sdk(report, e.max_pass_cost),
                f"{e.max_path_cost:,}",
                f"{e.direct_path_cost:,}",
                str(e.reachable_functions),
                str(len(e.reachable_imports)),
            ]
        )
    out += _table(rows, right={0, 3, 4, 5, 6, 7, 8, 9})
    heavy = [e for e in report.entry_points if e.role == "entry"]
    for e in heavy:
        names = " -> ".join(e.max_path_names[:8]) + (" -> ..." if len(e.max_path_names) > 8 else "")
        out.append(f"  {e.name} path: {names}")
    if report.cycles:
        out += ["", "Recursive groups (direct: certain; indirect: only through type-resolved indirect calls)"]
        for c in report.cycles:
            names = ", ".join(c.names[:6]) + (", ..." if len(c.names) > 6 else "")
            out.append(f"  {c.kind:8} {len(c.members):4} function(s): {names}")
    if report.unreachable:
        shown = report.unreachable_names[:20]
        more = len(report.unreachable) - len(shown)
        out += ["", f"Unreachable functions ({len(report.unreachable)})", "  " + ", ".join(shown)]
        if more > 0:
            out.append(f"  ... and {more} more (--json lists all)")
    fns = sorted(report.functions, key=lambda f: (-f.static_cost, f.index))
    if not show_all:
        fns = fns[:TOP_FUNCTIONS]
    out += ["", "Functions" + ("" if show_all else f" (top {len(fns)} by static cost; --all for every one)")]
    out.append(
        "  size = body bytes; ops = instructions; blocks = metering blocks; locals gas = the per-call locals"
    )
    out.append(
        "  charge; in/out = distinct callers/callees; flags: exp exported, dead unreachable, rec directly"
    )
    out.append("  recursive, rec? recursive only through type-resolved indirect calls")
    frows = [
        ["index", "name", "size", "ops", "blocks", "static cost", "pass", "locals gas", "in", "out", "flags"]
    ]
    for f in fns:
        rec = "rec " if f.directly_recursive else ("rec? " if f.recursive else "")
        flags = ("" if f.reachable else "dead ") + rec + ("exp" if f.exports else "")
        frows.append(
            [
                str(f.index),
                f.name[:48],
                str(f.size),
                str(f.ops),
                str(f.blocks),
                f"{f.static_cost:,}",
                f"{f.max_pass_cost:,}",
                f"{f.locals_charge:,}",
                str(f.callers),
                str(f.callees),
                flags.strip(),
            ]
        )
    out += _table(frows, right={0, 2, 3, 4, 5, 6, 7, 8, 9})
    u = report.upload
    out += [
        "",
        f"Upload cost (SDK gas; code {u.wasm_bytes:,} B, gzip -{u.gzip_level} {u.gzip_bytes:,} B, "
        f"limit {u.max_wasm_size:,} B: {'ok' if u.within_limit else 'TOO LARGE'})",
    ]
    urows = [["upload", "bytes", "uncompress", "compile", "tx size", "total"]]
    for name, v in (("gzipped", u.gz), ("raw", u.raw)):
        urows.append(
            [
                name,
                f"{v.upload_bytes:,}",
                f"{v.uncompress_gas:,}",
                f"{v.compile_gas:,}",
                f"{v.tx_size_gas:,}",
                f"{v.total_gas:,}",
            ]
        )
    out += _table(urows, right={1, 2, 3, 4, 5})
    out.append("  tx size counts the code bytes only (signatures, fee, addresses add a few hundred bytes)")
    return "\n".join(out) + "\n"


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for r in rows:
        cells = [
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines
