"""``gasmodel profile``: where a contract call's gas goes, along its real call stacks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gasmodel.cli._files import naming
from gasmodel.errors import ConfigError
from gasmodel.estimate import Block, estimate, read_message, read_wasm
from gasmodel.profile import Profile, render_collapsed, render_speedscope, render_svg, render_table
from gasmodel.report import GasReport

FORMATS = ("table", "collapsed", "speedscope", "svg")


def register(subparsers: Any) -> None:
    """Add the ``profile`` command."""
    p = subparsers.add_parser(
        "profile",
        help="per-function self and inclusive gas along the real call stacks; flame graphs",
        description="Runs the messages like 'gasmodel estimate' (or one step of a scenario, offline) "
        "with the profiler's instrumentation and shows the reported action's VM gas per call stack: "
        "a ranked table of functions (self and inclusive gas, calls), collapsed stacks for "
        "flamegraph.pl, speedscope JSON, or an SVG flame graph. Host calls appear as their own "
        "frames ('host: db_read') under the function that made them.",
    )
    p.add_argument("contract", metavar="CONTRACT.wasm", nargs="?", help="the contract (not with --scenario)")
    p.add_argument("--instantiate", metavar="JSON", help="instantiate message (default: {})")
    p.add_argument("--execute", metavar="JSON", action="append", default=[], help="execute message (repeat)")
    p.add_argument("--migrate", metavar="JSON", help="migrate message (to the same code)")
    p.add_argument("--query", metavar="JSON", help="smart query")
    p.add_argument("--sender", default="sender", help="the signing account's name (default: sender)")
    p.add_argument("--funds", metavar="COINS", help="funds sent with the reported message, e.g. 100inj")
    p.add_argument("--chain", metavar="PROFILE", default="injective-localnet", help="chain profile")
    p.add_argument("--chain-id", default="gasmodel-1")
    p.add_argument("--height", type=int, default=1_000_000, help="block height before the first tx")
    p.add_argument("--gas-limit", type=int, help="the tx's gas limit (default: simulated x 1.3)")
    p.add_argument("--scenario", metavar="FILE", help="profile a step of this scenario (run offline)")
    p.add_argument("--step", metavar="NAME", help="the scenario step to profile (with --scenario)")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    p.add_argument("--top", type=int, default=25, help="table: rows shown (default: 25)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(func=run)


def _scenario_report(path: str, step: str | None, chain: str) -> GasReport:
    from gasmodel.scenario import load_scenario
    from gasmodel.scenario.offline import run_offline

    if step is None:
        raise ConfigError("--scenario needs --step NAME (the step to profile)")
    scenario = load_scenario(path)
    names = [s.name for s in scenario.steps if s.name]
    if step not in names:
        raise ConfigError(f"{path}: no step {step!r}; steps: {', '.join(names)}")
    result = run_offline(scenario, chain, profile_calls=True)
    report = result.step(step).report
    if report is None:
        raise ConfigError(f"{path}: step {step!r} has no report (skipped or not a contract call)")
    return report


def profile_report(args: argparse.Namespace) -> GasReport:
    """The profiled report the arguments ask for (a scenario step, or the messages)."""
    if args.scenario is not None:
        if args.contract is not None:
            raise ConfigError("give either CONTRACT.wasm or --scenario, not both")
        return _scenario_report(args.scenario, args.step, args.chain)
    if args.contract is None:
        raise ConfigError("give CONTRACT.wasm (with messages) or --scenario FILE --step NAME")
    messages: dict[str, Any] = {}
    if args.instantiate is not None:
        messages["instantiate"] = read_message(args.instantiate, "--instantiate")
    if args.execute:
        execs = [read_message(text, "--execute") for text in args.execute]
        messages["execute"] = execs if len(execs) > 1 else execs[0]
    if args.migrate is not None:
        messages["migrate"] = read_message(args.migrate, "--migrate")
    if args.query is not None:
        messages["query"] = read_message(args.query, "--query")
    wasm = read_wasm(args.contract)
    with naming(args.contract):
        return estimate(
            wasm,
            sender=args.sender,
            funds=args.funds,
            chain=args.chain,
            block=Block(chain_id=args.chain_id, height=args.height),
            gas_limit=args.gas_limit,
            profile=True,
            **messages,
        )


def run(args: argparse.Namespace) -> int:
    """Run ``gasmodel profile``."""
    report = profile_report(args)
    title = f"{Path(args.contract).name} " if args.contract else f"{args.step}: "
    profile = Profile.from_report(report, title=title + f"{report.action}")
    if args.format == "table":
        text = render_table(profile, top=args.top)
        if not report.ok:
            text += f"the {report.action} failed: {report.outcome} {report.error or ''}".rstrip() + "\n"
    elif args.format == "collapsed":
        text = render_collapsed(profile)
    elif args.format == "speedscope":
        text = render_speedscope(profile)
    else:
        text = render_svg(profile)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0 if report.ok else 1
