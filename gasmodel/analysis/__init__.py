"""Static facts about a contract: call graph, reachability, recursion, static cost, upload cost.

Never runs a contract. ``analyze(wasm_bytes, preset=..., chain=...)`` returns an
:class:`AnalysisReport`; ``call_graph(wasm_bytes)`` the networkx call graph,
``call_subgraph(g, entries=..., depth=..., reachable_only=...)`` a part of it. See docs/analysis.md.
"""

from __future__ import annotations

from gasmodel.analysis.api import analyze, call_graph, read_contract
from gasmodel.analysis.blocks import MeteringBlock, split_blocks
from gasmodel.analysis.callgraph import (
    EntryPoint,
    build_call_graph,
    cycles,
    direct_only,
    entry_points,
    export_role,
    indirect_targets,
    reachable,
)
from gasmodel.analysis.errors import AnalysisError
from gasmodel.analysis.graph_export import to_dot, to_node_link
from gasmodel.analysis.paths import CallPath, heaviest_paths, reachable_cost
from gasmodel.analysis.pricing import Pricing, metering_spec, resolve_pricing
from gasmodel.analysis.report import (
    AnalysisReport,
    CycleReport,
    EntryPointReport,
    FunctionReport,
    ImportReport,
    analyze_module,
    annotated,
)
from gasmodel.analysis.select import call_subgraph, resolve_function
from gasmodel.analysis.static_cost import FunctionCost, MeteringSpec, function_cost
from gasmodel.analysis.upload import UploadCost, UploadVariant, ensure_wasm, maybe_gunzip, upload_cost

__all__ = [
    "AnalysisError",
    "AnalysisReport",
    "CallPath",
    "CycleReport",
    "EntryPoint",
    "EntryPointReport",
    "FunctionCost",
    "FunctionReport",
    "ImportReport",
    "MeteringBlock",
    "MeteringSpec",
    "Pricing",
    "UploadCost",
    "UploadVariant",
    "analyze",
    "analyze_module",
    "annotated",
    "build_call_graph",
    "call_graph",
    "call_subgraph",
    "cycles",
    "direct_only",
    "ensure_wasm",
    "entry_points",
    "export_role",
    "function_cost",
    "heaviest_paths",
    "indirect_targets",
    "maybe_gunzip",
    "metering_spec",
    "reachable",
    "reachable_cost",
    "read_contract",
    "resolve_function",
    "resolve_pricing",
    "split_blocks",
    "to_dot",
    "to_node_link",
    "upload_cost",
]
