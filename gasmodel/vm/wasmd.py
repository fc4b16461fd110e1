"""What wasmd's keeper charges around the VM, as named SDK-gas items (pure functions, frozen data).

The order and content of each charge follow wasmd v0.53.3 ``x/wasm/keeper/keeper.go`` (``create``,
``instantiate``, ``execute``, ``migrate``, ``QuerySmart``, ``reply``, ``handleContractResponse``,
``consumeRuntimeGas``), ``x/wasm/types/gas_register.go`` (setup, event and reply costs),
``x/wasm/types/keys.go`` (store keys) and ``proto/cosmwasm/wasm/v1/types.proto`` (stored values);
wasmvm v2.1.5 ``lib_libwasmvm.go`` (compile cost, ``DeserializeResponse``). Every KV access goes
through the Cosmos SDK ``gaskv`` store of the wasm module, so its gas depends on the exact key and
value lengths: the encoders here (:func:`code_info_bytes`, :func:`contract_info_bytes`,
:func:`history_entry_bytes` ...) produce the bytes the chain stores, so a mock chain can store
values of the same length. Gas numbers come from the profile's cost table (``costs.wasmd``,
``costs.store``) and ``sdk`` section; none is written here.

Units: SDK gas unless a name says ``cw``. What the VM itself does (Wasm, host imports, the
contract's own storage) is not here: :func:`runtime_charge` turns the VM's CW gas into the SDK gas
wasmd charges for it.

A tx's ``gas_used``, in the chain's order (each function returns named :class:`Charge` items):

1. :func:`gasmodel.vm.ante.ante_charges` (tx bytes from :mod:`gasmodel.chain.txsize`);
2. per message: ``MsgSend`` :func:`gasmodel.vm.ante.msg_send_charges`; ``MsgStoreCode``
   :func:`store_code_charges`; ``MsgInstantiateContract`` :func:`instantiate_charges` (before),
   the contract's storage gas during the call, :func:`runtime_charge`, then on success (after)
   and :func:`response_charges`; ``MsgExecuteContract`` :func:`execute_charges`, storage,
   :func:`runtime_charge`, :func:`response_charges`; ``MsgMigrateContract`` :func:`migrate_charges`
   likewise; funds sent with a call: :func:`gasmodel.vm.ante.bank_send_charges` (group ``funds``);
3. sub-messages: the charges of the dispatched message through :func:`submessage_gas`, then for a
   reply :func:`reply_charges` (events from :func:`call_events`), storage, :func:`runtime_charge`,
   :func:`response_charges`; ``query_chain``: :func:`sub_query_charge`.

A contract error stops after :func:`runtime_charge` (the error JSON is deserialized and charged);
the VM running out of gas ends with :func:`runtime_out_of_gas` (the tx reports its gas limit); any
other out-of-gas point is found by :func:`gas_used_within` on the charges in order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gasmodel.costs.profile import ChainProfile
from gasmodel.costs.table import StoreCosts, WasmdCosts
from gasmodel.errors import ConfigError
from gasmodel.wasm.leb import uleb

# ---------------------------------------------------------------------------------------------
# Breakdown items


@dataclass(frozen=True)
class Charge:
    """One SDK-gas charge: ``name`` says who charges what (``"keeper: contract info read"``).

    ``parts`` are the separate ``ConsumeGas`` calls in the chain's order (a KV read is flat, key
    bytes, value bytes); empty means one call of ``gas``. They decide where a tx runs out of gas.
    """

    name: str
    gas: int
    parts: tuple[int, ...] = ()

    def calls(self) -> tuple[int, ...]:
        """The ``ConsumeGas`` amounts of this charge, in order."""
        return self.parts or (self.gas,)


def total(charges: Iterable[Charge]) -> int:
    """Sum of the gas of ``charges``."""
    return sum(c.gas for c in charges)


def gas_used_within(charges: Iterable[Charge], limit: int) -> tuple[int, bool]:
    """(gas used, ran out of gas) for ``charges`` on a meter of ``limit``.

    The SDK gas meter adds each ``ConsumeGas`` amount, then panics if the total exceeds the limit;
    the tx then reports the total including the amount that crossed it.
    """
    used = 0
    for c in charges:
        for amount in c.calls():
            used += amount
            if used > limit:
                return used, True
    return used, False


# ---------------------------------------------------------------------------------------------
# Protobuf wire format (proto3, the encoding gogoproto's Marshal produces for these messages)


def varint(n: int) -> bytes:
    """A protobuf varint (unsigned LEB128)."""
    if n < 0:
        raise ConfigError(f"varint of a negative number: {n}")
    return uleb(n)


def pb_uint(field: int, value: int) -> bytes:
    """A varint field; empty when ``value`` is 0 (proto3 omits defaults)."""
    return varint(field << 3) + varint(value) if value else b""


def pb_bytes(field: int, value: bytes | str) -> bytes:
    """A length-delimited field; empty when ``value`` is empty."""
    data = value.encode() if isinstance(value, str) else value
    return varint((field << 3) | 2) + varint(len(data)) + data if data else b""


def pb_message(field: int, body: bytes, *, always: bool = False) -> bytes:
    """An embedded message field; ``always`` keeps an empty non-nullable message (``0a 00``)."""
    if not body and not always:
        return b""
    return varint((field << 3) | 2) + varint(len(body)) + body


def pb_any(type_url: str, value: bytes) -> bytes:
    """A ``google.protobuf.Any`` message body."""
    return pb_bytes(1, type_url) + pb_bytes(2, value)


# ---------------------------------------------------------------------------------------------
# wasmd store keys (x/wasm/types/keys.go) and values (types.proto)

CODE_KEY_PREFIX = b"\x01"
CONTRACT_KEY_PREFIX = b"\x02"
CONTRACT_STORE_PREFIX = b"\x03"
SEQUENCE_KEY_PREFIX = b"\x04"
CONTRACT_HISTORY_PREFIX = b"\x05"
CONTRACT_BY_CODE_PREFIX = b"\x06"
PINNED_CODE_PREFIX = b"\x07"
TX_COUNTER_KEY = b"\x08"
CONTRACTS_BY_CREATOR_PREFIX = b"\x09"
PARAMS_KEY = b"\x10"
AUTH_ACCOUNT_PREFIX = b"\x01"  # x/auth AddressStoreKeyPrefix (the account the keeper looks up)
SEQUENCE_CODE_ID_KEY = SEQUENCE_KEY_PREFIX + b"lastCodeId"
SEQUENCE_INSTANCE_ID_KEY = SEQUENCE_KEY_PREFIX + b"lastContractId"
TX_COUNTER_VALUE_BYTES = 12  # big-endian u64 height + u32 counter (keeper/ante.go encodeHeightCounter)
SEQUENCE_VALUE_BYTES = 8  # big-endian u64

# AccessType enum values (types.proto)
ACCESS_NOBODY = 1
ACCESS_EVERYBODY = 3
ACCESS_ANY_OF_ADDRESSES = 4
# ContractCodeHistoryOperationType
HISTORY_INIT = 1
HISTORY_MIGRATE = 2


def _u64(n: int) -> bytes:
    return n.to_bytes(8, "big")


def code_key(code_id: int) -> bytes:
    """``0x01 | code_id (u64 BE)``."""
    return CODE_KEY_PREFIX + _u64(code_id)


def contract_key(contract: bytes) -> bytes:
    """``0x02 | contract address bytes``."""
    return CONTRACT_KEY_PREFIX + contract


def contract_store_prefix(contract: bytes) -> bytes:
    """``0x03 | contract address bytes``: the prefix of every key of the contract's own storage."""
    return CONTRACT_STORE_PREFIX + contract


