"""``gasmodel callgraph --entry/--depth/--reachable-only`` and ``call_subgraph``.

Oracles: networkx's own traversals on the full decoded call graph, and the hand-derived dead set of
tests/data/analysis/callgraph.wat."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
import wasmtime

import gasmodel
from gasmodel.analysis import AnalysisError, call_graph, call_subgraph, read_contract, resolve_function
from gasmodel.cli import main

ROOT = Path(__file__).resolve().parent.parent
TOKEN = ROOT / "contracts" / "artifacts" / "token.wasm"
WAT = ROOT / "tests" / "data" / "analysis" / "callgraph.wat"


@pytest.fixture(scope="module")
def token_graph() -> nx.DiGraph:
    return call_graph(read_contract(TOKEN))


def _cli_graph(capsys: pytest.CaptureFixture[str], *args: str) -> nx.DiGraph:
    assert main(["callgraph", *args, "--format", "json"]) == 0
    return nx.node_link_graph(json.loads(capsys.readouterr().out), edges="links")


def test_entry_and_depth_match_networkx(token_graph: nx.DiGraph, capsys: pytest.CaptureFixture[str]) -> None:
    execute = next(n for n, ex in token_graph.nodes(data="exports") if "execute" in ex)
    query = next(n for n, ex in token_graph.nodes(data="exports") if "query" in ex)
    for depth in (0, 1, 2):
        expected = set(nx.single_source_shortest_path_length(token_graph, execute, cutoff=depth))
        got = call_subgraph(token_graph, entries=["execute"], depth=depth)
        assert set(got.nodes) == expected
        assert set(got.edges) == set(token_graph.subgraph(expected).edges)
    # several entries (by export name and by index): the union; no depth: everything reachable
    both = (
        set(nx.descendants(token_graph, execute)) | set(nx.descendants(token_graph, query)) | {execute, query}
    )
    g = _cli_graph(capsys, str(TOKEN), "--entry", "execute", "--entry", str(query))
    assert set(g.nodes) == both
    assert g.nodes[execute]["static_cost"] > 0 and g.nodes[execute]["entry"]  # the annotations stay
    one = _cli_graph(capsys, str(TOKEN), "--entry", "execute", "--depth", "1")
    assert set(one.nodes) == {execute, *token_graph.successors(execute)}


def test_depth_without_entry_starts_at_every_export(token_graph: nx.DiGraph) -> None:
    exported = {n for n, ex in token_graph.nodes(data="exports") if ex}
    got = call_subgraph(token_graph, depth=0)
    assert set(got.nodes) == exported
    one = set(exported)
    for n in exported:
        one |= set(token_graph.successors(n))
    assert set(call_subgraph(token_graph, depth=1).nodes) == one


def test_reachable_only_drops_dead_code(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    wasm = tmp_path / "cg.wasm"
    wasm.write_bytes(bytes(wasmtime.wat2wasm(WAT.read_text())))
    full = _cli_graph(capsys, str(wasm))
    live = _cli_graph(capsys, str(wasm), "--reachable-only")
    dead = {full.nodes[n]["name"] for n in set(full.nodes) - set(live.nodes)}
    # hand-derived in tests/test_callgraph.py: never called, or only from dead code
    assert dead == {"dead_root", "dead_leaf", "tbl_other", "env.debug"}
    assert set(live.edges) == set(full.subgraph(live.nodes).edges)
    # an entry that is itself dead: nothing of it survives --reachable-only
    assert main(["callgraph", str(wasm), "--entry", "dead_root", "--reachable-only", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["nodes"] == []
    assert main(["callgraph", str(wasm), "--entry", "dead_root"]) == 0
    dot = capsys.readouterr().out
    # dead_root -> dead_leaf -> env.debug (the fixture's only calls from dead code)
    assert dot.count(" -> ") == 2 and all(n in dot for n in ("dead_root", "dead_leaf", "env.debug"))


def test_unknown_and_ambiguous_names(token_graph: nx.DiGraph, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["callgraph", str(TOKEN), "--entry", "exectue"]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"gasmodel: error: {TOKEN}: unknown function 'exectue' (did you mean 'execute'?); "
        "an export name, a function name or an index\n"
    )
    name = "<T as serde::de::Expected>::fmt"
    count = sum(1 for _, n in token_graph.nodes(data="name") if n == name)
    with pytest.raises(AnalysisError, match=rf"names {count} functions \(\d+, "):
        resolve_function(token_graph, name)
    with pytest.raises(AnalysisError, match="no function 99999"):
        resolve_function(token_graph, "99999")
    assert token_graph.nodes[resolve_function(token_graph, "token::load_info")]["name"] == "token::load_info"
    assert main(["callgraph", str(TOKEN), "--depth", "-1"]) == 2


def test_public_api_names() -> None:
    assert gasmodel.call_subgraph is call_subgraph
    assert "call_subgraph" in gasmodel.__all__


def test_help_says_what_dot_labels_hold(capsys: pytest.CaptureFixture[str], token_graph: nx.DiGraph) -> None:
    with pytest.raises(SystemExit):
        main(["callgraph", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "DOT labels are 'index: name'" in text and "static_cost" in text
    assert main(["callgraph", str(TOKEN), "--entry", "execute", "--depth", "0"]) == 0
    dot = capsys.readouterr().out
    execute = next(n for n, ex in token_graph.nodes(data="exports") if "execute" in ex)
    assert f'{execute} [label="{execute}: execute"' in dot
