"""Localnet fixtures: one chain per test session, started on first use and stopped at the end.

The chain is owned by the pytest process: it is stopped at session end, at interpreter exit,
and by the kernel if pytest is killed (``PR_SET_PDEATHSIG``), so a crashed run leaves no node.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gasmodel.chain.keys import KeyType
from gasmodel.chain.localnet import AccountSpec, Localnet, LocalnetConfig, default_accounts

DATA = Path(__file__).resolve().parent / "data"

__all__ = ["localnet", "localnet_startup_seconds", "session_accounts"]


def session_accounts() -> list[AccountSpec]:
    """The session chain's accounts: faucet, alice (eth_secp256k1), bob (secp256k1), carol (secp256k1)."""
    return [*default_accounts(), AccountSpec(name="carol", key_type=KeyType.SECP256K1)]


@pytest.fixture(scope="session")
def localnet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Localnet]:
    """A running single-validator chain for the whole session."""
    pytest.importorskip("injective_core", reason="the localnet needs pip install 'gasmodel[localnet]'")
    home = tmp_path_factory.mktemp("localnet") / "chain"
    net = Localnet(LocalnetConfig(home=home, accounts=session_accounts()))
    net.up(owned=True)
    try:
        yield net
    finally:
        net.down(remove=True)


@pytest.fixture(scope="session")
def localnet_startup_seconds(localnet: Localnet) -> float:
    """Seconds from ``injectived start`` to the first block of the session chain."""
    seconds = localnet.state.startup_seconds
    assert seconds is not None
    return seconds
