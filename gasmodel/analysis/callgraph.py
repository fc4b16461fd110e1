"""The call graph of a decoded module, as a networkx ``DiGraph``.

The graph attribute ``start`` holds the start function's index (``None`` without one).
Nodes are absolute function indices (imports first, as in the Wasm index space). Each node has
``kind`` ("import" or "function"), ``name``, ``type_index``, ``exports`` (export names) and, for
imports, ``module``/``field``. Edges carry ``kinds``: a sorted tuple of "direct" (``call``,
``return_call``) and/or "indirect" (a ``call_indirect``/``return_call_indirect`` that may reach
the target).

Indirect calls are resolved by type: the possible targets of ``call_indirect (type t)`` are the
functions placed in any table by an element segment, or named by a ``ref.func`` anywhere in the
module, whose signature is structurally equal to ``t`` (same params and results, not just the
same type index). This is a sound over-approximation for the modules CosmWasm accepts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from gasmodel.analysis.errors import AnalysisError
from gasmodel.wasm import FuncType, Import, Module
from gasmodel.wasm.demangle import demangle

# CosmWasm entry points called by the host (cosmwasm-std exports; see reference G).
COSMWASM_ENTRY_POINTS = frozenset(
    {
        "instantiate",
        "execute",
        "query",
        "migrate",
        "sudo",
        "reply",
        "allocate",
        "deallocate",
    }
)
_MARKER = re.compile(r"^(interface_version_\d+|requires_.+|cosmwasm_vm_version_\d+)$")


def export_role(name: str) -> str:
    """How the host treats an exported function: "entry", "memory", "marker" or "other"."""
    if name in ("allocate", "deallocate"):
        return "memory"
    if name in COSMWASM_ENTRY_POINTS or name.startswith("ibc_") or name.startswith("ibc2_"):
        return "entry"
    if _MARKER.match(name):
        return "marker"
    return "other"


@dataclass(frozen=True, slots=True)
class EntryPoint:
    """A function the host may call: an exported function or the start function."""

    index: int
    name: str
    role: str
    """"entry", "memory", "marker", "other" (exported, not a CosmWasm name) or "start"."""


def func_label(module: Module, index: int, exports: Mapping[int, Sequence[str]] | None = None) -> str:
    """A function's display name: ``module.field`` for imports, else the name section's, else its
    first export name, else ``func[i]``.

    ``exports`` (function index -> export names) saves a scan of the exports per call.
    """
    if 0 <= index < module.num_imported_functions:
        imp = _func_imports(module)[index]
        return f"{imp.module}.{imp.name}"
    name = module.func_name(index)
    if name:
        return demangle(name)
    if exports is None:
        exported = sorted(e.name for e in module.exports if e.kind == "func" and e.index == index)
    else:
        exported = sorted(exports.get(index, ()))
    return exported[0] if exported else f"func[{index}]"


def _func_imports(module: Module) -> list[Import]:
    return [i for i in module.imports if i.kind == "func"]


def table_candidates(module: Module) -> frozenset[int]:
    """Functions that may sit in a table: element-segment items and every ``ref.func`` target."""
    found: set[int] = set(module.ref_funcs_in_globals)
    for seg in module.elements:
        found.update(i for i in seg.func_indices if i is not None)
    for fn in module.functions:
        found.update(fn.ref_funcs)
    return frozenset(i for i in found if 0 <= i < module.num_functions)


def indirect_targets(module: Module) -> dict[FuncType, tuple[int, ...]]:
    """Possible targets of indirect calls, keyed by structural signature (``FuncType`` equality)."""
    by_sig: dict[FuncType, list[int]] = {}
    for idx in sorted(table_candidates(module)):
        by_sig.setdefault(module.func_type(idx), []).append(idx)
    return {sig: tuple(v) for sig, v in by_sig.items()}


MAX_FUNCTIONS = 200_000
"""Most functions (imported and defined) :func:`build_call_graph` accepts: ten times cosmwasm-vm's
default limit of 20,000 (``DEFAULT_MAX_FUNCTIONS``, packages/vm/src/config.rs)."""
MAX_EDGES = 2_000_000
"""Most call edges :func:`build_call_graph` builds (type-resolved indirect calls can make a small
module's call graph quadratic in its size)."""


def count_edges(module: Module) -> int:
    """An upper bound of the call graph's edges, without building it: direct calls plus, per
    function, the candidates of each distinct indirect signature. O(calls)."""
    sizes = {sig: len(v) for sig, v in indirect_targets(module).items()}
    n = 0
    for fn in module.functions:
        n += len(fn.calls)
        for t in set(fn.indirect_type_refs):
            if 0 <= t < len(module.types):
                n += sizes.get(module.types[t], 0)
    return n


def build_call_graph(module: Module) -> nx.DiGraph:
    """The module's call graph (see the module docstring for node and edge attributes).

    Refuses (:class:`AnalysisError`) a module with more than :data:`MAX_FUNCTIONS` functions or
    :data:`MAX_EDGES` call edges. Complexity: O(V + E).
    """
    if module.num_functions > MAX_FUNCTIONS:
        raise AnalysisError(
            f"{module.num_functions} functions exceed the analysis limit of {MAX_FUNCTIONS} "
            "(cosmwasm-vm accepts 20,000 by default)"
        )
    edges = count_edges(module)
    if edges > MAX_EDGES:
        raise AnalysisError(f"{edges} call edges exceed the analysis limit of {MAX_EDGES}")
    g = nx.DiGraph(start=module.start)
    exports: dict[int, list[str]] = {}
    for exp in module.exports:
        if exp.kind == "func":
            exports.setdefault(exp.index, []).append(exp.name)
    for idx, imp in enumerate(_func_imports(module)):
        g.add_node(
            idx,
            kind="import",
            name=f"{imp.module}.{imp.name}",
            module=imp.module,
            field=imp.name,
            type_index=imp.type_index,
            exports=tuple(exports.get(idx, ())),
        )
    for fn in module.functions:
        g.add_node(
            fn.index,
            kind="function",
            name=func_label(module, fn.index, exports),
            type_index=fn.type_index,
            exports=tuple(exports.get(fn.index, ())),
        )
    targets = indirect_targets(module)
    for fn in module.functions:
        for callee in fn.calls:
            if not 0 <= callee < module.num_functions:
                raise AnalysisError(f"function {fn.index} calls function {callee}, which does not exist")
            _add_edge(g, fn.index, callee, "direct")
        for t in set(fn.indirect_type_refs):
            if not 0 <= t < len(module.types):
                raise AnalysisError(f"function {fn.index} has call_indirect with unknown type {t}")
            for callee in targets.get(module.types[t], ()):
                _add_edge(g, fn.index, callee, "indirect")
    return g


def _add_edge(g: nx.DiGraph, src: int, dst: int, kind: str) -> None:
    if g.has_edge(src, dst):
        kinds = set(g.edges[src, dst]["kinds"]) | {kind}
        g.edges[src, dst]["kinds"] = tuple(sorted(kinds))
    else:
        g.add_edge(src, dst, kinds=(kind,))


def entry_points(module: Module) -> tuple[EntryPoint, ...]:
    """Exported functions and the start function, in index then name order."""
    found = [
        EntryPoint(exp.index, exp.name, export_role(exp.name)) for exp in module.exports if exp.kind == "func"
    ]
    if module.start is not None:
        found.append(EntryPoint(module.start, func_label(module, module.start), "start"))
    return tuple(sorted(found, key=lambda e: (e.index, e.name)))


def reachable(g: nx.DiGraph, roots: Iterable[int]) -> frozenset[int]:
    """Every node reachable from ``roots`` (roots included).

    Complexity: O(V + E), one search from all roots at once.
    """
    seen: set[int] = set()
    stack: list[int] = []
    for r in roots:
        if r not in seen:
            seen.add(r)
            stack.append(r)
    succ = g.succ
    while stack:
        for s in succ[stack.pop()]:
            if s not in seen:
                seen.add(s)
                stack.append(s)
    return frozenset(seen)


def cycles(g: nx.DiGraph, dag: nx.DiGraph | None = None) -> tuple[tuple[int, ...], ...]:
    """Recursive groups: strongly connected components with a cycle (incl. self-recursion).

    Complexity: O(V + E) (Tarjan's algorithm, as networkx implements it); ``dag``, the
    condensation of ``g`` if already built, saves that pass.
    """
    found = []
    comps = nx.strongly_connected_components(g) if dag is None else (m for _, m in dag.nodes(data="members"))
    for comp in comps:
        members = tuple(sorted(comp))
        if len(members) > 1 or g.has_edge(members[0], members[0]):
            found.append(members)
    return tuple(sorted(found))


def direct_only(g: nx.DiGraph) -> nx.DiGraph:
    """A view of ``g`` keeping only edges with a direct call (what is certain, not type-resolved)."""
    return nx.subgraph_view(g, filter_edge=lambda u, v: "direct" in g.edges[u, v]["kinds"])
