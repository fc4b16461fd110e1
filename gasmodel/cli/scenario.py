"""``gasmodel scenario run|check``: run a scenario file offline (mock chain) or on a local chain."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from gasmodel.cli import _paint
from gasmodel.cli._args import add_chain, add_parser
from gasmodel.cli._files import read_json_file, require_file
from gasmodel.cli._style import fmt_int, progress
from gasmodel.errors import ConfigError
from gasmodel.scenario.manifests import contracts_scenario, fixtures_scenario
from gasmodel.scenario.model import load_scenario
from gasmodel.scenario.results import ScenarioResult, StepResult


def register(subparsers: Any) -> None:
    """Add the ``scenario`` command."""
    parser = add_parser(
        subparsers,
        "scenario",
        help="check a scenario file, or run it offline or on a local chain",
        description="Scenarios are JSON/YAML/TOML files of accounts and steps (see docs/scenarios.md).",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    run_p = add_parser(
        actions, "run",
        help="run a scenario (offline on the mock chain unless --localnet/--home), write its results",
        description="Runs the steps in order and prints a line per step: whether it went as the "
        "scenario expects (ok, or !!), its index, name and action, what the chain did (status: ok, "
        "failed, skipped, error), gas used and gas wanted (SDK gas), the tx's size (bytes) and a "
        "failed tx's error code; then writes the results file.")
    run_p.add_argument("file", type=Path, help="the scenario (.json, .yaml, .yml or .toml)")
    where = run_p.add_mutually_exclusive_group()
    where.add_argument("--localnet", action="store_true",
                       help="on a fresh local chain made for this run (removed afterwards)")
    where.add_argument("--home", type=Path, default=None,
                       help="on the running localnet in this directory (from `gasmodel localnet up`)")
    run_p.add_argument("--out", type=Path, default=None,
                       help="results file (when not given: <scenario name>.results.json here)")
    run_p.add_argument("--chain-dir", type=Path, default=None,
                       help="with --localnet: build the chain here and keep it (stopped) afterwards")
    add_chain(run_p, "offline: the chain profile the mock chain prices with")
    run_p.add_argument("--funder", default="faucet",
                       help="with --home: the account that funds the scenario's accounts")
    run_p.add_argument("--quiet", action="store_true", help="no per-step lines")
    check = add_parser(actions, "check", help="validate a scenario file without a chain")
    check.add_argument("file", type=Path, help="the scenario (.json, .yaml, .yml or .toml)")
    export = add_parser(
        actions, "from-manifest",
        help="write the scenario of a contracts or lint-fixtures manifest (contracts/)")
    export.add_argument("manifest", type=Path, help="contracts/manifest.json or a lint-fixtures manifest")
    export.add_argument("--out", type=Path, required=True, help="the scenario file to write (.json)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``gasmodel scenario``."""
    if args.action == "from-manifest":
        return _from_manifest(args.manifest, args.out)
    scenario = load_scenario(require_file(args.file))
    if args.action == "check":
        counts = f"{fmt_int(len(scenario.accounts))} accounts, {fmt_int(len(scenario.steps))} steps"
        _paint.write(f"{args.file}: ok ({counts})\n", ((r": (ok) \(", _paint.OK),))
        return 0
    if args.chain_dir is not None and not args.localnet:
        raise ConfigError("--chain-dir goes with --localnet")
    progress_fn = None if args.quiet else _print_step
    if not args.quiet:
        _paint.write(HEADER, HEADER_RULES)
    steps = f"{scenario.name} ({fmt_int(len(scenario.steps))} steps)"
    if args.localnet:
        from gasmodel.scenario.localnet import run_on_fresh_localnet

        with progress(f"running {steps} on a fresh local chain"):
            result = run_on_fresh_localnet(scenario, args.chain_dir, keep=args.chain_dir is not None,
                                           progress=progress_fn)
    elif args.home is not None:
        from gasmodel.chain.localnet import Localnet
        from gasmodel.scenario.localnet import run_scenario

        with progress(f"running {steps} on the localnet in {args.home}"):
            result = run_scenario(scenario, Localnet.open(args.home), funder=args.funder,
                                  progress=progress_fn)
    else:
        from gasmodel.scenario.offline import run_offline

        with progress(f"running {steps} on the mock chain of {args.chain}"):
            result = run_offline(scenario, args.chain, progress=progress_fn)
    out = args.out or Path(f"{scenario.name}.results.json")
    result.write(out)
    _print_summary(result, out)
    return 0 if result.passed else 1


