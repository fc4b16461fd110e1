"""Shared pytest fixtures: paths of the project's contracts and fixtures."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest
from conftest_localnet import *  # noqa: F403 - the localnet session fixtures

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / "contracts"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's root folder."""
    return ROOT


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """In CI (``CI=true``) a skipped test is a failure: a missing dependency must not pass silently."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI", "").lower() == "true" and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every test must run: {reason}"


# ---- no test writes into the repository ----------------------------------------------------------
# The tree's `git status` (and the content of every changed or untracked file) is taken when the session
# starts and compared when it ends, by the controlling process only (pytest-xdist workers skip it: the
# controller's session spans theirs). A difference fails the session and names the paths. Recording
# runs (GASMODEL_RECORD=1) rewrite calibration/results/ on purpose and are not checked.
_TREE_KEY = pytest.StashKey[dict[str, str] | None]()
_CHANGED_KEY = pytest.StashKey[list[str]]()


def _tree_state() -> dict[str, str] | None:
    """Each changed or untracked path of the work tree -> its git status and content digest; None
    outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain=v1", "-z", "--untracked-files=all"],
            cwd=ROOT,
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    state = {}
    for entry in out.stdout.decode(errors="replace").split("\0"):
        if len(entry) < 4:
            continue
        path = ROOT / entry[3:]
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "-"
        state[entry[3:]] = f"{entry[:2]} {digest}"
    return state


def _checks_tree(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput") and os.environ.get("GASMODEL_RECORD") != "1"


def pytest_sessionstart(session: pytest.Session) -> None:
    if _checks_tree(session.config):
        session.config.stash[_TREE_KEY] = _tree_state()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the session when the repository's tree changed while it ran."""
    before = session.config.stash.get(_TREE_KEY, None)
    after = _tree_state() if before is not None and _checks_tree(session.config) else None
    if before is None or after is None:
        return
    changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    if changed:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        session.config.stash[_CHANGED_KEY] = changed


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    changed = terminalreporter.config.stash.get(_CHANGED_KEY, [])
    if changed:
        terminalreporter.write_sep("=", "FAILED: the repository changed during the test session", red=True)
        terminalreporter.write_line("a test wrote into the repository (or the tree was edited while it ran):")
        for path in changed[:20]:
            terminalreporter.write_line(f"  {path}")
