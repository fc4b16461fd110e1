"""Heaviest loop-free call paths, checked against brute-force path enumeration.

Oracle: brute-force enumeration of every call path.
"""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from gasmodel.analysis.paths import heaviest_paths, reachable_cost


def brute_force_max(g: nx.DiGraph, w: dict[int, int], start: int) -> int:
    best = w.get(start, 0)
    for target in g.nodes:
        if target == start:
            continue
        for p in nx.all_simple_paths(g, start, target):
            best = max(best, sum(w.get(n, 0) for n in p))
    return best


graphs = st.integers(min_value=1, max_value=7).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=14),
        st.lists(st.integers(0, 50), min_size=n, max_size=n),
    )
)


@settings(max_examples=150, deadline=None)
@given(graphs, st.booleans())
def test_against_brute_force(data: tuple[int, list[tuple[int, int]], list[int]], acyclic: bool) -> None:
    n, edges, weights = data
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from((u, v) for u, v in edges if not acyclic or u < v)
    w = dict(enumerate(weights))
    result = heaviest_paths(g, w, range(n))
    for start, cp in result.items():
        brute = brute_force_max(g, w, start)
        assert cp.path[0] == start
        assert cp.cost == sum(w[x] for x in cp.path)
        assert len(set(cp.path)) == len(cp.path)
        if acyclic:
            assert cp.cost == brute
            assert all(g.has_edge(a, b) for a, b in zip(cp.path, cp.path[1:], strict=False))
        else:
            assert cp.cost >= brute
        assert cp.cost <= reachable_cost(g, w, start)


def test_recursive_group_counts_each_member_once() -> None:
    g = nx.DiGraph([(0, 1), (1, 2), (2, 1), (2, 3), (0, 4)])
    w = {0: 1, 1: 10, 2: 20, 3: 5, 4: 30}
    cp = heaviest_paths(g, w, [0])[0]
    assert cp.path == (0, 1, 2, 3)
    assert cp.cost == 36
    assert reachable_cost(g, w, 0) == 66
