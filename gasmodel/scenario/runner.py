"""Run a scenario's steps on a :class:`~gasmodel.scenario.backend.ScenarioBackend` into a results file.

The runner does not know which chain answers: :mod:`gasmodel.scenario.localnet` gives it a real
local chain, :mod:`gasmodel.scenario.offline` the mock chain. A step the chain refuses is recorded
(code, log, gas) and the run goes on; a step that needs the output of a step that produced
nothing is skipped; only an unusable chain stops the run.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gasmodel.chaintypes import Event, QueryResult, TxResult
from gasmodel.compress import gzip_like_cli
from gasmodel.errors import ChainError, ConfigError
from gasmodel.scenario.backend import ScenarioBackend
from gasmodel.scenario.model import (
    BankSendStep,
    ExecuteStep,
    Expectation,
    InstantiateStep,
    MigrateStep,
    Placeholder,
    QueryStep,
    Scenario,
    StoreStep,
    substitute,
)
from gasmodel.scenario.results import AccountResult, ScenarioResult, StepResult, WasmInfo

ProgressFn = Callable[[StepResult], None]
MAX_WASM_FILE = 3 * 1024 * 1024  # wasmd MaxProposalWasmSize; a normal upload is limited to 800 KiB


class _Unresolved(Exception):
    """A placeholder names a step that produced nothing."""


def load_wasm(path: Path) -> bytes:
    """A module's bytes; ``.wat`` text is compiled first (wasmtime's ``wat2wasm``)."""
    try:
        size = path.stat().st_size
        if size > MAX_WASM_FILE:
            raise ConfigError(f"{path}: {size} bytes is too big for an upload (the chain takes at most "
                              f"{MAX_WASM_FILE} bytes even as a gov proposal)")
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read wasm file {path}: {exc}") from exc
    if path.suffix.lower() == ".wat":
        import wasmtime

        try:
            return bytes(wasmtime.wat2wasm(data.decode()))
        except (wasmtime.WasmtimeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot compile WAT: {exc}") from exc
    return data


class _Run:
    """The state of one run: code ids and contracts produced so far."""

    def __init__(self, scenario: Scenario, backend: ScenarioBackend) -> None:
        self.scenario = scenario
        self.backend = backend
        self.codes: dict[str, int] = {}
        self.contracts: dict[str, str] = {}
        self.names = scenario.step_names()

    def lookup(self, sender: str | None) -> Callable[[Placeholder], Any]:
        def resolve(ph: Placeholder) -> Any:
            if ph.kind == "sender":
                if sender is None:
                    raise ConfigError("$sender used in a step without a sender")
                return self.backend.address_of(sender)
            if ph.kind == "account":
                return self.backend.address_of(ph.name)
            if ph.kind == "code":
                if ph.name not in self.codes:
                    raise _Unresolved(f"store step {ph.name!r} produced no code id")
                return self.codes[ph.name]
            if ph.kind == "contract":
                if ph.name not in self.contracts:
                    raise _Unresolved(f"instantiate step {ph.name!r} produced no contract")
                return self.contracts[ph.name]
            raise ConfigError(f"unknown placeholder ${ph.text}")  # pragma: no cover - checked at load

        return resolve

    def run_step(self, index: int) -> StepResult:
        step = self.scenario.steps[index]
        name = self.names[index]
        sender = self.scenario.sender_of(index)  # for a query: whose address $sender means
        base: dict[str, Any] = {"index": index, "name": name, "action": step.action, "sender": sender,
                                "sender_address": self.backend.address_of(sender) if sender else None,
                                "gas_limit": step.gas_limit}
        resolve = self.lookup(sender)
        try:
            if isinstance(step, QueryStep):
                return self._query(step, resolve, base)
            tx, extra = self._submit(step, name, sender, resolve)
        except _Unresolved as exc:
            return StepResult(status="skipped", expectation_met=False, problems=[f"skipped: {exc}"], **base)
        except ChainError as exc:
            return StepResult(status="error", expectation_met=False, problems=[f"chain error: {exc}"], **base)
        if tx.ok:
            if tx.code_id is not None:
                self.codes[name] = tx.code_id
            if tx.contract_address is not None:
                self.contracts[name] = tx.contract_address
        problems = check_tx(step.expect, tx, resolve)
        fields = tx.model_dump(exclude={"tx_bytes", "ok"})
        report = self.backend.report_for(tx.tx_hash)
        return StepResult(status="ok" if tx.ok else "failed", expectation_met=not problems, problems=problems,
                          report=report, **base, **extra, **fields)

    def _submit(self, step: Any, name: str, sender: str,
                resolve: Callable[[Placeholder], Any]) -> tuple[TxResult, dict[str, Any]]:
        backend = self.backend
        limit = step.gas_limit
        if isinstance(step, StoreStep):
            path = self.scenario.wasm_path(step)
            wasm = load_wasm(path)
            uploaded = gzip_like_cli(wasm) if step.gzip else wasm
            info = WasmInfo(path=str(path), size=len(wasm), sha256=hashlib.sha256(wasm).hexdigest(),
                            gzip=step.gzip, uploaded_size=len(uploaded))
            # ``uploaded`` is what goes on chain: stored as is (not gzipped a second time).
            return backend.store_code(sender, uploaded, gas_limit=limit), {"wasm": info}
        if isinstance(step, InstantiateStep):
            msg = substitute(step.msg, resolve)
            code_id = int(substitute(step.code_id, resolve))
            admin = substitute(step.admin, resolve) if step.admin else None
            tx = backend.instantiate(sender, code_id, msg, label=step.label or name, admin=admin,
                                     funds=step.funds, gas_limit=limit)
            return tx, {"msg": msg, "funds": step.funds, "target": f"code {code_id}"}
        if isinstance(step, ExecuteStep):
            msg = substitute(step.msg, resolve)
            contract = str(substitute(step.contract, resolve))
            tx = backend.execute(sender, contract, msg, funds=step.funds, gas_limit=limit)
            return tx, {"msg": msg, "funds": step.funds, "target": contract}
        if isinstance(step, MigrateStep):
            msg = substitute(step.msg, resolve)
            contract = str(substitute(step.contract, resolve))
            code_id = int(substitute(step.code_id, resolve))
            tx = backend.migrate(sender, contract, code_id, msg, gas_limit=limit)
            return tx, {"msg": msg, "target": f"{contract} -> code {code_id}"}
        if isinstance(step, BankSendStep):
            to = str(substitute(step.to, resolve))
            tx = backend.bank_send(sender, to, step.amount, gas_limit=limit)
            return tx, {"funds": step.amount, "target": to}
        raise ConfigError(f"unsupported step {step!r}")  # pragma: no cover - the model has no other kinds

    def _query(self, step: QueryStep, resolve: Callable[[Placeholder], Any],
               base: dict[str, Any]) -> StepResult:
        contract = str(substitute(step.contract, resolve))
        if step.raw_key is not None:
            key = str(substitute(step.raw_key, resolve))
            qr = self.backend.raw_query(contract, key.encode())
            msg: Any = {"raw_key": key}
            report = None
        else:
            msg = substitute(step.msg, resolve)
            qr = self.backend.smart_query(contract, msg)
            report = self.backend.last_query_report()
        problems = check_query(step.expect, qr, resolve)
        return StepResult(status="ok" if qr.ok else "failed", expectation_met=not problems, problems=problems,
                          msg=msg, target=contract, result=qr.data if qr.ok else None, query_error=qr.error,
                          code=qr.code, report=report, **base)


def _events_problems(expected: Expectation, events: list[Event]) -> list[str]:
    problems = []
    for want in expected.events:
        if not any(e.type == want.type and all(e.get(k) == v for k, v in want.attributes.items())
                   for e in events):
            problems.append(f"no {want.type!r} event with attributes {want.attributes}")
    return problems


def check_tx(expect: Expectation, tx: TxResult, resolve: Callable[[Placeholder], Any]) -> list[str]:
    """The ways a tx's outcome differs from its expectation (empty if it meets it)."""
    problems = []
    if tx.ok != expect.ok:
        what = "succeeded" if tx.ok else f"failed (code {tx.code}: {tx.raw_log[:300]})"
        problems.append(f"expected {'success' if expect.ok else 'failure'}, but the tx {what}")
    if expect.code is not None and tx.code != expect.code:
        problems.append(f"expected code {expect.code}, got {tx.code}")
    if expect.error_contains is not None and expect.error_contains not in tx.raw_log:
        problems.append(f"log does not contain {expect.error_contains!r}: {tx.raw_log[:300]!r}")
    if expect.gas_used_min is not None and tx.gas_used < expect.gas_used_min:
        problems.append(f"gas_used {tx.gas_used} < expected minimum {expect.gas_used_min}")
    if expect.gas_used_max is not None and tx.gas_used > expect.gas_used_max:
        problems.append(f"gas_used {tx.gas_used} > expected maximum {expect.gas_used_max}")
    problems.extend(_events_problems(expect, tx.events))
    if expect.result is not None and substitute(expect.result, resolve) != tx.data:
        problems.append(f"expected data {expect.result!r}, got {tx.data!r}")
    return problems


