"""What a tx pays outside the message handlers (the ante handler), and bank transfers, as named SDK gas.

The decorator order is the one of Injective's ante handler for a plain Cosmos tx
(injective-core ``injective-chain/app/ante/ante.go``): wasmd ``CountTXDecorator``, memo check,
the txfees ``MempoolFeeDecorator``, ``ConsumeGasForTxSize``, the fee deduction
(``AuctionFeeDecorator``: a bank send from the payer to the fee receiver), ``SetPubKey``,
``ValidateSigCount``, ``SigGasConsume``, ``SigVerification``, ``IncrementSequence``; their KV
accesses are those of cosmos-sdk v0.50 (``x/auth/ante``, ``x/auth/keeper`` accounts in a
collections ``IndexedMap`` with a unique account-number index, ``x/bank/keeper/send.go``).
The profile's ``sdk`` section says which of these a chain has and the byte lengths of its params;
what could only be measured is reported by name (``unpriced: ...``), never folded into another item.

Accounts are priced on their exact stored bytes (:func:`account_bytes`): the sequence, account
number and public key change the length, so an account's first tx and its 128th differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from gasmodel.accounts import BASE_ACCOUNT_TYPE_URL, ETH_ACCOUNT_TYPE_URL, PUBKEY_TYPE_URLS
from gasmodel.costs.profile import ChainProfile
from gasmodel.errors import ConfigError
from gasmodel.vm.wasmd import (
    TX_COUNTER_KEY,
    TX_COUNTER_VALUE_BYTES,
    Charge,
    Kv,
    pb_any,
    pb_bytes,
    pb_message,
    pb_uint,
)

# EthAccount.code_hash of an account without EVM code: keccak256 of the empty string
EMPTY_CODE_HASH = bytes.fromhex("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")

ACCOUNT_PREFIX = b"\x01"  # x/auth AddressStoreKeyPrefix
ACCOUNT_NUMBER_INDEX_PREFIX = b"accountNumber"  # x/auth AccountNumberStoreKeyPrefix
GLOBAL_ACCOUNT_NUMBER_KEY = b"\x02"  # x/auth GlobalAccountNumberKey (collections Sequence, u64 BE)
AUTH_PARAMS_KEY = b"\x00"
BALANCES_PREFIX = b"\x02"  # x/bank BalancesPrefix: 0x02 | len(addr) | addr | denom
DENOM_INDEX_PREFIX = b"\x03"  # x/bank DenomAddressPrefix: 0x03 | denom | 0x00 | len(addr) | addr
SEND_ENABLED_PREFIX = b"\x04"
BANK_PARAMS_KEY = b"\x05"
FEE_PARAMS_KEY_BYTES = 1


@dataclass(frozen=True)
class Account:
    """An account as x/auth stores it: bech32 address, raw address length, number, sequence, public key.

    ``pubkey`` is the 33-byte compressed key once set (an account's first tx sets it), else None.
    """

    address: str
    address_bytes: int
    account_number: int
    sequence: int = 0
    key_type: str = "eth_secp256k1"
    pubkey: bytes | None = None


def pubkey_any_bytes(key_type: str, key: bytes) -> bytes:
    """The ``Any`` of a public key (``PubKey{key}`` in field 1)."""
    url = PUBKEY_TYPE_URLS.get(key_type)
    if url is None:
        raise ConfigError(f"unknown key type {key_type!r}; known: {', '.join(sorted(PUBKEY_TYPE_URLS))}")
    return pb_any(url, pb_bytes(1, key))


def account_bytes(encoding: str, account: Account) -> bytes:
    """The account's stored value: the ``Any`` x/auth writes (``codec.CollInterfaceValue``)."""
    pub = (
        pb_message(2, pubkey_any_bytes(account.key_type, account.pubkey))
        if account.pubkey is not None
        else b""
    )
    base = (
        pb_bytes(1, account.address) + pub + pb_uint(3, account.account_number) + pb_uint(4, account.sequence)
    )
    if encoding == "injective-eth-account":
        eth = pb_message(1, base) + pb_bytes(2, EMPTY_CODE_HASH)
        return pb_any(ETH_ACCOUNT_TYPE_URL, eth)
    if encoding == "base-account":
        return pb_any(BASE_ACCOUNT_TYPE_URL, base)
    raise ConfigError(f"unknown account encoding {encoding!r}")


def balance_key_len(address_bytes: int, denom: str) -> int:
    """``0x02 | len | address | denom``."""
    return len(BALANCES_PREFIX) + 1 + address_bytes + len(denom.encode())


def denom_index_key_len(address_bytes: int, denom: str) -> int:
    """``0x03 | denom | 0x00 | len | address`` (value empty)."""
    return len(DENOM_INDEX_PREFIX) + len(denom.encode()) + 1 + 1 + address_bytes


def coin_bytes_len(denom: str, amount: int) -> int:
    """Length of a ``Coin{denom, amount}`` proto (the transient balance value)."""
    return len(pb_bytes(1, denom) + pb_bytes(2, str(amount)))


def _kv(profile: ChainProfile, group: str) -> Kv:
    store = profile.costs.store
    if store is None:  # pragma: no cover - ChainProfile validates this
        raise ConfigError(f"profile {profile.name}: no store section in its cost table")
    return Kv(store, group)


# ---------------------------------------------------------------------------------------------
# x/auth accounts


def account_read(profile: ChainProfile, group: str, account: Account, what: str = "account") -> Charge:
    """A ``GetAccount`` of an existing account."""
    value = account_bytes(profile.sdk_layout().account_encoding, account)
    return _kv(profile, group).get(what, len(ACCOUNT_PREFIX) + account.address_bytes, len(value))


def set_account_charges(profile: ChainProfile, group: str, old: Account | None, new: Account) -> list[Charge]:
    """``SetAccount`` (collections ``IndexedMap.Set`` with the unique account-number index).

    The index reads the old value (a second read), removes the old index entry if there was one,
    checks the new entry is free and writes it; then the account is written.
    """
    kv = _kv(profile, group)
    enc = profile.sdk_layout().account_encoding
    key = len(ACCOUNT_PREFIX) + new.address_bytes
    idx = len(ACCOUNT_NUMBER_INDEX_PREFIX) + 8
    out = [kv.get("account (index old value)", key, len(account_bytes(enc, old)) if old else 0)]
    if old is not None:
        out.append(kv.delete("account number index"))
    out += [
        kv.has("account number index"),
        kv.set("account number index", idx, new.address_bytes),
        kv.set("account", key, len(account_bytes(enc, new))),
    ]
    return out


def new_account_charges(
    profile: ChainProfile, group: str, address: str, address_bytes: int, account_number: int
) -> list[Charge]:
    """``NewAccountWithAddress`` + ``SetAccount`` of a new, empty account (a bank send to an
    unknown address, a new contract): the global account number sequence, then the account."""
    kv = _kv(profile, group)
    seq = len(GLOBAL_ACCOUNT_NUMBER_KEY)
    account = Account(address=address, address_bytes=address_bytes, account_number=account_number)
    return [
        kv.get("account number sequence", seq, 8),
        kv.set("account number sequence", seq, 8),
        *set_account_charges(profile, group, None, account),
    ]


# ---------------------------------------------------------------------------------------------
# x/bank transfers


@dataclass(frozen=True)
class NewAccount:
    """A bank recipient x/auth has no account for yet: its bech32 address and the account number
    the send gives it (a send to it creates the account)."""

    address: str
    number: int


@dataclass(frozen=True)
class Holder:
    """A party of a bank transfer: its address length, balance of the denom, and (sender) account."""

    address_bytes: int
    balance: int
    account: Account | None = None


def _set_balance(
    profile: ChainProfile, kv: Kv, who: str, address_bytes: int, denom: str, old: int, new: int
) -> list[Charge]:
    sdk = profile.sdk_layout()
    key = balance_key_len(address_bytes, denom)
    out: list[Charge] = []
    if new == 0:
        out += [
            kv.get(f"{who} balance (index old value)", key, len(str(old))),
            kv.delete(f"{who} denom index"),
            kv.delete(f"{who} balance"),
        ]
        if sdk.transient_balances:
            out.append(kv.set(f"{who} transient balance", key, coin_bytes_len(denom, new)))
        return out
    # the transient copy is written first, then the index entry, then the balance
    if sdk.transient_balances:
        out.append(kv.set(f"{who} transient balance", key, coin_bytes_len(denom, new)))
    if sdk.balance_denom_index:
        out.append(kv.set(f"{who} denom index", denom_index_key_len(address_bytes, denom), 0))
    out.append(kv.set(f"{who} balance", key, len(str(new))))
    return out


def send_coins_charges(
    profile: ChainProfile,
    group: str,
    sender: Holder,
    recipient: Holder,
    amount: int,
    denom: str,
    *,
    new_recipient: NewAccount | None = None,
) -> list[Charge]:
    """``SendCoins`` of one coin: checks, the sender's and the recipient's balances, the recipient
    account check (and its creation when ``new_recipient`` is given), and what the profile could
    only measure."""
    sdk = profile.sdk_layout()
    kv = _kv(profile, group)
    if sender.account is None:
        raise ConfigError("send_coins_charges: the sender's account is needed (LockedCoins reads it)")
    skey = balance_key_len(sender.address_bytes, denom)
    rkey = balance_key_len(recipient.address_bytes, denom)
    out = [
        account_read(profile, group, sender.account, "sender account (locked coins)"),
        kv.get("sender balance", skey, len(str(sender.balance))),
    ]
    if sdk.send_restriction_namespace_read:
        out.append(kv.get("send restriction (denom namespace)", 1 + len(denom.encode()), 0))
    if sdk.unpriced_per_send:
        # measured; it comes before the sender's balance is written (out-of-gas points agree)
        out.append(Charge(f"unpriced: {group} per coin transfer", sdk.unpriced_per_send))
    out.append(kv.get("sender balance", skey, len(str(sender.balance))))
    out += _set_balance(
        profile, kv, "sender", sender.address_bytes, denom, sender.balance, sender.balance - amount
    )
    out.append(kv.get("recipient balance", rkey, len(str(recipient.balance)) if recipient.balance else 0))
    out += _set_balance(
        profile,
        kv,
        "recipient",
        recipient.address_bytes,
        denom,
        recipient.balance,
        recipient.balance + amount,
    )
    if sdk.send_has_account_check:
        out.append(kv.has("recipient account"))
        if new_recipient is not None:
            out += new_account_charges(
                profile, group, new_recipient.address, recipient.address_bytes, new_recipient.number
            )
    return out


def send_enabled_charges(profile: ChainProfile, group: str, denom: str) -> list[Charge]:
    """``IsSendEnabledCoins`` for one coin: the bank params and the denom's send-enabled entry."""
    kv = _kv(profile, group)
    return [
        kv.get("bank params", len(BANK_PARAMS_KEY), profile.sdk_layout().bank_params_bytes),
        kv.has("send enabled"),
    ]


def bank_send_charges(
    profile: ChainProfile,
    sender: Holder,
    recipient: Holder,
    amount: int,
    denom: str,
    *,
    new_recipient: NewAccount | None = None,
    group: str = "bank",
) -> list[Charge]:
    """A ``MsgSend`` of one coin (also wasmd's ``TransferCoins`` of contract funds)."""
    return [
        *send_enabled_charges(profile, group, denom),
        *send_coins_charges(
            profile,
            group,
            sender,
            recipient,
            amount,
            denom,
            new_recipient=new_recipient,
        ),
    ]


# ---------------------------------------------------------------------------------------------
# The ante handler


@dataclass(frozen=True)
class AnteResult:
    """The ante handler's charges, and the signer's account as the messages then see it."""

    charges: list[Charge]
    account_after: Account
    payer_balance_after: int
    fee_receiver_balance_after: int


def ante_charges(
    profile: ChainProfile,
    *,
    tx_bytes: int,
    signer: Account,
    pubkey: bytes,
    fee_amount: int,
    fee_denom: str,
    payer_balance: int,
    fee_receiver_balance: int,
    memo: str = "",
    tx_counter_exists: bool = True,
    simulate: bool = False,
) -> AnteResult:
    """The ante handler of one single-signer tx in a block (DeliverTx; or a simulation, see below).

    ``signer`` is the account before the tx (``pubkey`` None before its first tx); ``pubkey`` the
    33-byte key the tx carries; ``payer_balance``/``fee_receiver_balance`` the fee denom's balances
    before the tx; ``tx_counter_exists`` False only for the very first tx on a chain. ``simulate``:
    the gas a ``Simulate`` call reports for the same tx (no tx counter, and what the profile
    measured; contracts then see no ``env.transaction``).
    """
    sdk = profile.sdk_layout()
    ante = profile.ante
    kv = _kv(profile, "ante")
    sig_cost = ante.sig_verify_cost.get(signer.key_type)
    if sig_cost is None:
        raise ConfigError(f"profile {profile.name}: no signature cost for key type {signer.key_type!r}")
    auth_params = (len(AUTH_PARAMS_KEY), sdk.auth_params_bytes)
    out: list[Charge] = []
    if sdk.tx_counter and not simulate:  # CountTXDecorator skips simulations
        key, value = len(TX_COUNTER_KEY), TX_COUNTER_VALUE_BYTES
        out += [
            kv.get("tx counter", key, value if tx_counter_exists else 0),
            kv.set("tx counter", key, value),
        ]
    if memo:
        out.append(kv.get("auth params (memo check)", *auth_params))
    if sdk.fee_params_bytes is not None:
        out.append(kv.get("fee module params", FEE_PARAMS_KEY_BYTES, sdk.fee_params_bytes))
    out += [
        kv.get("auth params (tx size)", *auth_params),
        Charge("ante: tx size", ante.tx_size_cost_per_byte * tx_bytes),
    ]
    # fee deduction: the payer's account, then a bank send to the fee receiver
    out.append(account_read(profile, "fee", signer, "payer account"))
    if sdk.fee_receiver_account_bytes is not None:
        out.append(
            _kv(profile, "fee").get(
                "fee receiver module account",
                len(ACCOUNT_PREFIX) + sdk.fee_receiver_address_bytes,
                sdk.fee_receiver_account_bytes,
            )
        )
    out += send_coins_charges(
        profile,
        "fee",
        Holder(signer.address_bytes, payer_balance, signer),
        Holder(sdk.fee_receiver_address_bytes, fee_receiver_balance),
        fee_amount,
        fee_denom,
    )
    # public key, signatures, sequence
    acct = signer
    out.append(account_read(profile, "ante", acct, "signer account (set pubkey)"))
    if acct.pubkey is None:
        with_key = replace(acct, pubkey=pubkey)
        out += set_account_charges(profile, "ante", acct, with_key)
        acct = with_key
    out += [
        kv.get("auth params (sig count)", *auth_params),
        kv.get("auth params (sig gas)", *auth_params),
        account_read(profile, "ante", acct, "signer account (sig gas)"),
        Charge(f"ante: signature {signer.key_type}", sig_cost),
        account_read(profile, "ante", acct, "signer account (sig verify)"),
        account_read(profile, "ante", acct, "signer account (sequence)"),
    ]
    incremented = replace(acct, sequence=acct.sequence + 1)
    out += set_account_charges(profile, "ante", acct, incremented)
    if sdk.unpriced_per_tx:
        out.append(Charge("unpriced: per tx", sdk.unpriced_per_tx))
    if simulate and sdk.unpriced_per_simulation:
        out.append(Charge("unpriced: simulation", sdk.unpriced_per_simulation))
    return AnteResult(out, incremented, payer_balance - fee_amount, fee_receiver_balance + fee_amount)


def msg_send_charges(
    profile: ChainProfile,
    sender: Account,
    sender_balance: int,
    recipient_address_bytes: int,
    recipient_balance: int,
    amount: int,
    denom: str,
    *,
    new_recipient: NewAccount | None = None,
) -> list[Charge]:
    """A ``MsgSend`` by a signer whose account (after the ante handler) is ``sender``."""
    return bank_send_charges(
        profile,
        Holder(sender.address_bytes, sender_balance, sender),
        Holder(recipient_address_bytes, recipient_balance),
        amount,
        denom,
        new_recipient=new_recipient,
    )


def fee_for(gas_limit: int, gas_price: int) -> int:
    """The fee a client pays for ``gas_limit`` at ``gas_price`` per gas (integer prices)."""
    return gas_limit * gas_price


def sum_named(charges: Sequence[Charge]) -> dict[str, int]:
    """Charges summed by name, in first-seen order."""
    out: dict[str, int] = {}
    for c in charges:
        out[c.name] = out.get(c.name, 0) + c.gas
    return out
