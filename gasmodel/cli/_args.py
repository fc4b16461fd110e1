"""Options several commands share, defined once: the help layout (every default shown), the
``--chain PROFILE`` / ``--preset PRESET`` options naming what they accept, and the contract messages
(``--instantiate``, ``--execute`` ..., read into the keyword arguments of :func:`gasmodel.estimate`)."""

from __future__ import annotations

import argparse
import textwrap
from functools import cache
from typing import Any

from gasmodel.costs import list_presets, profile_names
from gasmodel.estimate import read_message

DEFAULT_CHAIN = "injective-localnet"
"""The chain profile every command prices with unless told otherwise."""


class HelpFormatter(argparse.HelpFormatter):
    """argparse's layout, with ``(default: X)`` after every option whose default is a value (not
    ``None``, ``False`` or empty) and whose help does not already show it."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if (
            "%(default)" not in text
            and default not in (None, False, argparse.SUPPRESS)
            and not (isinstance(default, list | tuple) and not default)
        ):
            text += " (default: %(default)s)"
        return text

    def _split_lines(self, text: str, width: int) -> list[str]:
        # never break inside a hyphenated name (injective-localnet, cosmwasm-vm-2.1.6-2.1.7)
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)


def add_parser(subparsers: Any, name: str, **kwargs: Any) -> argparse.ArgumentParser:
    """A command's parser with :class:`HelpFormatter`."""
    parser: argparse.ArgumentParser = subparsers.add_parser(name, formatter_class=HelpFormatter, **kwargs)
    return parser


@cache
def _profiles() -> str:
    return ", ".join(profile_names())


@cache
def cost_table_names() -> tuple[str, ...]:
    """The shipped cost-table presets (not the wasmd registers), in listing order."""
    return tuple(p.name for p in list_presets() if p.kind == "cost-table")


def chain_help(what: str = "the chain profile pricing the run", *, extra: str = "") -> str:
    """Help for a ``--chain PROFILE`` option: ``what``, then the shipped names (or a file)."""
    return f"{what}: {_profiles()}{extra}, or a profile .toml file"


def add_chain(parser: argparse.ArgumentParser, what: str = "the chain profile pricing the run") -> None:
    """``--chain PROFILE`` (default :data:`DEFAULT_CHAIN`)."""
    parser.add_argument("--chain", metavar="PROFILE", default=DEFAULT_CHAIN, help=chain_help(what))


def preset_help(what: str) -> str:
    """Help for an option taking a cost-table preset: ``what``, then the shipped names."""
    return f"{what}: {', '.join(cost_table_names())}, or a cost-table .toml file"


def add_messages(parser: argparse.ArgumentParser, prefix: str = "", *, last_reported: bool = True) -> None:
    """``--instantiate``, ``--execute`` (repeatable), ``--migrate`` and ``--query`` (JSON text);
    ``prefix`` starts each help text (``"builds: "``); ``last_reported``: the command reports the
    last message only."""
    repeat = "repeat to run several in order" + ("; the last is reported" if last_reported else "")
    parser.add_argument(
        "--instantiate", metavar="JSON", help=prefix + "instantiate message (when not given: {})"
    )
    parser.add_argument(
        "--execute",
        metavar="JSON",
        action="append",
        default=[],
        help=f"{prefix}execute message ({repeat})",
    )
    parser.add_argument("--migrate", metavar="JSON", help=prefix + "migrate message (to the same code)")
    parser.add_argument("--query", metavar="JSON", help=prefix + "smart query message")


def messages_from(args: argparse.Namespace) -> dict[str, Any]:
    """The messages of :func:`add_messages` as keyword arguments of :func:`gasmodel.estimate`
    (``execute``: one message, or a list when repeated); bad JSON names its option."""
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
    return messages
