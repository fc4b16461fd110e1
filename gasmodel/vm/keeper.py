"""The SDK side the mock chain needs beyond wasmd's keeper: the ante handler, accounts, bank.

:class:`Keeper` gives the mock chain (:mod:`gasmodel.vm.chain`) the charges of the Cosmos SDK
modules around a wasm message - the ante handler (tx size, signature verification, fee payment,
sequence), new accounts, bank transfers and balance reads - as lists of named charges. What the
profile cannot price yet is returned as :class:`Unpriced` (kept in the report by name, never
dropped, never guessed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from gasmodel.chaintypes import Coin
from gasmodel.costs.profile import ChainProfile
from gasmodel.vm import ante
from gasmodel.vm.ante import NewAccount
from gasmodel.vm.chainstate import AccountState
from gasmodel.vm.wasmd import Charge, Kv


@dataclass(frozen=True)
class Unpriced:
    """A charge the chain makes that the profile cannot price yet (named; its gas is unknown)."""

    name: str
    note: str = ""


Item = Charge | Unpriced


@dataclass(frozen=True)
class TxMsg:
    """The message of a tx, as far as its encoded size needs it."""

    type_url: str


@dataclass(frozen=True)
class MsgStoreCode(TxMsg):
    """``MsgStoreCode`` (``wasm``: the bytes uploaded, gzipped or not; ``wasm_len`` their length)."""

    wasm_len: int = 0
    wasm: bytes = field(default=b"", repr=False)
    type_url: str = "/cosmwasm.wasm.v1.MsgStoreCode"


@dataclass(frozen=True)
class MsgInstantiate(TxMsg):
    """``MsgInstantiateContract``."""

    code_id: int = 0
    label: str = ""
    admin: str = ""
    msg: bytes = b""
    funds: tuple[Coin, ...] = ()
    type_url: str = "/cosmwasm.wasm.v1.MsgInstantiateContract"


@dataclass(frozen=True)
class MsgExecute(TxMsg):
    """``MsgExecuteContract``."""

    contract: str = ""
    msg: bytes = b""
    funds: tuple[Coin, ...] = ()
    type_url: str = "/cosmwasm.wasm.v1.MsgExecuteContract"


@dataclass(frozen=True)
class MsgMigrate(TxMsg):
    """``MsgMigrateContract``."""

    contract: str = ""
    code_id: int = 0
    msg: bytes = b""
    type_url: str = "/cosmwasm.wasm.v1.MsgMigrateContract"


@dataclass(frozen=True)
class MsgSend(TxMsg):
    """``MsgSend``."""

    to: str = ""
    amount: tuple[Coin, ...] = ()
    type_url: str = "/cosmos.bank.v1beta1.MsgSend"


class TxSizer(Protocol):
    """Exact tx bytes offline: the signed ``TxRaw`` length of a message from an account."""

    def __call__(
        self, account: AccountState, msg: TxMsg, fee: Coin, gas_limit: int, chain_id: str
    ) -> int: ...


class Keeper:
    """The SDK modules' charges for one chain profile (from :mod:`gasmodel.vm.ante`)."""

    def __init__(self, profile: ChainProfile, tx_sizer: TxSizer | None = None) -> None:
        self.profile = profile
        self.tx_sizer = tx_sizer
        self.layout = profile.sdk

    # ------------------------------------------------------------------------ ante
    def tx_size(
        self, account: AccountState, msg: TxMsg, fee: Coin, gas_limit: int, chain_id: str
    ) -> int | None:
        """The signed tx's length in bytes (None without a tx sizer)."""
        if self.tx_sizer is None:
            return None
        return self.tx_sizer(account, msg, fee, gas_limit, chain_id)

    def ante_account(self, account: AccountState) -> ante.Account:
        """An account as x/auth stores it."""
        return ante.Account(
            address=account.address,
            address_bytes=len(account.canonical),
            account_number=account.account_number,
            sequence=account.sequence,
            key_type=account.key_type.value if account.key_type else "secp256k1",
            pubkey=account.public_key,
        )

    def ante(
        self,
        account: AccountState,
        pubkey: bytes,
        fee: Coin,
        tx_size: int | None,
        *,
        payer_balance: int,
        fee_receiver_balance: int,
        tx_counter_exists: bool,
        simulate: bool = False,
    ) -> tuple[list[Item], ante.AnteResult | None]:
        """The ante handler's charges, in order, and what it leaves (None: not priced);
        ``simulate``: as a ``Simulate`` call charges them."""
        if self.layout is None:
            return [
                Unpriced("ante: tx size"),
                Unpriced(
                    "ante: fee payment, accounts and signatures",
                    f"profile {self.profile.name} has no [sdk] section",
                ),
            ], None
        result = ante.ante_charges(
            self.profile,
            tx_bytes=tx_size or 0,
            signer=self.ante_account(account),
            pubkey=pubkey,
            fee_amount=fee.amount,
            fee_denom=fee.denom,
            payer_balance=payer_balance,
            fee_receiver_balance=fee_receiver_balance,
            tx_counter_exists=tx_counter_exists,
            simulate=simulate,
        )
        items: list[Item] = list(result.charges)
        if tx_size is None:
            items = [
                Unpriced("ante: tx size", "the tx's encoded length is not known offline")
                if isinstance(c, Charge) and c.name == "ante: tx size"
                else c
                for c in items
            ]
        return items, result

    # --------------------------------------------------------------- accounts and bank
    def new_account_charges(self, address: str, canonical: bytes, account_number: int) -> list[Item]:
        """Creating an account (a contract's, or a bank recipient's)."""
        if self.layout is None:
            return [Unpriced("auth: new account")]
        return list(ante.new_account_charges(self.profile, "keeper", address, len(canonical), account_number))

    def transfer_charges(
        self,
        sender: AccountState,
        sender_balance: int,
        recipient: bytes,
        recipient_balance: int,
        coin: Coin,
        *,
        new_recipient: NewAccount | None,
        group: str = "bank",
    ) -> list[Item]:
        """A bank ``SendCoins`` of one coin (``MsgSend``, contract funds, ``BankMsg::Send``)."""
        if self.layout is None:
            return [Unpriced("bank: send coins")]
        return list(
            ante.bank_send_charges(
                self.profile,
                ante.Holder(len(sender.canonical), sender_balance, self.ante_account(sender)),
                ante.Holder(len(recipient), recipient_balance),
                coin.amount,
                coin.denom,
                new_recipient=new_recipient,
                group=group,
            )
        )

    def balance_read_charges(self, address: bytes, denom: str, balance: int) -> list[Item]:
        """A bank balance query (``GetBalance``)."""
        store = self.profile.costs.store
        if store is None:  # pragma: no cover - ChainProfile validates this
            return [Unpriced("bank: balance read")]
        return [
            Kv(store, "bank").get(
                "balance", ante.balance_key_len(len(address), denom), len(str(balance)) if balance else 0
            )
        ]

    def all_balances_read_charges(self, address: bytes, balances: Sequence[tuple[str, int]]) -> list[Item]:
        """A bank all-balances query (an iterator over the address's balances)."""
        store = self.profile.costs.store
        if store is None:  # pragma: no cover - ChainProfile validates this
            return [Unpriced("bank: all balances read")]
        kv = Kv(store, "bank")
        items: list[Item] = []
        for denom, amount in balances:
            items.append(kv.seek("balances", (ante.balance_key_len(len(address), denom), len(str(amount)))))
        if not balances:
            items.append(kv.seek("balances", None))
        return items
