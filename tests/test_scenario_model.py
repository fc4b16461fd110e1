"""Scenario files: the three formats, placeholders, and broken input named by field and line (no chain).

Oracles: hand-written scenario files in three formats whose parsed values, error fields and line
numbers are written out in each test; the YAML/JSON/TOML parsers of the standard ecosystem.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from gasmodel.chain.types import Coin
from gasmodel.errors import ConfigError
from gasmodel.scenario.model import (
    ExecuteStep,
    Placeholder,
    ScenarioError,
    StoreStep,
    iter_placeholders,
    load_scenario,
    parse_coins,
    substitute,
)

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parent.parent
COUNTER_YAML = ROOT / "calibration" / "scenarios" / "counter.yaml"


@pytest.fixture
def scenario_dir(tmp_path: Path) -> Path:
    shutil.copy(DATA / "counter.wat", tmp_path / "counter.wat")
    return tmp_path


def write(dir_: Path, name: str, text: str) -> Path:
    p = dir_ / name
    p.write_text(textwrap.dedent(text).lstrip())
    return p


def issues_of(path: Path) -> list[tuple[int | None, str, str]]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value.issues


def test_the_calibration_scenario_loads() -> None:
    s = load_scenario(COUNTER_YAML)
    assert s.name == "counter"
    assert {a.key_type.value for a in s.accounts} == {"eth_secp256k1", "secp256k1"}
    actions = {step.action for step in s.steps}
    assert actions == {"store", "instantiate", "execute", "migrate", "query", "bank_send"}
    store = s.steps[0]
    assert isinstance(store, StoreStep) and s.wasm_path(store) == DATA / "counter.wat"


def test_same_scenario_in_json_yaml_toml(scenario_dir: Path) -> None:
    data = {"name": "s", "accounts": [{"name": "alice", "balance": "5inj"}],
            "steps": [{"action": "store", "wasm": "counter.wat"},
                      {"action": "instantiate", "code_id": "$code:store-1", "msg": {"owner": "$alice"}}]}
    j = scenario_dir / "s.json"
    j.write_text(json.dumps(data, indent=2))
    y = write(scenario_dir, "s.yaml", """
        name: s
        accounts:
          - {name: alice, balance: 5inj}
        steps:
          - {action: store, wasm: counter.wat}
          - {action: instantiate, code_id: $code:store-1, msg: {owner: $alice}}
        """)
    t = write(scenario_dir, "s.toml", """
        name = "s"
        [[accounts]]
        name = "alice"
        balance = "5inj"
        [[steps]]
        action = "store"
        wasm = "counter.wat"
        [[steps]]
        action = "instantiate"
        code_id = "$code:store-1"
        msg = { owner = "$alice" }
        """)
    loaded = [load_scenario(p) for p in (j, y, t)]
    assert loaded[0].model_dump() == loaded[1].model_dump() == loaded[2].model_dump()
    assert loaded[0].accounts[0].balance == [Coin(denom="inj", amount=5)]


def test_typo_in_yaml_names_field_line_and_suggestion(scenario_dir: Path) -> None:
    p = write(scenario_dir, "typo.yaml", """
        name: typo
        accounts:
          - name: alice
        steps:
          - action: store
            wasm: counter.wat
          - action: execute
            contarct: $contract:x
            msg: {}
        """)
    issues = issues_of(p)
    assert (8, "steps[1] (execute)", "unknown field 'contarct' (did you mean 'contract'?)") in issues
    assert (7, "steps[1] (execute)", "missing required field 'contract'") in issues
    assert f"{p}:8: steps[1] (execute): unknown field 'contarct'" in str(ScenarioError(str(p), issues))


def test_typo_in_json_names_the_line_of_the_key(scenario_dir: Path) -> None:
    p = write(scenario_dir, "typo.json", """
        {
          "name": "typo",
          "accounts": [{"name": "alice"}],
          "steps": [
            {"action": "store", "wasm": "counter.wat"},
            {"action": "instantiate",
             "code_id": "$code:store-1",
             "lable": "x"}
          ]
        }
        """)
    assert issues_of(p) == [(8, "steps[1] (instantiate)", "unknown field 'lable' (did you mean 'label'?)")]


def test_typo_in_toml_names_the_line(scenario_dir: Path) -> None:
    p = write(scenario_dir, "typo.toml", """
        name = "typo"
        [[accounts]]
        name = "alice"
        kye_type = "secp256k1"
        [[steps]]
        action = "store"
        wasm = "counter.wat"
        """)
    assert issues_of(p) == [(4, "accounts[0] (alice)", "unknown field 'kye_type' (did you mean 'key_type'?)")]


def test_wrong_values_and_actions(scenario_dir: Path) -> None:
    p = write(scenario_dir, "values.yaml", """
        name: values
        accounts:
          - name: alice
            key_type: ed25519
        steps:
          - action: frobnicate
          - action: bank_send
            to: $alice
            amount: twelve apples
          - action: execute
            contract: x
            msg: {}
            gas_limit: -5
        """)
    issues = issues_of(p)
    lines = {line for line, _, _ in issues}
    assert {4, 6, 9, 13} <= lines, issues
    text = " ".join(msg for _, _, msg in issues)
    assert "'action' must be one of" in text and "not a coin amount: 'twelve apples'" in text


def test_unknown_accounts_steps_and_files_before_any_chain(scenario_dir: Path) -> None:
    p = write(scenario_dir, "refs.yaml", """
        name: refs
        accounts:
          - name: alice
        steps:
          - action: store
            wasm: missing.wasm
          - action: store
            sender: carol
            wasm: counter.wat
          - action: instantiate
            code_id: $code:store-2
            msg: {owner: $dave, other: "x-${contract:nothere}"}
          - action: execute
            contract: $contract:instantiate-9
            msg: {}
          - action: bank_send
            to: $alicee
            amount: 1inj
          - action: migrate
            contract: $contract:instantiate-3
            code_id: $code:store-7
        """)
    issues = issues_of(p)
    by_line: dict[int | None, str] = {}
    for line, _, msg in issues:
        by_line[line] = by_line.get(line, "") + msg + "\n"
    assert "wasm file not found" in by_line[6]
    assert "unknown account 'carol'" in by_line[8]
    assert "$dave: unknown account 'dave'" in by_line[12]
    assert "unknown earlier instantiate step 'instantiate-9'" in by_line[14]
    assert "unknown account 'alicee' (did you mean 'alice'?)" in by_line[17]
    assert "$code:store-7: unknown earlier store step 'store-7'" in by_line[21]
    assert any("$contract:nothere" in msg for _, _, msg in issues)


def test_later_steps_cannot_be_referenced_early(scenario_dir: Path) -> None:
    p = write(scenario_dir, "order.yaml", """
        name: order
        accounts: [{name: alice}]
        steps:
          - {action: execute, contract: $contract:inst, msg: {}}
          - {action: store, name: up, wasm: counter.wat}
          - {action: instantiate, name: inst, code_id: $code:up}
        """)
    (line, _, msg), = issues_of(p)
    assert line == 4 and "unknown earlier instantiate step 'inst'" in msg


def test_syntax_errors_name_the_line(tmp_path: Path) -> None:
    y = tmp_path / "bad.yaml"
    y.write_text("name: x\naccounts: [\n")
    with pytest.raises(ConfigError, match=r"bad\.yaml:3: invalid YAML"):
        load_scenario(y)
    j = tmp_path / "bad.json"
    j.write_text('{"name": "x",\n "accounts": [}\n')
    with pytest.raises(ConfigError, match=r"bad\.json:2: invalid JSON"):
        load_scenario(j)
    t = tmp_path / "bad.toml"
    t.write_text('name = "x"\naccounts = [\n')
    with pytest.raises(ConfigError, match=r"bad\.toml:\d+: invalid TOML"):
        load_scenario(t)
    d = tmp_path / "dupe.yaml"
    d.write_text("name: x\nname: y\n")
    with pytest.raises(ConfigError, match=r"dupe\.yaml:2: duplicate key 'name'"):
        load_scenario(d)
    (tmp_path / "x.ini").write_text("name = x\n")
    with pytest.raises(ConfigError, match="unknown scenario format"):
        load_scenario(tmp_path / "x.ini")
    with pytest.raises(ConfigError, match="no such file"):
        load_scenario(tmp_path / "absent.yaml")


def test_placeholders_substitute_whole_values_and_inside_strings() -> None:
    values = {"sender": "inj1sender", "account:bob": "inj1bob", "code:up": 7, "contract:c": "inj1c"}

    def lookup(ph: Placeholder) -> object:
        return values[f"{ph.kind}:{ph.name}" if ph.name else ph.kind]

    msg = {"a": "$sender", "b": ["$bob", "$account:bob"], "id": "$code:up", "text": "to ${contract:c} now",
           "money": "$$5", "n": 3}
    assert substitute(msg, lookup) == {"a": "inj1sender", "b": ["inj1bob", "inj1bob"], "id": 7,
                                       "text": "to inj1c now", "money": "$5", "n": 3}
    found = {(path, ph.kind, ph.name) for path, ph in iter_placeholders(msg)}
    assert (("id",), "code", "up") in found and (("b", 0), "account", "bob") in found
    assert not any(path == ("money",) for path, _, _ in found)


def test_coins() -> None:
    assert parse_coins("10inj, 5uatom") == [{"denom": "inj", "amount": 10}, {"denom": "uatom", "amount": 5}]
    assert parse_coins(3) == [{"denom": "inj", "amount": 3}]
    assert parse_coins([{"denom": "x", "amount": "2"}, "1y"]) == [{"denom": "x", "amount": "2"},
                                                                   {"denom": "y", "amount": 1}]
    with pytest.raises(ValueError, match="not a coin amount"):
        parse_coins("-1inj")


def test_cli_rejects_a_broken_file_fast_without_starting_a_chain(scenario_dir: Path) -> None:
    p = write(scenario_dir, "bad.yaml", """
        name: bad
        accounts: [{name: alice}]
        steps:
          - {action: execute, sender: mallory, contract: $contract:none, msg: {}}
        """)
    chain_dir = scenario_dir / "chain"
    t0 = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "gasmodel", "scenario", "run", str(p), "--localnet",
                           "--chain-dir", str(chain_dir)], capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 2
    assert done.stderr.startswith("gasmodel: error: invalid scenario (2 problems)")
    assert f"{p}:4: steps[0] (execute).sender: unknown account 'mallory'" in done.stderr
    assert "Traceback" not in done.stderr
    assert not chain_dir.exists()
    assert time.monotonic() - t0 < 20


def test_cli_check(scenario_dir: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "gasmodel", "scenario", "check", str(COUNTER_YAML)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "ok (2 accounts, 14 steps)" in done.stdout


def test_step_models_forbid_unknown_fields_programmatically() -> None:
    with pytest.raises(ValueError, match="Extra inputs are not permitted"):
        ExecuteStep.model_validate({"action": "execute", "contract": "x", "msg": {}, "gaslimit": 5})


@pytest.mark.parametrize("manifest", ["contracts/manifest.json", "contracts/fixtures/manifest.json"])
def test_scenario_from_a_project_manifest(manifest: str, tmp_path: Path) -> None:
    path = ROOT / manifest
    assert path.is_file(), f"{path} is missing"
    out = tmp_path / "sub" / "generated.json"
    done = subprocess.run([sys.executable, "-m", "gasmodel", "scenario", "from-manifest", str(path),
                           "--out", str(out)], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    scenario = load_scenario(out)
    stores = [s for s in scenario.steps if isinstance(s, StoreStep)]
    assert stores and all(scenario.wasm_path(s).is_file() for s in stores)
    assert not any(Path(s.wasm).is_absolute() for s in stores)  # portable: relative to the file
    assert [a.name for a in scenario.accounts] == ["owner", "other"]


def test_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [{', '.join(['*a' + str(i - 1)] * 10)}]" for i in range(1, 9)]
    p = tmp_path / "bomb.yaml"
    p.write_text("\n".join(lines) + "\nname: *a8\n")
    t0 = time.monotonic()
    with pytest.raises(ConfigError, match="more than 200000 values"):
        load_scenario(p)
    assert time.monotonic() - t0 < 10


def test_oversized_or_broken_modules_are_refused_before_upload(tmp_path: Path) -> None:
    from gasmodel.scenario.runner import MAX_WASM_FILE, load_wasm

    big = tmp_path / "big.wasm"
    with big.open("wb") as f:
        f.truncate(MAX_WASM_FILE + 1)
    with pytest.raises(ConfigError, match="too big for an upload"):
        load_wasm(big)
    bad = tmp_path / "bad.wat"
    bad.write_text("(module (fnuc))")
    with pytest.raises(ConfigError, match="cannot compile WAT"):
        load_wasm(bad)
    assert load_wasm(DATA / "counter.wat")[:4] == b"\0asm"
