"""A minimal CosmWasm host on wasmtime-py, for running the project's contracts in tests.

It implements the `env` imports of CosmWasm 2.x (storage with sorted iteration, bech32 `inj`
addresses, secp256k1/ed25519 through `ecdsa`/PyNaCl, `debug`, `abort`, `query_chain` for
`WasmQuery::Smart`), the Region ABI, Env/MessageInfo JSON, and a tiny chain that dispatches wasm
`execute` sub-messages and calls `reply`. Fuel metering is on, so runaway contracts trap with
`OUT_OF_FUEL` instead of hanging. Not a faithful VM: no gas, no VM limits, no IBC.

Fuel is per contract call (its own store), including the host's `allocate` calls for arguments and
import results; a nested smart query or a sub-message runs in a store of its own and is reported
separately (`Outcome.sub_outcomes` for sub-messages; nested queries are not reported).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import struct
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bech32
import nacl.exceptions
import nacl.signing
import wasmtime
from ecdsa import BadSignatureError, SECP256k1, VerifyingKey
from ecdsa.ellipticcurve import INFINITY, PointJacobi
from ecdsa.util import sigdecode_string

CHAIN_ID = "injective-777"
HRP = "inj"
DEFAULT_FUEL = 2_000_000_000
GENESIS_TIME_NS = 1_700_000_000_000_000_000

# cosmwasm-crypto error codes returned by the crypto imports
ERR_HASH_FORMAT = 3
ERR_SIGNATURE_FORMAT = 4
ERR_PUBKEY_FORMAT = 5
ERR_RECOVERY_PARAM = 6
ERR_BATCH = 7
ERR_GENERIC = 10


class HostAbort(Exception):
    """The contract called `env.abort` (a Rust panic)."""


class HostError(Exception):
    """The contract misused an import (e.g. a write during a query)."""


def make_address(label: str, length: int = 20) -> str:
    """A deterministic bech32 `inj` address derived from `label`."""
    data = hashlib.sha256(label.encode()).digest()[:length]
    return encode_address(data)


def encode_address(canonical: bytes) -> str:
    """bech32-encodes canonical address bytes with the `inj` prefix."""
    words = bech32.convertbits(list(canonical), 8, 5)
    assert words is not None
    return str(bech32.bech32_encode(HRP, words))


def decode_address(human: str) -> bytes:
    """Canonical bytes of a normalized `inj` bech32 address; raises ValueError otherwise."""
    if human != human.lower():
        raise ValueError("address not normalized")
    hrp, words = bech32.bech32_decode(human)
    if hrp is None or words is None:
        raise ValueError("invalid bech32")
    if hrp != HRP:
        raise ValueError(f"wrong address prefix {hrp!r}")
    data = bech32.convertbits(words, 5, 8, False)
    if data is None or len(data) not in (20, 32):
        raise ValueError("invalid address length")
    return bytes(data)


SENDER = make_address("sender")
"""The address ``$sender`` stands for in contracts/manifest.json."""
OTHER = make_address("other")
"""The address ``$other`` stands for."""


def fill(value: Any, contracts: dict[str, str]) -> Any:
    """A manifest message with its placeholders replaced: ``$sender``, ``$other``, and
    ``$contract:NAME`` by ``contracts[NAME]``."""
    if isinstance(value, str):
        if value == "$sender":
            return SENDER
        if value == "$other":
            return OTHER
        if value.startswith("$contract:"):
            return contracts[value.removeprefix("$contract:")]
        return value
    if isinstance(value, list):
        return [fill(v, contracts) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, contracts) for k, v in value.items()}
    return value


def encode_sections(sections: list[bytes]) -> bytes:
    """CosmWasm's `encode_sections`: each section followed by its length as u32 BE."""
    return b"".join(s + struct.pack(">I", len(s)) for s in sections)


def decode_sections(data: bytes) -> list[bytes]:
    """Inverse of `encode_sections` (parsed from the end)."""
    out: list[bytes] = []
    end = len(data)
    while end > 0:
        if end < 4:
            raise HostError("truncated sections")
        (length,) = struct.unpack(">I", data[end - 4 : end])
        start = end - 4 - length
        if start < 0:
            raise HostError("section length out of range")
        out.append(data[start : end - 4])
        end = start
    out.reverse()
    return out


