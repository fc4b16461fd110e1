"""A part of a call graph: what some functions call, to some depth, or what the chain can reach.

:func:`call_subgraph` keeps the functions (and imports) within ``depth`` call edges of ``entries``
(export names, function names or indices, see :func:`resolve_function`), and with
``reachable_only`` drops what no export or start function reaches. The result is the induced
subgraph of the kept nodes: every node keeps its attributes, every call edge between two kept nodes
is kept.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

import networkx as nx

from gasmodel.analysis.callgraph import reachable
from gasmodel.analysis.errors import AnalysisError

MAX_HINT_NAMES = 50_000
"""Most names a "did you mean" suggestion compares against (exports first, then function names)."""
_SHOWN_INDICES = 8


def module_roots(g: nx.DiGraph) -> tuple[int, ...]:
    """The functions the host may call: exported ones and the start function (``g.graph["start"]``)."""
    roots = {n for n, exports in g.nodes(data="exports") if exports}
    start = g.graph.get("start")
    if start is not None and start in g:
        roots.add(start)
    return tuple(sorted(roots))


def resolve_function(g: nx.DiGraph, ref: str | int) -> int:
    """The node ``ref`` names in ``g``: an export name, a function's display name (imports:
    ``module.field``), or an absolute function index (an ``int`` or a string of digits).

    An export name wins over a display name. A display name shared by several functions (Rust
    monomorphisations often are) is refused, naming their indices, as is an unknown name (with a
    suggestion) or an index outside the module: :class:`AnalysisError`.
    """
    if isinstance(ref, int) or ref.strip().isdigit():
        index = int(ref)
        if index not in g:
            raise AnalysisError(f"no function {index}: the module has functions 0..{g.number_of_nodes() - 1}")
        return index
    exported = [n for n, exports in g.nodes(data="exports") if ref in (exports or ())]
    if exported:
        return int(exported[0])
    named = sorted(n for n, name in g.nodes(data="name") if name == ref)
    if len(named) == 1:
        return int(named[0])
    if named:
        shown = ", ".join(str(i) for i in named[:_SHOWN_INDICES])
        shown += ", ..." if len(named) > _SHOWN_INDICES else ""
        raise AnalysisError(f"{ref!r} names {len(named)} functions ({shown}): give an index")
    hint = difflib.get_close_matches(ref, _hint_names(g), n=1)
    tail = f" (did you mean {hint[0]!r}?)" if hint else ""
    raise AnalysisError(f"unknown function {ref!r}{tail}; an export name, a function name or an index")


def _hint_names(g: nx.DiGraph) -> list[str]:
    names: dict[str, None] = {}
    for _, exports in g.nodes(data="exports"):
        names.update(dict.fromkeys(exports or ()))
    for _, name in g.nodes(data="name"):
        if len(names) >= MAX_HINT_NAMES:
            break
        names[str(name)] = None
    return list(names)


def within_depth(g: nx.DiGraph, roots: Iterable[int], depth: int | None) -> frozenset[int]:
    """Nodes at most ``depth`` call edges from ``roots`` (roots included; ``None``: no limit).

    Complexity: O(V + E), one breadth-first search from all roots at once.
    """
    if depth is None:
        return reachable(g, roots)
    if depth < 0:
        raise AnalysisError(f"depth must be 0 or more, not {depth}")
    seen = set(roots)
    frontier = list(seen)
    for _ in range(depth):
        nxt = []
        for n in frontier:
            for s in g.succ[n]:
                if s not in seen:
                    seen.add(s)
                    nxt.append(s)
        if not nxt:
            break
        frontier = nxt
    return frozenset(seen)


def call_subgraph(
    g: nx.DiGraph,
    *,
    entries: Sequence[str | int] = (),
    depth: int | None = None,
    reachable_only: bool = False,
) -> nx.DiGraph:
    """The part of call graph ``g`` (from :func:`~gasmodel.analysis.call_graph`) that is asked for.

    ``entries``: where to start (see :func:`resolve_function`); empty means the module's exports and
    start function when ``depth`` is given, else the whole graph. ``depth``: keep only nodes at most
    this many calls from the starts (0: the starts alone). ``reachable_only``: drop every node that
    no export or start function reaches (indirect calls included). Returns a new ``DiGraph``, the
    subgraph of ``g`` induced by the kept nodes, with ``g``'s attributes.
    """
    if entries:
        keep = within_depth(g, [resolve_function(g, e) for e in entries], depth)
    elif depth is not None:
        keep = within_depth(g, module_roots(g), depth)
    else:
        keep = frozenset(g.nodes)
    if reachable_only:
        keep = keep & reachable(g, module_roots(g))
    out: nx.DiGraph = g.subgraph(keep).copy()
    return out
