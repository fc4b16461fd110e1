"""``gasmodel estimate``: the gas of a contract message on a chain profile, offline, with a breakdown."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import Any

from gasmodel.cli._files import naming
from gasmodel.errors import ConfigError
from gasmodel.estimate import Block, estimate, read_message, read_wasm
from gasmodel.report import render_text


def register(subparsers: Any) -> None:
    """Add the ``estimate`` command."""
    p = subparsers.add_parser(
        "estimate",
        help="the gas of instantiate / execute / migrate / query messages, offline, with a breakdown",
        description="Deploys the contract on a mock chain of the profile (upload, instantiate), runs "
        "the messages in order (executes, migrate, query) and reports the gas of the last one as the "
        "chain would: gas_used (SDK gas), VM gas, a breakdown by charge, executed operators, host calls "
        'and functions. Messages are JSON; "$sender" in them is the sender\'s address.',
    )
    p.add_argument("contract", metavar="CONTRACT.wasm")
    p.add_argument("--instantiate", metavar="JSON", help="instantiate message (default: {})")
    p.add_argument(
        "--execute",
        metavar="JSON",
        action="append",
        default=[],
        help="execute message (repeat to run several in order; the last is reported)",
    )
    p.add_argument("--migrate", metavar="JSON", help="migrate message (to the same code)")
    p.add_argument("--query", metavar="JSON", help="smart query")
    p.add_argument("--sender", default="sender", help="the signing account's name (default: sender)")
    p.add_argument("--key-type", choices=("eth_secp256k1", "secp256k1"), default="eth_secp256k1")
    p.add_argument("--funds", metavar="COINS", help="funds sent with the reported message, e.g. 100inj")
    p.add_argument(
        "--chain",
        metavar="PROFILE",
        default="injective-localnet",
        help="chain profile (default: injective-localnet)",
    )
    p.add_argument("--chain-id", default="gasmodel-1")
    p.add_argument("--height", type=int, default=1_000_000, help="block height before the first tx")
    p.add_argument("--time", metavar="RFC3339", help="block time before the first tx")
    p.add_argument("--gas-limit", type=int, help="the tx's gas limit (default: simulated x 1.3)")
    p.add_argument("--no-gzip", action="store_true", help="upload the module uncompressed")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``gasmodel estimate``."""
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
    block: dict[str, Any] = {"chain_id": args.chain_id, "height": args.height}
    if args.time is not None:
        try:
            block["time"] = datetime.fromisoformat(args.time)
        except ValueError:
            raise ConfigError(f"--time: not an RFC 3339 time: {args.time!r}") from None
    wasm = read_wasm(args.contract)
    with naming(args.contract):
        report = estimate(
            wasm,
            sender=args.sender,
            key_type=args.key_type,
            funds=args.funds,
            chain=args.chain,
            block=Block(**block),
            gas_limit=args.gas_limit,
            gzip=not args.no_gzip,
            **messages,
        )
    if args.json:
        sys.stdout.write(report.to_json() + "\n")
    else:
        sys.stdout.write(render_text(report))
    return 0 if report.ok else 1
