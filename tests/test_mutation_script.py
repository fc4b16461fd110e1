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


def test_mutant_names_and_readable_function_names() -> None:
    """mutmut names a mutant ``module.x_func__mutmut_N`` (``xǁClassǁmethod`` for methods), by its docs."""
    m = _script()
    assert m._function_of("gasmodel.wasm.opcodes.x__mvp_rows__mutmut_12") == (
        "gasmodel.wasm.opcodes.x__mvp_rows__mutmut"
    )
    assert m._readable("gasmodel.wasm.opcodes.x__mvp_rows__mutmut") == "gasmodel.wasm.opcodes._mvp_rows"
    assert m._readable("gasmodel.wasm.reader.xǁReaderǁheaptype__mutmut") == (
        "gasmodel.wasm.reader.Reader.heaptype"
    )


def _byte_mutant_of_global_get(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The mutmut mutant of ``_mvp_rows`` that gives ``global.get`` the byte 0x24 (36) instead of 0x23."""
    from mutmut.mutation.file_mutation import mutate_file_contents

    # mutmut reads its configuration from the working folder before it mutates anything
    (tmp_path / "gasmodel").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text('[tool.mutmut]\nsource_paths = ["gasmodel"]\n')
    monkeypatch.chdir(tmp_path)
    source = (ROOT / "gasmodel" / "wasm" / "opcodes.py").read_text()
    mutated = mutate_file_contents("gasmodel/wasm/opcodes.py", source)
    lines = mutated.code.splitlines()
    for name in mutated.mutant_names:
        span = mutated.line_span_by_function_name[name]
        body = "\n".join(lines[span.start - 1 : span.end])
        if name.startswith("x__mvp_rows__mutmut_") and 'add(36, "global.get"' in body:
            return f"gasmodel.wasm.opcodes.{name}"
    raise AssertionError("mutmut made no mutant giving global.get the byte 36")


@pytest.mark.slow
def test_an_import_time_mutant_is_measured_in_a_fresh_interpreter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The opcode table is built at import; a wrong opcode byte in it must come out killed, not survived.

    Oracle: the WebAssembly core specification (binary format, variable instructions) gives global.get
    the byte 0x23 and global.set 0x24; the mutant gives both 0x24, which the table's own tests (against
    the spec's opcode list and wabt) reject. Under mutmut's fork server this mutant never ran at all.
    """
    m = _script()
    mutant = _byte_mutant_of_global_get(tmp_path / "cfg", monkeypatch)
    monkeypatch.chdir(ROOT)
    out = tmp_path / "report"
    spec = "smoke=gasmodel/wasm/opcodes.py:tests/test_wasm_opcodes.py,tests/test_wasm_wabt.py"
    assert m.main(["smoke", "--package", spec, "--only", mutant, "--out", str(out)]) == 0
    (r,) = json.loads(out.with_suffix(".json").read_text())
    assert "gasmodel.wasm.opcodes.x__mvp_rows__mutmut" in r["import_time"]
    assert r["tried"] == 1 and r["counts"] == {"killed": 1} and r["fresh"] == {"killed": 1}
    assert "measured in a fresh interpreter" in out.with_suffix(".md").read_text()
