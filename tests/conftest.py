"""Shared pytest fixtures: paths of the project's contracts and fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest_localnet import *  # noqa: F403 - the localnet session fixtures

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / "contracts"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's root folder."""
    return ROOT
