"""The test suite's own rules: every module names its oracle, uses the pinned wabt, and writes nothing
into the repository.

Oracles: the text of each tests/test_*.py (its module docstring and source, read with ``ast`` and
regular expressions); for the repository check, ``git status`` of a throwaway repository in which an
inner pytest session (this checkout's tests/conftest.py) runs one test that writes into the tree and
one that writes only into its temporary folder.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
MODULES = sorted(TESTS.glob("test_*.py"))

# "Oracle: ...", "Oracles: ...", "Oracles, named per test: ..." or an inline "(oracle: ...)": the word,
# up to a colon on the same line, then what the oracle is.
_ORACLE = re.compile(r"\b[Oo]racles?\b[^:\n]{0,80}:\s*\S")

# Modules another branch is editing now; their docstrings get an oracle line there. Remove a name when
# its line has landed (the strict xfail then turns into a failure that says so).
_OWNED_ELSEWHERE: set[str] = set()

# wabt's tools, which must come from tests/wabt.py (the pinned version), never from PATH by name
_WABT = r"(?:wat2wasm|wasm2wat|wasm-objdump|wasm-validate|wasm-interp|wasm-strip|wasm-decompile)"
_BARE_WABT = re.compile(rf"""which\(\s*["']{_WABT}["']|\[\s*["']{_WABT}["']""")


def _docstring(path: Path) -> str:
    return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""


def test_the_suite_is_found() -> None:
    assert len(MODULES) >= 70 and Path(__file__) in MODULES


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            p,
            marks=pytest.mark.xfail(strict=True, reason="docstring owned by another branch right now")
            if p.name in _OWNED_ELSEWHERE
            else (),
        )
        for p in MODULES
    ],
    ids=lambda p: p.name,
)
def test_module_docstring_names_its_oracle(path: Path) -> None:
    doc = _docstring(path)
    assert doc, f"{path.name} has no module docstring"
    assert _ORACLE.search(doc), f"{path.name}: the module docstring has no 'Oracle: ...' line"


def test_oracle_pattern() -> None:
    # by hand: what counts as naming an oracle, and what does not
    assert _ORACLE.search("Oracle: wabt's wasm-objdump")
    assert _ORACLE.search("Oracles, named per test: the chain")
    assert _ORACLE.search("fits recover known coefficients (oracle: the coefficients)")
    assert not _ORACLE.search("An oracle is used somewhere.")
    assert not _ORACLE.search("Oracle:   \n")
    assert not _ORACLE.search("The decoder against wasm-objdump.")


def test_no_module_runs_wabt_from_path() -> None:
    offenders = [
        f"{p.name}:{text[: m.start()].count(chr(10)) + 1}"
        for p in MODULES
        for text in [p.read_text(encoding="utf-8")]
        for m in _BARE_WABT.finditer(text)
        if p.name != Path(__file__).name
    ]
    assert not offenders, f"use wabt_tool() from tests/wabt.py: {offenders}"
    assert _BARE_WABT.search('subprocess.run(["wasm-objdump", "-d", path])')
    assert _BARE_WABT.search('shutil.which("wat2wasm")')
    assert not _BARE_WABT.search('[wabt_tool("wasm-objdump"), "-d"]')


_WRITES_INTO_TREE = '''"""A test that writes into the repository. Oracle: none, it is a probe."""
from pathlib import Path


def test_writes_into_the_tree() -> None:
    (Path(__file__).resolve().parent.parent / "written-by-a-test.txt").write_text("x")
'''

_WRITES_INTO_TMP = '''"""A test that writes only into its temporary folder. Oracle: none, it is a probe."""
from pathlib import Path


def test_writes_into_tmp(tmp_path: Path) -> None:
    (tmp_path / "fine.txt").write_text("x")
'''


