"""A minimal host for the runtime tests: the ``env`` imports the corpus contracts use, a dict store.

Not the product's host (that is gasmodel/vm/host.py): no VM-side import gas beyond what
:mod:`gasmodel.vm.regions` charges, no crypto, no querier. Enough to run instantiate/execute of
counter, token, registry and workload, so that the runtime's counts can be checked against
wasmtime's fuel on real contracts. Each call gets fresh iterator state; the store dict is shared
between calls so a sequence of calls sees its own writes.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Callable
from typing import Any

from contract_host import (
    CHAIN_ID,
    GENESIS_TIME_NS,
    OTHER,
    SENDER,
    decode_address,
    encode_address,
    encode_sections,
    make_address,
)

from gasmodel.costs.table import RegionCosts
from gasmodel.vm.context import VmAbort
from gasmodel.vm.regions import read_region, write_region
from gasmodel.vm.runtime import CallResult, HostImport, Instance, Runtime

MAX = 64 * 1024 * 1024
CONTRACT = make_address("contract:test")


def env_json(height: int = 100, address: str = CONTRACT) -> bytes:
    """Env JSON (height a number, time a nanosecond string)."""
    return json.dumps(
        {
            "block": {
                "height": height,
                "time": str(GENESIS_TIME_NS + height * 1_000_000_000),
                "chain_id": CHAIN_ID,
            },
            "transaction": {"index": 0},
            "contract": {"address": address},
        },
        separators=(",", ":"),
    ).encode()


def info_json(sender: str = SENDER, funds: list[dict[str, str]] | None = None) -> bytes:
    """MessageInfo JSON."""
    return json.dumps({"sender": sender, "funds": funds or []}, separators=(",", ":")).encode()


def substitute(msg: Any) -> Any:
    """``$sender``/``$other`` placeholders of contracts/manifest.json."""
    text = json.dumps(msg).replace('"$sender"', json.dumps(SENDER)).replace('"$other"', json.dumps(OTHER))
    return json.loads(text)


def stub_imports(
    storage: dict[bytes, bytes], costs: RegionCosts, debug: list[str] | None = None
) -> dict[str, HostImport]:
    """The ``env`` imports over ``storage`` (fresh iterators per call)."""
    iterators: list[list[tuple[bytes, bytes]]] = []
    logs = debug if debug is not None else []

    def rd(ctx: Instance, ptr: int) -> bytes:
        return read_region(ctx, ptr & 0xFFFF_FFFF, MAX, costs)

    def out(ctx: Instance, data: bytes) -> int:
        ptr = ctx.allocate(len(data))
        write_region(ctx, ptr, data, costs)
        return ptr

    def db_read(ctx: Instance, key: int) -> int:
        value = storage.get(rd(ctx, key))
        return 0 if value is None else out(ctx, value)

    def db_write(ctx: Instance, key: int, value: int) -> None:
        k = rd(ctx, key)
        storage[k] = rd(ctx, value)

    def db_remove(ctx: Instance, key: int) -> None:
        storage.pop(rd(ctx, key), None)

    def db_scan(ctx: Instance, start: int, end: int, order: int) -> int:
        lo_key = rd(ctx, start) if start else None
        hi_key = rd(ctx, end) if end else None
        keys = sorted(storage)
        lo = 0 if lo_key is None else bisect_left(keys, lo_key)
        hi = len(keys) if hi_key is None else bisect_left(keys, hi_key)
        items = [(k, storage[k]) for k in keys[lo:hi]]
        if order == 2:
            items.reverse()
        iterators.append(items)
        return len(iterators)

    def nxt(i: int) -> tuple[bytes, bytes] | None:
        items = iterators[i - 1]
        return items.pop(0) if items else None

    def db_next(ctx: Instance, i: int) -> int:
        item = nxt(i) or (b"", b"")
        return out(ctx, encode_sections([item[0], item[1]]))

    def db_next_key(ctx: Instance, i: int) -> int:
        item = nxt(i)
        return 0 if item is None else out(ctx, item[0])

    def db_next_value(ctx: Instance, i: int) -> int:
        item = nxt(i)
        return 0 if item is None else out(ctx, item[1])

    def addr_validate(ctx: Instance, ptr: int) -> int:
        try:
            decode_address(rd(ctx, ptr).decode())
        except (ValueError, UnicodeDecodeError) as e:
            return out(ctx, str(e).encode())
        return 0

    def addr_canonicalize(ctx: Instance, src: int, dst: int) -> int:
        try:
            canonical = decode_address(rd(ctx, src).decode())
        except (ValueError, UnicodeDecodeError) as e:
            return out(ctx, str(e).encode())
        write_region(ctx, dst & 0xFFFF_FFFF, canonical, costs)
        return 0

    def addr_humanize(ctx: Instance, src: int, dst: int) -> int:
        canonical = rd(ctx, src)
        if len(canonical) not in (20, 32):
            return out(ctx, b"invalid canonical address length")
        write_region(ctx, dst & 0xFFFF_FFFF, encode_address(canonical).encode(), costs)
        return 0

    def abort(ctx: Instance, ptr: int) -> None:
        raise VmAbort("aborted", rd(ctx, ptr).decode("utf-8", "replace"))

    def debug_(ctx: Instance, ptr: int) -> None:
        logs.append(rd(ctx, ptr).decode("utf-8", "replace"))

    table: dict[str, tuple[str, str, Callable[..., Any]]] = {
        "db_read": ("i", "i", db_read),
        "db_write": ("ii", "", db_write),
        "db_remove": ("i", "", db_remove),
        "db_scan": ("iii", "i", db_scan),
        "db_next": ("i", "i", db_next),
        "db_next_key": ("i", "i", db_next_key),
        "db_next_value": ("i", "i", db_next_value),
        "addr_validate": ("i", "i", addr_validate),
        "addr_canonicalize": ("ii", "i", addr_canonicalize),
        "addr_humanize": ("ii", "i", addr_humanize),
        "abort": ("i", "", abort),
        "debug": ("i", "", debug_),
    }
    return {n: (["i32"] * len(p), ["i32"] * len(r), f) for n, (p, r, f) in table.items()}


def call_json(
    rt: Runtime,
    storage: dict[bytes, bytes],
    entry: str,
    msg: Any,
    gas_limit: int = 10**15,
    sender: str = SENDER,
) -> CallResult:
    """One entry-point call with Env (+ MessageInfo unless query/migrate/sudo) and ``msg``."""
    body = json.dumps(substitute(msg), separators=(",", ":")).encode()
    args = [env_json()]
    if entry in ("instantiate", "execute"):
        args.append(info_json(sender))
    args.append(body)
    imports = stub_imports(storage, rt.table.region)
    return rt.instance(imports, gas_limit).call_entry_point(entry, args)
