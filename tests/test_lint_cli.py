"""``gasmodel lint``: exit codes, JSON and SARIF output, pyproject configuration, many files, Dask.

SARIF is validated against the SARIF 2.1.0 JSON schema (tests/data/sarif-2.1.0-rtm.5.json, from
the npm package @microsoft/jest-sarif 1.0.0-beta.0, MIT). Verdicts come from the fixtures'
manifest (the chain's).

Oracle: the SARIF 2.1.0 schema and the chain's verdicts recorded in the fixtures' manifest.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from gasmodel.cli import main
from gasmodel.lint import LintReport, lint
from gasmodel.lint.batch import Job, run_jobs

ROOT = Path(__file__).resolve().parent.parent
LINT = ROOT / "contracts" / "artifacts" / "lint"
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-2.1.0-rtm.5.json").read_text())


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["lint", "--no-config", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_exit_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert _run(capsys, str(LINT / "baseline.wasm"))[0] == 0
    assert _run(capsys, str(LINT / "wasi_imports.wasm"))[0] == 1
    assert _run(capsys, str(LINT / "start_function.wasm"))[0] == 0  # a warning: below the default threshold
    assert _run(capsys, str(LINT / "start_function.wasm"), "--fail-on", "warning")[0] == 1
    text = tmp_path / "notes.wasm"
    text.write_text("not wasm")
    code, _, err = _run(capsys, str(text))
    assert code == 2 and "not a WebAssembly module" in err and "Traceback" not in err
    code, _, err = _run(capsys, str(tmp_path / "missing.wasm"))
    assert code == 2 and "missing.wasm" in err
    code, _, err = _run(capsys, str(LINT / "baseline.wasm"), "--select", "CW9")
    assert code == 2 and "CW9" in err


def test_json_per_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, str(LINT / "wasi_imports.wasm"), "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["file"].endswith("wasi_imports.wasm") and data["accepted"] is False
    for f in data["findings"]:
        assert {"code", "severity", "message", "function", "offset", "path"} <= set(f)
    assert {f["code"] for f in data["findings"]} == {"CW210"}


def test_select_and_ignore_do_not_change_the_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, str(LINT / "wasi_imports.wasm"), "--format", "json", "--ignore", "CW2")
    data = json.loads(out)
    assert data["findings"] == [] and data["accepted"] is False and code == 0


def _sarif(capsys: pytest.CaptureFixture[str], *files: Path) -> dict[str, Any]:
    _, out, _ = _run(capsys, *map(str, files), "--format", "sarif", "--jobs", "1")
    sarif: dict[str, Any] = json.loads(out)
    return sarif


def test_sarif_validates_against_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    sarif = _sarif(capsys, LINT / "wasi_imports.wasm", LINT / "start_function.wasm", LINT / "baseline.wasm")
    jsonschema.Draft4Validator(SCHEMA).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"CW210", "CW501"}
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels == {"CW210": "error", "CW501": "warning"}
    clock = next(r for r in results if "clock_time_get" in r["message"]["text"])
    assert clock["locations"][0]["physicalLocation"]["region"]["byteOffset"] == 0x5A


def test_sarif_of_every_fixture_validates(capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(p for p in LINT.glob("*.wasm") if not p.name.startswith("size_"))
    jsonschema.Draft4Validator(SCHEMA).validate(_sarif(capsys, *files))


def test_a_schema_violation_is_caught() -> None:
    # the validator is live: a result without a message fails
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "CW1"}]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(SCHEMA).validate(bad)


def test_pyproject_configuration(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "c"\n\n[tool.gasmodel.lint]\nchain = "upstream-2.0"\nignore = ["CW4"]\n'
        'format = "json"\nfail-on = "warning"\n'
    )
    sub = tmp_path / "src"
    sub.mkdir()
    monkeypatch.chdir(sub)
    code = main(["lint", str(LINT / "too_many_locals.wasm")])
    data = json.loads(capsys.readouterr().out)
    assert data["chain"] == "upstream-2.0" and code == 1  # CW310 is a warning there, fail-on warning
    code = main(["lint", str(LINT / "too_many_locals.wasm"), "--fail-on", "error", "--format", "text"])
    assert code == 0 and "upstream-2.0" in capsys.readouterr().out
    (tmp_path / "pyproject.toml").write_text('[tool.gasmodel.lint]\nselect = ["CW9"]\n')
    assert main(["lint", str(LINT / "baseline.wasm")]) == 2
    assert "CW9" in capsys.readouterr().err


def test_folder_in_processes_equals_one_by_one(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for name in ("baseline.wasm", "wasi_imports.wasm", "simd.wasm", "start_function.wasm"):
        shutil.copy(LINT / name, tmp_path / name)
    code, out, _ = _run(capsys, str(tmp_path), "--format", "json", "--jobs", "2")
    together = {d["file"]: d for d in json.loads(out)}
    assert code == 1 and len(together) == 4
    for f, d in together.items():
        alone = lint(f).model_dump(mode="json")
        assert d["accepted"] == alone["accepted"] and d["findings"] == alone["findings"]
    code, out, _ = _run(capsys, str(tmp_path))
    assert "summary" in out and "wasi_imports.wasm" in out


def test_chain_all_matrix(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, str(LINT / "requires_cosmwasm_2_2.wasm"), "--chain", "all", "--format", "json"
    )
    reports = [LintReport.model_validate(d | {"findings": d["findings"]}) for d in json.loads(out)]
    verdict = {r.chain: r.accepted for r in reports}
    assert verdict["injective-localnet"] is False and verdict["upstream-2.2"] is True and code == 1
    code, out, _ = _run(capsys, str(LINT / "requires_cosmwasm_2_2.wasm"), "--chain", "all")
    assert "which chains would store it" in out


def test_list_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--list-rules")
    assert code == 0 and "CW210" in out and "wasi-import" in out


def test_same_results_on_a_dask_cluster() -> None:
    distributed = pytest.importorskip("distributed")
    jobs = [Job(file=str(LINT / n), chains=("injective-localnet",)) for n in ("baseline.wasm", "simd.wasm")]
    local = run_jobs(jobs, workers=1)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = run_jobs(jobs, executor=client.get_executor())
    assert [o.model_dump() for o in remote] == [o.model_dump() for o in local]


def test_cli_scheduler_address(capsys: pytest.CaptureFixture[str]) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        code, out, _ = _run(
            capsys,
            str(LINT / "simd.wasm"),
            str(LINT / "baseline.wasm"),
            "--scheduler",
            cluster.scheduler_address,
            "--format",
            "json",
        )
    data = json.loads(out)
    assert code == 1 and [d["accepted"] for d in data] == [False, True]


def test_rule_names_select_and_unknown_names_get_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    """--select takes a rule name as well as a code; an unknown one is a usage error of the option
    (not of a file) with the closest name. Oracle: the rule table's own code/name pairs as
    `gasmodel lint --list-rules` prints them (CW401 float-operator)."""
    from gasmodel.cli import main

    wasm = str(ROOT / "contracts" / "artifacts" / "counter.wasm")
    assert main(["lint", wasm, "--select", "float-operators", "--format", "json"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("gasmodel: error: --select: no lint rule matches 'float-operators'")
    assert "did you mean 'float-operator'?" in err and "counter.wasm" not in err
    # counter.wasm carries serde_json's float code (accepted on 2.1: an info, exit 0)
    assert main(["lint", wasm, "--select", "float-operator,CW100", "--format", "json"]) == 0
    codes = {f["code"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert codes == {"CW401"}
