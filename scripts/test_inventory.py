#!/usr/bin/env python3
"""Count the tests that exercise gasmodel, per test module and in total.

    python scripts/test_inventory.py            # a Markdown table, one row per tests/test_*.py
    python scripts/test_inventory.py --list     # also name every test that does not reach gasmodel
    python scripts/test_inventory.py --json     # the same numbers as JSON

A test is counted the way pytest counts it: one per collected item (``pytest --collect-only``, every
parametrized case; all markers included, localnet and toolchain too). Whether an item exercises gasmodel
is decided statically, on the source, for its test function:

* the names the function's body uses are followed through the module: its own helper functions and
  classes, module-level constants (``FILES = module_files()``), and the fixtures it asks for (defined in
  the module, tests/conftest.py or tests/conftest_localnet.py), transitively;
* it exercises gasmodel when that closure reaches a name imported from ``gasmodel``, a helper module in
  tests/ that itself imports gasmodel (tests/vm_stub_host.py, ...), a string that runs gasmodel in
  another process (``-m gasmodel``, ``-p gasmodel.pytest_plugin``, ``import gasmodel`` in a ``-c``
  script, a scripts/*.py file that imports it) or names the package's folder (tests/test_layering.py
  reads gasmodel's source);
* an item whose parameter is a documentation block (``docs/x.md:12``; tests/test_docs.py) exercises
  gasmodel when the block's text names it.

Everything else tests the fixtures, the contracts, the helpers in tests/ (the wasmtime hosts
tests/contract_host.py and tests/fixture_host.py) or the repository itself. The method reads source only;
a test that reaches gasmodel in a way it cannot see (a computed module name) is counted as not reaching
it, so the gasmodel column is a lower bound.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
CONFTESTS = ("conftest.py", "conftest_localnet.py")
# a string that names a gasmodel module ("gasmodel.pytest_plugin") or is code that imports gasmodel; the
# bare "gasmodel" counts in an argument list ("-m", "gasmodel") or a path (ROOT / "gasmodel")
_RUNS_GASMODEL = re.compile(r"^gasmodel\.[\w.]+$|\bfrom gasmodel\b|\bimport\b[^;\n]*\bgasmodel\b")
_SCRIPT = re.compile(r"^[\w-]+\.py$")
_DOC_PARAM = re.compile(r"^(?P<path>[\w./-]+\.md)(?::(?P<line>\d+))?$")


@dataclass
class _Namespace:
    """One source file: what its names are bound to."""

    path: Path
    gasmodel_names: set[str] = field(default_factory=set)
    helper_names: dict[str, str] = field(default_factory=dict)  # name -> tests/ helper module
    defs: dict[str, ast.AST] = field(default_factory=dict)  # functions and classes
    assigns: dict[str, list[ast.expr]] = field(default_factory=lambda: defaultdict(list))
    fixtures: dict[str, ast.FunctionDef] = field(default_factory=dict)


def _is_fixture(fn: ast.FunctionDef) -> bool:
    for d in fn.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        if ast.unparse(target).endswith("fixture"):
            return True
    return False


def _namespace(path: Path) -> _Namespace:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    ns = _Namespace(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            top = node.module.split(".")[0]
            for alias in node.names:
                bound = alias.asname or alias.name
                if top == "gasmodel":
                    ns.gasmodel_names.add(bound)
                elif (TESTS / f"{top}.py").is_file():
                    ns.helper_names[bound] = top
        elif isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                bound = alias.asname or top
                if top == "gasmodel":
                    ns.gasmodel_names.add(bound)
                elif (TESTS / f"{top}.py").is_file():
                    ns.helper_names[bound] = top
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            ns.defs[node.name] = node
            if isinstance(node, ast.FunctionDef) and _is_fixture(node):
                ns.fixtures[node.name] = node
        elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                for name in ast.walk(t):
                    if isinstance(name, ast.Name):
                        ns.assigns[name.id].append(node.value)
    return ns


class _Inventory:
    def __init__(self) -> None:
        self._spaces: dict[Path, _Namespace] = {}
        self._helpers: dict[str, bool] = {}
        self._conftests = [self._space(TESTS / c) for c in CONFTESTS if (TESTS / c).is_file()]

    def _space(self, path: Path) -> _Namespace:
        if path not in self._spaces:
            self._spaces[path] = _namespace(path)
        return self._spaces[path]

    def helper_reaches_gasmodel(self, module: str, seen: frozenset[str] = frozenset()) -> bool:
        """A tests/ helper module that imports gasmodel, itself or through another helper."""
        if module not in self._helpers:
            ns = self._space(TESTS / f"{module}.py")
            self._helpers[module] = bool(ns.gasmodel_names) or any(
                self.helper_reaches_gasmodel(m, seen | {module})
                for m in set(ns.helper_names.values())
                if m not in seen and m != module
            )
        return self._helpers[module]

    def reaches_gasmodel(self, ns: _Namespace, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """Whether test function ``fn`` of ``ns`` reaches gasmodel (see the module docstring)."""
        todo: list[tuple[_Namespace, ast.AST, bool]] = [(ns, fn, True)]
        seen: set[tuple[Path, int]] = set()
        while todo:
            space, node, with_params = todo.pop()
            key = (space.path, id(node))
            if key in seen:
                continue
            seen.add(key)
            if with_params and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for arg in node.args.args:
                    todo.extend(self._fixture(space, arg.arg))
            bodies = (
                node.body
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                else [node]
            )
            for stmt in bodies:
                for sub in ast.walk(stmt):
                    if isinstance(sub, ast.Constant) and _names_gasmodel(sub.value):
                        return True
                    if _bare_package_name(sub):
                        return True
                    if not isinstance(sub, ast.Name):
                        continue
                    name = sub.id
                    if name in space.gasmodel_names:
                        return True
                    if name in space.helper_names and self.helper_reaches_gasmodel(space.helper_names[name]):
                        return True
                    if name in space.defs:
                        todo.append((space, space.defs[name], True))
                    for value in space.assigns.get(name, ()):
                        todo.append((space, value, False))
        return False

    def _fixture(self, space: _Namespace, name: str) -> list[tuple[_Namespace, ast.AST, bool]]:
        if name in space.fixtures:
            return [(space, space.fixtures[name], True)]
        for conf in self._conftests:
            if name in conf.fixtures:
                return [(conf, conf.fixtures[name], True)]
        return []  # pytest's own fixtures (tmp_path, capsys, monkeypatch, ...)

    def function(self, module: Path, name: str) -> tuple[_Namespace, ast.FunctionDef | ast.AsyncFunctionDef]:
        ns = self._space(module)
        node = ns.defs.get(name)
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            raise SystemExit(f"{module.name}: collected test {name} not found in the source")
        return ns, node


def _bare_package_name(node: ast.AST) -> bool:
    """``"gasmodel"`` as an element of a list or tuple (an argv) or an operand of ``/`` (a path)."""
    if isinstance(node, ast.List | ast.Tuple):
        parts = node.elts
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        parts = [node.left, node.right]
    else:
        return False
    return any(isinstance(p, ast.Constant) and p.value == "gasmodel" for p in parts)


def _names_gasmodel(value: object) -> bool:
    """A string constant that runs or names gasmodel (see the module docstring)."""
    return isinstance(value, str) and (
        bool(_RUNS_GASMODEL.search(value.strip())) or _script_imports_gasmodel(value)
    )


def _script_imports_gasmodel(name: str) -> bool:
    """``name`` is a file of scripts/ (run by a test in a subprocess) that imports gasmodel."""
    path = ROOT / "scripts" / name
    return bool(_SCRIPT.match(name)) and path.is_file() and bool(_namespace(path).gasmodel_names)


def _doc_block_names_gasmodel(param: str) -> bool | None:
    """For a documentation-block parameter (``docs/x.md:12`` or ``docs/x.md``): whether the block (or
    the page's code) names gasmodel; None when the parameter is not one."""
    m = _DOC_PARAM.match(param)
    if not m or not (ROOT / m["path"]).is_file():
        return None
    lines = (ROOT / m["path"]).read_text(encoding="utf-8").splitlines()
    if m["line"] is None:
        text = "\n".join(lines)
        return "gasmodel" in "".join(re.findall(r"```python\n(.*?)```", text, re.S))
    start = int(m["line"]) - 1
    block = []
    for line in lines[start + 1 :]:
        if line.startswith("```"):
            break
        block.append(line)
    return "gasmodel" in "\n".join(block)


def collect() -> list[str]:
    """The node ids pytest collects under tests/ (every marker included)."""
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    ids = [line.strip() for line in out.stdout.splitlines() if line.startswith("tests/") and "::" in line]
    if out.returncode != 0 or not ids:
        raise SystemExit(
            f"pytest --collect-only failed ({out.returncode}):\n{out.stdout[-2000:]}{out.stderr[-2000:]}"
        )
    return ids


def inventory(ids: list[str]) -> dict[str, dict[str, list[str]]]:
    """module -> {"product": [node ids exercising gasmodel], "tests_only": [the others]}."""
    inv = _Inventory()
    cache: dict[tuple[str, str], bool] = {}
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"product": [], "tests_only": []})
    for node_id in ids:
        file, _, rest = node_id.partition("::")
        name, _, param = rest.partition("[")
        param = param.removesuffix("]")
        key = (file, name.split("::")[-1])
        if key not in cache:
            ns, fn = inv.function(ROOT / file, key[1])
            cache[key] = inv.reaches_gasmodel(ns, fn)
        hit = cache[key]
        if not hit:
            hit = bool(_doc_block_names_gasmodel(param))
        out[Path(file).name]["product" if hit else "tests_only"].append(node_id)
    return dict(sorted(out.items()))


