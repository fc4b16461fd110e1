"""Call-graph facts on a fixture built to have them (tests/data/analysis/callgraph.wat).

Oracle: the fixture's construction (which function calls which, written in the WAT).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
import wasmtime

from gasmodel.analysis.callgraph import (
    build_call_graph,
    cycles,
    direct_only,
    entry_points,
    export_role,
    indirect_targets,
    reachable,
)
from gasmodel.analysis.graph_export import dot_quote, to_dot, to_node_link
from gasmodel.wasm import FuncType, Module, decode

WAT = Path(__file__).resolve().parent / "data" / "analysis" / "callgraph.wat"


@pytest.fixture(scope="module")
def module() -> Module:
    return decode(bytes(wasmtime.wat2wasm(WAT.read_text())))


def by_name(g: nx.DiGraph) -> dict[str, int]:
    return {str(g.nodes[n]["name"]): n for n in g.nodes}


def test_unreachable_functions_found(module: Module) -> None:
    g = build_call_graph(module)
    live = reachable(g, (e.index for e in entry_points(module)))
    dead = {g.nodes[n]["name"] for n in g.nodes if n not in live}
    # dead_root/dead_leaf: never called; tbl_other: in the table but no call_indirect has its type;
    # env.debug: only called from dead code.
    assert dead == {"dead_root", "dead_leaf", "tbl_other", "env.debug"}


def test_recursion_direct_and_mutual(module: Module) -> None:
    g = build_call_graph(module)
    n = by_name(g)
    groups = {frozenset(g.nodes[i]["name"] for i in grp) for grp in cycles(g)}
    assert groups == {frozenset({"fact"}), frozenset({"even", "odd"})}
    assert cycles(direct_only(g)) == cycles(g)
    assert g.has_edge(n["fact"], n["fact"])


def test_indirect_targets_structural_type_equality(module: Module) -> None:
    g = build_call_graph(module)
    n = by_name(g)
    # ind_b is declared with a distinct but structurally equal type: it is a target.
    assert module.functions[n["ind_a"] - module.num_imported_functions].type_index != (
        module.functions[n["ind_b"] - module.num_imported_functions].type_index
    )
    assert set(g.successors(n["query"])) == {n["ind_a"], n["ind_b"]}
    for t in (n["ind_a"], n["ind_b"]):
        assert g.edges[n["query"], t]["kinds"] == ("indirect",)
    # allocate has the same signature but is in no table: never an indirect target.
    sig = FuncType(("i32",), ("i32",))
    assert indirect_targets(module)[sig] == (n["ind_a"], n["ind_b"])
    assert n["allocate"] not in indirect_targets(module)[sig]


def test_imports_are_nodes_on_call_paths(module: Module) -> None:
    g = build_call_graph(module)
    n = by_name(g)
    assert g.nodes[n["env.db_read"]]["kind"] == "import"
    assert nx.has_path(g, n["instantiate"], n["env.db_read"])
    assert nx.shortest_path(g, n["instantiate"], n["env.db_read"]) == [
        n["instantiate"],
        n["helper"],
        n["env.db_read"],
    ]
    assert not nx.has_path(g, n["execute"], n["env.db_read"])


def test_entry_points_and_roles(module: Module) -> None:
    roles = {e.name: e.role for e in entry_points(module)}
    assert roles == {
        "instantiate": "entry",
        "execute": "entry",
        "query": "entry",
        "allocate": "memory",
        "deallocate": "memory",
        "interface_version_8": "marker",
    }
    assert export_role("ibc_packet_receive") == "entry"
    assert export_role("requires_iterator") == "marker"
    assert export_role("my_helper") == "other"


def test_start_function_is_an_entry_point() -> None:
    wat = "(module (func $s call $t) (func $t) (func $dead) (start $s))"
    m = decode(bytes(wasmtime.wat2wasm(wat)))
    eps = entry_points(m)
    assert [(e.name, e.role) for e in eps] == [("s", "start")]
    g = build_call_graph(m)
    assert reachable(g, [eps[0].index]) == frozenset({0, 1})


def test_dot_and_node_link(module: Module) -> None:
    g = build_call_graph(module)
    dot = to_dot(g)
    assert dot.startswith('digraph "callgraph" {') and dot.rstrip().endswith("}")
    assert dot.count(" -> ") == g.number_of_edges()
    assert dot.count("style=dashed") == sum(1 for *_, k in g.edges(data="kinds") if k == ("indirect",))
    data = to_node_link(g)
    back = nx.node_link_graph(data, edges="links")
    assert set(back.edges) == set(g.edges)
    assert dot_quote('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'