def history_key(contract: bytes, position: int) -> bytes:
    """``0x05 | contract | position (u64 BE)``: one contract code history entry."""
    return CONTRACT_HISTORY_PREFIX + contract + _u64(position)


def pinned_code_key(code_id: int) -> bytes:
    """``0x07 | code_id (u64 BE)``."""
    return PINNED_CODE_PREFIX + _u64(code_id)


def tx_position_bytes(height: int, tx_index: int) -> bytes:
    """``AbsoluteTxPosition.Bytes()``: height and index, u64 BE each."""
    return _u64(height) + _u64(tx_index)


def contract_by_code_key(code_id: int, height: int, tx_index: int, contract: bytes) -> bytes:
    """``0x06 | code_id | position | contract``: the contracts-by-code secondary index."""
    return CONTRACT_BY_CODE_PREFIX + _u64(code_id) + tx_position_bytes(height, tx_index) + contract


def contract_by_creator_key(creator: bytes, height: int, tx_index: int, contract: bytes) -> bytes:
    """``0x09 | len(creator) | creator | position | contract``: the contracts-by-creator index."""
    return (
        CONTRACTS_BY_CREATOR_PREFIX
        + bytes([len(creator)])
        + creator
        + tx_position_bytes(height, tx_index)
        + contract
    )


