"""The folders read as the data path, and each layer knows only the layers below it.

Checked on the source with ``ast``: which gasmodel modules each package imports, and that nothing
below ``gasmodel/cli`` prints or exits.

Oracle: the layering rule of the project (the data path wasm -> costs -> analysis -> lint / vm ->
scenario -> cli, written out in ALLOWED below), checked on the source with ``ast``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "gasmodel"

# package -> gasmodel packages/modules it may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    "wasm": {"errors"},
    "costs": {"errors", "wasm"},
    "analysis": {"errors", "wasm", "costs", "compress", "inputs"},
    "chain": {"errors", "compress", "chaintypes", "accounts"},
    "scenario": {"errors", "chain", "compress", "chaintypes", "report", "vm", "costs", "accounts", "txsizer"},
    "histogram": {"errors", "wasm"},
    "vm": {"errors", "wasm", "costs", "analysis", "compress", "chaintypes", "report", "accounts"},
    "lint": {"errors", "wasm", "costs", "analysis", "histogram", "compress"},
    # the --node fetcher: talks to a chain (cosmpy), hands codes to lint
    "audit": {"errors", "chain", "lint", "compress"},
    "compress": set(),
    "inputs": {"errors", "compress"},
    "errors": set(),
    "chaintypes": set(),
    "accounts": {"errors", "chaintypes"},
    "report": {"chaintypes"},
    "estimate": {"errors", "wasm", "costs", "analysis", "compress", "chaintypes", "report", "vm", "accounts",
                 "scenario", "txsizer"},
    "txsizer": {"chaintypes", "vm", "chain"},
    "profile": {"errors", "report"},
    "diff": {"errors", "report", "scenario", "estimate"},
    "pytest_plugin": {"chaintypes", "errors", "estimate", "report", "scenario", "txsizer", "vm"},
    "calibrate": {"errors", "wasm", "costs", "chaintypes", "report", "vm", "scenario"},
}


def _gasmodel_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "gasmodel" and len(parts) > 1:
                found.add(parts[1])
    return found


def _layer(path: Path) -> str:
    rel = path.relative_to(PKG)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_layers_below(layer: str) -> None:
    files = sorted((PKG / layer).rglob("*.py")) if (PKG / layer).is_dir() else [PKG / f"{layer}.py"]
    assert files, layer
    for f in files:
        extra = _gasmodel_imports(f) - ALLOWED[layer] - {layer}
        assert not extra, f"{f.relative_to(PKG.parent)} imports gasmodel.{sorted(extra)}"


def test_nothing_below_the_cli_prints_or_exits() -> None:
    offenders = []
    for f in sorted(PKG.rglob("*.py")):
        if "cli" in f.relative_to(PKG).parts or f.name == "__main__.py":
            continue
        for node in ast.walk(ast.parse(f.read_text())):
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Name) and node.func.id in ("print", "exit"):
                offenders.append(f"{f.relative_to(PKG.parent)}:{node.lineno} {node.func.id}()")
            if (
                isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "sys"
                and node.func.attr == "exit"
            ):
                offenders.append(f"{f.relative_to(PKG.parent)}:{node.lineno} sys.exit()")
    assert not offenders, offenders
