"""``gasmodel scenario run|check``: run a scenario file offline (mock chain) or on a local chain."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from gasmodel.errors import ConfigError
from gasmodel.scenario.manifests import contracts_scenario, fixtures_scenario
from gasmodel.scenario.model import load_scenario
from gasmodel.scenario.results import ScenarioResult, StepResult


def register(subparsers: Any) -> None:
    """Add the ``scenario`` command."""
    parser = subparsers.add_parser(
        "scenario",
        help="check a scenario file, or run it offline or on a local chain",
        description="Scenarios are JSON/YAML/TOML files of accounts and steps (see docs/scenarios.md).",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    run_p = actions.add_parser(
        "run", help="run a scenario (offline on the mock chain unless --localnet/--home), write its results")
    run_p.add_argument("file", type=Path, help="the scenario (.json, .yaml, .yml or .toml)")
    where = run_p.add_mutually_exclusive_group()
    where.add_argument("--localnet", action="store_true",
                       help="on a fresh local chain made for this run (removed afterwards)")
    where.add_argument("--home", type=Path, default=None,
                       help="on the running localnet in this directory (from `gasmodel localnet up`)")
    run_p.add_argument("--out", type=Path, default=None,
                       help="results file (default: <scenario name>.results.json here)")
    run_p.add_argument("--chain-dir", type=Path, default=None,
                       help="with --localnet: build the chain here and keep it (stopped) afterwards")
    run_p.add_argument("--chain", metavar="PROFILE", default="injective-localnet",
                       help="offline: the chain profile the mock chain prices with")
    run_p.add_argument("--funder", default="faucet",
                       help="with --home: the account that funds the scenario's accounts")
    run_p.add_argument("--quiet", action="store_true", help="no per-step lines")
    check = actions.add_parser("check", help="validate a scenario file without a chain")
    check.add_argument("file", type=Path)
    export = actions.add_parser(
        "from-manifest", help="write the scenario of a contracts or lint-fixtures manifest (contracts/)")
    export.add_argument("manifest", type=Path)
    export.add_argument("--out", type=Path, required=True, help="the scenario file to write (.json)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``gasmodel scenario``."""
    if args.action == "from-manifest":
        return _from_manifest(args.manifest, args.out)
    scenario = load_scenario(args.file)
    if args.action == "check":
        counts = f"{len(scenario.accounts)} accounts, {len(scenario.steps)} steps"
        sys.stdout.write(f"{args.file}: ok ({counts})\n")
        return 0
    if args.chain_dir is not None and not args.localnet:
        raise ConfigError("--chain-dir goes with --localnet")
    progress = None if args.quiet else _print_step
    if args.localnet:
        from gasmodel.scenario.localnet import run_on_fresh_localnet

        result = run_on_fresh_localnet(scenario, args.chain_dir, keep=args.chain_dir is not None,
                                       progress=progress)
    elif args.home is not None:
        from gasmodel.chain.localnet import Localnet
        from gasmodel.scenario.localnet import run_scenario

        result = run_scenario(scenario, Localnet.open(args.home), funder=args.funder, progress=progress)
    else:
        from gasmodel.scenario.offline import run_offline

        result = run_offline(scenario, args.chain, progress=progress)
    out = args.out or Path(f"{scenario.name}.results.json")
    result.write(out)
    _print_summary(result, out)
    return 0 if result.passed else 1


def _print_step(step: StepResult) -> None:
    gas = f"{step.gas_used:>9} / {step.gas_wanted:<9}" if step.gas_used is not None else " " * 21
    size = f"{step.tx_size:>6} B" if step.tx_size is not None else " " * 8
    mark = "ok " if step.expectation_met else "!! "
    code = f"code {step.code}" if step.code else ""
    head = f"{mark}{step.index:>3} {step.name:<24} {step.action:<12} {step.status:<8}"
    sys.stdout.write(f"{head} {gas} {size} {code}\n")
    for problem in step.problems:
        sys.stdout.write(f"        {problem}\n")
    sys.stdout.flush()


def _print_summary(result: ScenarioResult, out: Path) -> None:
    failed = [s for s in result.steps if not s.expectation_met]
    v = result.chain.versions
    where = (f"the mock chain of {result.profile}" if result.backend == "mock"
             else f"{v.app_name} {v.app_version}")
    sys.stdout.write(
        f"{result.scenario}: {len(result.steps) - len(failed)}/{len(result.steps)} steps as expected "
        f"in {result.seconds:.1f} s on {where} (wasmd {v.wasmd}, wasmvm {v.wasmvm}); "
        f"results: {out}\n"
    )


def _from_manifest(manifest: Path, out: Path) -> int:
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{manifest}: cannot read manifest: {exc}") from exc
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
    sys.stdout.write(f"{out}: {len(scenario.steps)} steps from {manifest}\n")
    return 0
