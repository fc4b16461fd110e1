"""``gasmodel profile``: where a contract call's gas goes, along its real call stacks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gasmodel.cli import _paint
from gasmodel.cli._args import add_messages, add_parser
from gasmodel.cli._files import require_file
from gasmodel.cli._style import progress
from gasmodel.cli.estimate import add_run_options, run_estimate
from gasmodel.errors import ConfigError
from gasmodel.profile import Profile, render_collapsed, render_speedscope, render_svg, render_table
from gasmodel.report import GasReport

FORMATS = ("table", "collapsed", "speedscope", "svg")

# Colour for render_table's layout: the title, the column heads, a failed action.
TABLE_RULES: tuple[_paint.Rule, ...] = (
    (r"\A(.*)$", _paint.HEAD),
    (r"^\s+(self\s+inclusive\s+calls\s+function)$", _paint.HEAD),
    (r"^(the \w+ failed: .*)$", _paint.BAD),
)


def register(subparsers: Any) -> None:
    """Add the ``profile`` command."""
    p = add_parser(
        subparsers,
        "profile",
        help="per-function self and inclusive gas along the real call stacks; flame graphs",
        description="Runs the messages like 'gasmodel estimate' (or one step of a scenario, offline) "
        "with the profiler's instrumentation and shows the reported action's VM gas per call stack: "
        "a ranked table of functions (self and inclusive gas, calls), collapsed stacks for "
        "flamegraph.pl, speedscope JSON, or an SVG flame graph. Host calls appear as their own "
        "frames ('host: db_read') under the function that made them.",
    )
    p.add_argument("contract", metavar="CONTRACT.wasm", nargs="?", help="the contract (not with --scenario)")
    add_messages(p)
    add_run_options(p)
    p.add_argument("--scenario", metavar="FILE", help="profile a step of this scenario (run offline)")
    p.add_argument("--step", metavar="NAME", help="the scenario step to profile (with --scenario)")
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="output: table (ranked functions), collapsed (flamegraph.pl stacks), "
        "speedscope (JSON for speedscope.app), svg (a flame graph)",
    )
    p.add_argument("--top", type=int, default=25, metavar="N", help="table: rows shown")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(func=run)


def _scenario_report(path: str, step: str | None, chain: str) -> GasReport:
    from gasmodel.scenario import load_scenario
    from gasmodel.scenario.offline import run_offline

    if step is None:
        raise ConfigError("--scenario needs --step NAME (the step to profile)")
    scenario = load_scenario(require_file(path))
    names = [s.name for s in scenario.steps if s.name]
    if step not in names:
        raise ConfigError(f"{path}: no step {step!r}; steps: {', '.join(names)}")
    with progress(f"running scenario {scenario.name} on {chain}"):
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
    return run_estimate(args, profile=True)


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
    elif args.format == "table":
        _paint.write(text, TABLE_RULES)
    else:
        sys.stdout.write(text)
    return 0 if report.ok else 1
