"""WebAssembly validation with a real validator: wasmtime's (wasmparser), under a chosen feature set.

The feature set is given as feature *names* (wasmparser's ``WasmFeatures`` names, the names
chain profiles use, e.g. ``"bulk_memory"``, ``"reference_types"``), so this module needs nothing
but the names. Each name that wasmtime can switch sets the matching ``Config.wasm_*`` switch;
every other proposal wasmtime knows is switched off.

wasmtime cannot switch everything a chain's validator can: ``floats``, ``sign_extension``,
``saturating_float_to_int``, ``mutable_global``, ``extended_const``, ``memory_control`` and
``shared_everything_threads`` are always decided by wasmtime itself, and some switches pull in
others (relaxed SIMD needs SIMD). :func:`unenforced` names the features that a given request
wants *off* but wasmtime keeps *on*; a caller that must match a chain checks those itself (the
decoder names each instruction's proposal).

wasmtime stops at the first problem, as the chain's validator does; its message is wasmparser's
text, the same words a chain running wasmparser prints (``"bulk memory support is not enabled
(at offset 0x17d)"``).
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import wasmtime

from gasmodel.errors import WasmDecodeError

# Feature names wasmtime can switch, each with the name of its ``wasmtime.Config`` property.
_SWITCHES: dict[str, str] = {
    "bulk_memory": "wasm_bulk_memory",
    "reference_types": "wasm_reference_types",
    "simd": "wasm_simd",
    "relaxed_simd": "wasm_relaxed_simd",
    "threads": "wasm_threads",
    "tail_call": "wasm_tail_call",
    "multi_memory": "wasm_multi_memory",
    "exceptions": "wasm_exceptions",
    "memory64": "wasm_memory64",
    "function_references": "wasm_function_references",
    "gc": "wasm_gc",
    "multi_value": "wasm_multi_value",
    "component_model": "wasm_component_model",
}
# Proposals wasmtime knows that no chain profile names: always off here.
_ALWAYS_OFF = ("wasm_wide_arithmetic", "wasm_custom_page_sizes", "wasm_stack_switching")
# Features wasmtime decides by itself (always accepted by its validator).
_FIXED_ON = frozenset(
    {
        "floats",
        "sign_extension",
        "saturating_float_to_int",
        "mutable_global",
        "extended_const",
        "memory_control",
        "shared_everything_threads",
    }
)
# wasmtime refuses to build an engine with a feature on but its prerequisite off.
_REQUIRES: dict[str, tuple[str, ...]] = {
    "relaxed_simd": ("simd",),
    "gc": ("function_references", "reference_types"),
    "function_references": ("reference_types",),
}
# The component model's async support needs reference types; the Python binding has no switch
# for it, the C API does.
_ASYNC_SWITCHES = (
    "wasmtime_config_wasm_component_model_async_set",
    "wasmtime_config_wasm_component_model_async_stackful_set",
    "wasmtime_config_wasm_component_model_more_async_builtins_set",
)

SWITCHABLE: frozenset[str] = frozenset(_SWITCHES)
"""Feature names this validator switches on wasmtime."""

_OFFSET = re.compile(r"\(at offset 0x([0-9a-fA-F]+)\)")
_FUNC = re.compile(r"\bfunc(?:tion)? (\d+)\b")


@dataclass(frozen=True, slots=True)
class ValidationProblem:
    """The validator's first objection.

    ``message`` is wasmparser's text without the ``(at offset ...)`` suffix; ``offset`` is the
    byte offset in the module (``None`` when the validator gave none); ``func_index`` is the
    absolute index of the function whose body holds ``offset`` (``None`` outside bodies).
    """

    message: str
    offset: int | None
    func_index: int | None


def _closure(features: frozenset[str]) -> frozenset[str]:
    out = set(features & SWITCHABLE)
    changed = True
    while changed:
        changed = False
        for name in tuple(out):
            for need in _REQUIRES.get(name, ()):
                if need not in out:
                    out.add(need)
                    changed = True
    return frozenset(out)


def _async_switchable() -> bool:
    dll = wasmtime._ffi.dll  # the only route to the C API switches
    return all(hasattr(dll, name) for name in _ASYNC_SWITCHES)


def enabled(features: Iterable[str]) -> frozenset[str]:
    """The switchable features wasmtime runs with for a request of ``features`` (names)."""
    on = _closure(frozenset(features))
    if "reference_types" not in on and not _async_switchable():
        on = on | {"reference_types"}
    return on


def unenforced(features: Iterable[str]) -> frozenset[str]:
    """Features the request leaves off but wasmtime accepts anyway: the caller must check these."""
    wanted = frozenset(features)
    return (_FIXED_ON | enabled(wanted)) - wanted


@lru_cache(maxsize=16)
def _engine(on: frozenset[str]) -> wasmtime.Engine:
    config = wasmtime.Config()
    if "reference_types" not in on:
        dll = wasmtime._ffi.dll
        ptr = ctypes.cast(config.ptr(), ctypes.c_void_p)
        for name in _ASYNC_SWITCHES:
            fn = getattr(dll, name)
            fn.argtypes = [ctypes.c_void_p, ctypes.c_bool]
            fn.restype = None
            fn(ptr, False)
    for name, prop in _SWITCHES.items():
        setattr(config, prop, name in on)
    for prop in _ALWAYS_OFF:
        setattr(config, prop, False)
    return wasmtime.Engine(config)


def _body_ranges(data: bytes) -> list[tuple[int, int, int]]:
    """(start, end, absolute function index) of each body, from the section framing only."""
    out: list[tuple[int, int, int]] = []
    n = len(data)

    def leb(pos: int) -> tuple[int, int]:
        value = shift = 0
        while pos < n and shift < 35:
            b = data[pos]
            pos += 1
            value |= (b & 0x7F) << shift
            if not b & 0x80:
                return value, pos
            shift += 7
        raise ValueError

    try:
        pos = 8
        imported = 0
        while pos < n:
            sid = data[pos]
            size, body = leb(pos + 1)
            end = body + size
            if sid == 2:  # count imported functions
                count, p = leb(body)
                for _ in range(count):
                    for _name in range(2):
                        length, p = leb(p)
                        p += length
                    kind = data[p]
                    p += 1
                    if kind == 0:
                        imported += 1
                        _, p = leb(p)
                    elif kind == 1:
                        p += 1
                        flags, p = leb(p)
                        _, p = leb(p)
                        if flags & 1:
                            _, p = leb(p)
                    elif kind == 2:
                        flags, p = leb(p)
                        _, p = leb(p)
                        if flags & 1:
                            _, p = leb(p)
                    elif kind == 3:
                        p += 2
                    else:
                        _, p = leb(p + 1)
            elif sid == 10:
                count, p = leb(body)
                for i in range(count):
                    length, start = leb(p)
                    p = start + length
                    out.append((start, p, imported + i))
                return out
            pos = end
    except (ValueError, IndexError):
        return out
    return out


def _locate(data: bytes, offset: int | None, message: str) -> int | None:
    if offset is not None:
        for start, end, index in _body_ranges(data):
            if start <= offset < end:
                return index
    match = _FUNC.search(message)
    return int(match.group(1)) if match else None


def validate(data: bytes, features: Iterable[str]) -> ValidationProblem | None:
    """Validate ``data`` under ``features`` (names); ``None`` if valid, else the first problem."""
    engine = _engine(enabled(features))
    try:
        wasmtime.Module.validate(engine, data)
    except wasmtime.WasmtimeError as exc:
        text = str(exc).strip()
        match = _OFFSET.search(text)
        offset = int(match.group(1), 16) if match else None
        message = " ".join(_OFFSET.sub("", text).split()) or "invalid module"
        return ValidationProblem(message, offset, _locate(data, offset, text))
    return None


def check_valid(data: bytes, features: Iterable[str]) -> None:
    """Raise :class:`~gasmodel.errors.WasmDecodeError` unless ``data`` is valid under ``features``."""
    problem = validate(data, features)
    if problem is not None:
        raise WasmDecodeError(
            f"invalid WebAssembly: {problem.message}",
            problem.offset if problem.offset is not None else 0,
            problem.func_index,
        )