def render(inv: dict[str, dict[str, list[str]]], listing: bool) -> str:
    rows = ["| module | tests | exercise gasmodel | test only fixtures, contracts or tests/ helpers |"]
    rows.append("|---|---:|---:|---:|")
    total_g = total_t = 0
    for module, parts in inv.items():
        g, t = len(parts["product"]), len(parts["tests_only"])
        total_g, total_t = total_g + g, total_t + t
        rows.append(f"| `{module}` | {g + t} | {g} | {t} |")
    rows.append(f"| **total** | **{total_g + total_t}** | **{total_g}** | **{total_t}** |")
    text = "\n".join(rows) + "\n"
    if listing:
        text += "\nTests that do not reach gasmodel:\n\n"
        text += "".join(f"- `{i}`\n" for parts in inv.values() for i in parts["tests_only"])
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--list", action="store_true", help="name every test that does not reach gasmodel")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a Markdown table")
    args = parser.parse_args(argv)
    inv = inventory(collect())
    if args.json:
        doc = {
            m: {
                "tests": len(p["product"]) + len(p["tests_only"]),
                "product": len(p["product"]),
                "tests_only": p["tests_only"],
            }
            for m, p in inv.items()
        }
        sys.stdout.write(json.dumps(doc, indent=1) + "\n")
    else:
        sys.stdout.write(render(inv, args.list))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
