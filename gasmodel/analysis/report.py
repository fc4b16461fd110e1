"""The analysis report: pydantic models and the function that fills them from a decoded module."""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
from pydantic import BaseModel, ConfigDict

from gasmodel.analysis.callgraph import build_call_graph, cycles, direct_only, entry_points, reachable
from gasmodel.analysis.passes import function_passes
from gasmodel.analysis.paths import MAX_PATH_SHOWN, entry_reach, heaviest_paths
from gasmodel.analysis.static_cost import FunctionCost, MeteringSpec, function_cost
from gasmodel.analysis.upload import UploadCost
from gasmodel.wasm import Module


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class FunctionReport(_Frozen):
    """Static facts of one defined function."""

    index: int
    name: str
    exports: list[str]
    size: int
    """Body size in bytes."""
    ops: int
    num_locals: int
    static_cost: int
    """CW gas of executing every instruction once."""
    blocks: int
    """Number of metering blocks (gas checks injected by the middleware)."""
    locals_charge: int
    """CW gas charged per call for locals (0 where the version has no such charge)."""
    max_pass_cost: int
    """Heaviest loop-free, recursion-free pass through the function, callees included."""
    reachable: bool
    recursive: bool
    """In a recursive group of the call graph (indirect calls included)."""
    directly_recursive: bool
    """In a recursive group formed by direct calls alone (certain recursion)."""
    callers: int
    callees: int


class ImportReport(_Frozen):
    """An imported function (a host function such as ``env.db_read``)."""

    index: int
    name: str
    reachable: bool
    callers: int


class EntryPointReport(_Frozen):
    """A function the host calls, with the costs of what it can reach."""

    index: int
    name: str
    role: str
    """"entry", "memory", "marker", "other" or "start"."""
    static_cost: int
    max_pass_cost: int
    """Heaviest loop-free, recursion-free execution from this entry, callees included (docs/analysis.md)."""
    max_pass_callees: list[int]
    """The functions called, in order, on that pass at the entry's own level."""
    max_path_cost: int
    """Most expensive loop-free call-graph path, each function weighing its static cost."""
    max_path: list[int]
    """The path's functions in call order (the first 64 when it is longer: see ``max_path_length``)."""
    max_path_names: list[str]
    direct_path_cost: int
    """Like ``max_path_cost`` on direct-call edges only (ignoring type-resolved indirect calls)."""
    direct_path: list[int]
    max_path_length: int = 0
    """Number of functions on the whole heaviest path."""
    direct_path_length: int = 0
    """Number of functions on the whole direct path."""
    reachable_functions: int
    reachable_cost: int
    """CW gas of calling every reachable function once (an upper bound of ``max_path_cost``)."""
    reachable_imports: list[str]


class CycleReport(_Frozen):
    """A recursive group: functions that can call themselves through each other."""

    kind: str
    """"direct": a cycle of direct calls (certain); "indirect": needs a type-resolved indirect call."""
    members: list[int]
    names: list[str]


class AnalysisReport(_Frozen):
    """Everything ``gasmodel analyze`` reports about one contract."""

    source: str
    cost_table: str
    cost_unit: str
    """Unit of every static cost: "cw_gas" for CosmWasm tables."""
    gas_multiplier: int | None
    """CW gas per SDK gas (None when the table has no wasmd section)."""
    module_size: int
    num_imported_functions: int
    num_functions: int
    num_reachable: int
    unreachable: list[int]
    unreachable_names: list[str]
    cycles: list[CycleReport]
    entry_points: list[EntryPointReport]
    functions: list[FunctionReport]
    imports: list[ImportReport]
    upload: UploadCost