def access_config_bytes(permission: int = ACCESS_EVERYBODY, addresses: Sequence[str] = ()) -> bytes:
    """An ``AccessConfig`` message body."""
    return pb_uint(1, permission) + b"".join(pb_bytes(3, a) for a in addresses)


def wasm_params_bytes(
    upload: int = ACCESS_EVERYBODY,
    upload_addresses: Sequence[str] = (),
    instantiate_default: int = ACCESS_EVERYBODY,
) -> bytes:
    """The wasm module's ``Params`` as stored under ``0x10``."""
    return pb_message(1, access_config_bytes(upload, upload_addresses), always=True) + pb_uint(
        2, instantiate_default
    )


def code_info_bytes(
    checksum: bytes, creator: str, permission: int = ACCESS_EVERYBODY, addresses: Sequence[str] = ()
) -> bytes:
    """A stored ``CodeInfo`` (checksum, bech32 creator, instantiate config)."""
    return (
        pb_bytes(1, checksum)
        + pb_bytes(2, creator)
        + pb_message(5, access_config_bytes(permission, addresses), always=True)
    )


def tx_position_message(height: int, tx_index: int) -> bytes:
    """An ``AbsoluteTxPosition`` message body."""
    return pb_uint(1, height) + pb_uint(2, tx_index)


def contract_info_bytes(
    code_id: int, creator: str, admin: str, label: str, height: int, tx_index: int = 0, ibc_port_id: str = ""
) -> bytes:
    """A stored ``ContractInfo``; ``tx_index`` is the block gas consumed before the tx (see module docs)."""
    return (
        pb_uint(1, code_id)
        + pb_bytes(2, creator)
        + pb_bytes(3, admin)
        + pb_bytes(4, label)
        + pb_message(5, tx_position_message(height, tx_index))
        + pb_bytes(6, ibc_port_id)
    )


def history_entry_bytes(operation: int, code_id: int, height: int, tx_index: int, msg: bytes) -> bytes:
    """A stored ``ContractCodeHistoryEntry`` (operation, code id, position, the JSON msg)."""
    return (
        pb_uint(1, operation)
        + pb_uint(2, code_id)
        + pb_message(3, tx_position_message(height, tx_index))
        + pb_bytes(4, msg)
    )


def classic_contract_address(code_id: int, instance_id: int, length: int = 32) -> bytes:
    """``BuildContractAddressClassic``: ``address.Module("wasm", code_id || instance_id)[:length]``.

    ``address.Module`` with a derivation key is ``sha256(sha256("module") || "wasm" || 0x00 || key)``
    (cosmos-sdk types/address/hash.go); wasmd cuts it to ``ContractAddrLen`` (32 upstream; 20 on
    chains that build wasmd with 20-byte contract addresses).
    """
    key = b"wasm\x00" + _u64(code_id) + _u64(instance_id)
    return hashlib.sha256(hashlib.sha256(b"module").digest() + key).digest()[:length]


# ---------------------------------------------------------------------------------------------
# Gas helpers


def _wasmd(profile: ChainProfile) -> WasmdCosts:
    w = profile.costs.wasmd
    if w is None:  # pragma: no cover - ChainProfile validates this
        raise ConfigError(f"profile {profile.name}: no wasmd section in its cost table")
    return w


def _store(profile: ChainProfile) -> StoreCosts:
    s = profile.costs.store
    if s is None:  # pragma: no cover - ChainProfile validates this
        raise ConfigError(f"profile {profile.name}: no store section in its cost table")
    return s