# One line per step; the columns (HEADER) and what their values mean (the line above it).
_ROW = "{mark:<2} {index:>3} {name:<24} {action:<12} {status:<8} {used:>11} {wanted:>11} {size:>9}  {code}"
HEADER = (
    "expected: ok = as the scenario says, !! = not; status: what the chain did; gas in SDK gas; "
    "tx size in bytes; code: a failed tx's error code\n"
    + _ROW.format(mark="", index="#", name="step", action="action", status="status", used="gas used",
                  wanted="gas wanted", size="tx size", code="code").rstrip()
    + "\n"
)
HEADER_RULES: tuple[_paint.Rule, ...] = ((r"\A(.*)$", _paint.DIM), (r"^ +(#.*)$", _paint.HEAD))
STEP_RULES: tuple[_paint.Rule, ...] = (
    (r"\A(ok) ", _paint.OK),
    (r"\A(!!) ", _paint.BAD),
    (r"\A\S+ +\d+ +\S+ +\S+ +(ok)\b", _paint.OK),
    (r"\A\S+ +\d+ +\S+ +\S+ +(failed|error|skipped)\b", _paint.BAD),
    (r"^ {8}(.*)$", _paint.BAD),
)


def _print_step(step: StepResult) -> None:
    line = _ROW.format(
        mark="ok" if step.expectation_met else "!!",
        index=step.index,
        name=step.name,
        action=step.action,
        status=step.status,
        used=fmt_int(step.gas_used) if step.gas_used is not None else "",
        wanted=fmt_int(step.gas_wanted) if step.gas_wanted is not None else "",
        size=f"{fmt_int(step.tx_size)} B" if step.tx_size is not None else "",
        code=step.code or "",
    ).rstrip()
    text = line + "\n" + "".join(f"        {problem}\n" for problem in step.problems)
    _paint.write(text, STEP_RULES)
    sys.stdout.flush()


def _print_summary(result: ScenarioResult, out: Path) -> None:
    failed = [s for s in result.steps if not s.expectation_met]
    v = result.chain.versions
    where = (f"the mock chain of {result.profile}" if result.backend == "mock"
             else f"{v.app_name} {v.app_version}")
    done = f"{fmt_int(len(result.steps) - len(failed))}/{fmt_int(len(result.steps))} steps as expected"
    _paint.write(
        f"{result.scenario}: {done} in {result.seconds:.1f} s on {where} (wasmd {v.wasmd}, "
        f"wasmvm {v.wasmvm}); results: {out}\n",
        ((r": (\d[\d,]*/[\d,]+ steps as expected)", _paint.BAD if failed else _paint.OK),),
    )


def _from_manifest(manifest: Path, out: Path) -> int:
    data = read_json_file(manifest)
    is_fixtures = isinstance(data, dict) and "fixtures" in data
    scenario = fixtures_scenario(manifest) if is_fixtures else contracts_scenario(manifest)
    doc = scenario.model_dump(mode="json", exclude_defaults=True)
    base = out.resolve().parent
    for step in doc["steps"]:
        if step.get("action") == "store":
            step["wasm"] = os.path.relpath(step["wasm"], base)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    load_scenario(out)  # what was written must load back
    sys.stdout.write(f"{out}: {fmt_int(len(scenario.steps))} steps from {manifest}\n")
    return 0
