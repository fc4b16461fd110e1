"""Run a scenario on the mock chain while recording every contract call the VM makes.

The mock chain keeps one :class:`~gasmodel.vm.runtime.Runtime` per code; :func:`record_scenario`
hands it a runtime cache that swaps each runtime for a recording one of the chosen kind -
instrumented (exact operator counts), uninstrumented on wasmtime's fuel engine, or plain
uninstrumented (for timing) - so that the same scenario, run once per kind, gives the same
calls in the same order, each with its :class:`~gasmodel.vm.runtime.CallResult`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from gasmodel.costs.profile import ChainProfile
from gasmodel.errors import GasmodelError
from gasmodel.scenario.model import Scenario, StoreStep
from gasmodel.scenario.offline import run_offline
from gasmodel.scenario.results import ScenarioResult, StepResult
from gasmodel.scenario.runner import load_wasm
from gasmodel.vm.engine import Engine
from gasmodel.vm.runtime import DEFAULT_WALL_SECONDS, CallResult, HostImport, Runtime

Kind = Literal["metered", "fuel", "plain"]


@dataclass(frozen=True)
class RecordedCall:
    """One contract call: the scenario step it ran in, its code, entry point and result."""

    step: int
    ordinal: int
    checksum: str
    entry: str
    result: CallResult


@dataclass
class _Log:
    calls: list[RecordedCall] = field(default_factory=list)
    step: int = 0
    ordinal: int = 0


class _RecordingRuntime(Runtime):
    def __init__(self, base: Runtime, kind: Kind, log: _Log) -> None:
        super().__init__(
            base.source,
            base.table,
            engine=base.engine,
            memory_limit_bytes=base.memory_limit_bytes,
            fuel=kind == "fuel",
            metered=kind != "plain",
            instrumented=base.instrumented if kind == "metered" else None,
        )
        self._log = log
        self._checksum = hashlib.sha256(base.source).hexdigest()

    def call_entry_point(
        self,
        name: str,
        args: Sequence[bytes],
        imports: Mapping[str, HostImport],
        gas_limit: int,
        *,
        wall_seconds: float = DEFAULT_WALL_SECONDS,
    ) -> CallResult:
        res = super().call_entry_point(name, args, imports, gas_limit, wall_seconds=wall_seconds)
        log = self._log
        log.calls.append(RecordedCall(log.step, log.ordinal, self._checksum, name, res))
        log.ordinal += 1
        return res


class _RecordingCache(dict[bytes, Runtime]):
    """The mock chain's runtime cache; every runtime put in it is replaced by a recording one."""

    def __init__(self, kind: Kind, log: _Log) -> None:
        super().__init__()
        self._kind: Kind = kind
        self._log = log

    def __setitem__(self, key: bytes, value: Runtime) -> None:
        super().__setitem__(key, _RecordingRuntime(value, self._kind, self._log))


@dataclass(frozen=True)
class RecordedRun:
    """A scenario run and every contract call it made, in order."""

    result: ScenarioResult
    calls: tuple[RecordedCall, ...]


def record_scenario(
    scenario: Scenario,
    profile: str | ChainProfile,
    kind: Kind,
    *,
    engine: Engine | None = None,
    progress: Callable[[StepResult], None] | None = None,
    **overrides: Any,
) -> RecordedRun:
    """Run ``scenario`` offline with runtimes of ``kind``; the result and the calls, by step."""
    log = _Log()

    def on_step(step: StepResult) -> None:
        log.step += 1
        log.ordinal = 0
        if progress is not None:
            progress(step)

    result = run_offline(
        scenario,
        profile,
        progress=on_step,
        runtimes=_RecordingCache(kind, log),
        engine=engine if engine is not None else Engine(),
        **overrides,
    )
    return RecordedRun(result, tuple(log.calls))


def code_names(scenario: Scenario) -> dict[str, str]:
    """sha256 (hex) of each uploaded module -> a short name (the file's stem)."""
    out: dict[str, str] = {}
    for step in scenario.steps:
        if isinstance(step, StoreStep):
            path = scenario.wasm_path(step)
            try:
                data = load_wasm(path)
            except GasmodelError:  # unreadable: the runner records the step as failed
                continue
            out.setdefault(hashlib.sha256(data).hexdigest(), path.stem)
    return out


def without_out_of_gas(scenario: Scenario) -> Scenario:
    """The scenario without the steps expected to run out of gas (an uninstrumented run has no
    meter, so they would loop until the wall-time bound)."""
    steps = [
        s
        for s in scenario.steps
        if not (s.expect.code == 11 or "out of gas" in (s.expect.error_contains or ""))
    ]
    return scenario.model_copy(update={"steps": steps})