class Kv:
    """Named gaskv charges on one gas-metered store (``KVGasConfig``)."""

    def __init__(self, store: StoreCosts, group: str) -> None:
        self.store = store
        self.group = group

    def _key(self, key_len: int) -> int:
        return key_len if self.store.charges_key_bytes else 0

    def get(self, what: str, key_len: int, value_len: int) -> Charge:
        """A ``Get`` returning ``value_len`` bytes (0 when the key is absent): flat, key, value."""
        s = self.store
        parts = (s.read_flat, s.read_per_byte * self._key(key_len), s.read_per_byte * value_len)
        return Charge(f"{self.group}: {what} read", sum(parts), parts)

    def set(self, what: str, key_len: int, value_len: int) -> Charge:
        """A ``Set``: flat, key, value."""
        s = self.store
        parts = (s.write_flat, s.write_per_byte * self._key(key_len), s.write_per_byte * value_len)
        return Charge(f"{self.group}: {what} write", sum(parts), parts)

    def has(self, what: str) -> Charge:
        """A ``Has``."""
        return Charge(f"{self.group}: {what} has", self.store.has)

    def delete(self, what: str) -> Charge:
        """A ``Delete``."""
        return Charge(f"{self.group}: {what} delete", self.store.delete)

    def seek(self, what: str, item: tuple[int, int] | None) -> Charge:
        """Creating an iterator (``consumeSeekGas``): the first item's key and value bytes if there
        is one, then ``IterNextCostFlat``."""
        s = self.store
        parts = (
            () if item is None else (s.read_per_byte * self._key(item[0]), s.read_per_byte * item[1])
        ) + (s.iter_next_flat,)
        return Charge(f"{self.group}: {what} iterator", sum(parts), parts)


def _kv(profile: ChainProfile) -> Kv:
    return Kv(_store(profile), "keeper")


# ---------------------------------------------------------------------------------------------
# Pieces shared by the message handlers


def setup_cost(
    profile: ChainProfile, kind: str, msg_len: int, *, pinned: bool = False, loaded_in_tx: bool = False
) -> Charge:
    """``SetupContractCost``: "Loading CosmWasm module: {kind}".

    Discounted for pinned code; where the register says ``discount_when_loaded_in_tx`` (wasmd v0.54+,
    ``checkDiscountEligibility``), also when ``loaded_in_tx``: the checksum already ran earlier in
    the same tx."""
    w = _wasmd(profile)
    discounted = pinned or (w.discount_when_loaded_in_tx and loaded_in_tx)
    return Charge(
        f"keeper: setup {kind}", w.setup_cost(discounted) + w.contract_message_data_cost_per_byte * msg_len
    )


def pinned_setup(
    profile: ChainProfile, kind: str, msg_len: int, *, pinned: bool = False, loaded_in_tx: bool = False
) -> list[Charge]:
    """The keeper's pinned-code check (``IsPinnedCode``), then :func:`setup_cost`, which it
    discounts: what each VM call of ``kind`` pays before the VM runs."""
    return [
        _kv(profile).has("pinned code"),
        setup_cost(profile, kind, msg_len, pinned=pinned, loaded_in_tx=loaded_in_tx),
    ]


def runtime_charge(profile: ChainProfile, vm_gas_cw: int, result_len: int | None = None) -> list[Charge]:
    """``consumeRuntimeGas`` after one VM call: ``floor(used_internally / multiplier)``.

    ``used_internally`` (wasmvm) is the VM's own CW gas plus ``DeserializeResponse``'s 1 SDK gas
    (x multiplier) per byte of the JSON result; both are returned as separate items (the floor is
    taken of the sum, which equals the floor of the VM part plus the whole result part because the
    deserialization cost is a multiple of the multiplier). ``result_len`` None: the VM call failed
    (no result deserialized).
    """
    w = _wasmd(profile)
    deser_cw = w.to_cw(w.response_deserialization_cost_per_byte * (result_len or 0))
    total_sdk = w.to_sdk(vm_gas_cw + deser_cw)
    vm_sdk = w.to_sdk(vm_gas_cw)
    items = [Charge("wasm: vm execution", vm_sdk)]
    if result_len is not None:
        items.append(Charge("wasm: response deserialization", total_sdk - vm_sdk))
    return items


def runtime_out_of_gas(gas_limit: int, used_before_vm_end: int) -> Charge:
    """The VM ran out of gas: wasmvm reports all the CW gas it was given (``ToWasmVMGas`` of what was
    left) minus what the backend already charged, and ``consumeRuntimeGas`` charges it and panics,
    so the tx reports exactly its gas limit. ``used_before_vm_end``: SDK gas on the meter before this
    charge (everything before the call plus the contract's storage gas during it)."""
    return Charge("wasm: vm execution (out of gas)", max(gas_limit - used_before_vm_end, 0))


