"""gasmodel: exact, offline, explained gas for CosmWasm contracts.

The data path: bytes -> decoded module (:func:`decode`) -> static histograms (:func:`histogram`)
and call graph (:func:`call_graph`) -> a cost table applied (:func:`load_cost_table`,
:func:`load_profile`, :func:`analyze`) -> a metered run on a mock chain (:func:`estimate`,
:class:`MockChain`) -> a gas report (:class:`GasReport`). A real chain to
check numbers against: :mod:`gasmodel.chain` (localnet, client) and :mod:`gasmodel.scenario`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from gasmodel.analysis import (
    AnalysisError,
    AnalysisReport,
    UploadCost,
    analyze,
    build_call_graph,
    call_graph,
    call_subgraph,
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
from gasmodel.estimate import Block, estimate
from gasmodel.histogram import FunctionHistogram, ModuleHistogram, histogram
from gasmodel.lint import Finding, LintInputError, LintMatrix, LintReport, lint, lint_matrix
from gasmodel.report import GasReport
from gasmodel.vm.chain import MockChain
from gasmodel.wasm import BY_NAME, OPCODES, Function, FuncType, Module, Opcode, decode

if TYPE_CHECKING:
    from gasmodel.chain import ChainClient, KeyType, Localnet, LocalnetConfig, TxResult
    from gasmodel.estimate import Block, estimate
    from gasmodel.report import GasReport
    from gasmodel.scenario import (
        Scenario,
        ScenarioError,
        ScenarioResult,
        load_scenario,
        run_on_fresh_localnet,
        run_scenario,
    )
    from gasmodel.vm.chain import MockChain

__version__ = "0.1.0"

# The chain side pulls in cosmpy and grpc (a few hundred ms): imported on first use only.
_LAZY = {
    "ChainClient": "gasmodel.chain",
    "KeyType": "gasmodel.chaintypes",
    "Localnet": "gasmodel.chain",
    "LocalnetConfig": "gasmodel.chain",
    "TxResult": "gasmodel.chain",
    "Scenario": "gasmodel.scenario",
    "ScenarioError": "gasmodel.scenario",
    "ScenarioResult": "gasmodel.scenario",
    "load_scenario": "gasmodel.scenario",
    "run_on_fresh_localnet": "gasmodel.scenario",
    "run_scenario": "gasmodel.scenario",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gasmodel' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)

__all__ = [
    "BY_NAME",
    "OPCODES",
    "AnalysisError",
    "AnalysisReport",
    "Block",
    "ChainClient",
    "ChainError",
    "ChainProfile",
    "ConfigError",
    "CostTable",
    "Finding",
    "FuncType",
    "Function",
    "FunctionHistogram",
    "GasReport",
    "GasmodelError",
    "KeyType",
    "LinearCost",
    "LintInputError",
    "LintMatrix",
    "LintReport",
    "Localnet",
    "LocalnetConfig",
    "MockChain",
    "Module",
    "ModuleHistogram",
    "Opcode",
    "Scenario",
    "ScenarioError",
    "ScenarioResult",
    "TxResult",
    "UploadCost",
    "WasmDecodeError",
    "__version__",
    "analyze",
    "build_call_graph",
    "call_graph",
    "call_subgraph",
    "compose_cost_table",
    "decode",
    "estimate",
    "find_vm_preset",
    "find_wasmd_preset",
    "histogram",
    "lint",
    "lint_matrix",
    "list_presets",
    "load_cost_table",
    "load_profile",
    "load_scenario",
    "read_contract",
    "run_on_fresh_localnet",
    "run_scenario",
]
