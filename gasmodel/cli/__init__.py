"""The ``gasmodel`` command line: one module per command, each thin over the public API."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from gasmodel.errors import GasmodelError

# Each name is a module gasmodel.cli.<name> with ``register(subparsers)``; the parser it adds
# sets ``func`` to a callable taking the parsed arguments and returning the exit code.
_COMMAND_MODULES = (
    "histogram", "presets", "analyze", "lint", "estimate", "profile", "diff", "calibrate",
    "localnet", "scenario",
)


def _version() -> str:
    from gasmodel import __version__

    return __version__


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="gasmodel",
        description="Exact, offline, explained gas for CosmWasm contracts.",
    )
    parser.add_argument("--version", action="version", version=f"gasmodel {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in _COMMAND_MODULES:
        importlib.import_module(f"gasmodel.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code (0 ok, 1 findings/failure, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except GasmodelError as exc:
        sys.stderr.write(f"gasmodel: error: {exc}\n")
        return 2
    except MemoryError:
        sys.stderr.write("gasmodel: error: out of memory (see docs/limits.md for the input limits)\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("gasmodel: interrupted\n")
        return 130
    except BrokenPipeError:  # the reader went away (`gasmodel ... | head`): stop quietly, as cat does
        _silence_stdout()
        return 141
    return code


def _silence_stdout() -> None:
    """Point standard output at /dev/null so the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