@dataclass(frozen=True)
class EventAttr:
    """One contract event attribute."""

    key: str
    value: str


@dataclass(frozen=True)
class CustomEvent:
    """One custom event of a contract response (its type and attributes)."""

    type: str
    attributes: tuple[EventAttr, ...] = ()


def _attr_costs(w: WasmdCosts, attrs: Sequence[EventAttr], free: int) -> tuple[int, int]:
    if not attrs:
        return 0, free
    stored = sum(len(a.key.encode()) + len(a.value.encode()) for a in attrs)
    if stored <= free:
        stored, free = 0, free - stored
    else:
        stored, free = stored - free, 0
    return w.event_attribute_data_cost_per_byte * stored + w.per_attribute_cost * len(attrs), free


def event_costs(
    profile: ChainProfile, attributes: Sequence[EventAttr] = (), events: Sequence[CustomEvent] = ()
) -> int:
    """``EventCosts``: the response's attributes, then each custom event (the free tier is shared)."""
    w = _wasmd(profile)
    gas, free = _attr_costs(w, attributes, w.event_attribute_data_free_tier)
    for e in events:
        gas += w.per_custom_event_cost + w.event_attribute_data_cost_per_byte * len(e.type.encode())
        cost, free = _attr_costs(w, e.attributes, free)
        gas += cost
    return gas


def response_charges(
    profile: ChainProfile, attributes: Sequence[EventAttr] = (), events: Sequence[CustomEvent] = ()
) -> list[Charge]:
    """``handleContractResponse`` before dispatch: "Custom contract event attributes".

    Charged even when zero. The ``wasm`` event's ``_contract_address`` attribute and the
    ``wasm-*`` prefix wasmd adds are not charged (costs are computed on the contract's own data).
    Sub-message dispatch is priced by the caller, message by message.
    """
    return [Charge("keeper: contract events", event_costs(profile, attributes, events))]


def reply_costs(
    profile: ChainProfile, *, error: str | None = None, data_len: int = 0, events: Sequence[CustomEvent] = ()
) -> Charge:
    """``ReplyCosts(discount=true, reply)``: the discounted setup cost, message data and the events
    of the sub-message result (each event type's bytes, plus ``EventCosts`` of all their attributes)."""
    w = _wasmd(profile)
    msg_len = len(error.encode()) if error is not None else data_len
    gas = 0
    attrs: list[EventAttr] = []
    if error is None:
        for e in events:
            gas += w.event_attribute_data_cost_per_byte * len(e.type.encode())
            attrs.extend(e.attributes)
        gas += event_costs(profile, attrs)
    gas += w.setup_cost(True) + w.contract_message_data_cost_per_byte * msg_len
    return Charge("keeper: setup reply", gas)


def params_read(profile: ChainProfile) -> Charge:
    """The wasm module's ``Params`` read (key ``0x10``)."""
    return _kv(profile).get("wasm params", len(PARAMS_KEY), profile.sdk_layout().wasm_params_bytes)


# ---------------------------------------------------------------------------------------------
# Message handlers


@dataclass(frozen=True)
class StoredCode:
    """What the keeper stores for a code id (``CodeInfo``) and whether it is pinned."""

    code_id: int
    checksum: bytes
    creator: str
    permission: int = ACCESS_EVERYBODY
    addresses: tuple[str, ...] = ()
    pinned: bool = False

    @property
    def info_len(self) -> int:
        """Length of the stored ``CodeInfo``."""
        return len(code_info_bytes(self.checksum, self.creator, self.permission, self.addresses))


@dataclass(frozen=True)
class StoredContract:
    """What the keeper stores for a contract (``ContractInfo``) and its last history entry."""

    address: bytes
    code_id: int
    creator: str
    admin: str
    label: str
    created_height: int
    created_tx_index: int = 0
    ibc_port_id: str = ""
    last_history_len: int = 0
    history_entries: int = 1

    @property
    def info_len(self) -> int:
        """Length of the stored ``ContractInfo``."""
        return len(
            contract_info_bytes(
                self.code_id,
                self.creator,
                self.admin,
                self.label,
                self.created_height,
                self.created_tx_index,
                self.ibc_port_id,
            )
        )


