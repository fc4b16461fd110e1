"""Colour for text a renderer has already laid out: the text is written unchanged, and only on a
colour stream (:func:`gasmodel.cli._style.use_colour`) are the spans that ``rules`` match styled.

A rule is ``(regex, style)`` applied per line (``re.M``); when the regex has groups, every group that
matched is styled, otherwise the whole match. Off a colour stream the bytes are exactly the text."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import IO

from rich.text import Text

from gasmodel.cli._style import console, use_colour

Rule = tuple[str, str]

OK = "bold green"
BAD = "bold red"
HEAD = "bold"
DIM = "dim"
SEVERITY = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def styled(text: str, rules: Sequence[Rule]) -> Text:
    """``text`` with the styles of ``rules`` applied."""
    out = Text(text)
    for pattern, style in rules:
        regex = re.compile(pattern, re.M)
        for m in regex.finditer(text):
            if regex.groups:
                for g in range(1, regex.groups + 1):
                    if m.start(g) >= 0 and m.end(g) > m.start(g):
                        out.stylize(style, m.start(g), m.end(g))
            else:
                out.stylize(style, m.start(), m.end())
    return out


def write(text: str, rules: Sequence[Rule], stream: IO[str] | None = None) -> None:
    """Write ``text`` to ``stream`` (default standard output), coloured per ``rules`` when colour is on."""
    target = sys.stdout if stream is None else stream
    if not use_colour(target):
        target.write(text)
        return
    console(target).print(styled(text, rules), end="", soft_wrap=True)
    target.flush()
