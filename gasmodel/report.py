"""The gas report: what one transaction (or query) costs, where the gas goes, and what the chain says.

One model serves :func:`gasmodel.estimate`, the mock chain (:mod:`gasmodel.vm.chain`), offline
scenario results and, later, calibration and the profiler. Field names are stable; the JSON form
is ``GasReport.model_dump(mode="json")``.

Units: ``sdk_gas`` is Cosmos SDK gas (what a chain reports as ``gas_used``); ``cw_gas`` is
CosmWasm VM gas (``sdk = floor(cw / gas_multiplier)``, taken once per contract call, not per item).

The breakdown lists every charge by name with its quantity in its own unit. Items with
``part_of`` set detail another item (the CW gas of one opcode category is part of the call's
``wasm contract`` SDK charge) and are not added again: ``gas_used`` is the sum of ``sdk_gas`` over
the items without ``part_of``. An item the profile
cannot price yet (a tx-level constant not calibrated, a host function whose cost the table does
not give) is kept with ``sdk_gas = None``: :attr:`GasReport.gas_used` then counts only what is
priced and :attr:`GasReport.complete` is False. Nothing is dropped silently.

Per-function figures are *self* gas (the operators of the function's own body) and call counts.
``inclusive_cw_gas`` (self + callees) needs a call-stack profiler and is ``None`` until one fills it.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from gasmodel.chaintypes import Event

REPORT_FORMAT: Literal["gasmodel-gas-report/1"] = "gasmodel-gas-report/1"

Category = Literal[
    "compute",  # Wasm operators, by opcode category (cw gas)
    "host",  # host (import) calls: their VM-side charge (cw gas)
    "storage",  # KV reads / writes / deletes / iteration (sdk gas on the prefixed keys)
    "instance",  # setup (instance) cost of each contract call
    "events",  # event and attribute gas
    "response",  # deserializing the contract's result, reply costs
    "keeper",  # wasmd keeper's own store operations (code and contract info, history, sequences)
    "bank",  # coin transfers
    "upload",  # store: uncompress and compile
    "tx",  # ante handler: tx size, signatures, fee payment, sequence
    "query",  # gas of queries a contract made (sub-query setup, its own VM run)
]

Outcome = Literal[
    "ok",
    "contract_error",  # the contract returned an error (ABCI code 5)
    "out_of_gas",  # the tx's gas limit ran out (ABCI code 11)
    "trap",  # the Wasm trapped (unreachable, bad memory access...)
    "aborted",  # env.abort (a Rust panic)
    "host_error",  # a host function refused the call (bad region, write in a query...)
    "timeout",  # the wall-time bound of the model ran out (the chain has none)
    "rejected",  # refused before execution (bad address, unknown contract, invalid upload)
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class GasItem(_Model):
    """One named charge. ``quantity`` is in ``unit`` (operators, bytes, calls, items...)."""

    category: Category
    name: str
    count: int = Field(1, description="how many times it was charged")
    quantity: int | None = Field(None, description="the total amount the charge was computed from")
    unit: str = ""
    cw_gas: int | None = Field(None, description="CosmWasm gas, for charges inside a contract call")
    sdk_gas: int | None = Field(description="SDK gas; None = the profile cannot price it yet")
    note: str = ""
    part_of: str | None = Field(
        None, description="the item whose SDK gas already includes this one (VM parts, sub-query parts)"
    )

    @property
    def priced(self) -> bool:
        """Whether the profile priced this item."""
        return self.sdk_gas is not None or self.cw_gas is not None


class FunctionGas(_Model):
    """A function of a contract: calls and the gas of its own operators (``self``)."""

    contract: str = ""
    index: int
    name: str = Field(description="the name in the module's name section (raw, e.g. a mangled Rust symbol)")
    display: str = Field("", description="the name for people (Rust symbols demangled, hash dropped)")
    calls: int
    self_cw_gas: int
    inclusive_cw_gas: int | None = Field(None, description="self + callees; None until profiled")


class ContractCall(_Model):
    """One entry-point call of a contract inside the tx (sub-messages, replies and queries included)."""

    contract: str
    entry_point: str
    depth: int = 0
    outcome: Outcome
    error: str | None = None
    gas_limit_cw: int | None = None
    vm_cw_gas: int = Field(description="gas the VM used internally (operators + host charges)")
    vm_sdk_gas: int = Field(description="floor(vm_cw_gas / gas_multiplier), as wasmd charges it")
    external_sdk_gas: int = Field(0, description="SDK gas the backend charged during the call (storage...)")
    operators: int = Field(0, description="Wasm operators executed")


class Timings(_Model):
    """Wall time of the model, milliseconds."""

    total_ms: float
    compile_ms: float = 0.0
    run_ms: float = 0.0


class GasReport(_Model):
    """The gas of one action on a chain profile, explained."""

    format: Literal["gasmodel-gas-report/1"] = REPORT_FORMAT
    profile: str = Field(description="the chain profile's name")
    action: str = Field(description="store, instantiate, execute, migrate, sudo, query, bank_send")
    target: str | None = Field(None, description="contract address, code id or recipient")
    ok: bool
    outcome: Outcome
    code: int = Field(0, description="ABCI code as the chain reports it (0 ok, 5 wasm error, 11 out of gas)")
    codespace: str = ""
    error: str | None = Field(None, description="the error text as the chain reports it (raw_log)")
    gas_used: int = Field(description="SDK gas of every priced item: the chain's gas_used when complete")
    gas_limit: int | None = None
    simulated_gas: int | None = Field(None, description="what the simulation before it reported, if it ran")
    complete: bool = Field(description="True when every item is priced (gas_used is then exact)")
    unpriced: list[str] = Field(default_factory=list, description="names of the items not priced")
    vm_cw_gas: int = Field(0, description="CosmWasm gas used inside contract calls, all calls")
    vm_sdk_gas: int = Field(0, description="the SDK gas those calls were charged (floor per call)")
    breakdown: list[GasItem] = Field(default_factory=list)
    calls: list[ContractCall] = Field(default_factory=list)
    histogram: dict[str, int] = Field(default_factory=dict, description="executed operators by opcode name")
    categories: dict[str, int] = Field(default_factory=dict, description="executed operators by category")
    functions: list[FunctionGas] = Field(default_factory=list)
    imports: dict[str, int] = Field(default_factory=dict, description="host (import) calls by name")
    events: list[Event] = Field(default_factory=list)
    data: str | None = Field(None, description="the response data (base64), if any")
    result: Any = Field(None, description="a query's result (JSON-decoded when it is JSON)")
    code_id: int | None = None
    checksum: str | None = None
    contract_address: str | None = None
    tx_size: int | None = None
    tx_hash: str | None = None
    height: int | None = None
    timings: Timings = Timings(total_ms=0.0)

    def items(self, category: Category) -> list[GasItem]:
        """The breakdown items of one category."""
        return [i for i in self.breakdown if i.category == category]

    def sdk_gas_of(self, category: Category) -> int:
        """SDK gas of the priced items of one category."""
        return sum(i.sdk_gas or 0 for i in self.breakdown if i.category == category)

    def to_json(self, indent: int | None = 2) -> str:
        """The report as JSON text."""
        return self.model_dump_json(indent=indent)


def render_text(report: GasReport, *, top: int = 10) -> str:
    """A human-readable summary for the CLI."""
    head = f"{report.action}"
    if report.target:
        head += f" {report.target}"
    status = "ok" if report.ok else f"{report.outcome} (code {report.code})"
    lines = [
        f"{head} on {report.profile}: {status}",
        f"  gas_used       {report.gas_used:>12,} SDK gas" + ("" if report.complete else "  (incomplete)"),
    ]
    if report.gas_limit is not None:
        lines.append(f"  gas_limit      {report.gas_limit:>12,}")
    if report.calls:
        lines.append(
            f"  VM gas         {report.vm_cw_gas:>12,} CW gas = {report.vm_sdk_gas:,} SDK gas"
            f" in {len(report.calls)} call(s)"
        )
    if report.error:
        lines.append(f"  error          {report.error}")
    if report.breakdown:
        lines.append("  breakdown (SDK gas):")
        width = max(len(i.name) for i in report.breakdown)
        for item in report.breakdown:
            if item.sdk_gas is not None:
                gas = f"{item.sdk_gas:>10,}"
            elif item.cw_gas is not None:
                gas = f"{item.cw_gas:>10,} CW"
            else:
                gas = "  unpriced"
            qty = f"{item.quantity:,} {item.unit}" if item.quantity is not None else ""
            count = f" x{item.count}" if item.count != 1 else ""
            indent = "  " if item.part_of else ""
            lines.append(f"    {indent}{item.category:<9} {item.name:<{width}} {gas}  {qty}{count}".rstrip())
    if report.unpriced:
        lines.append(f"  unpriced: {', '.join(report.unpriced)}")
    if report.categories:
        cats = ", ".join(f"{k} {v:,}" for k, v in sorted(report.categories.items(), key=lambda kv: -kv[1]))
        lines.append(f"  operators by category: {cats}")
    if report.imports:
        lines.append("  host calls: " + ", ".join(f"{k} x{v}" for k, v in sorted(report.imports.items())))
    if report.functions:
        lines.append("  top functions by self gas (CW gas, calls):")
        for f in sorted(report.functions, key=lambda f: -f.self_cw_gas)[:top]:
            lines.append(f"    {f.self_cw_gas:>14,}  {f.calls:>7}  {f.display or f.name}")
    if report.result is not None:
        lines.append(f"  result: {report.result!r}"[:400])
    lines.append(f"  model time {report.timings.total_ms:.1f} ms")
    return "\n".join(lines) + "\n"
