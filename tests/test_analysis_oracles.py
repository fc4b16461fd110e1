"""Analysis facts whose expected values come from outside the code under test.

Oracles, named per test: wasmd's store-code size rule (CosmWasm/wasmd v0.54.0
x/wasm/types/validation.go ``validateWasmCode``: an error only when ``len(code) > maxSize``;
x/wasm/ioutils/utils.go ``Uncompress`` reads at most ``limit`` bytes), hand derivation on small
modules built by wabt's ``wat2wasm`` and listed by ``wasm-objdump``, and the Wasm spec (a
``ref.func`` target is a function reference that can be put in a table)."""

from __future__ import annotations

import gzip
import re
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from metering_rule import METERING_RULE, metering_blocks
from wabt import wabt_tool

from gasmodel.analysis.api import analyze
from gasmodel.analysis.callgraph import build_call_graph, indirect_targets, table_candidates
from gasmodel.analysis.cfg import EXIT, branch_labels, successors
from gasmodel.analysis.errors import AnalysisError
from gasmodel.analysis.graph_export import dot_quote, to_dot, to_node_link
from gasmodel.analysis.paths import CallPath, heaviest_paths, reachable_cost
from gasmodel.analysis.upload import ensure_wasm, maybe_gunzip, upload_cost
from gasmodel.wasm import decode

SAMPLES = Path(__file__).resolve().parent / "wasm_samples"


def wat2wasm(tmp_path: Path, text: str) -> bytes:
    """The module as wabt compiles it (an encoder independent of gasmodel and wasmtime)."""
    src, out = tmp_path / "m.wat", tmp_path / "m.wasm"
    src.write_text(text)
    subprocess.run(
        [wabt_tool("wat2wasm"), str(src), "-o", str(out)], check=True, capture_output=True, timeout=60
    )
    return out.read_bytes()


# ---------------------------------------------------------------------------- upload size limit


def test_upload_at_exactly_the_limit_is_within_it() -> None:
    """Named test for the mutation ``n <= max`` -> ``n < max``: wasmd rejects only ``len(code) > maxSize``."""
    wasm = (SAMPLES / "bulk_memory.wasm").read_bytes()
    n = len(wasm)
    assert upload_cost(wasm, max_wasm_size=n).within_limit
    assert upload_cost(wasm, max_wasm_size=n + 1).within_limit
    assert not upload_cost(wasm, max_wasm_size=n - 1).within_limit
    assert upload_cost(wasm, max_wasm_size=n).max_wasm_size == n


def test_gzip_content_at_exactly_the_limit_is_accepted() -> None:
    """wasmd's Uncompress: content of exactly ``limit`` bytes passes, one byte more is ErrLimit."""
    wasm = (SAMPLES / "bulk_memory.wasm").read_bytes()
    gz = gzip.compress(wasm)
    assert maybe_gunzip(gz, len(wasm)) == wasm
    assert ensure_wasm(gz, len(wasm)) == wasm
    with pytest.raises(AnalysisError, match=f"gzip content exceeds limit: max {len(wasm) - 1} bytes"):
        maybe_gunzip(gz, len(wasm) - 1, "x.wasm.gz")
    with pytest.raises(AnalysisError, match=r"^x\.gz: truncated gzip data$"):
        maybe_gunzip(gz[:-9], len(wasm), "x.gz")
    with pytest.raises(AnalysisError, match=r"^y: not a WebAssembly module"):
        ensure_wasm(b"\x00asX" + wasm[4:], len(wasm), "y")
    assert maybe_gunzip(wasm, 1) == wasm  # not gzip: returned as is, whatever its size


def test_upload_cost_by_hand() -> None:
    """wasmd: uncompress floor(z * 15 / 100) if gzipped, compile 3 per wasm byte, tx size 10 per byte."""
    wasm = (SAMPLES / "bulk_memory.wasm").read_bytes()
    up = upload_cost(wasm)
    n, z = len(wasm), up.gzip_bytes
    assert up.wasm_bytes == n and up.gzip_level == 6
    assert (up.raw.upload_bytes, up.raw.uncompress_gas, up.raw.compile_gas, up.raw.tx_size_gas) == (
        n,
        0,
        3 * n,
        10 * n,
    )
    assert up.raw.total_gas == 13 * n and not up.raw.gzipped
    assert (up.gz.upload_bytes, up.gz.uncompress_gas, up.gz.compile_gas, up.gz.tx_size_gas) == (
        z,
        z * 15 // 100,
        3 * n,
        10 * z,
    )
    assert up.gz.total_gas == z * 15 // 100 + 3 * n + 10 * z and up.gz.gzipped
    other = upload_cost(wasm, compile_per_byte=2, uncompress_per_byte=(1, 3), tx_size_per_byte=7)
    assert (
        other.gz.uncompress_gas == z // 3 and other.gz.compile_gas == 2 * n and other.gz.tx_size_gas == 7 * z
    )


