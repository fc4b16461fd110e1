"""The ``env`` imports of a CosmWasm contract, charging what cosmwasm-vm charges.

:func:`make_imports` builds, for one contract call, the imports a chain profile's VM supports
(``ChainProfile.imports``), each as ``(param types, result types, fn(ctx, *args))`` with Wasm
types ``"i32"``/``"i64"``; the runtime links them and calls ``fn`` with a
:class:`~gasmodel.vm.context.CallContext`. Behaviour and gas follow cosmwasm-vm
``packages/vm/src/imports.rs`` and ``memory.rs`` (CosmWasm/cosmwasm@v2.1.6, @v3.0.7):

* every import first pays ``host.call`` (``charge_host_call_gas``; 0 where the VM has none);
* each Region read pays ``region.read_cost(length)`` *before* the length check; each Region
  write pays ``region.write_cost(len)`` (3.x) before the capacity check; results handed to the
  contract are written into a Region the guest's ``allocate`` made (``write_to_contract``);
* ``addr_validate``, ``addr_canonicalize`` and ``abort`` pay ``host.string_from_bytes`` per
  byte; crypto imports pay their ``LinearCost`` after reading their inputs;
* storage and query gas is charged by the chain (the :class:`~gasmodel.vm.context.Backend`
  returns SDK gas) and reported to the VM as externally used gas: ``sdk x gas_multiplier``;
  the address API's SDK gas is reported as VM gas (``GasInfo::with_cost``), also x multiplier.

Errors a host function raises are :class:`~gasmodel.vm.context.VmAbort` with cosmwasm-vm's
message texts; "user" errors (a bad address, a crypto failure) are returned to the contract
as cosmwasm-vm does (a Region with the message, or an error code).
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from gasmodel.costs.profile import ChainProfile
from gasmodel.costs.table import CostTable, LinearCost
from gasmodel.errors import ConfigError
from gasmodel.vm import crypto
from gasmodel.vm.context import Backend, CallContext, VmAbort
from gasmodel.vm.regions import get_region, read_region, write_region

ImportSpec = tuple[tuple[str, ...], tuple[str, ...], Callable[..., Any]]
DebugHandler = Callable[[str, int], None]

# imports.rs constants (v2.1.6 = v3.0.7)
KI = 1024
MI = 1024 * 1024
MAX_LENGTH_DB_KEY = 64 * KI
MAX_LENGTH_DB_VALUE = 128 * KI
MAX_LENGTH_CANONICAL_ADDRESS = 64
MAX_LENGTH_HUMAN_ADDRESS = 256
MAX_LENGTH_QUERY_CHAIN_REQUEST = 64 * KI
MAX_LENGTH_ED25519_SIGNATURE = 64
MAX_LENGTH_ED25519_MESSAGE = 128 * KI
MAX_COUNT_ED25519_BATCH = 256
MAX_LENGTH_DEBUG = 2 * MI
MAX_LENGTH_ABORT = 2 * MI
BLS12_381_MAX_AGGREGATE_SIZE = 2 * MI
BLS12_381_MAX_MESSAGE_SIZE = 5 * MI
BLS12_381_MAX_DST_SIZE = 5 * KI
# wasmvm internal/api/callbacks.go frameLenLimit: iterators per contract call
MAX_ITERATORS = 32768

_U32 = 0xFFFF_FFFF

_WRITE_DENIED = "Must not call a writing storage function in this context."


@dataclass(frozen=True)
class HostOptions:
    """Per-call choices: ``readonly`` for queries; ``debug`` handler (``None`` = wasmd's default,
    ``ContractDebugMode`` off); the per-call iterator cap."""

    readonly: bool = False
    debug: DebugHandler | None = None
    max_iterators: int = MAX_ITERATORS


class DebugLog:
    """A debug handler that collects ``(message, gas_left)`` instead of printing."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, int]] = []

    def __call__(self, message: str, gas_left: int) -> None:
        self.messages.append((message, gas_left))


