"""gasmodel: exact, offline, explained gas for CosmWasm contracts.

The data path: bytes -> decoded module (:func:`decode`) -> static histograms (:func:`histogram`)
and call graph (:func:`call_graph`) -> a cost table applied (:func:`load_cost_table`,
:func:`load_profile`, :func:`analyze`) -> (later) a metered run -> a gas report. A real chain to
check numbers against: :mod:`gasmodel.chain` (localnet, client) and :mod:`gasmodel.scenario`.
"""

from __future__ import annotations

from gasmodel.analysis import (
    AnalysisError,
    AnalysisReport,
    UploadCost,
    analyze,
    build_call_graph,
    call_graph,
    read_contract,
)
from gasmodel.costs import (
    ChainProfile,
    CostTable,
    LinearCost,
    compose_cost_table,
    find_vm_preset,
    find_wasmd_preset,
    list_presets,
    load_cost_table,
    load_profile,
)
from gasmodel.errors import ChainError, ConfigError, GasmodelError, WasmDecodeError
from gasmodel.histogram import FunctionHistogram, ModuleHistogram, histogram
from gasmodel.wasm import BY_NAME, OPCODES, Function, FuncType, Module, Opcode, decode

__version__ = "0.1.0"

__all__ = [
    "BY_NAME",
    "OPCODES",
    "AnalysisError",
    "AnalysisReport",
    "ChainError",
    "ChainProfile",
    "ConfigError",
    "CostTable",
    "FuncType",
    "Function",
    "FunctionHistogram",
    "GasmodelError",
    "LinearCost",
    "Module",
    "ModuleHistogram",
    "Opcode",
    "UploadCost",
    "WasmDecodeError",
    "__version__",
    "analyze",
    "build_call_graph",
    "call_graph",
    "compose_cost_table",
    "decode",
    "find_vm_preset",
    "find_wasmd_preset",
    "histogram",
    "list_presets",
    "load_cost_table",
    "load_profile",
    "read_contract",
]
