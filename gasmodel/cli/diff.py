"""``gasmodel diff OLD NEW``: the gas change between two builds or two results files, with budgets."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gasmodel.diff import diff, load_budgets, read_side, render_markdown, run_builds
from gasmodel.errors import ConfigError
from gasmodel.estimate import read_message


def register(subparsers: Any) -> None:
    """Add the ``diff`` command."""
    p = subparsers.add_parser(
        "diff",
        help="gas change between two builds of a contract or two results files (markdown / JSON), budgets",
        description="OLD and NEW are two builds (.wasm) run offline on the same messages (--instantiate, "
        "--execute ...) or the same scenario (--scenario: its uploads of either build are swapped), or "
        "two results files (a GasReport JSON from 'gasmodel estimate --json', or scenario results). "
        "Shows per step gas_used and VM gas, and the functions whose self gas changed most. Budgets "
        "(per step, max gas_used of NEW) come from --budget FILE or [tool.gasmodel.budget] in "
        "./pyproject.toml; the exit code is 1 when a step is over its budget.",
    )
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    p.add_argument("--instantiate", metavar="JSON", help="builds: instantiate message (default: {})")
    p.add_argument("--execute", metavar="JSON", action="append", default=[], help="builds: execute message")
    p.add_argument("--migrate", metavar="JSON", help="builds: migrate message")
    p.add_argument("--query", metavar="JSON", help="builds: smart query")
    p.add_argument("--scenario", metavar="FILE", help="builds: run this scenario on each")
    p.add_argument("--chain", metavar="PROFILE", default="injective-localnet", help="chain profile")
    p.add_argument("--budget", metavar="FILE", help="budgets (TOML/JSON; default ./pyproject.toml)")
    p.add_argument("--format", choices=("markdown", "json"), default="markdown")
    p.add_argument("--top", type=int, default=10, help="markdown: functions shown (default: 10)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(func=run)


def _is_build(path: str) -> bool:
    """A module (Wasm magic, or gzip) rather than a results file (JSON)."""
    try:
        with Path(path).open("rb") as f:
            head = f.read(4)
    except OSError:
        raise ConfigError(f"{path}: no such file") from None
    return head == b"\x00asm" or head[:2] == b"\x1f\x8b"


def run(args: argparse.Namespace) -> int:
    """Run ``gasmodel diff``."""
    builds = [_is_build(args.old), _is_build(args.new)]
    if builds[0] != builds[1]:
        raise ConfigError("OLD and NEW must both be builds (.wasm) or both results files")
    if builds[0]:
        messages: dict[str, Any] = {}
        if args.instantiate is not None:
            messages["instantiate"] = read_message(args.instantiate, "--instantiate")
        if args.execute:
            execs = [read_message(t, "--execute") for t in args.execute]
            messages["execute"] = execs if len(execs) > 1 else execs[0]
        if args.migrate is not None:
            messages["migrate"] = read_message(args.migrate, "--migrate")
        if args.query is not None:
            messages["query"] = read_message(args.query, "--query")
        scenario = None
        if args.scenario is not None:
            if messages:
                raise ConfigError("give either --scenario or messages, not both")
            from gasmodel.scenario import load_scenario

            scenario = load_scenario(args.scenario)
        old, new = run_builds(args.old, args.new, scenario=scenario, chain=args.chain, messages=messages)
    else:
        if args.scenario is not None or args.execute or args.instantiate:
            raise ConfigError("messages and --scenario are for two builds (.wasm), not results files")
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
        used = "missing" if b.gas_used is None else f"{b.gas_used:,}"
        sys.stderr.write(f"gasmodel: step {b.step} over budget: {used} > {b.budget:,}\n")
    return 1 if d.over_budget else 0
