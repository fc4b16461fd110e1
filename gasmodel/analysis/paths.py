"""The most expensive loop-free call path from each entry point, and what each entry reaches.

Definition: node weights are a function's static cost plus its locals charge (imports weigh 0,
their host cost depends on arguments). Each recursive group (strongly connected component of the
call graph) is condensed into one node weighing the sum of its members, so each member counts once
and recursion is not unrolled. The path is then the heaviest path, starting at the entry, of the
resulting DAG (a longest path in a DAG, by dynamic programming in reverse topological order).

Both analyses run over the condensation once for all entry points, not once per entry point.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from itertools import islice

import networkx as nx
import numpy as np

from gasmodel.analysis.errors import AnalysisError

MAX_PATH_SHOWN = 64
"""Longest path listed per entry point (its full length and cost are always given)."""
REACH_BUDGET_BITS = 1 << 33
"""Most set-bits work the per-entry reachability may do (see :func:`entry_reach`)."""


@dataclass(frozen=True, slots=True)
class CallPath:
    """The heaviest loop-free call path from one function."""

    cost: int
    path: tuple[int, ...]
    """Function indices in call order; a recursive group contributes all its members (sorted).
    At most ``max_len`` of them when :func:`heaviest_paths` was given one."""
    length: int = -1
    """Number of functions on the whole path (``len(path)`` unless the path was cut)."""


def heaviest_paths(
    g: nx.DiGraph,
    weight: Mapping[int, int],
    starts: Collection[int],
    max_len: int | None = None,
    dag: nx.DiGraph | None = None,
) -> dict[int, CallPath]:
    """The most expensive loop-free path from each start node (see the module docstring).

    ``weight`` maps node -> weight (missing nodes, e.g. imports, weigh 0). Ties go to the path
    whose next group has the smallest function index, so results are deterministic. Paths are
    listed up to ``max_len`` functions (all when ``None``).

    Complexity: O(V + E) for the condensation and the dynamic programme, plus the listed path
    lengths (at most ``max_len`` per start). ``dag``: ``networkx.condensation(g)`` if already built.
    """
    dag = nx.condensation(g) if dag is None else dag
    mapping: dict[int, int] = dag.graph["mapping"]
    members: dict[int, tuple[int, ...]] = {c: tuple(sorted(dag.nodes[c]["members"])) for c in dag.nodes}
    best: dict[int, int] = {}
    length: dict[int, int] = {}
    nxt: dict[int, int | None] = {}
    for c in reversed(list(nx.topological_sort(dag))):
        own = sum(weight.get(m, 0) for m in members[c])
        choice: int | None = None
        for s in dag.successors(c):
            if choice is None or (best[s], -members[s][0]) > (best[choice], -members[choice][0]):
                choice = s
        best[c] = own + (best[choice] if choice is not None else 0)
        length[c] = len(members[c]) + (length[choice] if choice is not None else 0)
        nxt[c] = choice
    cap = max_len if max_len is not None else sum(len(m) for m in members.values())
    # The first ``cap`` functions of the path from each group, built once per group on demand.
    prefix: dict[int, tuple[int, ...]] = {}

    def from_group(c: int | None) -> tuple[int, ...]:
        todo: list[int] = []
        while c is not None and c not in prefix:
            todo.append(c)
            c = nxt[c]
        tail = prefix[c] if c is not None else ()
        for d in reversed(todo):
            tail = (members[d] + tail)[:cap]
            prefix[d] = tail
        return tail

    out: dict[int, CallPath] = {}
    for start in starts:
        c = mapping[start]
        # The start first, then the rest of its group, then the path from the next group.
        head = (start, *islice((m for m in members[c] if m != start), cap - 1))
        path = head + from_group(nxt[c]) if len(head) < cap else head
        out[start] = CallPath(best[c], path[:cap], length[c])
    return out


def reachable_cost(g: nx.DiGraph, weight: Mapping[int, int], start: int) -> int:
    """Sum of the weights of every function reachable from ``start`` (each called once).

    Complexity: O(V + E) per call; :func:`entry_reach` answers for many starts at once.
    """
    return weight.get(start, 0) + sum(weight.get(n, 0) for n in nx.descendants(g, start))


@dataclass(frozen=True, slots=True)
class Reach:
    """What one start reaches in the call graph (itself included)."""

    functions: int
    """Reachable nodes that are not imports."""
    cost: int
    """Sum of their weights (each called once)."""
    imports: tuple[int, ...]
    """Reachable imports, ascending."""


def entry_reach(
    g: nx.DiGraph,
    weight: Mapping[int, int],
    starts: Collection[int],
    is_import: Callable[[int], bool],
    budget_bits: int = REACH_BUDGET_BITS,
    dag: nx.DiGraph | None = None,
) -> dict[int, Reach]:
    """:class:`Reach` of every start, over the condensation of ``g`` once.

    Each condensed node reachable from a start gets its reachable set as a bitset (a Python int over
    the condensed nodes, numbered so that a node's set only holds lower numbers), the union of its
    successors' sets, dropped when its last predecessor has used it. Counts and costs of a start's
    set are read with numpy.

    Complexity: O(V + E) set unions of at most V bits each, i.e. O((V + E) * V / 64) machine words
    in the worst case (a long chain with every function exported), near-linear when the sets are
    small; the work is bounded by ``budget_bits`` (bits unioned and read), beyond which
    :class:`~gasmodel.analysis.errors.AnalysisError` says so rather than running for hours.
    """
    if not starts:
        return {}
    dag = nx.condensation(g) if dag is None else dag
    mapping: dict[int, int] = dag.graph["mapping"]
    start_comps = {mapping[s] for s in starts}
    # The part of the DAG reachable from the starts, numbered in reverse topological order.
    seen = set(start_comps)
    stack = list(start_comps)
    while stack:
        for s in dag.successors(stack.pop()):
            if s not in seen:
                seen.add(s)
                stack.append(s)
    order = [c for c in reversed(list(nx.topological_sort(dag))) if c in seen]
    pos = {c: i for i, c in enumerate(order)}
    n = len(order)
    counts = np.zeros(n, dtype=np.int64)
    costs = np.zeros(n, dtype=np.int64)
    import_bits = 0
    for c in order:
        members = dag.nodes[c]["members"]
        own = [m for m in members if not is_import(m)]
        counts[pos[c]] = len(own)
        costs[pos[c]] = sum(weight.get(m, 0) for m in own)
        if len(own) < len(members):
            import_bits |= 1 << pos[c]
    pending = {c: sum(1 for p in dag.predecessors(c) if p in seen) for c in order}
    masks: dict[int, int] = {}
    out_by_comp: dict[int, Reach] = {}
    work = 0
    for c in order:
        mask = 1 << pos[c]
        for s in dag.successors(c):
            mask |= masks[s]
            work += pos[s] + 1
            pending[s] -= 1
            if not pending[s]:
                del masks[s]
        if work > budget_bits:
            raise AnalysisError(
                f"call graph too large for per-entry reachability ({len(starts)} entry points, "
                f"{g.number_of_nodes()} functions): more than {budget_bits} bits of set work"
            )
        if c in start_comps:
            size = pos[c] + 1
            work += size
            bits = np.unpackbits(
                np.frombuffer(mask.to_bytes((size + 7) // 8, "little"), dtype=np.uint8), bitorder="little"
            )[:size].astype(bool)
            imp = mask & import_bits
            imports: list[int] = []
            while imp:
                low = imp & -imp
                comp = order[low.bit_length() - 1]
                imports.extend(m for m in dag.nodes[comp]["members"] if is_import(m))
                imp ^= low
            work += 64 * len(imports)
            out_by_comp[c] = Reach(
                int(counts[:size][bits].sum()), int(costs[:size][bits].sum()), tuple(sorted(imports))
            )
        if pending[c]:
            masks[c] = mask
    return {s: out_by_comp[mapping[s]] for s in starts}
