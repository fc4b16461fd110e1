"""The JSON wasmvm's Go side hands a contract: Env, MessageInfo, MigrateInfo, Reply.

Byte for byte as Go's ``encoding/json`` writes wasmvm's types (CosmWasm/wasmvm@v2.1.5 and
@v3.0.2 ``types/env.go``, ``types/types.go``, ``types/submessages.go``, ``types/msg.go``): struct
field order, ``omitempty`` fields left out when empty, ``[]`` for empty ``Array`` fields, byte
slices as standard base64, ``Uint64`` (block time) as a decimal string, HTML-safe escaping
(``<``, ``>``, ``&``, U+2028, U+2029 as ``\\u....``) and invalid UTF-8 as U+FFFD. The length of
these bytes is what the contract's ``allocate`` and the Region gas see.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_HTML_UNSAFE = frozenset("<>&\u2028\u2029")


def go_json_string(text: str) -> str:
    """A JSON string literal exactly as Go ``json.Marshal`` writes ``text``."""
    out = ['"']
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch < " " or ch in _HTML_UNSAFE:
            out.append(f"\\u{ord(ch):04x}")
        elif "\ud800" <= ch <= "\udfff":  # a lone surrogate: not valid UTF-8, Go writes U+FFFD
            out.append("\ufffd")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _bytes(data: bytes) -> str:
    return '"' + base64.b64encode(data).decode() + '"'


def _obj(fields: Sequence[tuple[str, str]]) -> str:
    return "{" + ",".join(f'"{k}":{v}' for k, v in fields) + "}"


def _array(items: Sequence[str]) -> str:
    return "[" + ",".join(items) + "]"


@dataclass(frozen=True)
class Coin:
    """``{"denom", "amount"}``; the amount is a decimal string."""

    denom: str
    amount: int

    def to_json(self) -> str:
        """Go JSON of wasmvm ``types.Coin``."""
        return _obj([("denom", go_json_string(self.denom)), ("amount", f'"{self.amount}"')])


@dataclass(frozen=True)
class Env:
    """wasmvm ``types.Env``: block, transaction, contract.

    wasmd ``types.NewEnv`` (CosmWasm/wasmd@v0.53.3, @v0.70.0 x/wasm/types/types.go) sets the
    transaction only inside a tx (``TXCounter``): smart queries get ``transaction_index=None``
    (JSON ``null``). ``transaction_hash`` exists from wasmvm 3.0 (``hash,omitempty``): wasmd
    v0.70 passes ``txHash(ctx.TxBytes())``; with 2.x chains it must stay ``None``."""

    chain_id: str
    height: int
    time_ns: int
    contract_address: str
    transaction_index: int | None = 0
    transaction_hash: bytes | None = None

    def to_json(self) -> bytes:
        """The Env bytes the contract receives."""
        block = _obj(
            [
                ("height", str(self.height)),
                ("time", f'"{self.time_ns}"'),
                ("chain_id", go_json_string(self.chain_id)),
            ]
        )
        if self.transaction_index is None:
            tx = "null"
        else:
            tx_fields = [("index", str(self.transaction_index))]
            if self.transaction_hash:
                tx_fields.append(("hash", _bytes(self.transaction_hash)))
            tx = _obj(tx_fields)
        contract = _obj([("address", go_json_string(self.contract_address))])
        return _obj([("block", block), ("transaction", tx), ("contract", contract)]).encode()


@dataclass(frozen=True)
class MessageInfo:
    """wasmvm ``types.MessageInfo``: sender and the funds sent with the message."""

    sender: str
    funds: tuple[Coin, ...] = ()

    def to_json(self) -> bytes:
        """The MessageInfo bytes the contract receives."""
        funds = _array([c.to_json() for c in self.funds])
        return _obj([("sender", go_json_string(self.sender)), ("funds", funds)]).encode()


@dataclass(frozen=True)
class MigrateInfo:
    """wasmvm ``types.MigrateInfo`` (wasmvm 2.2+): sender and the old contract's migrate version."""

    sender: str
    old_migrate_version: int | None = None

    def to_json(self) -> bytes:
        """The MigrateInfo bytes the contract receives."""
        old = "null" if self.old_migrate_version is None else str(self.old_migrate_version)
        return _obj([("sender", go_json_string(self.sender)), ("old_migrate_version", old)]).encode()


@dataclass(frozen=True)
class Event:
    """wasmvm ``types.Event``: a type and its attributes (key, value)."""

    type: str
    attributes: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> str:
        """Go JSON of wasmvm ``types.Event``."""
        attrs = _array(
            [_obj([("key", go_json_string(k)), ("value", go_json_string(v))]) for k, v in self.attributes]
        )
        return _obj([("type", go_json_string(self.type)), ("attributes", attrs)])


@dataclass(frozen=True)
class MsgResponse:
    """wasmvm ``types.MsgResponse``: a protobuf Any (type URL, value bytes)."""

    type_url: str
    value: bytes

    def to_json(self) -> str:
        """Go JSON of wasmvm ``types.MsgResponse``."""
        return _obj([("type_url", go_json_string(self.type_url)), ("value", _bytes(self.value))])


@dataclass(frozen=True)
class SubMsgResult:
    """wasmvm ``types.SubMsgResult``: ``ok`` (events, data, msg_responses) or ``error``."""

    error: str | None = None
    events: tuple[Event, ...] = ()
    data: bytes | None = None
    msg_responses: tuple[MsgResponse, ...] = field(default_factory=tuple)

    def to_json(self) -> str:
        """Go JSON of wasmvm ``types.SubMsgResult`` (``ok`` and ``error`` are omitempty)."""
        if self.error is not None:
            return _obj([("error", go_json_string(self.error))]) if self.error else "{}"
        ok: list[tuple[str, str]] = [("events", _array([e.to_json() for e in self.events]))]
        if self.data:
            ok.append(("data", _bytes(self.data)))
        ok.append(("msg_responses", _array([m.to_json() for m in self.msg_responses])))
        return _obj([("ok", _obj(ok))])


@dataclass(frozen=True)
class Reply:
    """wasmvm ``types.Reply``: gas used by the sub-message, its id, result and payload."""

    id: int
    result: SubMsgResult
    gas_used: int = 0
    payload: bytes = b""

    def to_json(self) -> bytes:
        """The Reply bytes the contract receives."""
        fields = [
            ("gas_used", str(self.gas_used)),
            ("id", str(self.id)),
            ("result", self.result.to_json()),
        ]
        if self.payload:
            fields.append(("payload", _bytes(self.payload)))
        return _obj(fields).encode()
