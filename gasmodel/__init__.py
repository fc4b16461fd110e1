"""gasmodel: exact, offline, explained gas for CosmWasm contracts.

The data path: bytes -> decoded module -> static histograms and call graph -> a cost table
applied -> (optionally) a metered run -> a gas report. The public API is re-exported here.
"""

from __future__ import annotations

from gasmodel.errors import ChainError, ConfigError, GasmodelError, WasmDecodeError

__version__ = "0.1.0"

__all__ = [
    "ChainError",
    "ConfigError",
    "GasmodelError",
    "WasmDecodeError",
    "__version__",
]
