"""Offline against the chain: per step, the model's ``gas_used`` next to the chain's, and why they differ.

:func:`compare_results` lines up an offline run (mock chain) and a chain run of the same scenario
step by step. A difference is explained by name: the items the profile could not price (the
report lists them), or a code/outcome mismatch; a difference with no such cause is reported as
``unexplained``. :func:`recorded_tx_sizes` replays a chain run's tx sizes offline (the encoded
length of each signed tx as the chain saw it), so that the rest of the model can be checked
against recorded results without the tx encoder.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from gasmodel.chaintypes import Coin
from gasmodel.scenario.results import ScenarioResult, StepResult
from gasmodel.vm.chainstate import AccountState
from gasmodel.vm.keeper import MsgExecute, MsgInstantiate, MsgMigrate, MsgSend, MsgStoreCode, TxMsg, TxSizer


class StepComparison(BaseModel):
    """One step: the model's and the chain's ``gas_used`` and the named cause of any difference."""

    model_config = ConfigDict(frozen=True)

    index: int
    name: str
    action: str
    model: int | None
    chain: int | None
    difference: int | None
    same_outcome: bool
    cause: str = ""

    @property
    def exact(self) -> bool:
        """Equal to the unit (and the same outcome)."""
        return self.same_outcome and self.difference == 0


def _cause(step: StepResult, chain: StepResult, diff: int | None) -> str:
    if step.code != chain.code:
        return f"outcome differs: model code {step.code}, chain code {chain.code}"
    if not diff:
        return ""
    report = step.report
    if report is not None and report.unpriced:
        return "not priced: " + ", ".join(report.unpriced)
    return "unexplained"


def compare_results(offline: ScenarioResult, chain: ScenarioResult) -> list[StepComparison]:
    """Per tx step (queries have no gas), the model next to the chain."""
    by_name = {s.name: s for s in chain.steps}
    rows = []
    for step in offline.steps:
        other = by_name.get(step.name)
        if other is None or step.action == "query":
            continue
        diff = None if step.gas_used is None or other.gas_used is None else step.gas_used - other.gas_used
        rows.append(
            StepComparison(
                index=step.index,
                name=step.name,
                action=step.action,
                model=step.gas_used,
                chain=other.gas_used,
                difference=diff,
                same_outcome=step.code == other.code,
                cause=_cause(step, other, diff),
            )
        )
    return rows


def render_markdown(rows: Sequence[StepComparison]) -> str:
    """The comparison as a Markdown table."""
    out = ["| step | action | model | chain | difference | cause |", "|---|---|---:|---:|---:|---|"]
    for r in rows:
        diff = "" if r.difference is None else f"{r.difference:+d}" if r.difference else "0"
        out.append(
            f"| {r.name} | {r.action} | {r.model if r.model is not None else ''} | "
            f"{r.chain if r.chain is not None else ''} | {diff} | {r.cause} |"
        )
    return "\n".join(out) + "\n"


def _json(msg: Any) -> bytes:
    return json.dumps(msg, separators=(",", ":"), ensure_ascii=False).encode()


class RecordedTxSizes:
    """A tx sizer that answers with the sizes a chain run recorded (the chain's own encoding), found
    by sender, sequence (the sender's earlier txs in blocks) and message."""

    def __init__(self, result: ScenarioResult) -> None:
        self._sizes: dict[tuple[str, int, str, bytes], int] = {}
        sequences: dict[str, int] = {}
        for step in result.steps:
            if step.tx_size is None or step.sender_address is None or step.stage != "deliver_tx":
                continue
            sequence = sequences.get(step.sender_address, 0)
            sequences[step.sender_address] = sequence + 1
            self._sizes[(step.sender_address, sequence, *self._key_of_step(step))] = step.tx_size

    @staticmethod
    def _key_of_step(step: StepResult) -> tuple[str, bytes]:
        if step.action == "store":
            return "store", str(step.wasm.uploaded_size if step.wasm else 0).encode()
        if step.action == "instantiate":
            return "instantiate", _json(step.msg)
        if step.action == "execute":
            return f"execute:{step.target}", _json(step.msg)
        if step.action == "migrate":
            return f"migrate:{(step.target or '').split(' -> ')[0]}", _json(step.msg)
        return f"send:{step.target}", b""

    @staticmethod
    def _key_of_msg(msg: TxMsg) -> tuple[str, bytes]:
        if isinstance(msg, MsgStoreCode):
            return "store", str(msg.wasm_len).encode()
        if isinstance(msg, MsgInstantiate):
            return "instantiate", msg.msg
        if isinstance(msg, MsgExecute):
            return f"execute:{msg.contract}", msg.msg
        if isinstance(msg, MsgMigrate):
            return f"migrate:{msg.contract}", msg.msg
        if isinstance(msg, MsgSend):
            return f"send:{msg.to}", b""
        return msg.type_url, b""

    def __call__(self, account: AccountState, msg: TxMsg, fee: Coin, gas_limit: int, chain_id: str) -> int:
        """The recorded size of this sender's tx at this sequence with this message (0 if the chain
        never saw it)."""
        return self._sizes.get((account.address, account.sequence, *self._key_of_msg(msg)), 0)


def recorded_tx_sizes(result: ScenarioResult) -> TxSizer:
    """A tx sizer replaying the sizes of a recorded chain run."""
    return RecordedTxSizes(result)
