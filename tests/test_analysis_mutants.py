"""Tests that kill mutants of gasmodel/analysis/ which survived scripts/mutation.py (see
benchmarks/results/mutation-survivors.md). Oracles: named in each test's docstring
(wabt's wat2wasm pinned by tests/wabt.py, the WebAssembly specification, public sources at tags).

Modules are written by hand in the WebAssembly text format and compiled by wabt's wat2wasm.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from wabt import wabt_tool

from gasmodel.analysis.api import analyze, call_graph


def _wat(tmp_path: Path, text: str) -> bytes:
    src = tmp_path / "m.wat"
    src.write_text(text)
    out = tmp_path / "m.wasm"
    subprocess.run([wabt_tool("wat2wasm"), str(src), "-o", str(out)], check=True, capture_output=True)
    return out.read_bytes()


def test_annotated_graph_marks_the_recursive_function(tmp_path: Path) -> None:
    """report.annotated 14, 15: the annotated call graph carries ``recursive`` per function.

    Oracle: the module written by hand: function 1 ($loop) calls itself, function 0 (``execute``)
    calls it once; an imported function would be node 0, there is none.
    """
    data = _wat(
        tmp_path,
        '(module (func (export "execute") (call $loop)) (func $loop (call $loop)) '
        '(memory (export "memory") 1))',
    )
    g = call_graph(data, report=analyze(data))
    assert g.nodes[1]["recursive"] is True
    assert g.nodes[0]["recursive"] is False


def test_a_long_call_chain_lists_the_first_64_functions(tmp_path: Path) -> None:
    """report.analyze_module 52: the heaviest path of a 70-function call chain lists its first 64
    functions and says the whole path has 70.

    Oracle: the module written by hand: ``execute`` (function 0) calls $f1, which calls $f2, ... up to
    $f69, a chain of 70 functions; the report's documented cut (``max_path``: "the first 64 when it is
    longer").
    """
    chain = "".join(f"(func $f{i} (call $f{i + 1}))" for i in range(1, 69)) + "(func $f69)"
    data = _wat(
        tmp_path,
        f'(module (func (export "execute") (call $f1)) {chain} (memory (export "memory") 1))',
    )
    (entry,) = [e for e in analyze(data).entry_points if e.name == "execute"]
    assert entry.max_path_length == 70
    assert entry.max_path == list(range(64))
