"""``gasmodel histogram CONTRACT.wasm``: static instruction counts of a contract's function bodies."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gasmodel.cli._files import naming, read_contract_arg
from gasmodel.errors import GasmodelError
from gasmodel.histogram import ModuleHistogram, histogram
from gasmodel.wasm import decode


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``histogram`` command."""
    p = subparsers.add_parser(
        "histogram",
        help="instruction histogram of a .wasm file (per opcode and category)",
        description="Count the instructions in the function bodies of a WebAssembly module.",
    )
    p.add_argument("wasm", type=Path, metavar="CONTRACT.wasm")
    p.add_argument("--by-function", action="store_true", help="also list every defined function")
    p.add_argument("--top", type=int, default=None, metavar="N", help="show only the N largest rows")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=run)


def load(path: Path) -> ModuleHistogram:
    """Decode ``path`` (``.wasm``, or gzipped as uploads may be) and count; errors name the file."""
    data = read_contract_arg(path)
    with naming(path):
        return histogram(decode(data))


def _top(items: list[tuple[str, int]], n: int | None) -> list[tuple[str, int]]:
    return items if n is None else items[:n]


def _table(h: ModuleHistogram, path: Path, top: int | None, by_function: bool) -> str:
    from gasmodel.wasm.opcodes import BY_NAME

    lines = [
        f"{path}: {h.size} bytes, {h.num_defined_functions} defined + "
        f"{h.num_imported_functions} imported functions, {h.total} instructions",
        "",
        f"{'opcode':<32} {'count':>9} {'share':>7}  category",
    ]
    for name, n in _top(list(h.opcodes.items()), top):
        share = 100.0 * n / h.total if h.total else 0.0
        lines.append(f"{name:<32} {n:>9} {share:>6.2f}%  {BY_NAME[name].category}")
    lines += ["", f"{'category':<32} {'count':>9} {'share':>7}"]
    for cat, n in sorted(h.categories.items(), key=lambda kv: -kv[1]):
        share = 100.0 * n / h.total if h.total else 0.0
        lines.append(f"{cat:<32} {n:>9} {share:>6.2f}%")
    if by_function:
        lines += ["", f"{'func':>6} {'instrs':>8} {'bytes':>8}  name / most frequent opcodes"]
        for f in h.iter_functions(_largest(h, top)):
            common = ", ".join(f"{k} {v}" for k, v in list(f.opcodes.items())[:4])
            lines.append(f"{f.index:>6} {f.total:>8} {f.size:>8}  {f.display_name or '-'}")
            lines.append(f"{'':>25}{common}")
    return "\n".join(lines)


def _largest(h: ModuleHistogram, top: int | None) -> list[int]:
    """Positions of the defined functions, most instructions first (ties: index order), ``top`` of them."""
    totals = h.function_totals
    order = sorted(range(len(totals)), key=lambda k: -totals[k])
    return order if top is None else order[:top]


def _write_json(h: ModuleHistogram, args: argparse.Namespace) -> None:
    """The JSON report, functions streamed one per line (memory: one function at a time)."""
    out = h.to_json(by_function=False)
    out["file"] = str(args.wasm)
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
    """Print the histogram of ``args.wasm``; 0 on success (bad input raises, exit code 2)."""
    if args.top is not None and args.top < 1:
        raise GasmodelError("--top must be at least 1")
    h = load(args.wasm)
    if args.json:
        _write_json(h, args)
    else:
        sys.stdout.write(_table(h, args.wasm, args.top, args.by_function) + "\n")
    return 0
