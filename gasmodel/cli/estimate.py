"""``gasmodel estimate``: the gas of a contract message on a chain profile, offline, with a breakdown."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from gasmodel.cli import _paint
from gasmodel.cli._args import add_chain, add_messages, add_parser, messages_from
from gasmodel.cli._files import naming, read_contract_arg
from gasmodel.cli._style import progress
from gasmodel.errors import ConfigError
from gasmodel.estimate import Block, estimate
from gasmodel.report import GasReport, render_text

KEY_TYPES = ("eth_secp256k1", "secp256k1")

# Colour for render_text's layout: the verdict on the first line, the figure names, the section heads.
RULES: tuple[_paint.Rule, ...] = (
    (r"\A\S.*: (ok)$", _paint.OK),
    (r"\A\S.*: ((?!ok$).+)$", _paint.BAD),
    (r"^  (gas_used|gas_limit|VM gas)\s", _paint.HEAD),
    (r"^  (error)\s", _paint.BAD),
    (r"^  ([a-z][^:\n]*):$", _paint.HEAD),
)


def register(subparsers: Any) -> None:
    """Add the ``estimate`` command."""
    p = add_parser(
        subparsers,
        "estimate",
        help="the gas of instantiate / execute / migrate / query messages, offline, with a breakdown",
        description="Deploys the contract on a mock chain of the profile (upload, instantiate), runs "
        "the messages in order (executes, migrate, query) and reports the gas of the last one as the "
        "chain would: gas_used (SDK gas), VM gas, a breakdown by charge, executed operators, host calls "
        'and functions. Messages are JSON; "$sender" in them is the sender\'s address.',
    )
    p.add_argument(
        "contract", metavar="CONTRACT.wasm", help="the contract (.wasm, or gzipped; - reads stdin)"
    )
    add_messages(p)
    add_run_options(p)
    p.add_argument("--key-type", choices=KEY_TYPES, default=KEY_TYPES[0], help="the sender's key type")
    p.add_argument("--time", metavar="RFC3339", help="block time before the first tx (when not given: now)")
    p.add_argument("--no-gzip", action="store_true", help="upload the module uncompressed")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=run)


def add_run_options(p: argparse.ArgumentParser) -> None:
    """The mock chain's options that ``estimate`` and ``profile`` share."""
    p.add_argument("--sender", metavar="NAME", default="sender", help="the signing account's name")
    p.add_argument("--funds", metavar="COINS", help="funds sent with the reported message, e.g. 100inj")
    add_chain(p)
    p.add_argument(
        "--chain-id", metavar="ID", default="gasmodel-1", help="the mock chain's chain id (in env.block)"
    )
    p.add_argument(
        "--height", metavar="N", type=int, default=1_000_000, help="block height before the first tx"
    )
    p.add_argument(
        "--gas-limit", metavar="GAS", type=int, help="the tx's gas limit (when not given: simulated x 1.3)"
    )


def run_estimate(args: argparse.Namespace, *, profile: bool = False, **extra: Any) -> GasReport:
    """Read the contract and messages of ``args`` and estimate (with a spinner on a terminal)."""
    messages = messages_from(args)
    wasm = read_contract_arg(args.contract)
    block: dict[str, Any] = {"chain_id": args.chain_id, "height": args.height}
    if getattr(args, "time", None) is not None:
        try:
            block["time"] = datetime.fromisoformat(args.time)
        except ValueError:
            raise ConfigError(f"--time: not an RFC 3339 time: {args.time!r}") from None
    with naming(args.contract), progress(f"running {Path(args.contract).name} on {args.chain}"):
        return estimate(
            wasm,
            sender=args.sender,
            funds=args.funds,
            chain=args.chain,
            block=Block(**block),
            gas_limit=args.gas_limit,
            profile=profile,
            **extra,
            **messages,
        )


def run(args: argparse.Namespace) -> int:
    """Run ``gasmodel estimate``."""
    report = run_estimate(args, key_type=args.key_type, gzip=not args.no_gzip)
    if args.json:
        sys.stdout.write(report.to_json() + "\n")
    else:
        _paint.write(render_text(report), RULES)
    return 0 if report.ok else 1
