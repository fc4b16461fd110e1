"""Every module in contracts/ yields exactly the findings its name states, with the chain's verdict.

Oracles: contracts/fixtures/manifest.json records, per fixture, the chain's verdict (checked by
storing each fixture on the Injective localnet: tests/test_chain_contracts.py,
tests/test_lint_localnet.py) and the rule codes its named defect stands for (written by hand from
the defect, not from lint's output); the project contracts were all stored by the chain. Generated
modules are checked against the boundaries the chain showed (512 pages, 2500 table entries, 100
imports: stored at the limit, refused one over).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wasm_build import MAGIC, name, section, uleb

from gasmodel.lint import lint, lint_matrix

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / "contracts"
FIXTURES: list[dict[str, Any]] = [
    f
    for f in json.loads((CONTRACTS / "fixtures/manifest.json").read_text())["fixtures"]
    if f["kind"] == "lint"
]
PROJECT: list[dict[str, Any]] = json.loads((CONTRACTS / "manifest.json").read_text())["contracts"]


@pytest.mark.parametrize("entry", FIXTURES, ids=[f["name"] for f in FIXTURES])
def test_fixture_yields_exactly_its_named_findings(entry: dict[str, Any]) -> None:
    report = lint(CONTRACTS / entry["wasm"], chain="injective-localnet")
    assert {f.code for f in report.findings} == set(entry["lint"]), [f.message for f in report.findings]
    assert report.accepted == (entry["chain"] == "accept")
    for f in report.findings:  # located: every code finding names its function and path
        if f.function is not None:
            assert f.function_name and (f.path or f.reachable is False)


@pytest.mark.parametrize("entry", PROJECT, ids=[c["name"] for c in PROJECT])
def test_realistic_contracts_have_no_error(entry: dict[str, Any]) -> None:
    report = lint(CONTRACTS / entry["wasm"], chain="injective-localnet")
    assert report.accepted
    assert not [f for f in report.findings if f.severity == "error"]


BOUNDARY = [f for f in FIXTURES if "boundary" in f]


@pytest.mark.parametrize("entry", BOUNDARY, ids=[f["name"] for f in BOUNDARY])
def test_boundary_pairs_sit_on_both_sides(entry: dict[str, Any]) -> None:
    b = entry["boundary"]
    partner = next(f for f in FIXTURES if f["name"] == b["pair"])
    rule = b["rule"]
    mine = lint(CONTRACTS / entry["wasm"], chain="injective-localnet")
    other = lint(CONTRACTS / partner["wasm"], chain="injective-localnet")
    inside, outside = (mine, other) if b["side"] == "inside" else (other, mine)
    outside_entry = entry if b["side"] == "outside" else partner
    assert rule not in {f.code for f in inside.findings}
    if outside_entry["chain"] == "reject":
        assert rule in {f.code for f in outside.findings if f.severity == "error"}
    else:  # a rule this chain does not enforce (floats, sign-ext, locals): reported, not an error
        assert rule in {f.code for f in outside.findings if f.severity != "error"}


def test_wasi_finding_is_located_with_its_call_path() -> None:
    # wasm-objdump of wasi_imports.wasm: import func[2] is clock_time_get, called from func[23] <- execute
    report = lint(CONTRACTS / "artifacts/lint/wasi_imports.wasm")
    clock = next(f for f in report.findings if "clock_time_get" in f.message)
    assert clock.function == 2 and clock.function_name == "wasi_snapshot_preview1.clock_time_get"
    assert clock.path == ("execute", "f23 func[23]", "f2 wasi_snapshot_preview1.clock_time_get")
    assert clock.offset == 0x5A  # the import entry's byte offset (objdump: import section at 0x..5a)


def test_matrix_says_which_vm_generations_store_it() -> None:
    # size_2048000: stored by the Injective localnet (the chain); over upstream wasmd's 819,200
    # (wasmd validation.go)
    m = lint_matrix(CONTRACTS / "artifacts/lint/size_2048000.wasm")
    verdict = {r.chain: r.accepted for r in m.rows}
    assert verdict["injective-localnet"] is True
    assert verdict["upstream-2.1"] is False and verdict["upstream-3.0"] is False
    # too_many_locals: only the VMs with the locals limit (2.2.9+) refuse it
    m = lint_matrix(CONTRACTS / "artifacts/lint/too_many_locals.wasm")
    verdict = {r.chain: r.accepted for r in m.rows}
    assert verdict["upstream-2.2"] is False and verdict["upstream-2.1"] is True
    # requires_cosmwasm_2_2: refused before 2.2
    m = lint_matrix(CONTRACTS / "artifacts/lint/requires_cosmwasm_2_2.wasm")
    verdict = {r.chain: r.accepted for r in m.rows}
    assert verdict["upstream-2.1"] is False and verdict["upstream-2.2"] is True


# ---- generated modules against the chain's boundaries ---------------------------------------------


def _module(pages: int, table_max: int | None, imports: int) -> bytes:
    """A minimal contract: `imports` x env.debug, one memory, maybe a table, the required exports."""
    types = section(1, uleb(2) + b"\x60\x01\x7f\x00" + b"\x60\x00\x00")
    imp = section(
        2, uleb(imports) + b"".join(name("env") + name("debug") + b"\x00\x00" for _ in range(imports))
    )
    funcs = section(3, uleb(3) + b"\x01\x00\x01")
    table = section(4, b"\x01\x70\x01\x00" + uleb(table_max)) if table_max is not None else b""
    memory = section(5, b"\x01\x00" + uleb(pages))
    exports = [("allocate", 0), ("deallocate", 1), ("interface_version_8", 2)]
    exp = section(
        7, uleb(len(exports)) + b"".join(name(n) + b"\x00" + uleb(imports + i) for n, i in exports)
    )
    body = b"\x02\x00\x0b"
    code = section(10, uleb(3) + body * 3)
    return MAGIC + types + imp + funcs + table + memory + exp + code


@settings(max_examples=60, deadline=None)
@given(
    pages=st.integers(0, 1024),
    table_max=st.one_of(st.none(), st.integers(0, 5000)),
    imports=st.integers(0, 200),
)
def test_limits_follow_the_chains_boundaries(pages: int, table_max: int | None, imports: int) -> None:
    report = lint(_module(pages, table_max, imports), chain="injective-localnet")
    codes = {f.code for f in report.findings if f.severity == "error"}
    assert ("CW303" in codes) == (pages > 512)
    assert ("CW304" in codes) == (table_max is not None and table_max > 2500)
    assert ("CW305" in codes) == (imports > 100)
    assert report.accepted == (not codes)
    assert codes <= {"CW303", "CW304", "CW305"}


@pytest.mark.parametrize("entry", PROJECT, ids=[c["name"] for c in PROJECT])
def test_recursive_groups_equal_networkx(entry: dict[str, Any]) -> None:
    # oracle: networkx's strongly connected components, called here (not through gasmodel's own
    # cycles()), over the edges of gasmodel.analysis's call graph (those edges are checked against
    # wasm-objdump in tests/test_callgraph_objdump.py); lint runs its own Tarjan over its own edges
    import networkx as nx

    from gasmodel.analysis.callgraph import build_call_graph
    from gasmodel.lint.context import ModuleFacts
    from gasmodel.wasm import decode

    data = (CONTRACTS / entry["wasm"]).read_bytes()
    facts = ModuleFacts.of(data)
    assert facts.module is not None
    imported = facts.module.num_imported_functions
    g = nx.DiGraph(build_call_graph(decode(data)).edges())
    expected = [
        tuple(sorted(c))
        for c in nx.strongly_connected_components(g)
        if min(c) >= imported and (len(c) > 1 or g.has_edge(min(c), min(c)))
    ]
    assert facts.recursive_groups() == sorted(expected)


def test_function_references_sample() -> None:
    # tests/wasm_samples/function_references.wat (hand-written: call_ref, ref.as_non_null) is not a
    # contract, but its typed-reference instructions are named
    report = lint(ROOT / "tests/wasm_samples/function_references.wasm")
    assert "CW409" in {f.code for f in report.findings if f.severity == "error"}