def _version(text: str) -> tuple[int, int, int]:
    parts = text.split("-")[0].split(".")
    try:
        major, minor = int(parts[0]), int(parts[1])
        patch = 10**6 if len(parts) < 3 or parts[2] == "x" else int(parts[2])
    except (IndexError, ValueError):
        raise ConfigError(f"chain profile: vm_version {text!r} is not MAJOR.MINOR.PATCH") from None
    return major, minor, patch


def debug_reads_always(vm_version: str) -> bool:
    """Whether ``debug`` reads (and pays for) its Region even without a debug handler.

    Read tag by tag in CosmWasm/cosmwasm packages/vm/src/imports.rs ``do_debug``: the read
    moved before ``if let Some(debug_handler)`` in v1.5.11, v2.1.7, v2.2.2 and every later
    tag (all of 2.3.x and 3.x)."""
    major, minor, patch = _version(vm_version)
    if major >= 3 or (major, minor) >= (2, 3):
        return True
    first = {(1, 5): 11, (2, 1): 7, (2, 2): 2}.get((major, minor))
    return first is not None and patch >= first


def encode_sections(sections: list[bytes]) -> bytes:
    """cosmwasm-vm ``encode_sections``: each section followed by its length (u32 big-endian)."""
    return b"".join(s + struct.pack(">I", len(s)) for s in sections)


def decode_sections(data: bytes) -> list[bytes]:
    """cosmwasm-vm ``decode_sections`` (read from the end); VmAbort on malformed input."""
    out: list[bytes] = []
    end = len(data)
    while end > 0:
        if end < 4:
            raise VmAbort(
                "host_error",
                "Error in guest/host communication: Got an invalid section: "
                "Remaining data too short to read section length",
            )
        (length,) = struct.unpack(">I", data[end - 4 : end])
        start = end - 4 - length
        if start < 0:
            raise VmAbort(
                "host_error",
                "Error in guest/host communication: Got an invalid section: "
                "Remaining data too short to read section",
            )
        out.append(data[start : end - 4])
        end = start
    out.reverse()
    return out


def _comm(message: str) -> VmAbort:
    return VmAbort("host_error", f"Error in guest/host communication: {message}")


class _Regions:
    """The Region reads and writes of the imports, through :mod:`gasmodel.vm.regions` (the one
    Region reader), with the table's region charges."""

    def __init__(self, table: CostTable) -> None:
        self._costs = table.region

    def read(self, ctx: CallContext, ptr: int, max_length: int) -> bytes:
        return read_region(ctx, ptr, max_length, self._costs)

    def maybe_read(self, ctx: CallContext, ptr: int, max_length: int) -> bytes | None:
        """memory.rs ``maybe_read_region``: pointer 0 means "none"."""
        return None if ptr == 0 else self.read(ctx, ptr, max_length)

    def write(self, ctx: CallContext, ptr: int, data: bytes) -> None:
        write_region(ctx, ptr, data, self._costs)

    def to_contract(self, ctx: CallContext, data: bytes) -> int:
        """imports.rs ``write_to_contract``: the guest allocates, the host writes; the Region ptr."""
        ptr = ctx.allocate(len(data))
        if ptr == 0:
            raise _comm("Got a zero Wasm address")
        self.write(ctx, ptr, data)
        return ptr


class _Iterators:
    """One contract call's iterators (libwasmvm ``GoStorage.iterators``: ids from 0)."""

    def __init__(self, cap: int) -> None:
        self._cap = cap
        self._items: list[Iterator[tuple[bytes, bytes]]] = []

    def add(self, it: Iterator[tuple[bytes, bytes]]) -> int:
        if len(self._items) >= self._cap:
            raise VmAbort(
                "host_error",
                "Error calling into the VM's backend: User error during call into backend: "
                f"Reached iterator limit ({self._cap})",
            )
        self._items.append(it)
        return len(self._items) - 1

    def get(self, iterator_id: int) -> Iterator[tuple[bytes, bytes]]:
        if not 0 <= iterator_id < len(self._items):
            raise VmAbort(
                "host_error",
                f"Error calling into the VM's backend: Iterator with ID {iterator_id} does not exist",
            )
        return self._items[iterator_id]


