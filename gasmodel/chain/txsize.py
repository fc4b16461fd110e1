"""The exact byte length of a signed tx, offline: the ``TxRaw`` :class:`~gasmodel.chain.client.ChainClient`
builds (sign mode DIRECT, one signer, fee = gas limit x gas price), with a signature of the right length.
The client builds its messages and its tx body and auth info with the functions here, so the two agree.

The ante handler charges ``tx_size_cost_per_byte`` per byte of these bytes. Nothing here depends
on the key's value or the chain state except through what the tx holds: the messages, memo,
the signer's key type (the public key's type URL), sequence and the fee. The account number is
signed but not sent, so it does not change the length.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgSend
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as ProtoCoin
from cosmpy.protos.cosmos.crypto.secp256k1.keys_pb2 import PubKey as ProtoPubKey
from cosmpy.protos.cosmos.tx.signing.v1beta1.signing_pb2 import SignMode
from cosmpy.protos.cosmos.tx.v1beta1.tx_pb2 import AuthInfo, Fee, ModeInfo, SignerInfo, TxBody, TxRaw
from cosmpy.protos.cosmwasm.wasm.v1 import tx_pb2 as wasm_tx
from google.protobuf.any_pb2 import Any as ProtoAny
from google.protobuf.message import Message

from gasmodel.accounts import PUBKEY_TYPE_URLS
from gasmodel.chain.keys import KeyType
from gasmodel.chain.types import Coin
from gasmodel.chaintypes import DEFAULT_DENOM, DEFAULT_GAS_PRICE
from gasmodel.compress import gzip_like_cli, is_gzip
from gasmodel.errors import ConfigError

SIGNATURE_BYTES = 64  # r || s, both key types (the client signs with canonical low-S, compact form)
_PUBKEY_BYTES = 33  # compressed secp256k1 point


def encode_json_msg(msg: Any) -> bytes:
    """The bytes a contract receives for a JSON message: compact, key order kept, UTF-8."""
    if isinstance(msg, bytes):
        return msg
    return json.dumps(msg, separators=(",", ":"), ensure_ascii=False).encode()


def _pack(msg: Message) -> ProtoAny:
    any_msg = ProtoAny()
    any_msg.Pack(msg, type_url_prefix="/")
    return any_msg


def _coins(coins: Sequence[Coin]) -> list[ProtoCoin]:
    return [ProtoCoin(denom=c.denom, amount=str(c.amount)) for c in sorted(coins, key=lambda c: c.denom)]


def tx_bytes(
    msgs: Sequence[Message],
    *,
    key_type: KeyType | str,
    sequence: int,
    gas_limit: int,
    gas_price: int = DEFAULT_GAS_PRICE,
    denom: str = DEFAULT_DENOM,
    memo: str = "",
    pubkey: bytes | None = None,
    signature: bytes | None = None,
) -> bytes:
    """The ``TxRaw`` bytes the client would broadcast, with ``pubkey``/``signature`` placeholders
    of the right length unless given (their values do not change the length)."""
    kt = KeyType(key_type)
    if kt not in PUBKEY_TYPE_URLS:  # pragma: no cover - KeyType has no other members
        raise ConfigError(f"no public key type for key type {kt}")
    if gas_limit < 0 or sequence < 0:
        raise ConfigError(f"gas limit and sequence must be non-negative (got {gas_limit}, {sequence})")
    key = pubkey if pubkey is not None else b"\x02" * _PUBKEY_BYTES
    pub = ProtoAny(type_url=PUBKEY_TYPE_URLS[kt], value=ProtoPubKey(key=key).SerializeToString())
    body, auth = body_and_auth_info(
        msgs, public_key=pub, sequence=sequence, gas_limit=gas_limit, gas_price=gas_price, denom=denom,
        memo=memo,
    )
    sig = signature if signature is not None else b"\x00" * SIGNATURE_BYTES
    return bytes(TxRaw(body_bytes=body, auth_info_bytes=auth, signatures=[sig]).SerializeToString())


def body_and_auth_info(
    msgs: Sequence[Message],
    *,
    public_key: ProtoAny,
    sequence: int,
    gas_limit: int,
    gas_price: int,
    denom: str,
    memo: str = "",
) -> tuple[bytes, bytes]:
    """The serialized ``TxBody`` and ``AuthInfo`` of a one-signer tx (sign mode DIRECT, fee = gas
    limit x gas price): what the signer signs, with the chain id and account number, and sends."""
    body = TxBody(messages=[_pack(m) for m in msgs], memo=memo)
    fee = Fee(amount=[ProtoCoin(denom=denom, amount=str(gas_limit * gas_price))], gas_limit=gas_limit)
    auth = AuthInfo(
        signer_infos=[
            SignerInfo(
                public_key=public_key,
                sequence=sequence,
                mode_info=ModeInfo(single=ModeInfo.Single(mode=SignMode.SIGN_MODE_DIRECT)),
            )
        ],
        fee=fee,
    )
    return body.SerializeToString(), auth.SerializeToString()


def tx_size(msgs: Sequence[Message], **kwargs: Any) -> int:
    """Length of :func:`tx_bytes` (same arguments)."""
    return len(tx_bytes(msgs, **kwargs))


# The messages the client sends, built the same way (``ChainClient.store_code`` ... ``bank_send``).


def store_msg(sender: str, wasm: bytes, *, gzip: bool = True) -> wasm_tx.MsgStoreCode:
    """``MsgStoreCode`` with the module gzipped like the client (unless ``gzip`` is False or it is gzip)."""
    code = gzip_like_cli(wasm) if gzip and not is_gzip(wasm) else wasm
    return wasm_tx.MsgStoreCode(sender=sender, wasm_byte_code=code)


def instantiate_msg(
    sender: str, code_id: int, msg: Any, *, label: str, admin: str | None = None, funds: Sequence[Coin] = ()
) -> wasm_tx.MsgInstantiateContract:
    """``MsgInstantiateContract``."""
    return wasm_tx.MsgInstantiateContract(
        sender=sender,
        admin=admin or "",
        code_id=code_id,
        label=label,
        msg=encode_json_msg(msg),
        funds=_coins(funds),
    )


def execute_msg(
    sender: str, contract: str, msg: Any, *, funds: Sequence[Coin] = ()
) -> wasm_tx.MsgExecuteContract:
    """``MsgExecuteContract``."""
    return wasm_tx.MsgExecuteContract(
        sender=sender, contract=contract, msg=encode_json_msg(msg), funds=_coins(funds)
    )


def migrate_msg(sender: str, contract: str, code_id: int, msg: Any) -> wasm_tx.MsgMigrateContract:
    """``MsgMigrateContract``."""
    return wasm_tx.MsgMigrateContract(
        sender=sender, contract=contract, code_id=code_id, msg=encode_json_msg(msg)
    )


def send_msg(sender: str, to: str, amount: Sequence[Coin]) -> MsgSend:
    """``MsgSend``."""
    return MsgSend(from_address=sender, to_address=to, amount=_coins(amount))
