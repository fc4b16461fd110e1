"""``gasmodel localnet up|down|status``: a single-validator Injective chain on 127.0.0.1."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gasmodel.chain.keys import KeyType
from gasmodel.chain.localnet import (
    AccountSpec,
    Localnet,
    LocalnetConfig,
    LocalnetPorts,
    default_accounts,
)
from gasmodel.cli import _paint
from gasmodel.cli._args import add_parser
from gasmodel.cli._style import progress
from gasmodel.errors import ConfigError

DEFAULT_HOME = Path(".localnet")

# Colour for the status lines: the labels, and whether it runs.
STATUS_RULES: tuple[_paint.Rule, ...] = (
    (r"^(\w[\w ]*?) {2,}", _paint.HEAD),
    (r"^state +(running)", _paint.OK),
    (r"^state +(stopped)", _paint.BAD),
)


def register(subparsers: Any) -> None:
    """Add the ``localnet`` command."""
    parser = add_parser(
        subparsers,
        "localnet",
        help="start, stop or inspect a local Injective chain",
        description="A single-validator Injective chain (injectived from the injective-core package) "
                    "listening on 127.0.0.1 only, in a directory of your choice.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    up = add_parser(actions, "up", help="create a fresh chain and start it in the background")
    _home(up)
    up.add_argument("--chain-id", metavar="ID", default="gasmodel-1", help="the chain's chain id")
    up.add_argument("--account", action="append", default=[], metavar="NAME[:KEYTYPE[:AMOUNT]]",
                    help="a funded account (repeatable); KEYTYPE eth_secp256k1 (default) or secp256k1, "
                         "AMOUNT in inj base units; default accounts: faucet, alice, bob")
    for port in ("rpc", "p2p", "grpc", "api", "abci"):
        up.add_argument(f"--{port}-port", type=int, default=None, metavar="PORT",
                        help=f"{port} port on 127.0.0.1 (when not given: a free one)")
    up.add_argument("--timeout-commit-ms", type=int, default=300, metavar="MS",
                    help="CometBFT's timeout_commit: the pause between blocks, in milliseconds")
    up.add_argument("--initial-height", type=int, default=1_000_000, metavar="N",
                    help="the height of the first block (genesis initial_height)")
    up.add_argument("--max-block-gas", type=int, default=100_000_000, metavar="GAS",
                    help="consensus max gas per block (SDK gas; at least 1,000,000)")
    up.add_argument("--json", action="store_true", help="print the status as JSON")
    down = add_parser(actions, "down", help="stop the chain by its PID")
    _home(down)
    down.add_argument("--remove", action="store_true", help="also delete the chain's directory")
    status = add_parser(actions, "status", help="is it running, at which height, on which ports")
    _home(status)
    status.add_argument("--json", action="store_true", help="print as JSON")
    parser.set_defaults(func=run)


def _home(p: argparse.ArgumentParser) -> None:
    p.add_argument("--home", type=Path, default=DEFAULT_HOME, metavar="DIR", help="the chain's directory")


def parse_account(text: str) -> AccountSpec:
    """``NAME[:KEYTYPE[:AMOUNT]]`` as an account spec."""
    parts = text.split(":")
    if not parts[0] or len(parts) > 3:
        raise ConfigError(f"--account {text!r}: write NAME[:KEYTYPE[:AMOUNT]]")
    fields: dict[str, Any] = {"name": parts[0]}
    if len(parts) > 1 and parts[1]:
        try:
            fields["key_type"] = KeyType(parts[1])
        except ValueError:
            raise ConfigError(f"--account {text!r}: key type must be one of "
                              f"{', '.join(k.value for k in KeyType)}") from None
    if len(parts) > 2:
        if not parts[2].isdigit():
            raise ConfigError(f"--account {text!r}: AMOUNT must be an integer (inj base units)")
        fields["balance"] = int(parts[2])
    try:
        return AccountSpec(**fields)
    except ValidationError as exc:
        raise ConfigError(f"--account {text!r}: {exc.errors()[0]['msg']}") from None


def run(args: argparse.Namespace) -> int:
    """Run ``gasmodel localnet``."""
    if args.action == "up":
        accounts = [parse_account(a) for a in args.account] or default_accounts()
        if not any(a.name == "faucet" for a in accounts):
            accounts = [default_accounts()[0], *accounts]
        try:
            config = LocalnetConfig(
                home=args.home, chain_id=args.chain_id, accounts=accounts,
                ports=LocalnetPorts(rpc=args.rpc_port, p2p=args.p2p_port, grpc=args.grpc_port,
                                    api=args.api_port, abci=args.abci_port),
                timeout_commit_ms=args.timeout_commit_ms, initial_height=args.initial_height,
                max_block_gas=args.max_block_gas)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}"
                                 for e in exc.errors())
            raise ConfigError(f"invalid localnet settings: {problems}") from None
        net = Localnet(config)
        with progress("starting injectived, waiting for its first blocks"):
            seconds = net.up()
        sys.stderr.write(f"localnet up in {seconds:.1f} s (log: {net.log_path})\n")
        _print_status(net, args.json)
        return 0
    net = Localnet.open(args.home)
    if args.action == "down":
        with progress("stopping injectived"):
            was = net.down(remove=args.remove)
        sys.stdout.write(("stopped" if was else "was not running") + f": {net.home}\n")
        return 0
    _print_status(net, args.json)
    return 0 if net.is_running() else 1


def _print_status(net: Localnet, as_json: bool) -> None:
    st = net.status()
    if as_json:
        sys.stdout.write(json.dumps(st.model_dump(mode="json"), indent=2) + "\n")
        return
    state = "running" if st.running else "stopped"
    lines = [
        f"home      {st.home}",
        f"chain id  {st.chain_id}",
        f"state     {state}" + (f" (pid {st.pid}, height {st.height})" if st.running else ""),
        f"grpc      127.0.0.1:{st.ports.grpc}",
        f"rpc       http://127.0.0.1:{st.ports.rpc}",
        f"rest      http://127.0.0.1:{st.ports.api}",
        "accounts  " + "\n          ".join(f"{n:<10} {a}" for n, a in st.accounts.items()),
    ]
    _paint.write("\n".join(lines) + "\n", STATUS_RULES)
