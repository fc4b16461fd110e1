"""The profiler's outputs: ranked table, collapsed stacks, speedscope JSON, SVG, and the CLI.

Oracles: the VM gas of the normal (non-profiled) estimate of the same message; flamegraph.pl's own
line format (parsed here with the regular expression of its ``stackcollapse`` input reader, not
with gasmodel's parser); speedscope's published JSON schema
(tests/data/speedscope-file-format-schema.json, from jlfwong/speedscope@e341b0a:
file-format-schema.json, generated from src/lib/file-format-spec.ts); an XML parser for the SVG.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import jsonschema
import pytest

from gasmodel.cli import main
from gasmodel.errors import GasmodelError
from gasmodel.estimate import estimate
from gasmodel.profile import (
    Profile,
    parse_collapsed,
    render_collapsed,
    render_speedscope,
    render_svg,
    render_table,
)
from gasmodel.report import GasReport

ROOT = Path(__file__).resolve().parent.parent
TOKEN = ROOT / "contracts" / "artifacts" / "token.wasm"
WORKLOAD = ROOT / "contracts" / "artifacts" / "workload.wasm"
SCHEMA = json.loads((ROOT / "tests" / "data" / "speedscope-file-format-schema.json").read_text())
TOKEN_INIT = {
    "name": "Gas Token",
    "symbol": "GAS",
    "decimals": 6,
    "initial_balances": [{"address": "$sender", "amount": "1000000"}],
}
TRANSFER = {"transfer": {"recipient": "$sender", "amount": "1000"}}
# flamegraph.pl reads each input line with: my ($stack, $samples) = (/^(.*)\s+?(\d+(?:\.\d*)?)$/);
FLAMEGRAPH_LINE = re.compile(r"^(.*)\s+?(\d+(?:\.\d*)?)$")


@cache
def _reports(contract: Path, msg: str) -> tuple[GasReport, GasReport]:
    init = TOKEN_INIT if contract == TOKEN else {}
    m = json.loads(msg)
    return estimate(contract, instantiate=init, execute=m), estimate(
        contract, instantiate=init, execute=m, profile=True
    )


CASES = [(TOKEN, json.dumps(TRANSFER)), (WORKLOAD, json.dumps({"fibonacci": {"n": 10}}))]


@pytest.mark.parametrize(("contract", "msg"), CASES, ids=["token-transfer", "workload-fibonacci"])
def test_collapsed_stacks_load_like_flamegraph_pl(contract: Path, msg: str) -> None:
    plain, prof = _reports(contract, msg)
    text = render_collapsed(Profile.from_report(prof))
    total = 0
    stacks: dict[str, int] = {}
    for line in text.splitlines():
        m = FLAMEGRAPH_LINE.match(line)
        assert m, line
        stack, samples = m.group(1), int(m.group(2))
        assert stack and samples > 0 and all(stack.split(";"))
        assert stack not in stacks  # one line per distinct path
        stacks[stack] = samples
        total += samples
    assert total == plain.vm_cw_gas
    # gasmodel's own parser reads the same
    assert parse_collapsed(text) == {tuple(k.split(";")): v for k, v in stacks.items()}
    assert sum(parse_collapsed(text).values()) == plain.vm_cw_gas


def test_parse_collapsed_names_the_bad_line() -> None:
    with pytest.raises(GasmodelError, match="line 2"):
        parse_collapsed("a;b 3\nno-count-here\n")


@pytest.mark.parametrize(("contract", "msg"), CASES, ids=["token-transfer", "workload-fibonacci"])
def test_speedscope_validates_against_the_schema(contract: Path, msg: str) -> None:
    plain, prof = _reports(contract, msg)
    doc = json.loads(render_speedscope(Profile.from_report(prof)))
    jsonschema.validate(doc, SCHEMA)
    (p,) = doc["profiles"]
    assert sum(p["weights"]) == p["endValue"] == plain.vm_cw_gas
    names = [f["name"] for f in doc["shared"]["frames"]]
    paths = {tuple(names[i] for i in s) for s in p["samples"]}
    assert paths == {k for k, v in Profile.from_report(prof).merged().items() if v}


def test_schema_rejects_a_broken_file() -> None:
    # the shipped schema is the real one: it refuses a sampled profile without weights
    _, prof = _reports(*CASES[0])
    doc = json.loads(render_speedscope(Profile.from_report(prof)))
    del doc["profiles"][0]["weights"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SCHEMA)


def test_svg_is_a_standalone_flame_graph() -> None:
    plain, prof = _reports(*CASES[0])
    profile = Profile.from_report(prof)
    svg = render_svg(profile, width=1000)
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg" and root.get("width") == "1000"
    assert not list(root.iter(f"{ns}script"))  # nothing to run: a plain document
    groups = [g for g in root.iter(f"{ns}g") if g.find(f"{ns}title") is not None]
    titles = [g.find(f"{ns}title").text or "" for g in groups]  # type: ignore[union-attr]
    # the bottom row: one frame per contract call, as wide as the whole graph
    bottom_y = max(float(g.find(f"{ns}rect").get("y")) for g in groups)  # type: ignore[union-attr]
    bottom = [g for g in groups if float(g.find(f"{ns}rect").get("y")) == bottom_y]  # type: ignore[union-attr]
    widths = sum(float(g.find(f"{ns}rect").get("width")) for g in bottom)  # type: ignore[union-attr]
    assert widths == pytest.approx(1000 - 20, abs=0.05)
    assert any(t.startswith("contract execute (") and f"{plain.vm_cw_gas:,}" in t for t in titles)
    assert any(t.startswith("host: db_write (") for t in titles)


def test_table_ranks_by_self_gas() -> None:
    plain, prof = _reports(*CASES[0])
    profile = Profile.from_report(prof)
    rows = profile.functions()
    assert [r.self_gas for r in rows] == sorted((r.self_gas for r in rows), reverse=True)
    assert sum(r.self_gas for r in rows) == plain.vm_cw_gas
    text = render_table(profile, top=5)
    lines = text.splitlines()
    assert f"{plain.vm_cw_gas:,} CW gas" in lines[0]
    assert lines[2].endswith(rows[0].name)
    assert lines[-1].endswith(f"({len(rows) - 5} more)")


def test_report_without_stacks_is_refused() -> None:
    plain, _ = _reports(*CASES[0])
    with pytest.raises(GasmodelError, match="profile=True"):
        Profile.from_report(plain)


def test_cli_profile_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain, _ = _reports(*CASES[0])
    args = [
        "profile",
        str(TOKEN),
        "--instantiate",
        json.dumps(TOKEN_INIT),
        "--execute",
        json.dumps(TRANSFER),
    ]
    out = tmp_path / "token.collapsed"
    assert main([*args, "--format", "collapsed", "-o", str(out)]) == 0
    assert sum(parse_collapsed(out.read_text()).values()) == plain.vm_cw_gas
    assert main([*args, "--format", "speedscope", "-o", str(tmp_path / "t.json")]) == 0
    jsonschema.validate(json.loads((tmp_path / "t.json").read_text()), SCHEMA)
    assert main([*args, "--format", "svg", "-o", str(tmp_path / "t.svg")]) == 0
    ET.parse(tmp_path / "t.svg")
    capsys.readouterr()
    assert main([*args, "--top", "3"]) == 0
    table = capsys.readouterr().out
    assert "token.wasm execute" in table and "compiler_builtins::mem::memcpy" in table


def test_cli_profile_scenario_step(capsys: pytest.CaptureFixture[str]) -> None:
    scenario = ROOT / "calibration" / "scenarios" / "counter.yaml"
    assert main(["profile", "--scenario", str(scenario), "--step", "inc-alice", "--format", "collapsed"]) == 0
    stacks = parse_collapsed(capsys.readouterr().out)
    assert {k[0] for k in stacks} == {"counter execute"}
    # the same step's VM gas in the plain offline run
    from gasmodel.scenario import load_scenario
    from gasmodel.scenario.offline import run_offline

    report = run_offline(load_scenario(scenario)).step("inc-alice").report
    assert report is not None and sum(stacks.values()) == report.vm_cw_gas
    assert main(["profile", "--scenario", str(scenario), "--step", "nope"]) == 2
    assert "no step 'nope'" in capsys.readouterr().err