def store_code_charges(
    profile: ChainProfile,
    *,
    uploaded_len: int,
    wasm_len: int,
    gzipped: bool,
    code_id: int,
    checksum: bytes,
    creator: str,
    permission: int = ACCESS_EVERYBODY,
    addresses: Sequence[str] = (),
    first_code: bool = False,
) -> list[Charge]:
    """``MsgStoreCode`` (keeper ``create``): params reads, uncompress, compile, code id sequence,
    ``CodeInfo`` write. ``uploaded_len`` is the bytes in the message (gzip or not), ``wasm_len``
    the module's uncompressed length; ``first_code``: no code was ever stored (the sequence key is
    absent). Compile is ``3 x multiplier`` CW gas per byte in wasmvm, charged as SDK gas by
    ``consumeRuntimeGas``."""
    w, kv = _wasmd(profile), _kv(profile)
    out = [params_read(profile), params_read(profile)]  # instantiate default + upload access config
    if gzipped:
        out.append(Charge("keeper: uncompress", w.uncompress_cost(uploaded_len)))
    out.append(Charge("wasm: compile", w.to_sdk(w.to_cw(w.compile_cost(wasm_len)))))
    seq = len(SEQUENCE_CODE_ID_KEY)
    out += [
        kv.get("code id sequence", seq, 0 if first_code else SEQUENCE_VALUE_BYTES),
        kv.set("code id sequence", seq, SEQUENCE_VALUE_BYTES),
        kv.set(
            "code info",
            len(code_key(code_id)),
            len(code_info_bytes(checksum, creator, permission, addresses)),
        ),
    ]
    return out


def instantiate_charges(
    profile: ChainProfile,
    *,
    code: StoredCode,
    contract: bytes,
    creator: bytes,
    creator_bech32: str,
    admin: str,
    label: str,
    msg: bytes,
    height: int,
    tx_index: int = 0,
    first_instance: bool = False,
    new_account: Sequence[Charge] = (),
    funds_transfer: Sequence[Charge] = (),
    loaded_in_tx: bool = False,
) -> tuple[list[Charge], list[Charge]]:
    """``MsgInstantiateContract`` (keeper ``instantiate``), split around the VM call: (before, after).

    Before: pinned check, setup cost, ``CodeInfo`` read, instance id sequence, contract existence
    check, the lookup of an account at the new address, the contract's account (``new_account``:
    :func:`gasmodel.vm.ante.new_account_charges`),
    the deposit (``funds_transfer``). After (only on success): the contracts-by-code and by-creator
    indexes, the history (an empty reverse iterator, then the entry), the ``ContractInfo``. The
    VM's own charge (:func:`runtime_charge`) and the response (:func:`response_charges`) go between
    and after these.
    """
    kv = _kv(profile)
    seq = len(SEQUENCE_INSTANCE_ID_KEY)
    before = [
        *pinned_setup(profile, "instantiate", len(msg), pinned=code.pinned, loaded_in_tx=loaded_in_tx),
        kv.get("code info", len(code_key(code.code_id)), code.info_len),
        kv.get("instance id sequence", seq, 0 if first_instance else SEQUENCE_VALUE_BYTES),
        kv.set("instance id sequence", seq, SEQUENCE_VALUE_BYTES),
        kv.has("contract info"),
        # x/auth GetAccount of the new address (key 0x01 | address), absent for a fresh contract
        kv.get("contract account", len(AUTH_ACCOUNT_PREFIX) + len(contract), 0),
        *new_account,
        *funds_transfer,
    ]
    info = contract_info_bytes(code.code_id, creator_bech32, admin, label, height, tx_index)
    entry = history_entry_bytes(HISTORY_INIT, code.code_id, height, tx_index, msg)
    after = [
        kv.set(
            "contracts-by-code index", len(contract_by_code_key(code.code_id, height, tx_index, contract)), 0
        ),
        kv.set(
            "contracts-by-creator index", len(contract_by_creator_key(creator, height, tx_index, contract)), 0
        ),
        kv.seek("contract history", None),
        kv.set("contract history", len(history_key(contract, 1)), len(entry)),
        kv.set("contract info", len(contract_key(contract)), len(info)),
    ]
    return before, after


