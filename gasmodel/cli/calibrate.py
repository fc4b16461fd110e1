"""``gasmodel calibrate fuel|time|chain``: fit and check the model against wasmtime and a real chain."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import Any

from gasmodel.cli import _paint
from gasmodel.cli._args import add_chain, add_parser, preset_help
from gasmodel.cli._files import require_file
from gasmodel.cli._style import shows_progress
from gasmodel.errors import ConfigError

# Colour for the calibration reports' layout: titles, column heads, verdicts.
RULES: tuple[_paint.Rule, ...] = (
    (r"\A(.*)$", _paint.HEAD),
    (r"^(contract +entry point .*|class +ns/op .*|parameters .*:)$", _paint.HEAD),
    (r"^(MISMATCH) ", _paint.BAD),
    (r"\((all equal)\)", _paint.OK),
    (r"\((\d[\d,]* mismatch\(es\))\)", _paint.BAD),
    (r" (fitted)$", _paint.OK),
)


def register(subparsers: Any) -> None:
    """Add the ``calibrate`` command."""
    parser = add_parser(
        subparsers,
        "calibrate",
        help="check the model against wasmtime fuel, fit time per opcode class, fit a chain profile",
        description="See docs/calibration.md.",
    )
    sub = parser.add_subparsers(dest="what", metavar="WHAT")
    sub.required = True

    fuel = add_parser(
        sub, "fuel", help="exact operator counts == wasmtime fuel, for every call of a scenario"
    )
    _corpus(fuel, "a scenario file (when not given: the manifest's contracts)")
    fuel.add_argument("contracts", nargs="*", help="only these manifest contracts (default: all)")
    add_chain(fuel, "the chain profile the calls run on")
    _outputs(fuel)
    fuel.set_defaults(func=_run_fuel)

    time_p = add_parser(sub, "time", help="time WAT workloads on wasmtime, fit time per opcode class")
    time_p.add_argument(
        "--rounds", type=int, default=15, metavar="N", help="interleaved rounds per workload (median)"
    )
    time_p.add_argument(
        "--iterations", type=int, default=100_000, metavar="N", help="loop iterations per run"
    )
    time_p.add_argument(
        "--reference",
        metavar="PRESET",
        default="cosmwasm-vm-2.1.6-2.1.7",
        help=preset_help("cost table for the implied gas per second, and the output's base"),
    )
    _corpus(time_p, "also time the contract calls of this scenario (when not given: the manifest's)")
    time_p.add_argument("--no-corpus", action="store_true", help="workloads only, no contract calls")
    time_p.add_argument(
        "--corpus-rounds", type=int, default=5, metavar="N", help="runs of the corpus scenario (median)"
    )
    add_chain(time_p, "the chain profile the corpus calls run on")
    time_p.add_argument(
        "--table-out", type=Path, metavar="FILE", help="write the fitted cost table (TOML) here"
    )
    _outputs(time_p)
    time_p.set_defaults(func=_run_time)

    chain = add_parser(
        sub, "chain", help="fit the tx-level numbers of a chain profile to recorded or fresh runs"
    )
    src = chain.add_mutually_exclusive_group(required=True)
    src.add_argument(
        "--results", type=Path, nargs="+", metavar="FILE", help="results files recorded on a chain"
    )
    src.add_argument(
        "--localnet",
        type=Path,
        nargs="+",
        metavar="SCENARIO",
        help="run these scenarios on fresh local chains first",
    )
    chain.add_argument(
        "--fit", nargs="+", metavar="NAME", help="scenario names to fit on (when not given: the first)"
    )
    add_chain(chain, "the profile to fit")
    chain.add_argument(
        "--fee-receiver-balance",
        type=int,
        metavar="AMOUNT",
        default=None,
        help="the fee receiver's balance before the scenario's first tx (default: a fresh localnet's)",
    )
    chain.add_argument(
        "--first-account-number",
        type=int,
        metavar="N",
        default=None,
        help="account number of the scenario's first account on the chain (default: found by the fit)",
    )
    chain.add_argument(
        "--candidates",
        nargs="*",
        metavar="PRESET",
        help=preset_help("VM presets to try (when not given: every cosmwasm-vm-* preset)"),
    )
    chain.add_argument(
        "--profile-out", type=Path, metavar="FILE", help="write the fitted chain profile (TOML) here"
    )
    chain.add_argument(
        "--profile-name",
        default=None,
        metavar="NAME",
        help="name of the written profile (when not given: the --profile-out file's stem)",
    )
    chain.add_argument(
        "--save-results",
        type=Path,
        metavar="DIR",
        help="with --localnet: keep the results files in this folder",
    )
    _outputs(chain)
    chain.set_defaults(func=_run_chain)


def _corpus(p: argparse.ArgumentParser, scenario_help: str) -> None:
    """``--scenario FILE`` and the ``--manifest`` used without it."""
    p.add_argument("--scenario", type=Path, metavar="FILE", help=scenario_help)
    p.add_argument(
        "--manifest",
        type=Path,
        metavar="FILE",
        default=Path("contracts/manifest.json"),
        help="the contracts manifest (when no --scenario)",
    )


def _outputs(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--out", type=Path, metavar="FILE", help="also write the JSON report here")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def _bar(args: argparse.Namespace, total: int | None, desc: str) -> Any:
    """A counted progress bar on standard error (tqdm), shown when :func:`shows_progress` says so."""
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc=desc,
        disable=not shows_progress(args.no_progress),
        file=sys.stderr,
        leave=False,
    )


def _emit(args: argparse.Namespace, json_text: str, text: str) -> None:
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json_text + "\n", encoding="utf-8")
    if args.json:
        sys.stdout.write(json_text + "\n")
    else:
        _paint.write(text, RULES)


def _command() -> str:
    return "gasmodel " + " ".join(shlex.quote(a) for a in sys.argv[1:])


def _run_fuel(args: argparse.Namespace) -> int:
    from gasmodel.calibrate.fuel import calibrate_fuel, render_fuel
    from gasmodel.scenario.manifests import contracts_scenario
    from gasmodel.scenario.model import load_scenario

    if args.scenario is not None:
        scenario = load_scenario(require_file(args.scenario))
    else:
        if not args.manifest.is_file():
            raise ConfigError(f"{args.manifest}: no contracts manifest here; give --scenario FILE")
        scenario = contracts_scenario(args.manifest, args.contracts or None)
    with _bar(args, 2 * len(scenario.steps), "fuel") as bar:
        report = calibrate_fuel(scenario, args.chain, progress=lambda _s: bar.update(1))
    _emit(args, report.to_json(), render_fuel(report))
    return 0 if report.ok else 1


def _run_time(args: argparse.Namespace) -> int:
    from gasmodel.calibrate.timing import calibrate_time, cost_table_toml, render_time

    corpus = None
    if args.scenario is not None:
        from gasmodel.scenario.model import load_scenario

        corpus = load_scenario(require_file(args.scenario))
    elif not args.no_corpus and args.manifest.is_file():
        from gasmodel.scenario.manifests import contracts_scenario

        corpus = contracts_scenario(args.manifest)
    total = args.rounds + (args.corpus_rounds if corpus is not None else 0)
    with _bar(args, total, "time") as bar:
        report = calibrate_time(
            reference=args.reference,
            iterations=args.iterations,
            rounds=args.rounds,
            corpus=corpus,
            corpus_profile=args.chain,
            corpus_rounds=args.corpus_rounds,
            progress=lambda _i, _n: bar.update(1),
        )
    if args.table_out is not None:
        args.table_out.parent.mkdir(parents=True, exist_ok=True)
        args.table_out.write_text(
            cost_table_toml(report, name=args.table_out.stem, extends=args.reference, command=_command()),
            encoding="utf-8",
        )
    _emit(args, report.to_json(), render_time(report))
    return 0


def _run_chain(args: argparse.Namespace) -> int:
    from gasmodel.calibrate.chain import Recorded, calibrate_chain, load_recorded, profile_toml, render_chain

    recorded: list[Recorded] = []
    if args.results:
        recorded = [load_recorded(require_file(p)) for p in args.results]
    else:
        from gasmodel.scenario.localnet import run_on_fresh_localnet
        from gasmodel.scenario.model import load_scenario

        for path in args.localnet:
            scenario = load_scenario(require_file(path))
            with _bar(args, len(scenario.steps), f"localnet {scenario.name}") as bar:
                result = run_on_fresh_localnet(scenario, progress=lambda _s: bar.update(1))
            out = (args.save_results or Path(".")) / f"{scenario.name}.localnet.json"
            result.write(out)
            recorded.append(load_recorded(out, path))
    names = [r.name for r in recorded]
    fit_names = args.fit or names[:1]
    unknown = sorted(set(fit_names) - set(names))
    if unknown:
        raise ConfigError(f"--fit: no such scenario {', '.join(unknown)}; have {', '.join(names)}")
    fit = [r for r in recorded if r.name in fit_names]
    held = [r for r in recorded if r.name not in fit_names]
    with _bar(args, None, "chain") as bar:

        def step(message: str) -> None:
            bar.set_description(message)
            bar.update(1)

        report, values, preset = calibrate_chain(
            fit,
            held,
            args.chain,
            fee_receiver_balance=args.fee_receiver_balance,
            first_account_number=args.first_account_number,
            candidates=args.candidates,
            progress=step,
        )
    report = report.model_copy(update={"results_files": [str(p) for p in (args.results or [])]})
    if args.profile_out is not None:
        args.profile_out.parent.mkdir(parents=True, exist_ok=True)
        args.profile_out.write_text(
            profile_toml(
                report,
                values,
                preset,
                name=args.profile_name or args.profile_out.stem,
                extends=args.chain,
                commands=[_command()],
                report_file=str(args.out) if args.out else None,
            ),
            encoding="utf-8",
        )
    _emit(args, report.to_json(), render_chain(report))
    return 0
