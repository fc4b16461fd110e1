"""Every command and snippet in README.md, CONTRIBUTING.md and docs/ runs as written (oracle: the page).

How a page's fenced blocks are treated (the info string after the backticks):

* ``sh``: shell commands, run from the repository root of a scratch copy of the repository (so no test
  writes into the checkout) with ``set -e``; ``pip install ...`` lines are set-up that CI has done and are
  left out.
* ``console``: ``$ command`` lines, each followed by the output it prints; the output must match line by
  line, where a line ``...`` stands for any number of lines (the page abbreviates).
* ``python``: run in order, all blocks of one page in one interpreter (later blocks use earlier names).
* ``toml``/``yaml``/``json`` whose first line is a comment ``# NAME.ext``: written to the scratch copy
  under that name before the page's commands run, so a command can use the file the page shows.
* anything else (``text``, no info string) is shown output or prose and is not run.

An HTML comment right before a block changes that: ``<!-- docs-test: skip REASON -->`` leaves it out,
``<!-- docs-test: localnet -->`` marks it to need the localnet, ``<!-- docs-test: graphviz -->`` needs
Graphviz (both installed by scripts/setup.sh and run in CI), ``<!-- docs-test: exit N -->`` expects that exit
code from the (last) command.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted([ROOT / "README.md", ROOT / "CONTRIBUTING.md", *(ROOT / "docs").rglob("*.md")])
_FENCE = re.compile(r"^(?P<indent> *)```(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.S | re.M)
_DIRECTIVE = re.compile(r"<!--\s*docs-test:\s*(?P<what>[a-z]+)(?:\s+(?P<arg>[^>]*?))?\s*-->\s*$")
_FILE_COMMENT = re.compile(r"^\s*(?:#|//)\s*(?P<name>[\w.-]+\.(?:toml|yaml|yml|json|wat))\s*$")
TIMEOUT = 600


@dataclass(frozen=True)
class Block:
    """One fenced block of a page."""

    page: Path
    line: int
    info: str
    body: str
    directive: str = ""
    arg: str = ""

    @property
    def id(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def _blocks(page: Path) -> Iterator[Block]:
    text = page.read_text(encoding="utf-8")
    for m in _FENCE.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        before = text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        d = _DIRECTIVE.search(before)
        yield Block(page, line, m.group("info").strip().split(" ")[0], m.group("body"),
                    d.group("what") if d else "", (d.group("arg") or "") if d else "")


ALL = [b for p in PAGES for b in _blocks(p)]


def _marks(block: Block) -> list[pytest.MarkDecorator]:
    if block.directive == "localnet":
        return [pytest.mark.localnet]
    if block.directive == "graphviz":
        return [pytest.mark.slow]
    return []


def _params(infos: tuple[str, ...]) -> list[object]:
    return [pytest.param(b, id=b.id, marks=_marks(b)) for b in ALL
            if b.info in infos and b.directive != "skip"]


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch copy of the repository's tracked files (the docs' commands run from its root)."""
    dest = tmp_path_factory.mktemp("docs") / "repo"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for rel in filter(None, files.decode().split("\0")):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    for block in ALL:  # files the pages show, under the names they give
        if block.info in ("toml", "yaml", "yml", "json", "wat"):
            first = block.body.split("\n", 1)[0]
            m = _FILE_COMMENT.match(first)
            if m:
                (dest / m.group("name")).write_text(block.body, encoding="utf-8")
    return dest


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("FORCE_COLOR", None)
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "120"
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    return env


def _shell_script(body: str) -> str:
    lines = [ln for ln in body.splitlines() if not re.match(r"\s*(python3? -m )?pip install\b", ln)]
    return "set -euo pipefail\n" + "\n".join(lines) + "\n"


def _run(cmd: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", cmd], cwd=cwd, capture_output=True, text=True, env=_env(),
                          timeout=TIMEOUT, stdin=subprocess.DEVNULL)


def _expected_exit(block: Block) -> int:
    return int(block.arg) if block.directive == "exit" else 0


@pytest.mark.parametrize("block", _params(("sh", "bash", "shell")))
def test_shell_block_runs(block: Block, workspace: Path) -> None:
    if block.directive == "graphviz" and shutil.which("dot") is None:
        pytest.fail("Graphviz `dot` is needed by this block (scripts/setup.sh installs it)")
    proc = _run(_shell_script(block.body), workspace)
    assert proc.returncode == _expected_exit(block), (
        f"{block.id}: exit {proc.returncode}\n--- stdout\n{proc.stdout[-3000:]}"
        f"\n--- stderr\n{proc.stderr[-3000:]}")
    assert "Traceback (most recent call last)" not in proc.stderr, proc.stderr[-3000:]


def _console_steps(body: str) -> list[tuple[str, list[str]]]:
    steps: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
    return steps


def _matches(expected: list[str], actual: list[str]) -> bool:
    """Line-by-line equality (trailing spaces ignored), where a line ``...`` (indented or not) matches any
    run of lines."""
    exp = [e.rstrip() for e in expected]
    act = [a.rstrip() for a in actual]
    while exp and not exp[-1]:
        exp.pop()
    while act and not act[-1]:
        act.pop()

    def match(i: int, j: int) -> bool:
        if i == len(exp):
            return j == len(act)
        if exp[i].strip() == "...":
            return any(match(i + 1, k) for k in range(j, len(act) + 1))
        return j < len(act) and exp[i] == act[j] and match(i + 1, j + 1)

    return match(0, 0)


@pytest.mark.parametrize("block", _params(("console",)))
def test_console_block_prints_what_the_page_shows(block: Block, workspace: Path) -> None:
    steps = _console_steps(block.body)
    assert steps, f"{block.id}: a console block needs '$ command' lines"
    for i, (command, expected) in enumerate(steps):
        if re.match(r"\s*(python3? -m )?pip install\b", command):
            continue
        proc = _run(command, workspace)
        last = i == len(steps) - 1
        want_exit = _expected_exit(block) if last else 0
        assert proc.returncode == want_exit, (
            f"{block.id}: `{command}` exited {proc.returncode}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
        shown = (proc.stdout + proc.stderr).splitlines()
        if expected and any(e.strip() for e in expected):
            assert _matches(expected, shown), (
                f"{block.id}: `{command}` printed\n" + "\n".join(shown[:80])
                + "\n--- the page shows\n" + "\n".join(expected))


def _python_pages() -> list[object]:
    out = []
    for page in PAGES:
        blocks = [b for b in _blocks(page) if b.info == "python" and b.directive != "skip"]
        if blocks:
            marks = [m for b in blocks for m in _marks(b)]
            out.append(pytest.param(blocks, id=str(page.relative_to(ROOT)), marks=marks))
    return out


@pytest.mark.parametrize("blocks", _python_pages())
def test_python_snippets_run(blocks: list[Block], workspace: Path) -> None:
    parts = []
    for b in blocks:
        parts.append(f"print({b.id!r}, file=__import__('sys').stderr)\n{b.body}")
    script = workspace / "_docs_snippets.py"
    script.write_text("\n".join(parts), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], cwd=workspace, capture_output=True, text=True,
                          env=_env(), timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    last = proc.stderr.strip().splitlines()[-1:]
    assert proc.returncode == 0, f"failed after block {last}:\n{proc.stderr[-4000:]}"


def test_every_command_block_says_how_it_is_run() -> None:
    """Commands in blocks without an info string would silently escape this test."""
    unlabelled = [b.id for b in ALL if b.info == "" and re.search(r"^\s*(\$ )?gasmodel ", b.body, re.M)]
    assert not unlabelled, f"label these blocks sh/console/text: {unlabelled}"