def _inner_session(repo: Path, test_file: str, *, record: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("GASMODEL_RECORD", None)
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # a bare pytest: only the conftest under test
    if record:
        env["GASMODEL_RECORD"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"tests/{test_file}"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_a_session_that_writes_into_the_repository_fails(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "tests").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    for name in ("conftest.py", "conftest_localnet.py"):
        shutil.copy(TESTS / name, repo / "tests" / name)
    (repo / "tests" / "test_tree.py").write_text(_WRITES_INTO_TREE)
    (repo / "tests" / "test_tmp.py").write_text(_WRITES_INTO_TMP)

    clean = _inner_session(repo, "test_tmp.py")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "repository changed" not in clean.stdout

    dirty = _inner_session(repo, "test_tree.py")
    assert (repo / "written-by-a-test.txt").is_file()
    assert dirty.returncode == 1, dirty.stdout + dirty.stderr
    assert "1 passed" in dirty.stdout  # the test itself passed: the session check failed the run
    assert "the repository changed during the test session" in dirty.stdout
    assert "  written-by-a-test.txt" in dirty.stdout

    # a file that was already there and changes is caught by its content, not only by its status
    (repo / "written-by-a-test.txt").write_text("before")
    again = _inner_session(repo, "test_tree.py")
    assert again.returncode == 1 and "  written-by-a-test.txt" in again.stdout

    # a recording run (GASMODEL_RECORD=1) rewrites results on purpose and is not checked
    (repo / "written-by-a-test.txt").unlink()
    recording = _inner_session(repo, "test_tree.py", record=True)
    assert recording.returncode == 0, recording.stdout + recording.stderr


# ---- scripts/test_inventory.py: what counts as exercising gasmodel ---------------------------------

_PROBE_MODULE = """
import subprocess
import sys
from pathlib import Path

import pytest
from fixture_host import FixtureHost
from vm_host_fakes import FakeContext

import PACKAGE.wasm as w

DECODE = w.decode


def _helper():
    return DECODE


@pytest.fixture
def through_helper():
    return _helper()


def test_fixture_host_only(tmp_path):
    assert FixtureHost and Path("gasmodel/costs/presets").is_dir()


def test_through_a_fixture_and_a_helper(through_helper):
    assert through_helper


def test_through_a_helper_module_that_imports_gasmodel():
    assert FakeContext


def test_through_a_conftest_fixture(localnet):
    assert localnet


def test_as_a_program():
    subprocess.run([sys.executable, "-m", "PACKAGE", "--help"], check=True)


def test_a_script_string():
    subprocess.run([sys.executable, "-c", "import sys, PACKAGE"], check=True)
"""


def _inventory_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "test_inventory_script", ROOT / "scripts" / "test_inventory.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_inventory_classifies_each_route_to_gasmodel(tmp_path: Path) -> None:
    # oracle: the probe module above, classified by hand (fixture_host.py imports no gasmodel,
    # vm_host_fakes.py does, conftest_localnet's localnet fixture builds a gasmodel Localnet)
    script = _inventory_script()
    probe = tmp_path / "test_probe.py"
    # PACKAGE stands for gasmodel, so that the inventory does not count this test itself as running it
    probe.write_text(_PROBE_MODULE.replace("PACKAGE", "gasmodel"))
    inv = script._Inventory()
    ns = script._namespace(probe)
    got = {name: inv.reaches_gasmodel(ns, node) for name, node in ns.defs.items() if name.startswith("test_")}
    assert got == {
        "test_fixture_host_only": False,
        "test_through_a_fixture_and_a_helper": True,
        "test_through_a_helper_module_that_imports_gasmodel": True,
        "test_through_a_conftest_fixture": True,
        "test_as_a_program": True,
        "test_a_script_string": True,
    }


def test_inventory_on_real_tests() -> None:
    # oracle: these tests read by hand - test_fixtures runs the fixtures under tests/fixture_host.py,
    # test_enough_files only counts files, the fuzz campaign is scripts/fuzz_campaign.py (imports
    # gasmodel), docs/analysis.md:15 is a `gasmodel analyze` block
    script = _inventory_script()
    ids = [
        "tests/test_fixtures.py::test_verdict_fields_are_consistent[x]",
        "tests/test_wasm_wabt.py::test_enough_files",
        "tests/test_wasm_wabt.py::test_histogram_equals_wabt[y]",
        "tests/test_hostile_cli.py::test_fuzz_campaign_briefly",
        "tests/test_docs.py::test_shell_block_runs[docs/analysis.md:15]",
    ]
    inv = script.inventory(ids)
    assert inv["test_fixtures.py"] == {"product": [], "tests_only": [ids[0]]}
    assert inv["test_wasm_wabt.py"] == {"product": [ids[2]], "tests_only": [ids[1]]}
    assert inv["test_hostile_cli.py"]["product"] == [ids[3]]
    assert inv["test_docs.py"]["product"] == [ids[4]]
    table = script.render(inv, listing=True)
    assert "| **total** | **5** | **3** | **2** |" in table and f"- `{ids[1]}`" in table