def check_query(expect: Expectation, qr: QueryResult, resolve: Callable[[Placeholder], Any]) -> list[str]:
    """The ways a query's outcome differs from its expectation."""
    problems = []
    if qr.ok != expect.ok:
        problems.append(f"expected {'success' if expect.ok else 'failure'}, but the query "
                        + ("succeeded" if qr.ok else f"failed: {qr.error}"))
    if expect.error_contains is not None and expect.error_contains not in (qr.error or ""):
        problems.append(f"error does not contain {expect.error_contains!r}: {qr.error!r}")
    if expect.result is not None and qr.ok:
        want = substitute(expect.result, resolve)
        if want != qr.data:
            problems.append(f"expected result {want!r}, got {qr.data!r}")
    return problems


def execute_scenario(scenario: Scenario, backend: ScenarioBackend, *, fresh: bool = True,
                     progress: ProgressFn | None = None, profile: str | None = None) -> ScenarioResult:
    """Run every step of ``scenario`` on ``backend`` and collect the results."""
    started = datetime.now(UTC)
    t0 = time.monotonic()
    chain = backend.chain_info()
    run = _Run(scenario, backend)
    steps: list[StepResult] = []
    stopped = False
    for i in range(len(scenario.steps)):
        if stopped:
            result = StepResult(index=i, name=run.names[i], action=scenario.steps[i].action,
                                status="skipped", expectation_met=False,
                                problems=["skipped: the chain became unusable"])
        else:
            result = run.run_step(i)
            stopped = result.status == "error"
        steps.append(result)
        if progress is not None:
            progress(result)
    source_sha = None
    if scenario.source and Path(scenario.source).is_file():
        source_sha = hashlib.sha256(Path(scenario.source).read_bytes()).hexdigest()
    from gasmodel import __version__

    return ScenarioResult(
        scenario=scenario.name, description=scenario.description, source=scenario.source,
        source_sha256=source_sha, gasmodel_version=__version__, started_at=started.isoformat(),
        finished_at=datetime.now(UTC).isoformat(), seconds=round(time.monotonic() - t0, 3),
        fresh_chain=fresh, backend=backend.kind, profile=profile, chain=chain,
        localnet=backend.settings(),
        accounts=[AccountResult(name=a.name, key_type=a.key_type.value, address=backend.address_of(a.name))
                  for a in scenario.accounts],
        steps=steps,
        passed=all(s.expectation_met for s in steps),
    )
