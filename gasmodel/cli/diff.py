"""``gasmodel diff OLD NEW``: the gas change between two builds or two results files, with budgets."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gasmodel.cli import _paint
from gasmodel.cli._args import add_chain, add_messages, add_parser, messages_from
from gasmodel.cli._files import is_build, read_contract_arg, read_json_file, require_file
from gasmodel.cli._style import fmt_int, progress
from gasmodel.diff import diff, load_budgets, read_side, render_markdown, run_builds
from gasmodel.errors import ConfigError

FORMATS = ("markdown", "json")


def register(subparsers: Any) -> None:
    """Add the ``diff`` command."""
    p = add_parser(
        subparsers,
        "diff",
        help="gas change between two builds of a contract or two results files (markdown / JSON), budgets",
        description="OLD and NEW are two builds (.wasm) run offline on the same messages (--instantiate, "
        "--execute ...) or the same scenario (--scenario: its uploads of either build are swapped), or "
        "two results files (a GasReport JSON from 'gasmodel estimate --json', or scenario results). "
        "Shows per step gas_used and VM gas, and the functions whose self gas changed most. Budgets "
        "(per step, max gas_used of NEW) come from --budget FILE or [tool.gasmodel.budget] in "
        "./pyproject.toml; the exit code is 1 when a step is over its budget.",
    )
    p.add_argument("old", metavar="OLD", help="the old build (.wasm) or results file (.json)")
    p.add_argument("new", metavar="NEW", help="the new build (.wasm) or results file (.json)")
    add_messages(p, prefix="builds: ", last_reported=False)
    p.add_argument("--scenario", metavar="FILE", help="builds: run this scenario on each")
    add_chain(p, "builds: the chain profile both run on")
    p.add_argument(
        "--budget",
        metavar="FILE",
        help="budgets (TOML/JSON; when not given: ./pyproject.toml if there is one)",
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="markdown",
        help="output: markdown (tables for a pull request) or json",
    )
    p.add_argument("--top", type=int, default=10, metavar="N", help="markdown: functions shown")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``gasmodel diff``."""
    builds = [is_build(args.old), is_build(args.new)]
    if builds[0] != builds[1]:
        raise ConfigError("OLD and NEW must both be builds (.wasm) or both results files")
    if builds[0]:
        for path in (args.old, args.new):
            read_contract_arg(path)  # refuses a missing or non-Wasm file in the shared words
        messages = messages_from(args)
        scenario = None
        if args.scenario is not None:
            if messages:
                raise ConfigError("give either --scenario or messages, not both")
            from gasmodel.scenario import load_scenario

            scenario = load_scenario(require_file(args.scenario))
        with progress(f"running {Path(args.old).name} and {Path(args.new).name} on {args.chain}"):
            old, new = run_builds(args.old, args.new, scenario=scenario, chain=args.chain, messages=messages)
    else:
        if args.scenario is not None or args.execute or args.instantiate:
            raise ConfigError("messages and --scenario are for two builds (.wasm), not results files")
        for path in (args.old, args.new):
            read_json_file(path)  # refuses a missing file or bad JSON in the shared words
        old, new = read_side(args.old), read_side(args.new)
    budget_file = args.budget or ("pyproject.toml" if Path("pyproject.toml").is_file() else None)
    budgets = load_budgets(budget_file) if budget_file else {}
    d = diff(old, new, budgets)
    text = d.to_json() if args.format == "json" else render_markdown(d, top=args.top)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    for b in d.over_budget:
        used = "missing" if b.gas_used is None else fmt_int(b.gas_used)
        _paint.write(
            f"gasmodel: step {b.step} over budget: {used} > {fmt_int(b.budget)}\n",
            ((r"(over budget)", _paint.BAD),),
            sys.stderr,
        )
    return 1 if d.over_budget else 0
