"""Tests that kill mutants of gasmodel/analysis/ which survived scripts/mutation.py (see
benchmarks/results/mutation-survivors.md). Each states its oracle.

Modules are written by hand in the WebAssembly text format and compiled by wabt's wat2wasm.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from gasmodel.analysis.api import analyze, call_graph

pytestmark = pytest.mark.skipif(shutil.which("wat2wasm") is None, reason="wabt not installed")


def _wat(tmp_path: Path, text: str) -> bytes:
    src = tmp_path / "m.wat"
    src.write_text(text)
    out = tmp_path / "m.wasm"
    subprocess.run(["wat2wasm", str(src), "-o", str(out)], check=True, capture_output=True)
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
