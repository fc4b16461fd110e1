"""Running an instrumented contract on wasmtime under cosmwasm-vm's gas rules.

:class:`Runtime` holds one contract instrumented for one cost table and its compiled module
(cached, see :mod:`gasmodel.vm.engine`). Each contract call gets a fresh wasmtime store and
instance (:class:`Instance`), as cosmwasm-vm does; the instance is the
:class:`~gasmodel.vm.context.CallContext` host imports see. :meth:`Instance.call_entry_point` is
cosmwasm-vm's ``call_raw``: the host allocates and writes each argument Region, calls the export,
reads the result Region (at most 64 MiB) and deallocates it, all under one meter.

Gas (the table's unit, CW gas for the cosmwasm-vm tables): Wasm is charged in Wasm by the
inserted checks; host work through :meth:`Instance.charge`, which is cosmwasm-vm's
``process_gas_info``. The report follows cosmwasm-vm's ``GasReport``: ``used_internally`` =
limit - remaining - externally used; an exhausted call has 0 remaining.

Every run is bounded: gas, wall time (epoch deadline), memory (store limit on each linear
memory; ``memory.grow`` beyond it returns -1 as under cosmwasm-vm's limiting tunables).

The same instance type runs an *uninstrumented* module on the fuel engine
(``Runtime(..., fuel=True)``): no gas meter in Wasm, wasmtime fuel counted instead; host
charges are still booked. :func:`fuel_cross_check` compares the counters of an instrumented
run with wasmtime's own fuel for the same call.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import wasmtime

from gasmodel.costs import load_cost_table
from gasmodel.costs.table import CostTable
from gasmodel.errors import GasmodelError
from gasmodel.vm.context import CallContext, VmAbort
from gasmodel.vm.counts import FunctionStats, RawCounts, fuel_of, function_stats, opcode_counts
from gasmodel.vm.engine import Engine
from gasmodel.vm.instrument import (
    COUNTERS_BASE,
    EXPORT_COUNTERS,
    OFF_EXHAUSTED,
    OFF_PAGES,
    OFF_REMAINING,
    InstrumentedModule,
)
from gasmodel.vm.regions import read_region, write_region
from gasmodel.wasm import OPCODES

__all__ = [
    "DEFAULT_MEMORY_LIMIT",
    "DEFAULT_WALL_SECONDS",
    "RESULT_MAX_LENGTH",
    "CallResult",
    "HostImport",
    "ImportStats",
    "Instance",
    "Outcome",
    "Runtime",
    "fuel_cross_check",
]

DEFAULT_MEMORY_LIMIT = 32 * 1024 * 1024
"""wasmd ``contractMemoryLimit`` (32 MiB) when the profile gives none."""
DEFAULT_WALL_SECONDS = 10.0
RESULT_MAX_LENGTH = 64 * 1024 * 1024
"""cosmwasm-vm ``read_limits::RESULT_*``."""
MAX_CALL_DEPTH = 2
"""cosmwasm-vm ``MAX_CALL_DEPTH``: host -> guest re-entrancy (``allocate`` inside an import)."""
_U64 = (1 << 64) - 1
_FUEL_START = (1 << 63) - 1

Outcome = Literal["ok", "out_of_gas", "trap", "aborted", "host_error", "timeout"]
HostImport = tuple[Sequence[str], Sequence[str], Callable[..., Any]]
"""``(param types, result types, callable(ctx, *args))``; types in text format (``"i32"`` ...)."""


@dataclass(frozen=True, slots=True)
class ImportStats:
    """One import in one run: calls, gas charged through :meth:`Instance.charge` while it ran
    (``cost``, table unit) and externally used gas it reported."""

    calls: int
    gas: int
    externally_used: int


@dataclass(frozen=True)
class CallResult:
    """The outcome of one contract call (gas in the table's unit).

    ``outcome``: ``ok``, ``out_of_gas``, ``trap`` (``message``: wasmtime's trap message),
    ``aborted`` (``env.abort``), ``host_error`` (a VmError of a host function or of the call
    protocol), ``timeout`` (wall-time bound). ``result``: the result Region's bytes
    (:meth:`Instance.call_entry_point`) or ``None``; ``values``: raw return values
    (:meth:`Instance.call`). ``gas_wasm`` is the gas the inserted checks charged, ``gas_host`` the
    costs charged through :meth:`Instance.charge`. ``exhausted_at``: where Wasm ran out of gas,
    ``(function index, operator index in its body)``. ``fuel``: wasmtime's fuel for the run
    (fuel runs only). ``opcode_counts``: executed operators by name.
    """

    outcome: Outcome
    message: str
    result: bytes | None
    values: tuple[Any, ...]
    gas_limit: int
    gas_remaining: int
    gas_used_externally: int
    gas_used_internally: int
    gas_wasm: int
    gas_host: int
    imports: Mapping[str, ImportStats]
    grown_pages: int
    function_entries: int
    wall_seconds: float
    exhausted_at: tuple[int, int] | None = None
    fuel: int | None = None
    raw: RawCounts | None = field(default=None, repr=False, compare=False)
    instrumented: InstrumentedModule | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """Whether the call completed."""
        return self.outcome == "ok"

    @cached_property
    def histogram(self) -> npt.NDArray[np.int64]:
        """Executions per opcode id (index into ``gasmodel.wasm.OPCODES``); zeros when uninstrumented."""
        if self.raw is None or self.instrumented is None:
            return np.zeros(len(OPCODES), dtype=np.int64)
        return self.raw.histogram(self.instrumented)

    @cached_property
    def opcode_counts(self) -> Mapping[str, int]:
        """Executed operators by text-format name (empty for uninstrumented runs)."""
        if self.raw is None or self.instrumented is None:
            return {}
        return opcode_counts(self.instrumented, self.raw)

    @cached_property
    def functions(self) -> tuple[FunctionStats, ...]:
        """Entered functions: calls and self gas, by self gas (empty for uninstrumented runs)."""
        if self.raw is None or self.instrumented is None:
            return ()
        return function_stats(self.instrumented, self.raw)

    def fuel_from_counts(self, fuel_table: CostTable) -> int:
        """The run's fuel under ``fuel_table`` computed from the counters (see :func:`fuel_of`)."""
        if self.raw is None or self.instrumented is None:
            raise GasmodelError("an uninstrumented run has no counters")
        return fuel_of(self.instrumented, self.raw, fuel_table)


class _ArityMismatch(Exception):
    def __init__(self, expected: int) -> None:
        self.expected = expected
        super().__init__(f"Function arity mismatch, expected {expected} arguments")


class Runtime:
    """One contract, instrumented for one cost table, compiled once.

    ``fuel=True``: the module runs uninstrumented on the fuel engine (wasmtime counts fuel);
    ``metered=False``: uninstrumented without fuel (a baseline for benchmarks). In both the
    gas meter is a plain number that only host charges move.
    """

    def __init__(
        self,
        wasm: bytes,
        table: CostTable,
        *,
        engine: Engine | None = None,
        memory_limit_bytes: int = DEFAULT_MEMORY_LIMIT,
        fuel: bool = False,
        metered: bool = True,
        instrumented: InstrumentedModule | None = None,
    ) -> None:
        self.table = table
        self.engine = engine if engine is not None else Engine()
        self.memory_limit_bytes = memory_limit_bytes
        self.fuel = fuel
        self.source = wasm
        if fuel or not metered:
            self.instrumented: InstrumentedModule | None = None
            self.module = self.engine.module(wasm, fuel=fuel, what="contract")
        else:
            self.instrumented = (
                instrumented if instrumented is not None else self.engine.instrumented(wasm, table)
            )
            self.module = self.engine.module(self.instrumented.wasm, what="instrumented contract")
        self._export_arity: dict[str, int] = {}
        for e in self.module.exports:
            if isinstance(e.type, wasmtime.FuncType):
                self._export_arity[e.name] = len(e.type.params)
        # One linker for every call: each import is a trampoline to the instance running now.
        self._local = threading.local()
        linker = wasmtime.Linker(self.engine.fuel if fuel else self.engine.metered)
        self.import_names: tuple[str, ...] = ()
        names = []
        for imp in self.module.imports:
            if not isinstance(imp.type, wasmtime.FuncType):
                raise GasmodelError(
                    f"the contract imports {imp.module}.{imp.name}, which is not a function; "
                    "only function imports can be provided"
                )
            name = imp.name or ""
            names.append(name)
            linker.define_func(imp.module, name, imp.type, self._trampoline(name), access_caller=True)
        self.import_names = tuple(names)
        self._import_types = {
            (imp.name or ""): (
                tuple(str(t) for t in imp.type.params),
                tuple(str(t) for t in imp.type.results),
            )
            for imp in self.module.imports
            if isinstance(imp.type, wasmtime.FuncType)
        }
        try:
            self._pre = linker.instantiate_pre(self.module)
        except wasmtime.WasmtimeError as e:
            raise GasmodelError(f"cannot link the contract: {_first_line(str(e))}") from e

    def _trampoline(self, name: str) -> Callable[..., Any]:
        local = self._local

        def trampoline(caller: wasmtime.Caller, *args: Any) -> Any:
            return local.stack[-1]._host_call(name, caller, args)

        return trampoline

    def _push(self, inst: Instance) -> None:
        stack = getattr(self._local, "stack", None)
        if stack is None:
            stack = self._local.stack = []
        stack.append(inst)

    def _pop(self) -> None:
        self._local.stack.pop()

    def check_imports(self, imports: Mapping[str, HostImport]) -> None:
        """:class:`GasmodelError` unless ``imports`` covers every import with the module's types."""
        missing = [n for n in self.import_names if n not in imports]
        if missing:
            raise GasmodelError(f"no host implementation for the imports {', '.join(missing)}")
        for n in self.import_names:
            params, results, _ = imports[n]
            if (tuple(params), tuple(results)) != self._import_types[n]:
                raise GasmodelError(
                    f"import {n}: the contract expects {self._import_types[n]}, "
                    f"the host gives {(tuple(params), tuple(results))}"
                )

    def instance(
        self,
        imports: Mapping[str, HostImport],
        gas_limit: int,
        *,
        wall_seconds: float = DEFAULT_WALL_SECONDS,
    ) -> Instance:
        """A fresh instance (one store) for one contract call."""
        return Instance(self, imports, gas_limit, wall_seconds)

    def call_entry_point(
        self,
        name: str,
        args: Sequence[bytes],
        imports: Mapping[str, HostImport],
        gas_limit: int,
        *,
        wall_seconds: float = DEFAULT_WALL_SECONDS,
    ) -> CallResult:
        """One entry-point call in a fresh instance (see :meth:`Instance.call_entry_point`)."""
        return self.instance(imports, gas_limit, wall_seconds=wall_seconds).call_entry_point(name, args)

    def arity(self, export: str) -> int | None:
        """Number of parameters of an exported function (None if not exported)."""
        return self._export_arity.get(export)


class Instance:
    """One instance in its own store: the :class:`~gasmodel.vm.context.CallContext` of a call."""

    def __init__(
        self,
        runtime: Runtime,
        imports: Mapping[str, HostImport],
        gas_limit: int,
        wall_seconds: float,
    ) -> None:
        if not 0 <= gas_limit <= _U64:
            raise GasmodelError(f"gas limit {gas_limit} is not a u64")
        self._rt = runtime
        self._im = runtime.instrumented
        self.gas_limit = gas_limit
        self._wall = wall_seconds
        self._externally = 0
        self._host_gas = 0
        self._soft_left = gas_limit  # fuel runs: the gas meter lives here
        self._depth = 0
        self._current: list[str] = []
        self._import_calls: dict[str, list[int]] = {}
        self._used = False
        engine = runtime.engine
        self._store = wasmtime.Store(engine.fuel if runtime.fuel else engine.metered)
        self._store.set_limits(memory_size=runtime.memory_limit_bytes)
        self._store.set_epoch_deadline(engine.ticks(wall_seconds))
        if runtime.fuel:
            self._store.set_fuel(_FUEL_START)
        self._ctx: Any = self._store
        self._imports = imports
        runtime.check_imports(imports)
        for n in runtime.import_names:
            self._import_calls[n] = [0, 0, 0]
        runtime._push(self)
        try:
            with engine.clock():
                self._instance = runtime._pre.instantiate(self._store)
        except (wasmtime.WasmtimeError, wasmtime.Trap) as e:
            raise GasmodelError(f"cannot instantiate the contract: {_first_line(str(e))}") from e
        finally:
            runtime._pop()
        exports = self._instance.exports(self._store)
        self._exports = exports
        self._funcs: dict[str, wasmtime.Func] = {}
        mem = exports.get("memory")
        self._memory = mem if isinstance(mem, wasmtime.Memory) else None
        self._base = 0
        if self._im is not None:
            counters = exports[EXPORT_COUNTERS]
            assert isinstance(counters, wasmtime.Memory)
            # min = max pages and never grown: its address is fixed for the instance's life
            self._base = ctypes.addressof(counters.data_ptr(self._store).contents)
            self._remaining = ctypes.c_uint64.from_address(self._base + OFF_REMAINING)
            self._remaining.value = gas_limit

    # ---- the gas meter ---------------------------------------------------------------------
    def _get_remaining(self) -> int:
        if self._im is None:
            return self._soft_left
        return int(self._remaining.value)

    def _set_remaining(self, value: int) -> None:
        if self._im is None:
            self._soft_left = value
        else:
            self._remaining.value = value

    @property
    def gas_left(self) -> int:
        """Gas left in this call (table unit)."""
        return self._get_remaining()

    def charge(self, cost_cw: int, externally_used_cw: int = 0) -> None:
        """cosmwasm-vm ``process_gas_info`` (see :class:`~gasmodel.vm.context.CallContext`)."""
        gas_left = self._get_remaining()
        self._externally += externally_used_cw
        self._host_gas += cost_cw
        if self._current:
            stats = self._import_calls[self._current[-1]]
            stats[1] += cost_cw
            stats[2] += externally_used_cw
        self._set_remaining(max(0, gas_left - externally_used_cw - cost_cw))
        if externally_used_cw + cost_cw > gas_left:
            raise VmAbort("out_of_gas", "Ran out of gas during contract execution")

    # ---- memory ----------------------------------------------------------------------------
    def _mem(self) -> wasmtime.Memory:
        if self._memory is None:
            raise VmAbort("host_error", "the contract exports no memory")
        return self._memory

    def read_memory(self, offset: int, length: int) -> bytes:
        """Bytes of the contract's memory; VmAbort("host_error") when out of bounds."""
        mem = self._mem()
        size = mem.data_len(self._ctx)
        if offset < 0 or length < 0 or offset + length > size:
            raise VmAbort(
                "host_error", f"Error accessing memory: {length} bytes at {offset} (memory size {size})"
            )
        if length == 0:
            return b""
        return ctypes.string_at(ctypes.addressof(mem.data_ptr(self._ctx).contents) + offset, length)

    def write_memory(self, offset: int, data: bytes) -> None:
        """Write into the contract's memory; VmAbort("host_error") when out of bounds."""
        mem = self._mem()
        size = mem.data_len(self._ctx)
        if offset < 0 or offset + len(data) > size:
            raise VmAbort(
                "host_error", f"Error accessing memory: {len(data)} bytes at {offset} (memory size {size})"
            )
        if data:
            ctypes.memmove(ctypes.addressof(mem.data_ptr(self._ctx).contents) + offset, data, len(data))

    # ---- calling the guest -----------------------------------------------------------------
    def _invoke(self, name: str, args: Sequence[int]) -> list[Any]:
        fn = self._funcs.get(name)
        if fn is None:
            found = self._exports.get(name)
            if not isinstance(found, wasmtime.Func):
                raise VmAbort("host_error", f"Could not get export: Missing export {name}")
            fn = self._funcs[name] = found
        arity = self._rt.arity(name)
        if arity != len(args):
            raise _ArityMismatch(arity or 0)
        if self._depth >= MAX_CALL_DEPTH:
            raise VmAbort("host_error", "Maximum call depth exceeded.")
        self._depth += 1
        try:
            out = fn(self._ctx, *args)
        finally:
            self._depth -= 1
        if out is None:
            return []
        return list(out) if isinstance(out, list | tuple) else [out]

    def allocate(self, size: int) -> int:
        """The guest's ``allocate(size)`` (metered like any guest code); a Region pointer."""
        if not 0 <= size <= 0xFFFF_FFFF:
            raise VmAbort("host_error", f"Cannot convert {size} to u32")
        (ptr,) = self._invoke("allocate", [size])
        ptr = int(ptr) & 0xFFFF_FFFF
        if ptr == 0:
            raise VmAbort("host_error", "Got a zero Wasm address")
        return ptr

    def deallocate(self, ptr: int) -> None:
        """The guest's ``deallocate(ptr)``."""
        self._invoke("deallocate", [ptr])

    def _host_call(self, name: str, caller: wasmtime.Caller, args: tuple[Any, ...]) -> Any:
        stats = self._import_calls[name]
        stats[0] += 1
        outer = self._ctx
        self._ctx = caller
        self._current.append(name)
        try:
            return self._imports[name][2](self, *args)
        finally:
            self._current.pop()
            self._ctx = outer

    # ---- calls -----------------------------------------------------------------------------
    def call_entry_point(self, name: str, args: Sequence[bytes]) -> CallResult:
        """cosmwasm-vm ``call_raw`` (``migrate`` with 3 arguments is retried with 2 on an arity
        mismatch, as the VM does). One instance serves one call."""

        def run() -> tuple[bytes | None, tuple[Any, ...]]:
            try:
                return self._call_raw(name, args), ()
            except _ArityMismatch:
                if name == "migrate" and len(args) == 3:
                    return self._call_raw(name, args[:2]), ()
                raise

        return self._run(run)

    def call(self, name: str, *args: int | float) -> CallResult:
        """Call an export with plain values (no Regions), e.g. the WAT metering fixtures."""

        def run() -> tuple[bytes | None, tuple[Any, ...]]:
            return None, tuple(self._invoke(name, list(args)))  # type: ignore[arg-type]

        return self._run(run)

    def _call_raw(self, name: str, args: Sequence[bytes]) -> bytes:
        costs = self._rt.table.region
        ptrs = []
        for arg in args:
            ptr = self.allocate(len(arg))
            write_region(self, ptr, arg, costs)
            ptrs.append(ptr)
        (res,) = self._invoke(name, ptrs) or [None]
        if res is None:
            raise VmAbort("host_error", f"export {name} returned no value")
        res_ptr = int(res) & 0xFFFF_FFFF
        data = read_region(self, res_ptr, RESULT_MAX_LENGTH, costs)
        self.deallocate(res_ptr)
        return data

    def _run(self, body: Callable[[], tuple[bytes | None, tuple[Any, ...]]]) -> CallResult:
        if self._used:
            raise GasmodelError("an Instance serves one contract call; make a new one")
        self._used = True
        outcome: Outcome = "ok"
        message = ""
        result: bytes | None = None
        values: tuple[Any, ...] = ()
        trap: wasmtime.Trap | None = None
        t0 = time.perf_counter()
        self._rt._push(self)
        with self._rt.engine.clock():
            try:
                result, values = body()
            except VmAbort as e:
                outcome, message = _abort_outcome(e)
            except _ArityMismatch as e:
                outcome, message = "host_error", str(e)
            except wasmtime.Trap as e:
                trap = e
                outcome, message = "trap", _first_line(e.message)
                if e.trap_code == wasmtime.TrapCode.INTERRUPT:
                    outcome, message = "timeout", f"wall-time bound of {self._wall} s reached"
            except wasmtime.WasmtimeError as e:
                outcome, message = "host_error", _first_line(str(e))
            finally:
                self._rt._pop()
        wall = time.perf_counter() - t0
        self._ctx = self._store
        exhausted_at: tuple[int, int] | None = None
        raw: RawCounts | None = None
        if self._im is not None:
            check = ctypes.c_uint64.from_address(self._base + OFF_EXHAUSTED).value
            if check:
                outcome, message = "out_of_gas", "Ran out of gas during contract execution"
                exhausted_at = self._check_location(check - 1)
            raw = self._raw_counts(trap if outcome == "trap" else None)
        remaining = 0 if outcome == "out_of_gas" else self._get_remaining()
        internally = (
            self.gas_limit - remaining - self._externally
            if outcome != "out_of_gas"
            else (max(0, self.gas_limit - self._externally))
        )
        fuel = None
        if self._rt.fuel:
            fuel = _FUEL_START - self._store.get_fuel()
        entries = 0
        gas_wasm = 0
        pages = 0
        if self._im is not None and raw is not None:
            entries_per_fn = raw.entries(self._im)
            entries = int(entries_per_fn.sum())
            gas_wasm = int(np.dot(raw.segments, self._im.seg_charge)) + int(
                np.dot(entries_per_fn, self._im.entry_charge)
            )
            pages = raw.grown_pages
        imports = {n: ImportStats(s[0], s[1], s[2]) for n, s in self._import_calls.items() if s[0]}
        return CallResult(
            outcome=outcome,
            message=message,
            result=result,
            values=values,
            gas_limit=self.gas_limit,
            gas_remaining=remaining,
            gas_used_externally=self._externally,
            gas_used_internally=internally,
            gas_wasm=gas_wasm,
            gas_host=self._host_gas,
            imports=imports,
            grown_pages=pages,
            function_entries=entries,
            wall_seconds=wall,
            exhausted_at=exhausted_at,
            fuel=fuel,
            raw=raw,
            instrumented=self._im,
        )

    def _raw_counts(self, trap: wasmtime.Trap | None) -> RawCounts:
        im = self._im
        assert im is not None
        n = im.num_segments
        segs = np.frombuffer(ctypes.string_at(self._base + COUNTERS_BASE, 8 * n), dtype="<i8").astype(
            np.int64
        )
        pages = ctypes.c_uint64.from_address(self._base + OFF_PAGES).value
        partial = None
        if trap is not None:
            frames = trap.frames
            if frames:
                top = frames[0]
                k = top.func_index - im.num_imported_functions
                if 0 <= k < len(im.module.functions):
                    orig = im.original_offset(k, top.func_offset)
                    partial = im.partial_segment(self._rt.source, k, orig)
        return RawCounts(segs, pages, partial)

    def _check_location(self, check_id: int) -> tuple[int, int]:
        im = self._im
        assert im is not None
        if check_id >= im.num_segments:
            k = check_id - im.num_segments
            return im.module.functions[k].index, 0
        fn_index = int(im.seg_func[check_id])
        k = fn_index - im.num_imported_functions
        first = int(im.seg_start[im.func_first_seg[k]])
        return fn_index, int(im.seg_start[check_id + 1]) - 1 - first


def _first_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for ln in lines:
        if ln.startswith("wasm trap:"):
            return ln
    return lines[0] if lines else text


def _abort_outcome(e: VmAbort) -> tuple[Outcome, str]:
    if e.kind == "out_of_gas":
        return "out_of_gas", e.message
    if e.kind == "aborted":
        return "aborted", e.message
    return "host_error", e.message


def fuel_cross_check(
    wasm: bytes,
    run: Callable[[Runtime], CallResult],
    *,
    table: CostTable | None = None,
    engine: Engine | None = None,
) -> tuple[CallResult, CallResult]:
    """Run one call twice - instrumented (under ``table``, default ``cosmwasm-vm-3.0.9``) and plain
    on the fuel engine - and raise :class:`GasmodelError` unless both end the same way and the
    counters' fuel under the ``wasmtime-fuel`` table equals wasmtime's own fuel. ``run`` makes the
    call on the runtime it is given (with fresh host state each time). Returns both results.

    Only meaningful for calls that complete (``ok``, or a host abort/error at an import call):
    wasmtime drops the fuel of straight-line code before a trap.
    """
    eng = engine if engine is not None else Engine()
    metered_table = table if table is not None else load_cost_table("cosmwasm-vm-3.0.9")
    metered = run(Runtime(wasm, metered_table, engine=eng))
    plain = run(Runtime(wasm, metered_table, engine=eng, fuel=True))
    if metered.outcome != plain.outcome or metered.result != plain.result:
        raise GasmodelError(
            f"fuel cross-check: the runs differ ({metered.outcome} {metered.message!r} vs "
            f"{plain.outcome} {plain.message!r})"
        )
    ours = metered.fuel_from_counts(load_cost_table("wasmtime-fuel"))
    if ours != plain.fuel:
        raise GasmodelError(f"fuel cross-check: counters give {ours} fuel, wasmtime measured {plain.fuel}")
    return metered, plain


def _conforms(instance: Instance) -> CallContext:
    """Static check (mypy): an :class:`Instance` is a :class:`CallContext`."""
    return instance