def _cost(value: LinearCost | None, n: int = 0) -> int:
    return 0 if value is None else value.total(n)


class _Host:
    """The state and import functions of one contract call."""

    def __init__(self, profile: ChainProfile, backend: Backend, options: HostOptions) -> None:
        self.table = profile.costs
        self.host = profile.costs.host
        self.backend = backend
        self.options = options
        self.regions = _Regions(profile.costs)
        self.iterators = _Iterators(options.max_iterators)
        self.debug_reads_always = debug_reads_always(profile.vm_version)

    # --- charging helpers ---

    def call(self, ctx: CallContext) -> None:
        if self.host.call:
            ctx.charge(self.host.call)

    def external(self, ctx: CallContext, sdk_gas: int) -> None:
        ctx.charge(0, externally_used_cw=sdk_gas * self.backend.gas_multiplier)

    def vm_cost(self, ctx: CallContext, cw: int) -> None:
        if cw:
            ctx.charge(cw)

    def string_cost(self, ctx: CallContext, n: int) -> None:
        self.vm_cost(ctx, _cost(self.host.string_from_bytes, n))

    def user_error(self, ctx: CallContext, message: str) -> int:
        return self.regions.to_contract(ctx, message.encode())

    # --- storage ---

    def db_read(self, ctx: CallContext, key_ptr: int) -> int:
        self.call(ctx)
        key = self.regions.read(ctx, key_ptr, MAX_LENGTH_DB_KEY)
        value, gas = self.backend.storage.get(key)
        self.external(ctx, gas)
        if value is None:
            return 0
        return self.regions.to_contract(ctx, value)

    def _deny_in_query(self) -> None:
        if self.options.readonly:
            raise VmAbort("host_error", _WRITE_DENIED)

    def _read_for_write(self, ctx: CallContext, ptr: int, limit: int, kind: str) -> bytes:
        length = get_region(ctx, ptr).length
        try:
            return self.regions.read(ctx, ptr, limit)
        except VmAbort:
            if length <= limit:
                raise
            # imports.rs convert_error: RegionLengthTooBig (after read_region charged) becomes
            raise VmAbort(
                "host_error",
                f"Generic error: {kind} too big. Tried to write {length} bytes to storage, limit is {limit}.",
            ) from None

    def db_write(self, ctx: CallContext, key_ptr: int, value_ptr: int) -> None:
        self.call(ctx)
        self._deny_in_query()
        key = self._read_for_write(ctx, key_ptr, MAX_LENGTH_DB_KEY, "Key")
        value = self._read_for_write(ctx, value_ptr, MAX_LENGTH_DB_VALUE, "Value")
        self.external(ctx, self.backend.storage.set(key, value))

    def db_remove(self, ctx: CallContext, key_ptr: int) -> None:
        self.call(ctx)
        self._deny_in_query()
        key = self.regions.read(ctx, key_ptr, MAX_LENGTH_DB_KEY)
        self.external(ctx, self.backend.storage.remove(key))

    def db_scan(self, ctx: CallContext, start_ptr: int, end_ptr: int, order: int) -> int:
        self.call(ctx)
        start = self.regions.maybe_read(ctx, start_ptr, MAX_LENGTH_DB_KEY)
        end = self.regions.maybe_read(ctx, end_ptr, MAX_LENGTH_DB_KEY)
        if order not in (1, 2):
            raise _comm(f"Got an invalid value for iteration order: {order}")
        it, gas = self.backend.storage.scan(start, end, ascending=order == 1)
        self.external(ctx, gas)
        return self.iterators.add(it)

    def _next(self, ctx: CallContext, iterator_id: int) -> tuple[bytes, bytes] | None:
        it = self.iterators.get(iterator_id)
        item = next(it, None)
        self.external(ctx, 0 if item is None else self.backend.storage.next_gas(*item))
        return item

    def db_next(self, ctx: CallContext, iterator_id: int) -> int:
        self.call(ctx)
        item = self._next(ctx, iterator_id)
        key, value = item if item is not None else (b"", b"")
        return self.regions.to_contract(ctx, encode_sections([key, value]))

    def db_next_key(self, ctx: CallContext, iterator_id: int) -> int:
        self.call(ctx)
        item = self._next(ctx, iterator_id)
        return 0 if item is None else self.regions.to_contract(ctx, item[0])

    def db_next_value(self, ctx: CallContext, iterator_id: int) -> int:
        self.call(ctx)
        item = self._next(ctx, iterator_id)
        return 0 if item is None else self.regions.to_contract(ctx, item[1])

    # --- addresses ---

    def _human_input(self, ctx: CallContext, ptr: int) -> str | int:
        """The string argument of addr_validate/addr_canonicalize, or the ptr of an error."""
        data = self.regions.read(ctx, ptr, MAX_LENGTH_HUMAN_ADDRESS)
        if not data:
            return self.user_error(ctx, "Input is empty")
        self.string_cost(ctx, len(data))
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return self.user_error(ctx, "Input is not valid UTF-8")

    def addr_validate(self, ctx: CallContext, source_ptr: int) -> int:
        self.call(ctx)
        human = self._human_input(ctx, source_ptr)
        if isinstance(human, int):
            return human
        error, gas = self.backend.api.validate(human)
        self.vm_cost(ctx, gas * self.backend.gas_multiplier)
        return 0 if error is None else self.user_error(ctx, error)

    def addr_canonicalize(self, ctx: CallContext, source_ptr: int, destination_ptr: int) -> int:
        self.call(ctx)
        human = self._human_input(ctx, source_ptr)
        if isinstance(human, int):
            return human
        result, gas = self.backend.api.canonicalize(human)
        self.vm_cost(ctx, gas * self.backend.gas_multiplier)
        if isinstance(result, str):
            return self.user_error(ctx, result)
        self.regions.write(ctx, destination_ptr, result)
        return 0

    def addr_humanize(self, ctx: CallContext, source_ptr: int, destination_ptr: int) -> int:
        self.call(ctx)
        canonical = self.regions.read(ctx, source_ptr, MAX_LENGTH_CANONICAL_ADDRESS)
        human, error, gas = self.backend.api.humanize(canonical)
        self.vm_cost(ctx, gas * self.backend.gas_multiplier)
        if human is None:
            return self.user_error(ctx, error or "humanize failed")
        self.regions.write(ctx, destination_ptr, human.encode())
        return 0

    # --- crypto ---

    def secp256k1_verify(self, ctx: CallContext, hash_ptr: int, sig_ptr: int, key_ptr: int) -> int:
        return self._verify(ctx, hash_ptr, sig_ptr, key_ptr, "secp256k1_verify")

    def secp256r1_verify(self, ctx: CallContext, hash_ptr: int, sig_ptr: int, key_ptr: int) -> int:
        return self._verify(ctx, hash_ptr, sig_ptr, key_ptr, "secp256r1_verify")

    def _verify(self, ctx: CallContext, hash_ptr: int, sig_ptr: int, key_ptr: int, name: str) -> int:
        self.call(ctx)
        msg_hash = self.regions.read(ctx, hash_ptr, crypto.MESSAGE_HASH_MAX_LEN)
        signature = self.regions.read(ctx, sig_ptr, crypto.ECDSA_SIGNATURE_LEN)
        pubkey = self.regions.read(ctx, key_ptr, crypto.ECDSA_PUBKEY_MAX_LEN)
        self.vm_cost(ctx, _cost(getattr(self.host, name)))
        fn = crypto.secp256k1_verify if name == "secp256k1_verify" else crypto.secp256r1_verify
        try:
            return 0 if fn(msg_hash, signature, pubkey) else 1
        except crypto.CryptoFailure as exc:
            return exc.code

    def secp256k1_recover_pubkey(
        self, ctx: CallContext, hash_ptr: int, sig_ptr: int, recovery_param: int
    ) -> int:
        return self._recover(ctx, hash_ptr, sig_ptr, recovery_param, "secp256k1_recover_pubkey")

    def secp256r1_recover_pubkey(
        self, ctx: CallContext, hash_ptr: int, sig_ptr: int, recovery_param: int
    ) -> int:
        return self._recover(ctx, hash_ptr, sig_ptr, recovery_param, "secp256r1_recover_pubkey")

    def _recover(self, ctx: CallContext, hash_ptr: int, sig_ptr: int, recovery_param: int, name: str) -> int:
        self.call(ctx)
        msg_hash = self.regions.read(ctx, hash_ptr, crypto.MESSAGE_HASH_MAX_LEN)
        signature = self.regions.read(ctx, sig_ptr, crypto.ECDSA_SIGNATURE_LEN)
        recovery_param &= _U32
        if recovery_param > 0xFF:  # u32 -> u8 conversion fails before any crypto gas
            return crypto.INVALID_RECOVERY_PARAM << 32
        self.vm_cost(ctx, _cost(getattr(self.host, name)))
        fn = (
            crypto.secp256k1_recover_pubkey
            if name == "secp256k1_recover_pubkey"
            else crypto.secp256r1_recover_pubkey
        )
        try:
            pubkey = fn(msg_hash, signature, recovery_param)
        except crypto.CryptoFailure as exc:
            return exc.code << 32
        return self.regions.to_contract(ctx, pubkey)

    def ed25519_verify(self, ctx: CallContext, msg_ptr: int, sig_ptr: int, key_ptr: int) -> int:
        self.call(ctx)
        message = self.regions.read(ctx, msg_ptr, MAX_LENGTH_ED25519_MESSAGE)
        signature = self.regions.read(ctx, sig_ptr, MAX_LENGTH_ED25519_SIGNATURE)
        pubkey = self.regions.read(ctx, key_ptr, crypto.EDDSA_PUBKEY_LEN)
        self.vm_cost(ctx, _cost(self.host.ed25519_verify))
        try:
            return 0 if crypto.ed25519_verify(message, signature, pubkey) else 1
        except crypto.CryptoFailure as exc:
            return exc.code

    def ed25519_batch_verify(self, ctx: CallContext, msgs_ptr: int, sigs_ptr: int, keys_ptr: int) -> int:
        self.call(ctx)
        n = MAX_COUNT_ED25519_BATCH
        messages = self.regions.read(ctx, msgs_ptr, (MAX_LENGTH_ED25519_MESSAGE + 4) * n)
        signatures = self.regions.read(ctx, sigs_ptr, (MAX_LENGTH_ED25519_SIGNATURE + 4) * n)
        public_keys = self.regions.read(ctx, keys_ptr, (crypto.EDDSA_PUBKEY_LEN + 4) * n)
        msgs = decode_sections(messages)
        sigs = decode_sections(signatures)
        keys = decode_sections(public_keys)
        price = (
            self.host.ed25519_batch_verify_one_pubkey if len(keys) == 1 else self.host.ed25519_batch_verify
        )
        self.vm_cost(ctx, _cost(price, len(sigs)))
        try:
            return 0 if crypto.ed25519_batch_verify(msgs, sigs, keys) else 1
        except crypto.CryptoFailure as exc:
            return exc.code

    def bls12_381_aggregate_g1(self, ctx: CallContext, points_ptr: int, out_ptr: int) -> int:
        return self._aggregate(ctx, points_ptr, out_ptr, "g1")

    def bls12_381_aggregate_g2(self, ctx: CallContext, points_ptr: int, out_ptr: int) -> int:
        return self._aggregate(ctx, points_ptr, out_ptr, "g2")

    def _aggregate(self, ctx: CallContext, points_ptr: int, out_ptr: int, group: str) -> int:
        self.call(ctx)
        points = self.regions.read(ctx, points_ptr, BLS12_381_MAX_AGGREGATE_SIZE)
        if group == "g1":
            size, price, fn = (
                crypto.BLS12_381_G1_POINT_LEN,
                self.host.bls12_381_aggregate_g1,
                crypto.bls12_381_aggregate_g1,
            )
        else:
            size, price, fn = (
                crypto.BLS12_381_G2_POINT_LEN,
                self.host.bls12_381_aggregate_g2,
                crypto.bls12_381_aggregate_g2,
            )
        self.vm_cost(ctx, _cost(price, len(points) // size))
        try:
            point = fn(points)
        except crypto.CryptoFailure as exc:
            return exc.code
        self.regions.write(ctx, out_ptr, point)
        return 0

    def bls12_381_pairing_equality(
        self, ctx: CallContext, ps_ptr: int, qs_ptr: int, r_ptr: int, s_ptr: int
    ) -> int:
        self.call(ctx)
        ps = self.regions.read(ctx, ps_ptr, BLS12_381_MAX_AGGREGATE_SIZE)
        qs = self.regions.read(ctx, qs_ptr, BLS12_381_MAX_AGGREGATE_SIZE)
        r = self.regions.read(ctx, r_ptr, crypto.BLS12_381_G1_POINT_LEN)
        s = self.regions.read(ctx, s_ptr, crypto.BLS12_381_G2_POINT_LEN)
        k = len(ps) // crypto.BLS12_381_G1_POINT_LEN + 1
        self.vm_cost(ctx, _cost(self.host.bls12_381_pairing_equality, k))
        try:
            return 0 if crypto.bls12_381_pairing_equality(ps, qs, r, s) else 1
        except crypto.CryptoFailure as exc:
            return exc.code

    def bls12_381_hash_to_g1(
        self, ctx: CallContext, hash_function: int, msg_ptr: int, dst_ptr: int, out_ptr: int
    ) -> int:
        return self._hash_to(ctx, hash_function, msg_ptr, dst_ptr, out_ptr, "g1")

    def bls12_381_hash_to_g2(
        self, ctx: CallContext, hash_function: int, msg_ptr: int, dst_ptr: int, out_ptr: int
    ) -> int:
        return self._hash_to(ctx, hash_function, msg_ptr, dst_ptr, out_ptr, "g2")

    def _hash_to(
        self,
        ctx: CallContext,
        hash_function: int,
        msg_ptr: int,
        dst_ptr: int,
        out_ptr: int,
        group: str,
    ) -> int:
        self.call(ctx)
        msg = self.regions.read(ctx, msg_ptr, BLS12_381_MAX_MESSAGE_SIZE)
        dst = self.regions.read(ctx, dst_ptr, BLS12_381_MAX_DST_SIZE)
        if group == "g1":
            price, fn = self.host.bls12_381_hash_to_g1, crypto.bls12_381_hash_to_g1
        else:
            price, fn = self.host.bls12_381_hash_to_g2, crypto.bls12_381_hash_to_g2
        self.vm_cost(ctx, _cost(price))
        try:
            point = fn(hash_function & _U32, msg, dst)
        except crypto.CryptoFailure as exc:
            return exc.code
        self.regions.write(ctx, out_ptr, point)
        return 0

    # --- debug, abort, query ---

    def debug(self, ctx: CallContext, message_ptr: int) -> None:
        self.call(ctx)
        handler = self.options.debug
        if handler is None and not self.debug_reads_always:
            return
        data = self.regions.read(ctx, message_ptr, MAX_LENGTH_DEBUG)
        if handler is not None:
            handler(data.decode("utf-8", errors="replace"), ctx.gas_left)

    def abort(self, ctx: CallContext, message_ptr: int) -> None:
        self.call(ctx)
        data = self.regions.read(ctx, message_ptr, MAX_LENGTH_ABORT)
        self.string_cost(ctx, len(data))
        raise VmAbort("aborted", data.decode("utf-8", errors="replace"))

    def query_chain(self, ctx: CallContext, request_ptr: int) -> int:
        self.call(ctx)
        request = self.regions.read(ctx, request_ptr, MAX_LENGTH_QUERY_CHAIN_REQUEST)
        result, gas = self.backend.query_chain(request, ctx.gas_left)
        self.external(ctx, gas)
        return self.regions.to_contract(ctx, result)


_I32, _I64 = "i32", "i64"

# import name -> (params, results, _Host method); signatures from cosmwasm-std imports.rs
_SIGNATURES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "db_read": ((_I32,), (_I32,)),
    "db_write": ((_I32, _I32), ()),
    "db_remove": ((_I32,), ()),
    "db_scan": ((_I32, _I32, _I32), (_I32,)),
    "db_next": ((_I32,), (_I32,)),
    "db_next_key": ((_I32,), (_I32,)),
    "db_next_value": ((_I32,), (_I32,)),
    "addr_validate": ((_I32,), (_I32,)),
    "addr_canonicalize": ((_I32, _I32), (_I32,)),
    "addr_humanize": ((_I32, _I32), (_I32,)),
    "secp256k1_verify": ((_I32, _I32, _I32), (_I32,)),
    "secp256k1_recover_pubkey": ((_I32, _I32, _I32), (_I64,)),
    "secp256r1_verify": ((_I32, _I32, _I32), (_I32,)),
    "secp256r1_recover_pubkey": ((_I32, _I32, _I32), (_I64,)),
    "ed25519_verify": ((_I32, _I32, _I32), (_I32,)),
    "ed25519_batch_verify": ((_I32, _I32, _I32), (_I32,)),
    "bls12_381_aggregate_g1": ((_I32, _I32), (_I32,)),
    "bls12_381_aggregate_g2": ((_I32, _I32), (_I32,)),
    "bls12_381_pairing_equality": ((_I32, _I32, _I32, _I32), (_I32,)),
    "bls12_381_hash_to_g1": ((_I32, _I32, _I32, _I32), (_I32,)),
    "bls12_381_hash_to_g2": ((_I32, _I32, _I32, _I32), (_I32,)),
    "debug": ((_I32,), ()),
    "abort": ((_I32,), ()),
    "query_chain": ((_I32,), (_I32,)),
}


def import_signature(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(params, results) of the import ``"env.NAME"``; ConfigError for an unknown import."""
    module, _, field = name.partition(".")
    if module != "env" or field not in _SIGNATURES:
        raise ConfigError(f"chain profile: import {name!r} is not a CosmWasm env import")
    return _SIGNATURES[field]


def make_imports(
    profile: ChainProfile, backend: Backend, options: HostOptions | None = None
) -> dict[str, ImportSpec]:
    """The imports of one contract call: ``NAME -> (params, results, fn(ctx, *args))``.

    Keys are the names in module ``env`` (the only module CosmWasm links), as the runtime looks
    them up. Exactly the profile's ``imports`` (``"env.NAME"``); gas from ``profile.costs``
    (``host``, ``region``) and the backend (storage, query, address API). Arguments arrive as
    the runtime passes them (i32 as Python ints, possibly negative); pointers are taken as u32."""
    host = _Host(profile, backend, options or HostOptions())
    out: dict[str, ImportSpec] = {}
    for name in profile.imports:
        params, results = import_signature(name)
        field = name.partition(".")[2]
        out[field] = (params, results, _unsigned(getattr(host, field), field))
    return out


def _unsigned(method: Callable[..., Any], name: str) -> Callable[..., Any]:
    signed_order = name == "db_scan"

    def call(ctx: CallContext, *args: int) -> Any:
        if signed_order:
            start, end, order = args
            return method(ctx, start & _U32, end & _U32, order)
        return method(ctx, *(a & _U32 for a in args))

    call.__name__ = name
    return call
