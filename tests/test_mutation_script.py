"""scripts/mutation.py: where it says a mutant is, and one small run end to end (slow: it runs mutmut).

Oracles: the line numbers are read off gasmodel/histogram.py by text search here, not by the script's AST
walk; the smoke run's counts must add up to the mutants mutmut says it tried, and the report must name them.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gasmodel_mutation_script", ROOT / "scripts" / "mutation.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def _line_of(path: Path, text: str, after: int = 0) -> int:
    lines = path.read_text().splitlines()
    return next(i + 1 for i, line in enumerate(lines) if i + 1 > after and text in line)


def test_location_of_method_and_function_mutants() -> None:
    m = _script()
    src = ROOT / "gasmodel" / "histogram.py"
    method_diff = "\n".join(
        [
            "--- gasmodel/histogram.py",
            "+++ gasmodel/histogram.py",
            "@@ -1,4 +1,4 @@",
            "-def to_json(self, by_function: bool = False) -> dict[str, Any]:",
            "+def to_json(self, by_function: bool = True) -> dict[str, Any]:",
            '     """A JSON-ready dict; ``functions`` is included when ``by_function``."""',
        ]
    )
    name = "gasmodel.histogram.xǁModuleHistogramǁto_json__mutmut_1"
    where = m._location(ROOT, "gasmodel/histogram.py", name, method_diff)
    assert where == f"gasmodel/histogram.py:{_line_of(src, 'def to_json(self, by_function')}"
    func_diff = "\n".join(
        [
            "--- gasmodel/histogram.py",
            "+++ gasmodel/histogram.py",
            "@@ -1,5 +1,5 @@",
            " def opcode_counts(module: Module) -> np.ndarray[Any, np.dtype[np.int64]]:",
            '     """Count of each opcode id over all function bodies (length ``len(OPCODES)``)."""',
            "-    if not module.functions:",
            "+    if module.functions:",
        ]
    )
    where = m._location(
        ROOT, "gasmodel/histogram.py", "gasmodel.histogram.x_opcode_counts__mutmut_1", func_diff
    )
    start = _line_of(src, "def opcode_counts(")
    assert where == f"gasmodel/histogram.py:{_line_of(src, 'if not module.functions:', after=start)}"


def test_unknown_package_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        _script().main(["nosuch"])
    assert exc.value.code == 2
    assert "unknown package(s) nosuch" in capsys.readouterr().err


@pytest.mark.slow
def test_smoke_run_on_the_metering_splitter(tmp_path: Path) -> None:
    """A sampled run over gasmodel/costs/metering.py with one test file: counts add up, survivors listed."""
    m = _script()
    out = tmp_path / "report"
    spec = "smoke=gasmodel/costs/metering.py:tests/test_costs_oracles.py"
    assert m.main(["smoke", "--package", spec, "--sample", "6", "--out", str(out)]) == 0
    data = json.loads(out.with_suffix(".json").read_text())
    (r,) = data
    assert r["name"] == "smoke" and r["sampled"] and r["tried"] == 6 and r["generated"] > 6
    assert sum(r["counts"].values()) == 6
    assert r["counts"].get("killed", 0) >= 4  # the splitter's hand-worked test kills most of them
    text = out.with_suffix(".md").read_text()
    assert "| smoke | " in text
    for s in r["survivors"]:
        assert s["where"].startswith("gasmodel/costs/metering.py:") and s["mutant"] in text
