"""The public face: every advertised name resolves, errors share one root, the import stays light.

Oracles: the advertised ``gasmodel.__all__``, the error hierarchy's root, ``sys.modules`` of a fresh
interpreter, and the counter contract's export names (contracts/rust/counter).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import gasmodel


def test_every_public_name_resolves() -> None:
    for name in gasmodel.__all__:
        assert getattr(gasmodel, name) is not None, name


def test_every_public_error_is_a_gasmodel_error() -> None:
    errors = [getattr(gasmodel, n) for n in gasmodel.__all__ if n.endswith("Error")]
    assert len(errors) >= 5
    for err in errors:
        assert issubclass(err, gasmodel.GasmodelError), err


def test_import_does_not_load_the_chain_client() -> None:
    code = "import sys, gasmodel; print('cosmpy' in sys.modules, 'grpc' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_decode_and_histogram_from_the_top_level(repo_root: Path) -> None:
    data = (repo_root / "contracts" / "artifacts" / "counter.wasm").read_bytes()
    module = gasmodel.decode(data)
    h = gasmodel.histogram(module)
    assert sum(h.opcodes.values()) == sum(len(f.ops) for f in module.functions)
    assert {e.name for e in module.exports} >= {"instantiate", "execute", "query", "allocate", "deallocate"}
