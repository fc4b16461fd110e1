"""``gasmodel histogram CONTRACT.wasm ...``: static instruction counts of contracts' function bodies."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gasmodel.cli._args import add_parser
from gasmodel.cli._files import naming, read_contract_arg
from gasmodel.cli._style import fmt_int, progress
from gasmodel.cli.analyze import HEAD, TITLE, Out
from gasmodel.errors import GasmodelError
from gasmodel.histogram import ModuleHistogram, histogram
from gasmodel.wasm import decode


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``histogram`` command."""
    p = add_parser(
        subparsers,
        "histogram",
        help="instruction histogram of a .wasm file (per opcode and category)",
        description="Count the instructions in the function bodies of WebAssembly modules, each file "
        "in turn. Exit code: 0, or 2 if any file could not be read (the others are still reported).",
    )
    p.add_argument(
        "wasm",
        type=Path,
        nargs="+",
        metavar="CONTRACT.wasm",
        help="contract files (.wasm or gzipped; '-': standard input)",
    )
    p.add_argument("--by-function", action="store_true", help="also list every defined function")
    p.add_argument("--top", type=int, default=None, metavar="N", help="show only the N largest rows")
    p.add_argument(
        "--json",
        action="store_true",
        help="print JSON instead of a table: one object for one file, a list (one object per file, in "
        'order; a file that failed is {"file", "error"}) for several',
    )
    p.set_defaults(func=run)


def load(path: Path) -> ModuleHistogram:
    """Decode ``path`` (``.wasm``, or gzipped as uploads may be) and count; errors name the file."""
    with progress(f"counting the instructions of {path}"):
        data = read_contract_arg(path)
        with naming(path):
            return histogram(decode(data))


def _top(items: list[tuple[str, int]], n: int | None) -> list[tuple[str, int]]:
    return items if n is None else items[:n]


def _table(out: Out, h: ModuleHistogram, path: Path, top: int | None, by_function: bool) -> None:
    from gasmodel.wasm.opcodes import BY_NAME

    out.line(
        f"{path}: {fmt_int(h.size)} bytes, {fmt_int(h.num_defined_functions)} defined + "
        f"{fmt_int(h.num_imported_functions)} imported functions, {fmt_int(h.total)} instructions",
        HEAD,
    )
    out.line()
    out.line(f"{'opcode':<32} {'count':>9} {'share':>7}  category", TITLE)
    for name, n in _top(list(h.opcodes.items()), top):
        share = 100.0 * n / h.total if h.total else 0.0
        out.line(f"{name:<32} {fmt_int(n):>9} {share:>6.2f}%  {BY_NAME[name].category}")
    out.line()
    out.line(f"{'category':<32} {'count':>9} {'share':>7}", TITLE)
    for cat, n in sorted(h.categories.items(), key=lambda kv: -kv[1]):
        share = 100.0 * n / h.total if h.total else 0.0
        out.line(f"{cat:<32} {fmt_int(n):>9} {share:>6.2f}%")
    if by_function:
        out.line()
        out.line(f"{'func':>6} {'instrs':>8} {'bytes':>8}  name / most frequent opcodes", TITLE)
        write = out.stream.write
        for f in h.iter_functions(_largest(h, top)):
            common = ", ".join(f"{k} {fmt_int(v)}" for k, v in list(f.opcodes.items())[:4])
            write(f"{f.index:>6} {fmt_int(f.total):>8} {fmt_int(f.size):>8}  {f.display_name or '-'}\n")
            write(f"{'':>25}{common}\n")


def _largest(h: ModuleHistogram, top: int | None) -> list[int]:
    """Positions of the defined functions, most instructions first (ties: index order), ``top`` of them."""
    totals = h.function_totals
    order = sorted(range(len(totals)), key=lambda k: -totals[k])
    return order if top is None else order[:top]


def _write_json(h: ModuleHistogram, path: Path, args: argparse.Namespace) -> None:
    """The JSON report, functions streamed one per line (memory: one function at a time)."""
    out = h.to_json(by_function=False)
    out["file"] = str(path)
    if args.top is not None:
        out["opcodes"] = dict(_top(list(h.opcodes.items()), args.top))
    if not args.by_function:
        json.dump(out, sys.stdout, indent=1)
        sys.stdout.write("\n")
        return
    head = json.dumps(out, indent=1)
    sys.stdout.write(head[: head.rindex("}")].rstrip() + ',\n "functions": [')
    order = None if args.top is None else _largest(h, args.top)
    sep = "\n  "
    for f in h.iter_functions(order):
        sys.stdout.write(sep + json.dumps(f.to_json()))
        sep = ",\n  "
    sys.stdout.write("\n ]\n}\n")


def run(args: argparse.Namespace) -> int:
    """Print the histogram of each file of ``args.wasm``; 0 on success, 2 if any file failed (a bad
    file alone raises, as every command's bad input does)."""
    if args.top is not None and args.top < 1:
        raise GasmodelError("--top must be at least 1")
    paths: list[Path] = list(args.wasm)
    if len(paths) == 1:
        h = load(paths[0])
        if args.json:
            _write_json(h, paths[0], args)
        else:
            _table(Out(), h, paths[0], args.top, args.by_function)
        return 0
    worst = 0
    out = Out()
    if args.json:
        sys.stdout.write("[\n")
    for k, path in enumerate(paths):
        try:
            h = load(path)
        except GasmodelError as exc:
            msg = str(exc) if str(exc).startswith(f"{path}:") else f"{path}: {exc}"
            sys.stdout.flush()
            sys.stderr.write(f"gasmodel: error: {msg}\n")
            sys.stderr.flush()
            worst = 2
            if args.json:
                sys.stdout.write(("," if k else "") + json.dumps({"file": str(path), "error": msg}) + "\n")
            continue
        if args.json:
            if k:
                sys.stdout.write(",")
            _write_json(h, path, args)
        else:
            if k:
                out.line()
            _table(out, h, path, args.top, args.by_function)
        sys.stdout.flush()
    if args.json:
        sys.stdout.write("]\n")
    return worst
