"""The results file of a scenario run: per step what the chain measured, plus the chain itself.

The same format serves a run on a localnet and an offline run on the mock chain (``backend``);
an offline step also carries the model's :class:`~gasmodel.report.GasReport`. A result file is
self-describing: it holds the chain's versions (app, SDK, wasmd, wasmvm), its gas-relevant
parameters (wasm, auth, block), the chain settings, the accounts, and for every step the resolved
input, ``gas_used``/``gas_wanted``, tx size, events, code, log and result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from gasmodel.chaintypes import ChainInfo, Coin, Event
from gasmodel.errors import ConfigError
from gasmodel.report import GasReport

RESULT_FORMAT = "gasmodel-scenario-result/1"

StepStatus = Literal["ok", "failed", "skipped", "error"]


class WasmInfo(BaseModel):
    """The module a store step uploaded."""

    model_config = ConfigDict(frozen=True)

    path: str
    size: int
    sha256: str
    gzip: bool
    uploaded_size: int


class StepResult(BaseModel):
    """One step's outcome. ``status``: ok (the chain executed it), failed (the chain refused it:
    code and log recorded), skipped (it depends on a step that produced nothing), error (the
    chain could not be used; the run stopped)."""

    model_config = ConfigDict(frozen=True)

    index: int
    name: str
    action: str
    status: StepStatus
    sender: str | None = None
    sender_address: str | None = None
    expectation_met: bool
    problems: list[str] = Field(default_factory=list)
    # the input, placeholders resolved
    msg: Any = None
    funds: list[Coin] = Field(default_factory=list)
    target: str | None = None
    wasm: WasmInfo | None = None
    gas_limit: int | None = None
    # a tx
    tx_hash: str | None = None
    stage: str | None = None
    height: int | None = None
    timestamp: str | None = None
    code: int | None = None
    codespace: str | None = None
    gas_wanted: int | None = None
    gas_used: int | None = None
    simulated_gas: int | None = None
    simulate_error: str | None = None
    tx_size: int | None = None
    msg_type: str | None = None
    raw_log: str | None = None
    events: list[Event] = Field(default_factory=list)
    code_id: int | None = None
    checksum: str | None = None
    contract_address: str | None = None
    data: str | None = None
    # a query
    result: Any = None
    query_error: str | None = None
    # an offline run: the model's report (breakdown, VM gas, histogram) of this step
    report: GasReport | None = None


class AccountResult(BaseModel):
    """An account as used on the chain."""

    model_config = ConfigDict(frozen=True)

    name: str
    key_type: str
    address: str


class ScenarioResult(BaseModel):
    """Everything one run of a scenario produced."""

    model_config = ConfigDict(frozen=True)

    format: str = RESULT_FORMAT
    scenario: str
    description: str = ""
    source: str | None = None
    source_sha256: str | None = None
    gasmodel_version: str
    started_at: str
    finished_at: str
    seconds: float
    fresh_chain: bool
    backend: Literal["localnet", "mock"] = Field("localnet", description="a real chain or the mock chain")
    profile: str | None = Field(None, description="mock chain: the chain profile it priced with")
    chain: ChainInfo
    localnet: dict[str, Any] = Field(default_factory=dict)
    accounts: list[AccountResult]
    steps: list[StepResult]
    passed: bool

    def step(self, name: str) -> StepResult:
        """A step's result by name."""
        for s in self.steps:
            if s.name == name:
                return s
        raise KeyError(name)

    def gas_used(self) -> dict[str, int | None]:
        """``gas_used`` per tx step, by name (queries are left out)."""
        return {s.name: s.gas_used for s in self.steps if s.action != "query"}

    def write(self, path: Path | str) -> Path:
        """Write as indented JSON; returns the path."""
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")
        return p

    @classmethod
    def read(cls, path: Path | str) -> ScenarioResult:
        """Read a results file."""
        try:
            return cls.model_validate_json(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{path}: not a scenario results file: {exc}") from exc
