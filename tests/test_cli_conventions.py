"""The CLI-wide conventions, checked on every command with real contracts, messages and scenarios
from the repository: one number format, colour only where it belongs, progress only on a terminal,
help for every option, one wording per error cause.

Oracles: Python's own ``format(n, ",")`` grouping for numbers (the detector below is checked on
hand-written lines first); https://no-color.org and https://force-color.org for colour (an ANSI
escape is ``ESC [``); argparse's own parser objects for the help walk; for errors, the first
command's line is the reference and every other command must print the same one (modulo the path).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gasmodel.cli import build_parser, main
from gasmodel.cli._args import HelpFormatter, cost_table_names
from gasmodel.costs import profile_names

ROOT = Path(__file__).resolve().parent.parent
ART = ROOT / "contracts" / "artifacts"
COUNTER = ART / "counter.wasm"
TOKEN = ART / "token.wasm"
SLOW_TOKEN = ROOT / "contracts" / "variants" / "token-slow-sub-balance.wasm"
SCENARIO = ROOT / "calibration" / "scenarios" / "counter.yaml"
RECORDED = ROOT / "calibration" / "results" / "counter.localnet.json"
TOKEN_INIT = json.dumps(
    {
        "name": "Gas Token",
        "symbol": "GAS",
        "decimals": 6,
        "initial_balances": [{"address": "$sender", "amount": "1000000"}],
    }
)
TOKEN_TRANSFER = json.dumps({"transfer": {"recipient": "$sender", "amount": "1000"}})
ANALYZE_XFAIL = pytest.mark.xfail(strict=True, reason="analyze/histogram: cli-analyze branch")

# ------------------------------------------------------------------------------------ numbers
# A figure is a run of 4+ digits standing alone: not part of a word or identifier (f1234, inj1...,
# cosmwasm-vm-2, size_2048000), a path or file name (/1234, 2048.wasm), a hex literal (0x11ed), a
# port or time (:26657, 21:33), an amount with its denom (1000inj) or a date (2026-12-03). Heights
# and process ids are labels, not quantities: a run right after "height " or "pid " is not a figure.
_FIGURE = re.compile(r"(?<![\w.,/@:#])(?<!\w-)(\d{4,})(?![\w/@]|\.[A-Za-z_]|-\w|:\d)")
_LABELS = ("height ", "pid ")


def bare_figures(text: str) -> list[str]:
    """The figures of ``text`` (4+ digits) written without thousands separators."""
    return [m.group(1) for m in _FIGURE.finditer(text) if not text[: m.start()].endswith(_LABELS)]


@pytest.mark.parametrize(
    ("line", "bare"),
    [
        ("gas_used 303352 SDK gas", ["303352"]),
        ("gas_used 303,352 SDK gas", []),
        ("| execute | 161241 | -483115 |", ["161241", "483115"]),
        ("took 1234.5 s", ["1234"]),
        ("f1234 @0x11ed inj14hj2tavq8fpesdwxxcu44rty3hh90vhujaxlnz", []),
        ("contracts/artifacts/lint/size_2048000.wasm 2048.wasm", []),
        ("cosmwasm-vm-2.1.6 gasmodel-1 127.0.0.1:26657 at 2026-12-03T21:33 1000000inj", []),
        ("state running (pid 41234, height 1000005)", []),
        ("999 and 1,000 and 10,000.25", []),
    ],
)
def test_the_figure_detector(line: str, bare: list[str]) -> None:
    # hand-checked lines: what counts as a figure written without separators
    assert bare_figures(line) == bare


def _run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def offline_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("results") / "counter.results.json"
    assert main(["scenario", "run", str(SCENARIO), "--out", str(out), "--quiet"]) == 0
    return out


def _text_commands() -> Iterator[object]:
    c = str(COUNTER)
    yield pytest.param(
        ["estimate", c, "--instantiate", '{"count":0}', "--execute", '{"increment":{}}'],
        id="estimate-execute",
    )
    yield pytest.param(
        ["estimate", c, "--instantiate", '{"count":0}', "--query", '{"get_count":{}}'], id="estimate-query"
    )
    yield pytest.param(
        ["profile", c, "--instantiate", '{"count":0}', "--execute", '{"increment":{}}'], id="profile"
    )
    yield pytest.param(["profile", "--scenario", str(SCENARIO), "--step", "inc-alice"], id="profile-scenario")
    yield pytest.param(
        ["diff", str(TOKEN), str(SLOW_TOKEN), "--instantiate", TOKEN_INIT, "--execute", TOKEN_TRANSFER],
        id="diff-builds",
    )
    yield pytest.param(["scenario", "run", str(SCENARIO)], id="scenario-run")
    yield pytest.param(["scenario", "check", str(SCENARIO)], id="scenario-check")
    yield pytest.param(["lint", "--jobs", "1", "--no-config", str(ART / "lint")], id="lint-folder")
    yield pytest.param(["lint", "--no-config", "--chain", "all", str(TOKEN)], id="lint-matrix")
    yield pytest.param(["lint", "--list-rules"], id="lint-rules")
    yield pytest.param(["calibrate", "fuel", "--scenario", str(SCENARIO)], id="calibrate-fuel")
    yield pytest.param(
        ["calibrate", "chain", "--results", str(RECORDED)], id="calibrate-chain", marks=pytest.mark.slow
    )
    yield pytest.param(["presets"], id="presets-list")


@pytest.mark.parametrize("argv", _text_commands())
def test_text_output_separates_thousands(
    argv: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # results files land here; no pyproject.toml budgets
    code, out, err = _run_main(argv, capsys)
    assert code in (0, 1), err
    assert out.strip()
    if argv[0] in ("estimate", "profile", "diff") or argv[:2] in (["scenario", "run"], ["calibrate", "fuel"]):
        assert re.search(r"\d,\d{3}", out), out  # there are figures of 1,000 and more to format
    assert bare_figures(out) == [], out


def test_calibration_reports_separate_thousands() -> None:
    # the committed reports of calibration/make_reports.sh, rendered as `calibrate time|chain` print
    # them (a fresh timing run is minutes long and machine-dependent)
    from gasmodel.calibrate.chain import ChainReport, render_chain
    from gasmodel.calibrate.timing import TimeReport, render_time

    reports = ROOT / "calibration" / "reports"
    time_text = render_time(TimeReport.model_validate_json((reports / "time.json").read_text()))
    chain_text = render_chain(ChainReport.model_validate_json((reports / "chain.json").read_text()))
    for text in (time_text, chain_text):
        assert re.search(r"\d,\d{3}", text), text
        assert bare_figures(text) == [], text


def test_diff_of_results_files_separates_thousands(
    offline_results: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = _run_main(["diff", str(RECORDED), str(offline_results)], capsys)
    assert code == 0, err
    assert "," in out and bare_figures(out) == [], out


# ------------------------------------------------------------------------------------- colour
ESC = "\x1b["


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _coloured_commands() -> Iterator[object]:
    c = str(COUNTER)
    yield pytest.param(
        ["estimate", c, "--instantiate", '{"count":0}', "--execute", '{"increment":{}}'], id="estimate"
    )
    yield pytest.param(
        ["profile", c, "--instantiate", '{"count":0}', "--execute", '{"increment":{}}'], id="profile"
    )
    yield pytest.param(["scenario", "run", str(SCENARIO)], id="scenario-run")
    yield pytest.param(["scenario", "check", str(SCENARIO)], id="scenario-check")
    yield pytest.param(["lint", "--no-config", str(ART / "lint" / "params_101.wasm")], id="lint")
    yield pytest.param(["calibrate", "fuel", "--scenario", str(SCENARIO)], id="calibrate-fuel")
    yield pytest.param(["lint", "--list-rules"], id="lint-rules")
    yield pytest.param(["presets"], id="presets-list")


def _in_process(argv: list[str], monkeypatch: pytest.MonkeyPatch, *, tty: bool) -> tuple[int, str, str]:
    out, err = (_Tty(), _Tty()) if tty else (io.StringIO(), io.StringIO())
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("argv", _coloured_commands())
def test_colour_on_a_terminal_only(argv: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    _, on_tty, _ = _in_process(argv, monkeypatch, tty=True)
    assert ESC in on_tty
    _, piped, _ = _in_process(argv, monkeypatch, tty=False)
    assert ESC not in piped
    # the colours are the only difference: stripped of escapes, the terminal text is the piped text
    plain = re.sub(r"\x1b\[[0-9;]*m", "", on_tty)
    assert _untimed(plain) == _untimed(piped)
    monkeypatch.setenv("NO_COLOR", "1")
    _, no_colour, _ = _in_process(argv, monkeypatch, tty=True)
    assert ESC not in no_colour


def _untimed(text: str) -> list[str]:
    """The words of ``text`` with wall-clock durations ("5.3 ms", "0.2 s") blanked: they differ per run."""
    return re.sub(r"\b[\d.]+ m?s\b", "T", text).split()


def test_force_and_no_color_across_a_process_boundary(tmp_path: Path) -> None:
    # a real pipe: FORCE_COLOR turns colour on, NO_COLOR wins over it
    argv = [sys.executable, "-m", "gasmodel", "scenario", "check", str(SCENARIO)]
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "TERM": "xterm"}
    forced = subprocess.run(
        argv, capture_output=True, text=True, env={**env, "FORCE_COLOR": "1"}, cwd=tmp_path, check=True
    )
    assert ESC in forced.stdout
    both = subprocess.run(
        argv,
        capture_output=True,
        text=True,
        env={**env, "FORCE_COLOR": "1", "NO_COLOR": "1"},
        cwd=tmp_path,
        check=True,
    )
    assert ESC not in both.stdout and both.stdout.startswith(str(SCENARIO))


# ------------------------------------------------------------------------------------ progress
def _slow_commands() -> Iterator[object]:
    c = str(COUNTER)
    yield pytest.param(["estimate", c, "--instantiate", '{"count":0}'], id="estimate")
    yield pytest.param(["profile", c, "--instantiate", '{"count":0}'], id="profile")
    yield pytest.param(["scenario", "run", str(SCENARIO), "--quiet"], id="scenario-run")
    yield pytest.param(["lint", "--no-config", "--jobs", "1", str(ART / "lint")], id="lint-folder")
    yield pytest.param(["calibrate", "fuel", "--scenario", str(SCENARIO)], id="calibrate-fuel")
    yield pytest.param(["diff", str(TOKEN), str(SLOW_TOKEN), "--instantiate", TOKEN_INIT], id="diff")


@pytest.mark.parametrize("argv", _slow_commands())
def test_progress_on_a_terminal_only(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TERM", "xterm-256color")
    _, _, err_tty = _in_process(argv, monkeypatch, tty=True)
    assert err_tty.strip(), "no progress drawn on a terminal"
    _, out, err = _in_process(argv, monkeypatch, tty=False)
    assert err == "" and out.strip()


# ----------------------------------------------------------------------------------------- help
def _parsers(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*path, name), sub
                yield from _parsers(sub, (*path, name))


_NOT_OURS = {"analyze", "callgraph", "histogram"}
_HELP_XFAIL: set[str] = set()


def _options() -> Iterator[object]:
    for path, parser in _parsers(build_parser()):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction | argparse._HelpAction):
                continue
            name = action.option_strings[-1] if action.option_strings else action.dest
            marks = [ANALYZE_XFAIL] if " ".join((*path, name)) in _HELP_XFAIL else []
            yield pytest.param(parser, action, id=" ".join((*path, name)), marks=marks)


def _help_line(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    formatter = parser._get_formatter()
    return " ".join(formatter._format_action(action).split())


def _help_problem(parser: argparse.ArgumentParser, action: argparse.Action) -> str | None:
    """What is missing from the help of ``action`` (None: nothing)."""
    if not (action.help or "").strip():
        return "no help"
    text = _help_line(parser, action)
    for choice in action.choices or ():
        if str(choice) not in text:
            return f"choice {choice!r} not listed"
    default = action.default
    no_default = default in (None, False, argparse.SUPPRESS) or default == []
    if not no_default and f"default: {default}" not in text:
        return f"default {default!r} not shown"
    if action.metavar == "PROFILE" or action.dest == "chain":
        missing = [n for n in profile_names() if n not in text]
        if missing:
            return f"profiles not named: {missing}"
    if action.metavar == "PRESET" or action.dest == "preset":
        missing = [n for n in cost_table_names() if n not in text]
        if missing:
            return f"presets not named: {missing}"
    return None


@pytest.mark.parametrize(("parser", "action"), _options())
def test_every_option_has_help_with_choices_defaults_and_names(
    parser: argparse.ArgumentParser, action: argparse.Action
) -> None:
    assert _help_problem(parser, action) is None, _help_line(parser, action)


def test_our_commands_use_the_shared_help_layout() -> None:
    for path, parser in _parsers(build_parser()):
        if path[0] not in _NOT_OURS:
            assert parser.formatter_class is HelpFormatter, path


# --------------------------------------------------------------------------------------- errors
@pytest.fixture(scope="module")
def bad(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bad")
    elf = d / "program.wasm"
    elf.write_bytes(b"\x7fELF" + bytes(60))
    return {"missing": d / "no-such-file.wasm", "not-wasm": elf}


def _contract_commands(path: str) -> dict[str, list[str]]:
    good = str(COUNTER)
    return {
        "estimate": ["estimate", path],
        "profile": ["profile", path],
        "lint": ["lint", "--no-config", path],
        "diff-old": ["diff", path, good],
        "diff-new": ["diff", good, path],
        "analyze": ["analyze", path],
        "callgraph": ["callgraph", path],
        "histogram": ["histogram", path],
    }


def _error_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2, (argv, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gasmodel: error: "), err
    return lines[0]


@pytest.mark.parametrize("kind", ["missing", "not-wasm"])
@pytest.mark.parametrize("command", list(_contract_commands("X")))
def test_one_wording_for_a_bad_contract(
    command: str, kind: str, bad: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(bad[kind])
    reference = _error_line(_contract_commands(path)["analyze"], capsys)
    assert path in reference
    assert _error_line(_contract_commands(path)[command], capsys) == reference


def test_a_missing_scenario_or_results_file_reads_like_a_missing_contract(
    bad: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-file.json"
    reference = _error_line(["analyze", str(missing)], capsys)
    for argv in (
        ["scenario", "run", str(missing)],
        ["scenario", "check", str(missing)],
        ["profile", "--scenario", str(missing), "--step", "x"],
        ["diff", str(missing), str(RECORDED)],
        ["diff", str(COUNTER), str(COUNTER), "--scenario", str(missing)],
        ["calibrate", "fuel", "--scenario", str(missing)],
        ["scenario", "from-manifest", str(missing), "--out", str(tmp_path / "out.json")],
    ):
        assert _error_line(argv, capsys) == reference, argv


def test_a_file_that_is_not_json_reads_the_same_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"steps": [\n  {oops}\n]}\n', encoding="utf-8")
    reference = _error_line(["scenario", "check", str(broken)], capsys)
    assert reference.startswith(f"gasmodel: error: {broken}:2: invalid JSON")
    assert _error_line(["diff", str(broken), str(RECORDED)], capsys) == reference
    assert _error_line(["diff", str(RECORDED), str(broken)], capsys) == reference
    out = str(tmp_path / "out.json")
    assert _error_line(["scenario", "from-manifest", str(broken), "--out", out], capsys) == reference


@pytest.mark.parametrize("option", ["--instantiate", "--execute", "--query", "--migrate"])
def test_a_message_that_is_not_json_reads_the_same_everywhere(
    option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    c = str(COUNTER)
    lines = {
        _error_line([cmd, *args, option, "{count: 0}"], capsys)
        for cmd, args in (("estimate", [c]), ("profile", [c]), ("diff", [c, c]))
    }
    assert lines == {
        f"gasmodel: error: {option}: not JSON (Expecting property name enclosed in double "
        "quotes at line 1 column 2): '{count: 0}'"
    }


def _chain_commands() -> dict[str, list[str]]:
    c = str(COUNTER)
    return {
        "estimate": ["estimate", c],
        "profile": ["profile", c],
        "lint": ["lint", "--no-config", c, str(TOKEN)],
        "diff": ["diff", c, c],
        "scenario": ["scenario", "run", str(SCENARIO)],
        "calibrate": ["calibrate", "fuel", "--scenario", str(SCENARIO)],
        "analyze": ["analyze", c],
        "callgraph": ["callgraph", c],
    }


@pytest.mark.parametrize("command", list(_chain_commands()))
def test_one_wording_for_an_unknown_profile_with_a_suggestion(
    command: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    line = _error_line([*_chain_commands()[command], "--chain", "injective-localnt"], capsys)
    assert line == (
        "gasmodel: error: unknown chain profile 'injective-localnt' (did you mean "
        "'injective-localnet'?); `gasmodel presets` lists them"
    )


@pytest.mark.localnet
def test_localnet_up_shows_progress_and_colours_its_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("injective_core", reason="the localnet needs pip install 'gasmodel[localnet]'")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    home = str(tmp_path / "chain")
    try:
        code, out, err = _in_process(["localnet", "up", "--home", home], monkeypatch, tty=True)
        assert code == 0, err
        # the spinner was drawn while the node started (the "up in" line follows it)
        assert "waiting for its first blocks" in err and "localnet up in" in err
        plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
        assert ESC in out and "running" in plain
        assert bare_figures(plain) == [], plain
        code, out, err = _in_process(["localnet", "status", "--home", home], monkeypatch, tty=False)
        assert code == 0 and ESC not in out and err == ""
    finally:
        _in_process(["localnet", "down", "--home", home, "--remove"], monkeypatch, tty=False)
