"""gasmodel in pytest: fixtures for contracts on a mock chain, scenarios, and gas budgets per call.

Installing gasmodel registers this plugin (entry point ``pytest11``: ``gasmodel``). Fixtures:

* ``gas_chain``: a fresh :class:`~gasmodel.vm.chain.MockChain` (profile from ``--gasmodel-chain``,
  default ``injective-localnet``) with two funded accounts, ``alice`` and ``bob``;
* ``gas_contract``: ``gas_contract(path, instantiate={...}, sender="alice")`` uploads and
  instantiates a contract on ``gas_chain`` and returns a :class:`Contract` (``execute``, ``query``,
  ``address``); every call returns the chain's :class:`~gasmodel.report.GasReport`;
* ``gas_scenario``: ``gas_scenario(path)`` runs a scenario file offline (or on a fresh localnet with
  ``--gasmodel-localnet``) and returns its :class:`~gasmodel.scenario.results.ScenarioResult`;
* ``gas_budget``: :func:`assert_gas_budget`, which fails with the breakdown and the top functions
  of the call when ``gas_used`` is over the budget.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from gasmodel.chaintypes import DEFAULT_DENOM, Coin
from gasmodel.errors import GasmodelError
from gasmodel.estimate import read_wasm
from gasmodel.report import GasReport, render_text
from gasmodel.scenario.results import ScenarioResult
from gasmodel.txsizer import ClientTxSizer
from gasmodel.vm.chain import MockChain
from gasmodel.vm.engine import Engine
from gasmodel.vm.runtime import Runtime

__all__ = ["Contract", "assert_gas_budget"]

DEFAULT_BALANCE = Coin(denom=DEFAULT_DENOM, amount=10**24)
ACCOUNTS = ("alice", "bob")


class GasBudgetExceeded(AssertionError):
    """A call used more gas than its budget (the message holds the breakdown)."""


def assert_gas_budget(
    report: GasReport | None, budget: int, *, what: str | None = None, top: int = 10
) -> None:
    """Fail unless the call completed within ``budget`` SDK gas (``gas_used``); the failure shows
    the call's breakdown and its ``top`` functions by self gas."""
    if report is None:
        raise GasBudgetExceeded(f"{what or 'the call'}: no gas report (the step did not run)")
    name = what or f"{report.action} {report.target or ''}".strip()
    if not report.ok:
        raise GasBudgetExceeded(
            f"{name}: the call failed ({report.outcome}: {report.error}); budget {budget:,}\n"
            + render_text(report, top=top)
        )
    if report.gas_used > budget:
        over = report.gas_used - budget
        pct = f", {over / budget:+.1%}" if budget else ""
        raise GasBudgetExceeded(
            f"{name}: gas_used {report.gas_used:,} > budget {budget:,} (+{over:,}{pct})\n"
            + render_text(report, top=top)
        )


@dataclass
class Contract:
    """A contract instantiated on a mock chain."""

    chain: MockChain
    address: str
    code_id: int
    sender: str
    instantiate_report: GasReport

    def execute(
        self, msg: Any, *, sender: str | None = None, funds: Sequence[Coin] = (), gas_limit: int | None = None
    ) -> GasReport:
        """``MsgExecuteContract`` from ``sender`` (default: the instantiating account)."""
        return self.chain.execute(sender or self.sender, self.address, msg, funds=funds, gas_limit=gas_limit)

    def query(self, msg: Any) -> GasReport:
        """A smart query (the result is ``report.result``)."""
        return self.chain.query(self.address, msg)


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--gasmodel-chain PROFILE`` and ``--gasmodel-localnet``."""
    group = parser.getgroup("gasmodel", "gasmodel gas fixtures")
    group.addoption(
        "--gasmodel-chain",
        default="injective-localnet",
        metavar="PROFILE",
        help="chain profile of the gas fixtures (default: injective-localnet)",
    )
    group.addoption(
        "--gasmodel-localnet",
        action="store_true",
        default=False,
        help="gas_scenario runs scenarios on a fresh local chain instead of offline",
    )


@dataclass
class _Session:
    """What the session's chains share: one wasmtime engine and the compiled contracts."""

    engine: Engine
    runtimes: dict[bytes, Runtime]
    tx_sizer: ClientTxSizer


@pytest.fixture(scope="session")
def _gasmodel_session() -> _Session:
    return _Session(Engine(), {}, ClientTxSizer())


@pytest.fixture
def gas_chain(request: pytest.FixtureRequest, _gasmodel_session: _Session) -> MockChain:
    """A fresh mock chain with the accounts ``alice`` and ``bob`` (funded)."""
    shared = _gasmodel_session
    chain = MockChain(
        str(request.config.getoption("gasmodel_chain")),
        tx_sizer=shared.tx_sizer,
        engine=shared.engine,
        runtimes=shared.runtimes,
    )
    for name in ACCOUNTS:
        chain.add_account(name, balance=[DEFAULT_BALANCE])
    return chain


@pytest.fixture
def gas_contract(gas_chain: MockChain) -> Callable[..., Contract]:
    """``gas_contract(wasm, instantiate={}, sender="alice", label="contract", funds=())``: upload and
    instantiate on ``gas_chain``; pytest fails the test when either is refused."""

    def deploy(
        wasm: str | Path | bytes,
        instantiate: Any = None,
        *,
        sender: str = "alice",
        label: str = "contract",
        funds: Sequence[Coin] = (),
    ) -> Contract:
        data = wasm if isinstance(wasm, bytes) else read_wasm(wasm)
        stored = gas_chain.store_code(sender, data)
        if not stored.ok or stored.code_id is None:
            pytest.fail(f"upload refused: {stored.error}", pytrace=False)
        admin = gas_chain.address_of(sender)
        inst = gas_chain.instantiate(
            sender,
            stored.code_id,
            {} if instantiate is None else instantiate,
            label=label,
            admin=admin,
            funds=funds,
        )
        if not inst.ok or inst.contract_address is None:
            pytest.fail(f"instantiate failed: {inst.error}", pytrace=False)
        return Contract(gas_chain, inst.contract_address, stored.code_id, sender, inst)

    return deploy


@pytest.fixture
def gas_scenario(request: pytest.FixtureRequest) -> Iterator[Callable[..., ScenarioResult]]:
    """``gas_scenario(path)``: run a scenario offline (``--gasmodel-localnet``: on a fresh local
    chain) and return its results; pytest fails the test when the scenario's expectations fail."""
    from gasmodel.scenario import load_scenario

    localnet = bool(request.config.getoption("gasmodel_localnet"))
    profile = str(request.config.getoption("gasmodel_chain"))

    def run(path: str | Path, *, check: bool = True) -> ScenarioResult:
        try:
            scenario = load_scenario(path)
            if localnet:
                from gasmodel.scenario.localnet import run_on_fresh_localnet

                result = run_on_fresh_localnet(scenario)
            else:
                from gasmodel.scenario.offline import run_offline

                result = run_offline(scenario, profile)
        except GasmodelError as exc:
            pytest.fail(f"scenario {path}: {exc}", pytrace=False)
        if check and not result.passed:
            bad = [
                f"{s.name}: {'; '.join(s.problems) or s.status}"
                for s in result.steps
                if not s.expectation_met
            ]
            pytest.fail(f"scenario {path}: expectations not met:\n  " + "\n  ".join(bad), pytrace=False)
        return result

    yield run


@pytest.fixture
def gas_budget() -> Callable[..., None]:
    """:func:`assert_gas_budget` (``gas_budget(report, 150_000)``)."""
    return assert_gas_budget