def contract_instance_reads(
    profile: ChainProfile, contract: StoredContract, code: StoredCode
) -> list[Charge]:
    """``contractInstance``: the ``ContractInfo`` and ``CodeInfo`` reads of execute/sudo/query/reply."""
    kv = _kv(profile)
    return [
        kv.get("contract info", len(contract_key(contract.address)), contract.info_len),
        kv.get("code info", len(code_key(code.code_id)), code.info_len),
    ]


def execute_charges(
    profile: ChainProfile,
    *,
    contract: StoredContract,
    code: StoredCode,
    msg: bytes,
    funds_transfer: Sequence[Charge] = (),
    loaded_in_tx: bool = False,
) -> list[Charge]:
    """``MsgExecuteContract`` (keeper ``execute``) before the VM call: instance reads, pinned check,
    setup cost, the funds transfer. Then :func:`runtime_charge` and, on success,
    :func:`response_charges`."""
    return [
        *contract_instance_reads(profile, contract, code),
        *pinned_setup(profile, "execute", len(msg), pinned=code.pinned, loaded_in_tx=loaded_in_tx),
        *funds_transfer,
    ]


def query_charges(
    profile: ChainProfile,
    *,
    contract: StoredContract,
    code: StoredCode,
    msg: bytes,
    loaded_in_tx: bool = False,
) -> list[Charge]:
    """``QuerySmart`` before the VM call (a contract's ``query_chain`` smart query, or gRPC)."""
    return [
        *contract_instance_reads(profile, contract, code),
        *pinned_setup(profile, "query", len(msg), pinned=code.pinned, loaded_in_tx=loaded_in_tx),
    ]


def migrate_charges(
    profile: ChainProfile,
    *,
    contract: StoredContract,
    old_code: StoredCode,
    new_code: StoredCode,
    msg: bytes,
    height: int,
    tx_index: int = 0,
    loaded_in_tx: bool = False,
) -> tuple[list[Charge], list[Charge]]:
    """``MsgMigrateContract`` (keeper ``migrate``), split around the VM call: (before, after).

    Before: ``ContractInfo`` read (an unauthorized sender stops here), new and old ``CodeInfo``
    reads, pinned check, setup cost. After (on success): the last history entry found twice by a
    reverse iterator (to remove its secondary index, then to append), the index delete, the new
    entry, the new index entry and the rewritten ``ContractInfo`` (new code id).
    """
    kv = _kv(profile)
    before = [
        kv.get("contract info", len(contract_key(contract.address)), contract.info_len),
        kv.get("code info (new)", len(code_key(new_code.code_id)), new_code.info_len),
        kv.get("code info (old)", len(code_key(old_code.code_id)), old_code.info_len),
        *pinned_setup(profile, "migrate", len(msg), pinned=new_code.pinned, loaded_in_tx=loaded_in_tx),
    ]
    last = (len(history_key(contract.address, contract.history_entries)), contract.last_history_len)
    entry = history_entry_bytes(HISTORY_MIGRATE, new_code.code_id, height, tx_index, msg)
    new_info = contract_info_bytes(
        new_code.code_id,
        contract.creator,
        contract.admin,
        contract.label,
        contract.created_height,
        contract.created_tx_index,
        contract.ibc_port_id,
    )
    after = [
        kv.seek("contract history (last entry)", last),
        kv.delete("contracts-by-code index"),
        kv.seek("contract history", last),
        kv.set(
            "contract history", len(history_key(contract.address, contract.history_entries + 1)), len(entry)
        ),
        kv.set(
            "contracts-by-code index",
            len(contract_by_code_key(new_code.code_id, height, tx_index, contract.address)),
            0,
        ),
        kv.set("contract info", len(contract_key(contract.address)), len(new_info)),
    ]
    return before, after


def not_admin_charges(profile: ChainProfile, contract: StoredContract) -> list[Charge]:
    """A migrate by a sender that is not the admin: the ``ContractInfo`` read, then the error."""
    return [_kv(profile).get("contract info", len(contract_key(contract.address)), contract.info_len)]


# ---------------------------------------------------------------------------------------------
# Sub-messages and replies (keeper/msg_dispatcher.go, keeper/events.go)


