"""The library's error types.

Every failure a user can cause (a bad module, a bad cost table, a bad scenario, a chain that
refuses) surfaces as a :class:`GasmodelError` subclass whose message names what and where.
This module imports nothing, so every layer (``gasmodel.wasm`` included) may use it.
"""

from __future__ import annotations


class GasmodelError(Exception):
    """Base class of every error gasmodel raises on purpose."""


class WasmDecodeError(GasmodelError):
    """A WebAssembly module could not be decoded.

    ``offset`` is the byte offset in the module where decoding failed; ``func_index`` and
    ``func_name`` name the function whose body was being decoded, when the failure is in code.
    """

    def __init__(
        self,
        message: str,
        offset: int,
        func_index: int | None = None,
        func_name: str | None = None,
    ) -> None:
        self.reason = message
        self.offset = offset
        self.func_index = func_index
        self.func_name = func_name
        where = f"at byte offset {offset} (0x{offset:x})"
        if func_index is not None:
            where += f" in function {func_index}"
            if func_name:
                where += f" ({func_name})"
        super().__init__(f"{message} {where}")


class ConfigError(GasmodelError):
    """A cost table, chain profile or scenario file is invalid (names the file and field)."""


class ChainError(GasmodelError):
    """The local chain could not be started, reached or used."""
