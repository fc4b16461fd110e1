"""``gasmodel diff``: two builds that differ in one function, results files, budgets.

The builds: contracts/artifacts/token.wasm and contracts/variants/token-slow-sub-balance.wasm, the
same module with 100 ``(i32.const 1, drop)`` pairs inserted at the start of ``token::sub_balance``
(contracts/variants/make_variants.py, rebuilt and compared here). Oracle: that construction - only
that function changes, by 100 x (115 + 115) CW gas per call, derived by hand from cosmwasm-vm 2.1.6's
metering (CosmWasm/cosmwasm@v2.1.6 packages/vm/src/wasm_backend/engine.rs), not read from the cost
table; budgets and results files are written by hand in each test.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from gasmodel.cli import main
from gasmodel.diff import diff, load_budgets, read_side, render_markdown, run_builds
from gasmodel.errors import ConfigError
from gasmodel.estimate import estimate

ROOT = Path(__file__).resolve().parent.parent
OLD = ROOT / "contracts" / "artifacts" / "token.wasm"
NEW = ROOT / "contracts" / "variants" / "token-slow-sub-balance.wasm"
INIT = {
    "name": "Gas Token",
    "symbol": "GAS",
    "decimals": 6,
    "initial_balances": [{"address": "$sender", "amount": "1000000"}],
}
TRANSFER = {"transfer": {"recipient": "$sender", "amount": "1000"}}
MSG_ARGS = ["--instantiate", json.dumps(INIT), "--execute", json.dumps(TRANSFER)]


# By hand: i32.const and drop are plain operators, 115 CW gas each under cosmwasm-vm 2.1.6
# (CosmWasm/cosmwasm@v2.1.6 packages/vm/src/wasm_backend/engine.rs: GAS_PER_OPERATION = 115), and
# neither ends a metering block, so 100 pairs add 100 * 230 to the function's first block.
PADDING_CW_GAS = 100 * (115 + 115)


def test_variant_is_rebuilt_byte_for_byte() -> None:
    sys.path.insert(0, str(ROOT / "contracts" / "variants"))
    try:
        import make_variants
    finally:
        sys.path.pop(0)
    assert make_variants.build()[NEW.name] == NEW.read_bytes()


def test_the_changed_function_tops_the_diff() -> None:
    old, new = run_builds(OLD, NEW, messages={"instantiate": INIT, "execute": TRANSFER})
    d = diff(old, new)
    top = d.functions[0]
    assert top.name == "token::sub_balance"
    # nothing else changed, and by exactly the inserted operators' price per call; a transfer debits
    # the sender once (contracts/rust/token/src/lib.rs: the Transfer arm calls sub_balance once)
    calls = next(
        f.calls
        for f in estimate(NEW, instantiate=INIT, execute=TRANSFER).functions
        if f.display == "token::sub_balance"
    )
    assert calls == 1
    assert [c.name for c in d.functions] == ["token::sub_balance"]
    assert top.delta == PADDING_CW_GAS
    (step,) = d.steps
    assert step.vm_cw_gas.delta == top.delta
    assert step.functions == d.functions
    md = render_markdown(d)
    rows = [ln for ln in md.splitlines() if ln.startswith("| `")]
    assert rows[0].startswith("| `token::sub_balance` |")


def _scenario(tmp_path: Path, wasm: Path) -> Path:
    doc = {
        "name": "token-diff",
        "accounts": [{"name": "owner"}, {"name": "other"}],
        "steps": [
            {"name": "store", "action": "store", "sender": "owner", "wasm": str(wasm)},
            {
                "name": "token",
                "action": "instantiate",
                "sender": "owner",
                "code_id": "$code:store",
                "label": "token",
                "msg": {**INIT, "initial_balances": [{"address": "$owner", "amount": "1000"}]},
            },
            {
                "name": "transfer",
                "action": "execute",
                "sender": "owner",
                "contract": "$contract:token",
                "msg": {"transfer": {"recipient": "$other", "amount": "10"}},
            },
            {
                "name": "balance",
                "action": "query",
                "contract": "$contract:token",
                "msg": {"balance": {"address": "$other"}},
            },
        ],
    }
    path = tmp_path / "token-diff.json"
    path.write_text(json.dumps(doc))
    return path


def test_scenario_on_two_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = _scenario(tmp_path, OLD)
    out = tmp_path / "diff.json"
    assert (
        main(["diff", str(OLD), str(NEW), "--scenario", str(scenario), "--format", "json", "-o", str(out)])
        == 0
    )
    doc = json.loads(out.read_text())
    steps = {s["name"]: s for s in doc["steps"]}
    assert set(steps) == {"store", "token", "transfer"}  # queries have no gas_used
    assert steps["store"]["gas_used"]["delta"] > 0  # a bigger upload
    assert steps["transfer"]["functions"][0]["name"] == "token::sub_balance"
    assert [f["name"] for f in steps["transfer"]["functions"]] == ["token::sub_balance"]
    f = steps["transfer"]["functions"][0]
    assert f["relative"] == pytest.approx(f["delta"] / f["old"])
    assert steps["token"]["functions"] == []  # instantiate does not call sub_balance


def test_results_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # two GasReport JSON files written by 'gasmodel estimate --json'
    for name, wasm in (("old", OLD), ("new", NEW)):
        assert main(["estimate", str(wasm), *MSG_ARGS, "--json"]) == 0
        (tmp_path / f"{name}.json").write_text(capsys.readouterr().out)
    assert main(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json")]) == 0
    md = capsys.readouterr().out
    assert "`old.json` → `new.json`" in md
    assert next(ln for ln in md.splitlines() if ln.startswith("| `")).startswith("| `token::sub_balance`")
    # scenario results files (offline runs carry the functions)
    from gasmodel.scenario import load_scenario
    from gasmodel.scenario.offline import run_offline

    for name, wasm in (("old", OLD), ("new", NEW)):
        run_offline(load_scenario(_scenario(tmp_path, wasm))).write(tmp_path / f"{name}-results.json")
    d = diff(read_side(tmp_path / "old-results.json"), read_side(tmp_path / "new-results.json"))
    assert d.functions[0].name == "token::sub_balance"
    with pytest.raises(ConfigError, match="neither a gas report"):
        read_side(tmp_path / "token-diff.json")


def test_budgets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new_gas = estimate(NEW, instantiate=INIT, execute=TRANSFER).gas_used
    pyproject = tmp_path / "pyproject.toml"
    args = ["diff", str(OLD), str(NEW), *MSG_ARGS, "--budget", str(pyproject)]
    pyproject.write_text(f'[project]\nname = "x"\n\n[tool.gasmodel.budget]\nexecute = {new_gas}\n')
    assert main(args) == 0
    assert "| execute |" in capsys.readouterr().out
    pyproject.write_text(f"[tool.gasmodel.budget]\nexecute = {new_gas - 1}\n")
    assert main(args) == 1
    captured = capsys.readouterr()
    assert "**over budget**" in captured.out
    assert f"step execute over budget: {new_gas:,} > {new_gas - 1:,}" in captured.err
    # a budget file of its own (JSON), and a step the run does not have
    budgets = tmp_path / "budgets.json"
    budgets.write_text(json.dumps({"execute": new_gas + 10, "missing-step": 5}))
    assert load_budgets(budgets) == {"execute": new_gas + 10, "missing-step": 5}
    assert main([*args[:-1], str(budgets)]) == 1
    assert "step missing-step over budget: missing" in capsys.readouterr().err
    budgets.write_text(json.dumps({"execute": "lots"}))
    assert main([*args[:-1], str(budgets)]) == 2
    assert "must be a non-negative integer" in capsys.readouterr().err
    # a pyproject.toml without the table has no budgets
    pyproject.write_text('[project]\nname = "x"\n')
    assert load_budgets(pyproject) == {}


def test_ci_example_commands_parse() -> None:
    """docs/examples/gas-ci.yml: every gasmodel command it runs is a valid command line (oracle: the
    CLI's own parser; commands of other modules are checked once they are registered)."""
    import shlex

    import yaml

    from gasmodel.cli import build_parser

    doc = yaml.safe_load((ROOT / "docs" / "examples" / "gas-ci.yml").read_text())
    env = {k: f"/tmp/{k.lower()}" for k in doc["env"]}
    parser = build_parser()
    commands = sub = 0
    known = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    for step in doc["jobs"]["gas"]["steps"]:
        for line in str(step.get("run", "")).splitlines():
            line = line.split(" #")[0].strip()
            if not line.startswith("gasmodel "):
                continue
            for k, v in env.items():
                line = line.replace(f'"${k}"', v).replace(f"${k}", v)
            argv = shlex.split(line)[1:]
            commands += 1
            if argv[0] in known:
                parser.parse_args(argv)
                sub += 1
    assert commands >= 5 and sub >= 4
