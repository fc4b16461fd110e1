"""One wasmtime configuration, compiled modules cached in process and on disk, the wall-time clock.

Two engines share the configuration: one without fuel (metered runs: the gas is in the
instrumented module) and one with fuel (the wasmtime-fuel cross-check of an uninstrumented
module). Both have epoch interruption on: :class:`Engine` keeps a ticker thread running while
at least one call is in flight, one tick per :data:`TICK_SECONDS`, and a store's deadline is the
call's wall-time bound in ticks.

Compiled modules are cached by the sha256 of the bytes compiled, the fuel flag and the wasmtime
version: in process, and as ``Module.serialize`` output under ``$XDG_CACHE_HOME/gasmodel``
(default ``~/.cache/gasmodel``) so a second process skips Cranelift. Instrumentations are cached
the same way, keyed by the original module's sha256 and the table's instrumentation key (the
operators and locals sections, and the instrumentation's version); the compiled instrumented
module is then found by the sha256 of its bytes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

import wasmtime

from gasmodel.costs.table import CostTable
from gasmodel.errors import GasmodelError
from gasmodel.vm.instrument import InstrumentedModule, instrument, instrumentation_key, load_instrumented

__all__ = ["TICK_SECONDS", "Engine", "cache_dir"]

TICK_SECONDS = 0.005
"""Period of the epoch ticker (the resolution of the wall-time bound)."""

_WASMTIME_VERSION = version("wasmtime")


def cache_dir() -> Path:
    """Where compiled modules are kept: ``$XDG_CACHE_HOME/gasmodel`` or ``~/.cache/gasmodel``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gasmodel" / f"wasmtime-{_WASMTIME_VERSION}"


def _config(fuel: bool) -> wasmtime.Config:
    cfg = wasmtime.Config()
    cfg.epoch_interruption = True
    cfg.consume_fuel = fuel
    cfg.wasm_multi_memory = True  # the instrumentation's counters memory
    cfg.cranelift_opt_level = "speed"
    return cfg


def _store(path: Path, write: Callable[[Path], object]) -> None:
    """Put a cache entry at ``path`` whole or not at all: ``write`` fills a temporary file in the
    same folder, which then replaces ``path``."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.close(fd)
        write(Path(tmp))
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only or full cache directory only costs the next process a compile


class Engine:
    """wasmtime engines (metered and fuel), the compiled-module caches and the epoch ticker."""

    def __init__(self, disk_cache: bool = True, cache_path: Path | None = None) -> None:
        self.metered = wasmtime.Engine(_config(fuel=False))
        self.fuel = wasmtime.Engine(_config(fuel=True))
        self._disk = disk_cache
        self._path = cache_path
        self._modules: dict[tuple[str, bool], wasmtime.Module] = {}
        self._instrumented: dict[tuple[str, str], InstrumentedModule] = {}
        self._lock = threading.Lock()
        self._active = 0
        self._wake = threading.Condition(self._lock)
        self._ticker: threading.Thread | None = None

    def instrumented(self, wasm: bytes, table: CostTable, *, profile: bool = False) -> InstrumentedModule:
        """``instrument(wasm, table, profile=profile)``, cached in process and on disk (by module
        sha256 and the table's instrumentation key)."""
        key = (hashlib.sha256(wasm).hexdigest(), instrumentation_key(table, profile))
        hit = self._instrumented.get(key)
        if hit is not None:
            return hit
        path = (self._path or cache_dir()) / f"{key[0]}-{key[1]}.instr.npz"
        im: InstrumentedModule | None = None
        if self._disk and path.is_file():
            try:
                im = load_instrumented(path, wasm)
            except GasmodelError:
                im = None  # stale or damaged entry: instrument again below
        if im is None:
            im = instrument(wasm, table, profile=profile)
            if self._disk:
                _store(path, im.save)
        self._instrumented[key] = im
        return im

    def module(self, wasm: bytes, fuel: bool = False, what: str = "module") -> wasmtime.Module:
        """The compiled module for ``wasm`` (cached); :class:`GasmodelError` if it does not compile."""
        digest = hashlib.sha256(wasm).hexdigest()
        key = (digest, fuel)
        hit = self._modules.get(key)
        if hit is not None:
            return hit
        engine = self.fuel if fuel else self.metered
        path = (self._path or cache_dir()) / f"{digest}-{'fuel' if fuel else 'metered'}.cwasm"
        module: wasmtime.Module | None = None
        if self._disk and path.is_file():
            try:
                module = wasmtime.Module.deserialize_file(engine, str(path))
            except wasmtime.WasmtimeError:
                module = None  # stale or damaged entry: compile again below
        if module is None:
            try:
                module = wasmtime.Module(engine, wasm)
            except wasmtime.WasmtimeError as e:
                raise GasmodelError(f"wasmtime cannot compile the {what}: {e}") from e
            if self._disk:
                serialized = module.serialize()
                _store(path, lambda p: p.write_bytes(serialized))
        self._modules[key] = module
        return module

    @contextmanager
    def clock(self) -> Iterator[None]:
        """Keep the epoch ticking while the body runs (nested and concurrent uses share one ticker)."""
        with self._lock:
            self._active += 1
            if self._ticker is None:
                self._ticker = threading.Thread(target=self._tick, name="gasmodel-epoch", daemon=True)
                self._ticker.start()
            self._wake.notify_all()
        try:
            yield
        finally:
            with self._lock:
                self._active -= 1

    def _tick(self) -> None:
        while True:
            with self._lock:
                while self._active == 0:
                    self._wake.wait()
            self._wake_sleep()
            self.metered.increment_epoch()
            self.fuel.increment_epoch()

    @staticmethod
    def _wake_sleep() -> None:
        threading.Event().wait(TICK_SECONDS)

    @staticmethod
    def ticks(seconds: float) -> int:
        """Epoch deadline (in ticks) for a wall-time bound of ``seconds``."""
        return max(1, int(seconds / TICK_SECONDS) + 1)