@dataclass
class Outcome:
    """The result of one entry-point call (plus, for execute, its sub-messages)."""

    ok: bool
    value: Any  # Response dict (instantiate/execute/reply) or parsed JSON answer (query)
    error: str | None
    fuel: int  # fuel of this contract call alone, including host-driven `allocate` calls
    raw: bytes = b""
    debug: list[str] = field(default_factory=list)
    sub_outcomes: list[Outcome] = field(default_factory=list)


@dataclass
class Contract:
    """A stored-and-instantiated contract: its module, address and storage."""

    address: str
    module: wasmtime.Module
    storage: dict[bytes, bytes] = field(default_factory=dict)


class _Call:
    """Per-call state: the store, the instance and the import implementations."""

    def __init__(self, chain: Chain, contract: Contract, readonly: bool, storage: dict[bytes, bytes]):
        self.chain = chain
        self.contract = contract
        self.readonly = readonly
        self.storage = storage
        self.iterators: list[list[tuple[bytes, bytes]]] = []
        self.debug: list[str] = []
        self.store = wasmtime.Store(chain.engine)
        self.store.set_fuel(chain.fuel_limit)
        linker = wasmtime.Linker(chain.engine)
        for name, (params, results, fn) in self._imports().items():
            ty = wasmtime.FuncType([_val(p) for p in params], [_val(r) for r in results])
            linker.define_func("env", name, ty, fn, access_caller=True)
        self.instance = linker.instantiate(self.store, contract.module)
        exports = self.instance.exports(self.store)
        memory = exports["memory"]
        assert isinstance(memory, wasmtime.Memory)
        self.memory = memory
        allocate, deallocate = exports["allocate"], exports["deallocate"]
        assert isinstance(allocate, wasmtime.Func) and isinstance(deallocate, wasmtime.Func)
        self._allocate = allocate
        self._deallocate = deallocate
        self.exports = exports

    # ---- regions -------------------------------------------------------------------------
    def read_region(self, store: Any, ptr: int) -> bytes:
        """Reads the bytes a Region points to, validating it like cosmwasm-vm does."""
        ptr &= 0xFFFFFFFF
        if ptr == 0:
            raise HostError("null Region pointer")
        offset, capacity, length = struct.unpack("<III", bytes(self.memory.read(store, ptr, ptr + 12)))
        if offset == 0 or length > capacity or capacity > 0xFFFFFFFF - offset:
            raise HostError(f"invalid Region at {ptr}: {(offset, capacity, length)}")
        return bytes(self.memory.read(store, offset, offset + length))

    def write_region(self, store: Any, ptr: int, data: bytes) -> None:
        """Writes into an existing Region (must have room) and sets its length."""
        ptr &= 0xFFFFFFFF
        offset, capacity, _ = struct.unpack("<III", bytes(self.memory.read(store, ptr, ptr + 12)))
        if len(data) > capacity:
            raise HostError(f"Region too small: {len(data)} > {capacity}")
        if data:
            self.memory.write(store, data, offset)
        self.memory.write(store, struct.pack("<I", len(data)), ptr + 8)

    def alloc_write(self, store: Any, data: bytes) -> int:
        """Allocates a Region in the contract and fills it (ownership passes to the contract)."""
        ptr = int(self._allocate(store, len(data))) & 0xFFFFFFFF
        self.write_region(store, ptr, data)
        return ptr

    # ---- imports ---------------------------------------------------------------------------
    def _imports(self) -> dict[str, tuple[str, str, Callable[..., Any]]]:
        return {
            "abort": ("i", "", self._abort),
            "debug": ("i", "", self._debug),
            "db_read": ("i", "i", self._db_read),
            "db_write": ("ii", "", self._db_write),
            "db_remove": ("i", "", self._db_remove),
            "db_scan": ("iii", "i", self._db_scan),
            "db_next": ("i", "i", self._db_next),
            "db_next_key": ("i", "i", self._db_next_key),
            "db_next_value": ("i", "i", self._db_next_value),
            "addr_validate": ("i", "i", self._addr_validate),
            "addr_canonicalize": ("ii", "i", self._addr_canonicalize),
            "addr_humanize": ("ii", "i", self._addr_humanize),
            "secp256k1_verify": ("iii", "i", self._secp256k1_verify),
            "secp256k1_recover_pubkey": ("iii", "I", self._secp256k1_recover_pubkey),
            "ed25519_verify": ("iii", "i", self._ed25519_verify),
            "ed25519_batch_verify": ("iii", "i", self._ed25519_batch_verify),
            "query_chain": ("i", "i", self._query_chain),
        }

    def _abort(self, caller: Any, ptr: int) -> None:
        raise HostAbort(self.read_region(caller, ptr).decode("utf-8", "replace"))

    def _debug(self, caller: Any, ptr: int) -> None:
        self.debug.append(self.read_region(caller, ptr).decode("utf-8", "replace"))

    def _db_read(self, caller: Any, key_ptr: int) -> int:
        value = self.storage.get(self.read_region(caller, key_ptr))
        return 0 if value is None else self.alloc_write(caller, value)

    def _check_writable(self) -> None:
        if self.readonly:
            raise HostError("Must not call a writing storage function in this context.")

    def _db_write(self, caller: Any, key_ptr: int, value_ptr: int) -> None:
        self._check_writable()
        self.storage[self.read_region(caller, key_ptr)] = self.read_region(caller, value_ptr)

    def _db_remove(self, caller: Any, key_ptr: int) -> None:
        self._check_writable()
        self.storage.pop(self.read_region(caller, key_ptr), None)

    def _db_scan(self, caller: Any, start_ptr: int, end_ptr: int, order: int) -> int:
        start = self.read_region(caller, start_ptr) if start_ptr else None
        end = self.read_region(caller, end_ptr) if end_ptr else None
        if order not in (1, 2):
            raise HostError(f"invalid iteration order {order}")
        keys = sorted(self.storage)
        lo = 0 if start is None else bisect_left(keys, start)
        hi = len(keys) if end is None else bisect_left(keys, end)
        selected = [(k, self.storage[k]) for k in keys[lo:hi]]
        if order == 2:
            selected.reverse()
        self.iterators.append(selected)
        return len(self.iterators)  # ids start at 1

    def _next(self, iterator_id: int) -> tuple[bytes, bytes] | None:
        index = (iterator_id & 0xFFFFFFFF) - 1
        if not 0 <= index < len(self.iterators):
            raise HostError(f"iterator {iterator_id} does not exist")
        items = self.iterators[index]
        return items.pop(0) if items else None

    def _db_next(self, caller: Any, iterator_id: int) -> int:
        item = self._next(iterator_id)
        key, value = item if item is not None else (b"", b"")
        return self.alloc_write(caller, encode_sections([key, value]))

    def _db_next_key(self, caller: Any, iterator_id: int) -> int:
        item = self._next(iterator_id)
        return 0 if item is None else self.alloc_write(caller, item[0])

    def _db_next_value(self, caller: Any, iterator_id: int) -> int:
        item = self._next(iterator_id)
        return 0 if item is None else self.alloc_write(caller, item[1])

    def _addr_validate(self, caller: Any, ptr: int) -> int:
        try:
            decode_address(self.read_region(caller, ptr).decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            return self.alloc_write(caller, str(exc).encode())
        return 0

    def _addr_canonicalize(self, caller: Any, src: int, dst: int) -> int:
        try:
            canonical = decode_address(self.read_region(caller, src).decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            return self.alloc_write(caller, str(exc).encode())
        self.write_region(caller, dst, canonical)
        return 0

    def _addr_humanize(self, caller: Any, src: int, dst: int) -> int:
        canonical = self.read_region(caller, src)
        if len(canonical) not in (20, 32):
            return self.alloc_write(caller, b"invalid canonical address length")
        self.write_region(caller, dst, encode_address(canonical).encode())
        return 0

    def _secp256k1_verify(self, caller: Any, hash_ptr: int, sig_ptr: int, pk_ptr: int) -> int:
        digest = self.read_region(caller, hash_ptr)
        signature = self.read_region(caller, sig_ptr)
        public_key = self.read_region(caller, pk_ptr)
        if len(digest) != 32:
            return ERR_HASH_FORMAT
        if len(signature) != 64:
            return ERR_SIGNATURE_FORMAT
        if len(public_key) not in (33, 65):
            return ERR_PUBKEY_FORMAT
        try:
            key = VerifyingKey.from_string(public_key, curve=SECP256k1)
        except Exception:  # ecdsa raises several types for bad points
            return ERR_PUBKEY_FORMAT
        try:
            key.verify_digest(signature, digest, sigdecode=sigdecode_string)
        except BadSignatureError:
            return 1
        return 0

    def _secp256k1_recover_pubkey(self, caller: Any, hash_ptr: int, sig_ptr: int, param: int) -> int:
        digest = self.read_region(caller, hash_ptr)
        signature = self.read_region(caller, sig_ptr)
        if len(digest) != 32:
            return ERR_HASH_FORMAT << 32
        if len(signature) != 64:
            return ERR_SIGNATURE_FORMAT << 32
        if param not in (0, 1):
            return ERR_RECOVERY_PARAM << 32
        point = _recover_secp256k1(digest, signature, param)
        if point is None:
            return ERR_GENERIC << 32
        return self.alloc_write(caller, point)

    def _ed25519_verify(self, caller: Any, msg_ptr: int, sig_ptr: int, pk_ptr: int) -> int:
        message = self.read_region(caller, msg_ptr)
        signature = self.read_region(caller, sig_ptr)
        public_key = self.read_region(caller, pk_ptr)
        return _ed25519(message, signature, public_key)

    def _ed25519_batch_verify(self, caller: Any, msgs_ptr: int, sigs_ptr: int, pks_ptr: int) -> int:
        messages = decode_sections(self.read_region(caller, msgs_ptr))
        signatures = decode_sections(self.read_region(caller, sigs_ptr))
        public_keys = decode_sections(self.read_region(caller, pks_ptr))
        n = len(signatures)
        if len(messages) == n and len(public_keys) == n:
            pass
        elif len(messages) == 1 and len(public_keys) == n:
            messages = messages * n
        elif len(public_keys) == 1 and len(messages) == n:
            public_keys = public_keys * n
        else:
            return ERR_BATCH
        for message, signature, public_key in zip(messages, signatures, public_keys, strict=True):
            code = _ed25519(message, signature, public_key)
            if code != 0:
                return code
        return 0

    def _query_chain(self, caller: Any, request_ptr: int) -> int:
        answer = self.chain.handle_query(self.read_region(caller, request_ptr))
        return self.alloc_write(caller, json.dumps(answer, separators=(",", ":")).encode())

    # ---- entry points ------------------------------------------------------------------------
    def call(self, export: str, args: list[bytes]) -> tuple[bytes, int]:
        """Calls an entry point with JSON args; returns (result bytes, fuel used)."""
        func = self.exports[export]
        assert isinstance(func, wasmtime.Func)
        ptrs = [self.alloc_write(self.store, a) for a in args]
        result_ptr = int(func(self.store, *ptrs)) & 0xFFFFFFFF
        data = self.read_region(self.store, result_ptr)
        self._deallocate(self.store, result_ptr)
        fuel = self.chain.fuel_limit - self.store.get_fuel()
        return data, fuel


def _recover_secp256k1(digest: bytes, signature: bytes, recovery_param: int) -> bytes | None:
    """Public key (65 bytes, uncompressed) from a signature; R's y parity is `recovery_param`."""
    n = SECP256k1.order
    curve = SECP256k1.curve
    p = curve.p()
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:], "big")
    if not (0 < r < n and 0 < s < n):
        return None
    alpha = (pow(r, 3, p) + curve.a() * r + curve.b()) % p
    beta = pow(alpha, (p + 1) // 4, p)
    if beta * beta % p != alpha:
        return None
    y = beta if beta % 2 == recovery_param else p - beta
    big_r = PointJacobi(curve, r, y, 1, n)
    e = int.from_bytes(digest, "big") % n
    r_inv = pow(r, -1, n)
    q = big_r * (s * r_inv % n) + SECP256k1.generator * ((-e * r_inv) % n)
    if q == INFINITY:
        return None
    x, y_out = int(q.x()), int(q.y())
    return b"\x04" + x.to_bytes(32, "big") + y_out.to_bytes(32, "big")


def _ed25519(message: bytes, signature: bytes, public_key: bytes) -> int:
    if len(signature) != 64:
        return ERR_SIGNATURE_FORMAT
    if len(public_key) != 32:
        return ERR_PUBKEY_FORMAT
    try:
        nacl.signing.VerifyKey(public_key).verify(message, signature)
    except nacl.exceptions.BadSignatureError:
        return 1
    except (nacl.exceptions.ValueError, nacl.exceptions.TypeError):
        return ERR_PUBKEY_FORMAT
    return 0


def _val(code: str) -> wasmtime.ValType:
    return wasmtime.ValType.i32() if code == "i" else wasmtime.ValType.i64()


@functools.lru_cache(maxsize=1)
def fuel_engine() -> wasmtime.Engine:
    """One fuel-metering engine shared by every Chain, so compiled modules can be reused."""
    config = wasmtime.Config()
    config.consume_fuel = True
    return wasmtime.Engine(config)


@functools.lru_cache(maxsize=32)
def compile_module(code: bytes) -> wasmtime.Module:
    """Compiles (once per distinct code) for the shared engine."""
    return wasmtime.Module(fuel_engine(), code)


class Chain:
    """Contracts, their storage, the block, and the dispatch of sub-messages."""

    def __init__(self, fuel_limit: int = DEFAULT_FUEL):
        self.engine = fuel_engine()
        self.fuel_limit = fuel_limit
        self.contracts: dict[str, Contract] = {}
        self.height = 100

    def env(self, address: str) -> dict[str, Any]:
        """Env JSON for a call to `address` (height a number, time a nanosecond string)."""
        return {
            "block": {
                "height": self.height,
                "time": str(GENESIS_TIME_NS + self.height * 1_000_000_000),
                "chain_id": CHAIN_ID,
            },
            "transaction": {"index": 0},
            "contract": {"address": address},
        }

    def deploy(self, wasm: bytes | Path, label: str) -> str:
        """Stores a contract under a new address derived from `label` and returns the address."""
        code = wasm.read_bytes() if isinstance(wasm, Path) else wasm
        module = compile_module(code)
        address = make_address("contract:" + label)
        self.contracts[address] = Contract(address=address, module=module)
        return address

    # ---- calls ------------------------------------------------------------------------------
    def _run(
        self, address: str, export: str, args: list[bytes], readonly: bool
    ) -> tuple[Outcome, dict[bytes, bytes]]:
        contract = self.contracts[address]
        working = dict(contract.storage)
        call = _Call(self, contract, readonly, working)
        try:
            raw, fuel = call.call(export, args)
        except HostAbort as exc:
            fuel = self.fuel_limit - call.store.get_fuel()
            return Outcome(False, None, f"Aborted: {exc}", fuel, debug=call.debug), working
        parsed = json.loads(raw)
        if "ok" in parsed:
            value = parsed["ok"]
            if export == "query":
                value = json.loads(base64.b64decode(value))
            return Outcome(True, value, None, fuel, raw, call.debug), working
        return Outcome(False, None, str(parsed["error"]), fuel, raw, call.debug), working

    def _tx(
        self, address: str, export: str, args: list[bytes], depth: int = 0
    ) -> Outcome:
        """Runs a state-changing entry point, then its sub-messages; commits only on success."""
        if depth > 10:
            return Outcome(False, None, "max call depth exceeded", 0)
        snapshot = {a: dict(c.storage) for a, c in self.contracts.items()}
        outcome, working = self._run(address, export, args, readonly=False)
        if not outcome.ok:
            return outcome
        self.contracts[address].storage = working
        for sub in outcome.value["messages"]:
            sub_outcome = self._dispatch(address, sub, depth)
            outcome.sub_outcomes.append(sub_outcome)
            if not sub_outcome.ok:
                for a, storage in snapshot.items():
                    self.contracts[a].storage = storage
                return Outcome(False, None, sub_outcome.error, outcome.fuel, sub_outcomes=[sub_outcome])
        return outcome

    def _dispatch(self, sender: str, sub: dict[str, Any], depth: int) -> Outcome:
        msg = sub["msg"]
        wasm_execute = msg.get("wasm", {}).get("execute")
        before = {a: dict(c.storage) for a, c in self.contracts.items()}
        if wasm_execute is None or wasm_execute["contract_addr"] not in self.contracts:
            result = Outcome(False, None, f"unsupported or unknown message: {json.dumps(msg)}", 0)
        else:
            target = wasm_execute["contract_addr"]
            info = {"sender": sender, "funds": wasm_execute["funds"]}
            result = self._tx(
                target, "execute", [_j(self.env(target)), _j(info), base64.b64decode(wasm_execute["msg"])],
                depth + 1,
            )
        reply_on = sub["reply_on"]
        if not result.ok:
            for a, storage in before.items():
                self.contracts[a].storage = storage
        wants_reply = reply_on == "always" or reply_on == ("success" if result.ok else "error")
        if not wants_reply:
            return result
        if result.ok:
            events = _events(wasm_execute["contract_addr"], result.value)
            sub_result: dict[str, Any] = {"ok": {"events": events, "data": result.value["data"],
                                                 "msg_responses": []}}
        else:
            sub_result = {"error": result.error}
        reply = {"id": sub["id"], "payload": sub.get("payload", ""), "gas_used": 0, "result": sub_result}
        reply_outcome = self._tx(sender, "reply", [_j(self.env(sender)), _j(reply)], depth + 1)
        reply_outcome.sub_outcomes.insert(0, result)
        return reply_outcome

    def handle_query(self, request: bytes) -> dict[str, Any]:
        """Answers a `query_chain` request as SystemResult<ContractResult<Binary>> JSON."""
        try:
            parsed = json.loads(request)
            smart = parsed["wasm"]["smart"]
        except (ValueError, KeyError, TypeError):
            return {"error": {"unsupported_request": {"kind": request.decode("utf-8", "replace")[:80]}}}
        address = smart["contract_addr"]
        if address not in self.contracts:
            return {"error": {"no_such_contract": {"addr": address}}}
        args = [_j(self.env(address)), base64.b64decode(smart["msg"])]
        outcome, _ = self._run(address, "query", args, readonly=True)
        if outcome.ok:
            return {"ok": {"ok": json.loads(outcome.raw)["ok"]}}
        return {"ok": {"error": outcome.error}}

    # ---- public API -----------------------------------------------------------------------------
    def instantiate(
        self, address: str, sender: str, msg: Any, funds: list[dict[str, str]] | None = None
    ) -> Outcome:
        """Calls `instantiate`; `msg` is JSON-able or raw bytes."""
        self.height += 1
        info = {"sender": sender, "funds": funds or []}
        return self._tx(address, "instantiate", [_j(self.env(address)), _j(info), _msg(msg)])

    def execute(
        self, address: str, sender: str, msg: Any, funds: list[dict[str, str]] | None = None
    ) -> Outcome:
        """Calls `execute` and dispatches sub-messages; state is reverted on failure."""
        self.height += 1
        info = {"sender": sender, "funds": funds or []}
        return self._tx(address, "execute", [_j(self.env(address)), _j(info), _msg(msg)])

    def migrate(self, address: str, msg: Any) -> Outcome:
        """Calls `migrate(env, msg)` (the 2-argument form) and dispatches sub-messages."""
        self.height += 1
        return self._tx(address, "migrate", [_j(self.env(address)), _msg(msg)])

    def query(self, address: str, msg: Any) -> Outcome:
        """Calls `query` in read-only mode; the Outcome's value is the decoded JSON answer."""
        outcome, _ = self._run(address, "query", [_j(self.env(address)), _msg(msg)], readonly=True)
        return outcome


def _events(address: str, response: dict[str, Any]) -> list[dict[str, Any]]:
    tag = {"key": "_contract_address", "value": address}
    events = [{"type": "wasm", "attributes": [tag, *response["attributes"]]}]
    for event in response["events"]:
        events.append({"type": "wasm-" + event["type"], "attributes": [tag, *event["attributes"]]})
    return events


def _j(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _msg(msg: Any) -> bytes:
    return msg if isinstance(msg, bytes) else _j(msg)