# ---------------------------------------------------------------------------- ref.func in bodies

REF_FUNC_WAT = """
(module
  (type $t (func (result i32)))
  (table 1 funcref)
  (func $target (export "target") (type $t) i32.const 7)
  (func $other (type $t) i32.const 8)
  (func $setup (export "setup")
    i32.const 0
    ref.func $target
    table.set 0)
  (func $caller (export "caller") (result i32)
    i32.const 0
    call_indirect (type $t)))
"""


def test_ref_func_in_a_body_is_an_indirect_call_target(tmp_path: Path) -> None:
    """Named test for the mutation "``ref.func`` targets in bodies dropped from the call graph".

    Hand derivation: $target (func 0) is named only by ``ref.func`` inside $setup's body (no element segment;
    its export is what declares the reference valid), $setup stores it in table 0, $caller calls through the
    table with $target's type: the edge caller -> target is possible. $other (func 1) has the same type but no
    reference can reach it, so no edge. wasm-objdump confirms that func 2's body holds ``ref.func 0``.
    """
    wasm = wat2wasm(tmp_path, REF_FUNC_WAT)
    (tmp_path / "m.wasm").write_bytes(wasm)
    dump = subprocess.run(
        [wabt_tool("wasm-objdump"), "-d", str(tmp_path / "m.wasm")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.search(r"\| ref\.func 0\b", dump), dump
    m = decode(wasm)
    assert not m.elements and not m.ref_funcs_in_globals
    assert table_candidates(m) == frozenset({0})
    g = build_call_graph(m)
    assert g.has_edge(3, 0) and g.edges[3, 0]["kinds"] == ("indirect",)
    assert not g.has_edge(3, 1)
    assert set(g.successors(3)) == {0}
    assert list(indirect_targets(m).values()) == [(0,)]


# ---------------------------------------------------------------------------- graph export and node facts


def test_dot_text_by_hand() -> None:
    """The DOT text of a four-node graph, written out by hand from the Graphviz language and the documented
    styles (imports boxes, entry points bold, unreachable grey, recursive red, indirect-only edges dashed)."""
    g = nx.DiGraph()
    g.add_node(0, kind="import", name="env.f", exports=())
    g.add_node(1, kind="function", name='run "x"', exports=("execute",), reachable=True, recursive=True)
    g.add_node(2, kind="function", name="dead", exports=(), reachable=False, recursive=True)
    g.add_node(3, kind="function", exports=())
    g.add_edge(1, 0, kinds=("direct",))
    g.add_edge(1, 2, kinds=("indirect",))
    g.add_edge(1, 1, kinds=("direct", "indirect"))
    assert to_dot(g, "c\\d") == (
        'digraph "c\\\\d" {\n'
        "  node [shape=ellipse, fontname=monospace];\n"
        '  0 [label="0: env.f", shape=box];\n'
        '  1 [label="1: run \\"x\\"", style=bold, color=red];\n'
        '  2 [label="2: dead", color=grey, fontcolor=grey];\n'
        '  3 [label="3: "];\n'
        "  1 -> 0;\n"
        "  1 -> 1;\n"
        "  1 -> 2 [style=dashed];\n"
        "}\n"
    )
    assert to_dot(g).startswith('digraph "callgraph" {\n')
    assert dot_quote("a\nb\rc") == '"a\\nbc"'
    data = to_node_link(g)
    assert data["nodes"][1]["exports"] == ["execute"]
    assert {(e["source"], e["target"]): e["kinds"] for e in data["links"]} == {
        (1, 0): ["direct"],
        (1, 2): ["indirect"],
        (1, 1): ["direct", "indirect"],
    }


def test_node_types_and_exports_match_objdump(tmp_path: Path) -> None:
    """Every node's type index and export names against wasm-objdump -x (Function, Import, Export)."""
    wasm = wat2wasm(tmp_path, REF_FUNC_WAT.replace("(type $t (func (result i32)))", IMPORTING))
    path = tmp_path / "m.wasm"
    out = subprocess.run(
        [wabt_tool("wasm-objdump"), "-x", str(path)], capture_output=True, text=True, check=True
    )
    sigs = {int(a): int(b) for a, b in re.findall(r"^ - func\[(\d+)\] sig=(\d+)", out.stdout, re.M)}
    exports: dict[int, set[str]] = {}
    for idx, name in re.findall(r'^ - func\[(\d+)\] .*-> "([^"]+)"', out.stdout, re.M):
        exports.setdefault(int(idx), set()).add(name)
    g = build_call_graph(decode(wasm))
    assert set(g.nodes) == set(sigs) and len(sigs) == 6
    for n, sig in sigs.items():
        assert g.nodes[n]["type_index"] == sig, n
        assert set(g.nodes[n]["exports"]) == exports.get(n, set()), n
    assert g.nodes[0]["kind"] == "import" and g.nodes[0]["module"] == "env" and g.nodes[0]["field"] == "log"
    assert g.nodes[0]["name"] == "env.log" and g.nodes[2]["kind"] == "function"


IMPORTING = """(type $t (func (result i32)))
  (type $v (func (param i32)))
  (import "env" "log" (func (type $v)))
  (import "env" "two" (func (type $t)))"""


# ---------------------------------------------------------------------------- control-flow successors

CFG_WAT = """
(module
  (func $a (param i32) (result i32)
    block
      local.get 0
      br_if 0
      local.get 0
      if
        nop
      else
        nop
      end
    end
    loop
      br 0
    end
    block
      block
        local.get 0
        br_table 0 1 0
      end
    end
    i32.const 7
    return)
  (func $b (param i32)
    local.get 0
    br_if 0
    nop)
  (func $c (param i32)
    local.get 0
    if
      nop
    else
      nop
    end)
  (func $d (param i32)
    local.get 0
    if
      nop
    end))
"""


def test_successors_by_hand(tmp_path: Path) -> None:
    """Forward successors of each instruction, worked out by hand from the Wasm spec's structured control
    (a branch to a block or if lands after its end, to a loop is a back-edge and dropped, to the function
    label leaves; ``if`` goes to the then-arm and past ``else``; ``else`` jumps past the ``end``)."""
    wasm = wat2wasm(tmp_path, CFG_WAT)
    m = decode(wasm)
    got = {fn.index: successors(fn.ops, branch_labels(wasm, fn)) for fn in m.functions}
    x = EXIT
    assert got[0] == [
        (1,), (2,), (3, 10), (4,), (5, 7), (6,), (9,), (8,), (9,), (10,),  # block, br_if, if/else
        (11,), (), (13,),  # loop: the br back to it is dropped
        (14,), (15,), (16,), (18, 19), (18,), (19,),  # br_table 0 1 0: two targets, once each
        (20,), (x,), (x,),  # return, final end
    ]  # fmt: skip
    assert got[1] == [(1,), (2, x), (3,), (x,)]  # br_if to the function label leaves
    assert got[2] == [(1,), (2, 4), (3,), (6,), (5,), (6,), (x,)]  # else right before the last end
    assert got[3] == [(1,), (2, 4), (3,), (4,), (x,)]  # if without else: past its end
    assert branch_labels(wasm, m.functions[0]) == {2: (0,), 11: (0,), 16: (0, 1, 0)}


def test_heaviest_path_ties_and_groups_by_hand() -> None:
    """Documented tie rule (the next group with the smallest function index wins), worked out by hand."""
    for edges in ([(0, 2), (0, 1)], [(0, 1), (0, 2)]):
        g = nx.DiGraph(edges)
        cp = heaviest_paths(g, {0: 1, 1: 5, 2: 5}, [0])[0]
        assert (cp.cost, cp.path) == (6, (0, 1))
    # a recursive group entered at its larger member lists the start first, then the others sorted
    g = nx.DiGraph([(3, 1), (1, 3), (3, 2), (1, 0)])
    w = {0: 7, 1: 10, 2: 4, 3: 20}
    assert heaviest_paths(g, w, [3])[3] == CallPath(37, (3, 1, 0), 3)
    assert heaviest_paths(g, w, [1, 2]) == {1: CallPath(37, (1, 3, 0), 3), 2: CallPath(4, (2,), 1)}
    assert reachable_cost(g, {1: 10, 3: 20}, 3) == 30  # missing weights count 0


def test_entry_points_carry_their_functions_static_cost(tmp_path: Path) -> None:
    """Each entry point's static cost is its function's, from the metering rule written from cosmwasm's source
    (tests/metering_rule.py) over wasm-objdump's instruction list; an error names ``input`` by default."""
    wasm = wat2wasm(tmp_path, CFG_WAT.replace("(func $a", '(func $a (export "execute")'))
    out = subprocess.run(
        [wabt_tool("wasm-objdump"), "-d", str(tmp_path / "m.wasm")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names: dict[int, list[str]] = {}
    cur = -1
    for line in out.splitlines():
        if head := re.match(r"^[0-9a-f]+ func\[(\d+)\]", line):
            cur = int(head[1])
            names[cur] = []
        elif (m := re.match(r"^ [0-9a-f]+: [0-9a-f ]*\| *(\S+)", line)) and not m[1].startswith("local["):
            names[cur].append(m[1])
    report = analyze(wasm, preset="cosmwasm-vm-3.0.9")
    (entry,) = [e for e in report.entry_points if e.name == "execute"]
    expected = sum(c for _, _, c in metering_blocks(names[0], METERING_RULE["cosmwasm-vm-3.0.9"]))
    assert entry.static_cost == expected > 0
    with pytest.raises(AnalysisError, match=r"^input: not a WebAssembly module"):
        analyze(b"junk")
    assert reachable_cost(nx.DiGraph([(0, 1)]), {1: 4}, 0) == 4  # a start without a weight counts 0
