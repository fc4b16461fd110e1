"""The CLI's shared text conventions (gasmodel/cli/_style.py).

Oracles: the NO_COLOR / FORCE_COLOR conventions as published at https://no-color.org and
https://force-color.org, and Python's own ``format(n, ",")`` grouping rule (hand-checked values)."""

from __future__ import annotations

import io

import pytest

from gasmodel.cli._style import console, fmt_gas, fmt_int, use_colour


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (999, "999"), (1000, "1,000"), (303352, "303,352"), (-1234567, "-1,234,567")],
)
def test_integers_are_thousands_separated(value: int, text: str) -> None:
    assert fmt_int(value) == text


def test_gas_keeps_two_decimals_only_when_fractional() -> None:
    assert fmt_gas(2156.18) == "2,156.18"
    assert fmt_gas(140000.0) == "140,000"


@pytest.mark.parametrize(
    ("tty", "env", "expected"),
    [
        (True, {"TERM": "xterm"}, True),
        (False, {"TERM": "xterm"}, False),  # a pipe
        (True, {"TERM": "xterm", "NO_COLOR": "1"}, False),
        (True, {"TERM": "xterm", "NO_COLOR": ""}, True),  # empty NO_COLOR does not count
        (False, {"FORCE_COLOR": "1"}, True),
        (True, {"TERM": "dumb"}, False),
        (True, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),  # NO_COLOR wins
    ],
)
def test_colour_follows_terminal_and_environment(tty: bool, env: dict[str, str], expected: bool) -> None:
    stream = _Tty() if tty else io.StringIO()
    assert use_colour(stream, env) is expected


def test_a_pipe_gets_no_escape_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    out = io.StringIO()
    console(out).print("[bold red]total[/] 1,000")
    assert out.getvalue() == "total 1,000\n"


def test_a_terminal_gets_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    out = _Tty()
    console(out).print("[bold red]total[/]")
    assert "\x1b[" in out.getvalue()