def call_events(
    kind: str,
    contract: str,
    *,
    code_id: int | None = None,
    attributes: Sequence[EventAttr] = (),
    events: Sequence[CustomEvent] = (),
) -> list[CustomEvent]:
    """The events wasmd emits for one successful contract call, in order, as a reply sees them.

    ``kind``'s event (``instantiate``: ``_contract_address``, ``code_id``; ``execute``/``sudo``/
    ``reply``: ``_contract_address``; ``migrate``: ``code_id``, ``_contract_address``), then ``wasm``
    (``_contract_address`` first) if the contract returned attributes, then ``wasm-{type}`` per
    custom event; attribute keys and values are trimmed. A reply to a wasm sub-message is charged
    for all of them (:func:`reply_costs`), ``_contract_address`` included.
    """
    addr = EventAttr("_contract_address", contract)
    head = {
        "instantiate": [addr, EventAttr("code_id", str(code_id))],
        "execute": [addr],
        "sudo": [addr],
        "reply": [addr],
        "migrate": [EventAttr("code_id", str(code_id)), addr],
    }
    if kind not in head:
        raise ConfigError(f"unknown contract call kind {kind!r}; known: {', '.join(head)}")
    out = [CustomEvent(kind, tuple(head[kind]))]

    def trimmed(attrs: Sequence[EventAttr]) -> tuple[EventAttr, ...]:
        return (addr, *(EventAttr(a.key.strip(), a.value.strip()) for a in attrs))

    if attributes:
        out.append(CustomEvent("wasm", trimmed(attributes)))
    out += [CustomEvent(f"wasm-{e.type.strip()}", trimmed(e.attributes)) for e in events]
    return out


def transfer_events(sender: str, recipient: str, amount: str) -> list[CustomEvent]:
    """The bank events of one transfer (``amount`` as the chain prints coins, e.g. ``"7inj"``) that a
    reply sees: coin_spent, coin_received, transfer (the ``message`` event is filtered out)."""
    return [
        CustomEvent("coin_spent", (EventAttr("spender", sender), EventAttr("amount", amount))),
        CustomEvent("coin_received", (EventAttr("receiver", recipient), EventAttr("amount", amount))),
        CustomEvent(
            "transfer",
            (EventAttr("recipient", recipient), EventAttr("sender", sender), EventAttr("amount", amount)),
        ),
    ]


def submessage_gas(
    sub_charges: Sequence[Charge],
    gas_limit: int | None,
    gas_remaining: int,
) -> tuple[list[Charge], bool]:
    """How a sub-message's charges reach the parent meter: (charges, the sub-message ran out of gas).

    Without a gas limit (or one not below the gas remaining) they are charged as they happen. With
    one, the sub-message runs on its own meter: the parent is then charged the total in one call,
    or, if the sub-message ran out of gas, the whole limit (it then fails; a reply may follow).
    """
    if gas_limit is None or gas_limit >= gas_remaining:
        return list(sub_charges), False
    used, ran_out = gas_used_within(sub_charges, gas_limit)
    if ran_out:
        return [Charge("keeper: sub-message out of gas", gas_limit)], True
    return [Charge("keeper: limited sub-message", used)], False


def reply_charges(
    profile: ChainProfile,
    contract: StoredContract,
    code: StoredCode,
    *,
    error: str | None = None,
    data_len: int = 0,
    events: Sequence[CustomEvent] = (),
) -> list[Charge]:
    """``reply`` before the VM call: the instance reads, then ``ReplyCosts`` (always discounted).
    ``events``: what the sub-message emitted (:func:`call_events`, :func:`transfer_events`) if it was
    a wasm message; other sub-messages pass no events."""
    return [
        *contract_instance_reads(profile, contract, code),
        reply_costs(profile, error=error, data_len=data_len, events=events),
    ]


def sub_query_charge(query_charges: Sequence[Charge]) -> Charge:
    """A contract's ``query_chain`` (keeper/query_plugins.go ``QueryHandler.Query``): the query runs
    on its own meter (limit: the VM's gas left), e.g. :func:`query_charges` + the queried contract's
    VM charges for a smart query, or a balance read for a bank query; the caller's meter is then
    charged the total in one call ("contract sub-query"), which wasmvm also reports to the VM as
    externally used gas."""
    return Charge("keeper: contract sub-query", total(query_charges))
