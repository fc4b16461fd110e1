"""The mock chain's tx sizes from the chain client's own encoder (:mod:`gasmodel.chain.txsize`).

The ante handler charges per byte of the signed tx, so the mock chain needs the exact length of
the ``TxRaw`` the project's client would broadcast for each message. :class:`ClientTxSizer`
builds it with the client's protobuf messages (cosmpy, imported on first use).
"""

from __future__ import annotations

from typing import Any

from gasmodel.chaintypes import Coin, KeyType
from gasmodel.vm.chainstate import AccountState
from gasmodel.vm.keeper import MsgExecute, MsgInstantiate, MsgMigrate, MsgSend, MsgStoreCode, TxMsg


class ClientTxSizer:
    """A :class:`gasmodel.vm.keeper.TxSizer`: the length of the tx the chain client would send."""

    def __init__(self) -> None:
        self._uploads: dict[tuple[int, bytes], int] = {}

    def __call__(self, account: AccountState, msg: TxMsg, fee: Coin, gas_limit: int, chain_id: str) -> int:
        """Bytes of the signed ``TxRaw`` (sign mode DIRECT, one signer, fee = limit x price)."""
        from gasmodel.chain import txsize

        sender = account.address
        proto: Any
        if isinstance(msg, MsgStoreCode):
            proto = txsize.store_msg(sender, msg.wasm, gzip=False)
        elif isinstance(msg, MsgInstantiate):
            proto = txsize.instantiate_msg(
                sender, msg.code_id, msg.msg, label=msg.label, admin=msg.admin or None, funds=msg.funds
            )
        elif isinstance(msg, MsgExecute):
            proto = txsize.execute_msg(sender, msg.contract, msg.msg, funds=msg.funds)
        elif isinstance(msg, MsgMigrate):
            proto = txsize.migrate_msg(sender, msg.contract, msg.code_id, msg.msg)
        elif isinstance(msg, MsgSend):
            proto = txsize.send_msg(sender, msg.to, msg.amount)
        else:  # pragma: no cover - the mock chain sends no other messages
            raise TypeError(f"no tx encoding for {type(msg).__name__}")
        price = fee.amount // gas_limit if gas_limit else 0
        return txsize.tx_size(
            [proto],
            key_type=account.key_type or KeyType.SECP256K1,
            sequence=account.sequence,
            gas_limit=gas_limit,
            gas_price=price,
            denom=fee.denom,
        )
