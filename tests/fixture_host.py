"""A minimal CosmWasm host on wasmtime for the small C/WAT lint fixtures (not for the Rust contracts).

It links the `env` imports a fixture declares (storage in a dict, `debug`/`abort` recorded), passes
arguments through the contract's own `allocate` as Regions, and reads the result Region back.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import wasmtime

DEFAULT_ENV: dict[str, Any] = {
    "block": {"height": 12345, "time": "1571797419879305533", "chain_id": "testing"},
    "transaction": {"index": 3},
    "contract": {"address": "inj14hj2tavq8fpesdwxxcu44rty3hh90vhujaxlnz"},
}
DEFAULT_INFO: dict[str, Any] = {"sender": "inj1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqu6fc6e", "funds": []}


class HostError(Exception):
    """The contract broke the ABI (bad Region, missing export) or trapped."""


def _failing_stub(full_name: str) -> Any:
    def stub(*_args: Any) -> Any:
        raise HostError(f"{full_name} is not implemented by the fixture host")

    return stub


@dataclass
class FixtureHost:
    """One instance of a fixture contract with its own storage."""

    wasm: bytes
    fuel: int | None = None
    # Extra imports by (module, name): a Python callable (wrapped with the import's type), an int (the
    # value of an imported i32/i64 global) or a wasmtime extern. Lets a defective fixture run, to show
    # that it is otherwise valid.
    extra_imports: Mapping[tuple[str, str], Any] = field(default_factory=dict)
    # Link any other import to a function that fails when called (e.g. crypto imports never used).
    stub_unknown: bool = False
    storage: dict[bytes, bytes] = field(default_factory=dict)
    debug_log: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        config = wasmtime.Config()
        if self.fuel is not None:
            config.consume_fuel = True
        self.engine = wasmtime.Engine(config)
        self.store = wasmtime.Store(self.engine)
        if self.fuel is not None:
            self.store.set_fuel(self.fuel)
        self.module = wasmtime.Module(self.engine, self.wasm)
        linker = wasmtime.Linker(self.engine)
        linker.allow_shadowing = True
        host = self._imports()
        for imp in self.module.imports:
            name = imp.name or ""
            ty = imp.type
            impl = self.extra_imports.get((imp.module, name))
            if impl is None and imp.module == "env":
                impl = host.get(name)
            if impl is None and self.stub_unknown and isinstance(ty, wasmtime.FuncType):
                impl = _failing_stub(f"{imp.module}.{name}")
            if impl is None:
                raise HostError(f"unsupported import {imp.module}.{name}")
            if isinstance(ty, wasmtime.GlobalType) and isinstance(impl, int):
                value = wasmtime.Val.i64(impl) if str(ty.content) == "i64" else wasmtime.Val.i32(impl)
                linker.define(self.store, imp.module, name, wasmtime.Global(self.store, ty, value))
            elif callable(impl):
                if not isinstance(ty, wasmtime.FuncType):
                    raise HostError(f"non-function import {imp.module}.{name}")
                linker.define_func(imp.module, name, ty, impl)
            else:
                linker.define(self.store, imp.module, name, impl)
        self.instance = linker.instantiate(self.store, self.module)
        exports = self.instance.exports(self.store)
        memory = exports["memory"]
        if not isinstance(memory, wasmtime.Memory):
            raise HostError("export 'memory' is not a memory")
        self.memory = memory

    # ---- memory and Regions -------------------------------------------------------------------
    def _func(self, name: str) -> wasmtime.Func:
        f = self.instance.exports(self.store).get(name)
        if not isinstance(f, wasmtime.Func):
            raise HostError(f"missing function export {name!r}")
        return f

    def read_region(self, ptr: int) -> bytes:
        if ptr == 0:
            raise HostError("null Region pointer")
        raw = self.memory.read(self.store, ptr, ptr + 12)
        offset, capacity, length = struct.unpack("<III", raw)
        if offset == 0 or length > capacity:
            raise HostError(f"invalid Region at {ptr}: offset={offset} capacity={capacity} length={length}")
        return bytes(self.memory.read(self.store, offset, offset + length))

    def write_new_region(self, data: bytes) -> int:
        ptr = self._func("allocate")(self.store, len(data))
        if not isinstance(ptr, int):
            raise HostError("allocate returned no pointer")
        offset, capacity, _ = struct.unpack("<III", self.memory.read(self.store, ptr, ptr + 12))
        if capacity < len(data):
            raise HostError(f"allocate({len(data)}) gave capacity {capacity}")
        self.memory.write(self.store, data, offset)
        self.memory.write(self.store, struct.pack("<I", len(data)), ptr + 8)
        return ptr

    # ---- imports ------------------------------------------------------------------------------
    def _imports(self) -> dict[str, Any]:
        def db_read(key_ptr: int) -> int:
            value = self.storage.get(self.read_region(key_ptr))
            return 0 if value is None else self.write_new_region(value)

        def db_write(key_ptr: int, value_ptr: int) -> None:
            self.storage[self.read_region(key_ptr)] = self.read_region(value_ptr)

        def db_remove(key_ptr: int) -> None:
            self.storage.pop(self.read_region(key_ptr), None)

        def debug(msg_ptr: int) -> None:
            self.debug_log.append(self.read_region(msg_ptr).decode("utf-8", "replace"))

        def abort(msg_ptr: int) -> None:
            raise HostError("contract aborted: " + self.read_region(msg_ptr).decode("utf-8", "replace"))

        return {"db_read": db_read, "db_write": db_write, "db_remove": db_remove, "debug": debug,
                "abort": abort}

    # ---- entry points -------------------------------------------------------------------------
    def call(self, entry: str, *args: Any) -> Any:
        """Call an entry point with JSON arguments; returns the decoded JSON result."""
        ptrs = [self.write_new_region(json.dumps(a, separators=(",", ":")).encode()) for a in args]
        try:
            res = self._func(entry)(self.store, *ptrs)
        except wasmtime.Trap as exc:
            raise HostError(f"{entry} trapped: {exc.message}") from exc
        if not isinstance(res, int):
            raise HostError(f"{entry} returned {res!r}, expected a Region pointer")
        return json.loads(self.read_region(res))

    def instantiate(self, msg: Any, env: Any = None, info: Any = None) -> Any:
        return self.call("instantiate", env or DEFAULT_ENV, info or DEFAULT_INFO, msg)

    def execute(self, msg: Any, env: Any = None, info: Any = None) -> Any:
        return self.call("execute", env or DEFAULT_ENV, info or DEFAULT_INFO, msg)

    def query(self, msg: Any, env: Any = None) -> Any:
        return self.call("query", env or DEFAULT_ENV, msg)
