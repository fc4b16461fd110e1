"""How every command writes for people: one number format, colour only on a terminal, progress on
standard error for anything slow.

Colour follows the common conventions (https://no-color.org, https://force-color.org): ``NO_COLOR``
(any non-empty value) turns it off, ``FORCE_COLOR`` (non-empty) turns it on, otherwise it is on only
when the stream is a terminal and ``TERM`` is not ``dumb``. Progress is drawn on standard error only
when standard error is a terminal, and vanishes when the work ends, so pipes and files never see it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import IO

from rich.console import Console

# A plain-text width for pipes and files: wide enough that tables are never wrapped.
_PIPE_WIDTH = 200


def fmt_int(value: int) -> str:
    """An integer as every command prints it for people: thousands separated (``303,352``).

    JSON output always carries plain numbers; this is for text only."""
    return f"{value:,}"


def fmt_gas(value: float) -> str:
    """A gas figure: an integer with separators, or two decimals when it is fractional (SDK gas from
    a static CW figure)."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def use_colour(stream: IO[str] | None = None, environ: Mapping[str, str] | None = None) -> bool:
    """Whether text written to ``stream`` (default standard output) should carry colour."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    target = sys.stdout if stream is None else stream
    isatty = getattr(target, "isatty", None)
    return bool(isatty and isatty()) and env.get("TERM", "") != "dumb"


def console(stream: IO[str] | None = None, *, stderr: bool = False) -> Console:
    """A rich console for ``stream`` (default standard output, or standard error): colour per
    :func:`use_colour`, never rich's own highlighting, and a fixed wide width off a terminal."""
    target = (sys.stderr if stderr else sys.stdout) if stream is None else stream
    colour = use_colour(target)
    tty = bool(getattr(target, "isatty", None) and target.isatty())
    return Console(
        file=target,
        force_terminal=colour,
        no_color=not colour,
        color_system="auto" if colour else None,
        highlight=False,
        width=None if tty else _PIPE_WIDTH,
        soft_wrap=not tty,
    )


def shows_progress(disabled: bool = False) -> bool:
    """Whether a progress display belongs on standard error now."""
    return not disabled and bool(sys.stderr.isatty()) and os.environ.get("TERM", "") != "dumb"


@contextmanager
def progress(message: str, *, disabled: bool = False) -> Iterator[None]:
    """A transient spinner with ``message`` on standard error while the block runs (terminal only)."""
    if not shows_progress(disabled):
        yield
        return
    err = console(stderr=True)
    with err.status(message, spinner="dots"):
        yield
