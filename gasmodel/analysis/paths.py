"""The most expensive loop-free call path from each entry point.

Definition: node weights are a function's static cost plus its locals charge (imports weigh 0,
their host cost depends on arguments). Each recursive group (strongly connected component of the
call graph) is condensed into one node weighing the sum of its members, so each member counts once
and recursion is not unrolled. The path is then the heaviest path, starting at the entry, of the
resulting DAG (a longest path in a DAG, by dynamic programming in reverse topological order).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import networkx as nx


@dataclass(frozen=True, slots=True)
class CallPath:
    """The heaviest loop-free call path from one function."""

    cost: int
    path: tuple[int, ...]
    """Function indices in call order; a recursive group contributes all its members (sorted)."""


def heaviest_paths(g: nx.DiGraph, weight: Mapping[int, int], starts: Collection[int]) -> dict[int, CallPath]:
    """The most expensive loop-free path from each start node (see the module docstring).

    ``weight`` maps node -> weight (missing nodes, e.g. imports, weigh 0). Ties go to the path
    whose next group has the smallest function index, so results are deterministic.
    """
    dag = nx.condensation(g)
    mapping: dict[int, int] = dag.graph["mapping"]
    members: dict[int, tuple[int, ...]] = {c: tuple(sorted(dag.nodes[c]["members"])) for c in dag.nodes}
    best: dict[int, int] = {}
    nxt: dict[int, int | None] = {}
    for c in reversed(list(nx.topological_sort(dag))):
        own = sum(weight.get(m, 0) for m in members[c])
        choice: int | None = None
        for s in dag.successors(c):
            if choice is None or (best[s], -members[s][0]) > (best[choice], -members[choice][0]):
                choice = s
        best[c] = own + (best[choice] if choice is not None else 0)
        nxt[c] = choice
    out: dict[int, CallPath] = {}
    for start in starts:
        cur: int | None = mapping[start]
        path: list[int] = []
        first = True
        while cur is not None:
            group = members[cur]
            if first:  # the start first, then the rest of its group
                group = (start, *(m for m in group if m != start))
                first = False
            path.extend(group)
            cur = nxt[cur]
        out[start] = CallPath(best[mapping[start]], tuple(path))
    return out


def reachable_cost(g: nx.DiGraph, weight: Mapping[int, int], start: int) -> int:
    """Sum of the weights of every function reachable from ``start`` (each called once)."""
    return weight.get(start, 0) + sum(weight.get(n, 0) for n in nx.descendants(g, start))
