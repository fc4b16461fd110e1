"""Shared pytest fixtures: paths of the project's contracts and fixtures."""

from __future__ import annotations

import os
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