def analyze_module(
    module: Module,
    data: bytes,
    spec: MeteringSpec,
    upload: UploadCost,
    *,
    source: str = "",
    cost_table: str = "",
    gas_multiplier: int | None = None,
    graph: nx.DiGraph | None = None,
) -> AnalysisReport:
    """The report for ``module`` (decoded from ``data``) under ``spec``, with a precomputed ``upload``.

    Complexity: near-linear in instructions + functions + call edges: the call graph, its
    condensation, the heaviest paths and passes once each; per-entry reachability over the
    condensation once (:func:`gasmodel.analysis.paths.entry_reach`, bounded).
    """
    g = graph if graph is not None else build_call_graph(module)
    costs: dict[int, FunctionCost] = {fn.index: function_cost(fn, spec) for fn in module.functions}
    weight: Mapping[int, int] = {i: c.weight for i, c in costs.items()}
    entries = entry_points(module)
    live = reachable(g, (e.index for e in entries))
    dg = direct_only(g)
    dag = nx.condensation(g)
    ddag = nx.condensation(dg)
    direct_groups = cycles(dg, ddag)
    groups = [("direct", grp) for grp in direct_groups]
    groups += [("indirect", grp) for grp in cycles(g, dag) if grp not in set(direct_groups)]
    recursive = {m for _, grp in groups for m in grp}
    directly_recursive = {m for grp in direct_groups for m in grp}
    starts = {e.index for e in entries}
    paths = heaviest_paths(g, weight, starts, MAX_PATH_SHOWN, dag)
    passes = function_passes(module, data, spec, g, {i: c.blocks for i, c in costs.items()}, dag)
    dpaths = heaviest_paths(dg, weight, starts, MAX_PATH_SHOWN, ddag)
    kinds = dict(g.nodes(data="kind"))
    reach = entry_reach(g, weight, starts, lambda n: kinds[n] == "import", dag=dag)

    labels = {n: str(label) for n, label in g.nodes(data="name")}
    name = labels.__getitem__

    functions = [
        FunctionReport(
            index=fn.index,
            name=name(fn.index),
            exports=list(g.nodes[fn.index]["exports"]),
            size=fn.size,
            ops=len(fn.ops),
            num_locals=fn.num_locals,
            static_cost=costs[fn.index].static_cost,
            blocks=len(costs[fn.index].blocks),
            locals_charge=costs[fn.index].locals_charge,
            max_pass_cost=passes[fn.index].cost,
            reachable=fn.index in live,
            recursive=fn.index in recursive,
            directly_recursive=fn.index in directly_recursive,
            callers=g.in_degree(fn.index),
            callees=g.out_degree(fn.index),
        )
        for fn in module.functions
    ]
    imports = [
        ImportReport(index=n, name=name(n), reachable=n in live, callers=g.in_degree(n))
        for n in sorted(g.nodes)
        if g.nodes[n]["kind"] == "import"
    ]
    entry_reports = []
    for e in entries:
        cp = paths[e.index]
        r = reach[e.index]
        entry_reports.append(
            EntryPointReport(
                index=e.index,
                name=e.name,
                role=e.role,
                static_cost=costs[e.index].static_cost if e.index in costs else 0,
                max_pass_cost=passes[e.index].cost if e.index in passes else 0,
                max_pass_callees=list(passes[e.index].callees) if e.index in passes else [],
                max_path_cost=cp.cost,
                max_path=list(cp.path),
                max_path_names=[name(i) for i in cp.path],
                direct_path_cost=dpaths[e.index].cost,
                direct_path=list(dpaths[e.index].path),
                max_path_length=cp.length,
                direct_path_length=dpaths[e.index].length,
                reachable_functions=r.functions,
                reachable_cost=r.cost,
                reachable_imports=sorted(name(n) for n in r.imports),
            )
        )
    dead = sorted(fn.index for fn in module.functions if fn.index not in live)
    return AnalysisReport(
        source=source,
        cost_table=cost_table,
        cost_unit=spec.unit,
        gas_multiplier=gas_multiplier,
        module_size=module.size,
        num_imported_functions=module.num_imported_functions,
        num_functions=len(module.functions),
        num_reachable=sum(1 for fn in module.functions if fn.index in live),
        unreachable=dead,
        unreachable_names=[name(i) for i in dead],
        cycles=[CycleReport(kind=k, members=list(grp), names=[name(i) for i in grp]) for k, grp in groups],
        entry_points=entry_reports,
        functions=functions,
        imports=imports,
        upload=upload,
    )


def annotated(g: nx.DiGraph, report: AnalysisReport) -> nx.DiGraph:
    """A copy of ``g`` whose nodes also carry ``reachable``, ``recursive``, ``static_cost`` and ``entry``."""
    out = g.copy()
    by_index = {f.index: f for f in report.functions}
    live_imports = {i.index for i in report.imports if i.reachable}
    entries = {e.index for e in report.entry_points}
    for n in out.nodes:
        f = by_index.get(n)
        out.nodes[n]["reachable"] = f.reachable if f is not None else n in live_imports
        out.nodes[n]["recursive"] = f.recursive if f is not None else False
        out.nodes[n]["static_cost"] = f.static_cost if f is not None else 0
        out.nodes[n]["entry"] = n in entries
    return out
