"""Loading user tables: extends, field-by-field overrides of presets, TOML/JSON, and error messages.

Oracles: hand-written TOML/JSON files whose merged values are written out in each test, the
preset numbers of the public cosmwasm/wasmd source the presets cite (tests/test_presets.py pins
them), and pydantic's validation messages spelled out literally.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gasmodel.costs import LinearCost, compose_cost_table, deep_merge, load_cost_table, load_wasmd_preset
from gasmodel.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_user_table_overrides_a_preset_field_by_field(tmp_path: Path) -> None:
    preset = load_cost_table("cosmwasm-vm-2.1.6-2.1.7")
    mine = load_cost_table(
        write(
            tmp_path / "mine.toml",
            """
extends = "cosmwasm-vm-2.1.6-2.1.7"
name = "mine"
cites = ["my benchmark"]

[operators]
accounting_cost = 2_000
[operators.by_opcode]
"memory.grow" = 50_000

[host.ed25519_batch_verify]
per_item = 1

[region]
write = { base = 1, per_item = 2 }
""",
        )
    )
    assert mine.name == "mine"
    # overridden fields
    assert mine.operators.accounting_cost == 2_000
    assert mine.operators.by_opcode == {"memory.grow": 50_000}
    assert mine.host.ed25519_batch_verify == LinearCost(base=24_000_000, per_item=1)  # base kept
    assert mine.region.write == LinearCost(base=1, per_item=2)
    # everything else is the preset's
    assert mine.operators.default == preset.operators.default
    assert mine.operators.accounting == preset.operators.accounting
    assert mine.host.model_dump(exclude={"ed25519_batch_verify"}) == preset.host.model_dump(
        exclude={"ed25519_batch_verify"}
    )
    assert mine.region.read_small == preset.region.read_small
    # cites accumulate, source says what it extends, covers is not inherited
    assert mine.cites == (*preset.cites, "my benchmark")
    assert mine.source == "extends cosmwasm-vm-2.1.6-2.1.7"
    assert mine.covers == ()


def test_compose_vm_and_wasmd_then_override(tmp_path: Path) -> None:
    path = write(
        tmp_path / "chain.json",
        json.dumps(
            {
                "extends": ["cosmwasm-vm-3.0.9", "wasmd-0.70"],
                "name": "my-chain",
                "wasmd": {"instance_cost": 40_000},
                "store": {"write_per_byte": 20},
            }
        ),
    )
    t = load_cost_table(path)
    wasmd = load_wasmd_preset("wasmd-0.70")
    assert t.wasmd is not None and t.store is not None
    assert t.wasmd.instance_cost == 40_000
    assert t.wasmd.model_dump(exclude={"instance_cost"}) == wasmd.wasmd.model_dump(exclude={"instance_cost"})
    assert t.store.write_per_byte == 20 and t.store.read_per_byte == 3
    assert t.locals is not None and t.region.write is not None  # from the VM preset
    assert t.kind == "cost-table"
    assert compose_cost_table(
        "cosmwasm-vm-3.0.9",
        "wasmd-0.70",
        {"wasmd": {"instance_cost": 40_000}, "store": {"write_per_byte": 20}},
    ).model_dump(exclude={"name", "source"}) == t.model_dump(exclude={"name", "source"})


def test_extends_a_file_by_relative_path(tmp_path: Path) -> None:
    write(tmp_path / "base.toml", 'extends = "uniform"\nname = "base"\n[operators]\ndefault = 2\n')
    (tmp_path / "sub").mkdir()
    t = load_cost_table(
        write(tmp_path / "sub" / "top.toml", 'extends = "../base.toml"\n[locals]\nper_local = 1\n')
    )
    assert t.name == "top"  # from the file name
    assert t.operators.default == 2
    assert t.locals is not None and t.locals.charge(31) == 2
    assert t.unit == "instructions"


def test_extends_cycle_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "a.toml", 'extends = "b.toml"\n')
    write(tmp_path / "b.toml", 'extends = "a.toml"\n')
    with pytest.raises(ConfigError, match="cycle"):
        load_cost_table(tmp_path / "a.toml")


def test_unknown_field_is_named_with_its_path(tmp_path: Path) -> None:
    path = write(tmp_path / "t.toml", 'extends = "cosmwasm-vm-2.0.9"\n[host]\nsecp256k1_verfy = 5\n')
    with pytest.raises(ConfigError) as err:
        load_cost_table(path)
    assert (
        str(err.value) == f"{path}: invalid cost table: host.secp256k1_verfy: Extra inputs are not permitted"
    )


def test_bad_value_names_file_and_field_path(tmp_path: Path) -> None:
    path = write(tmp_path / "t.toml", 'extends = "cosmwasm-vm-2.0.9"\n[host.secp256k1_verify]\nbase = -5\n')
    with pytest.raises(ConfigError) as err:
        load_cost_table(path)
    msg = str(err.value)
    assert msg.startswith(f"{path}: invalid cost table: host.secp256k1_verify.base:")
    assert "(got -5)" in msg


def test_missing_required_fields_are_listed(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_cost_table(write(tmp_path / "t.toml", 'name = "x"\n'))
    assert "source: Field required" in str(err.value)
    assert "operators: Field required" in str(err.value)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "t.toml", "[operators\ndefault = 1\n")
    with pytest.raises(ConfigError, match=r"t\.toml: not valid TOML"):
        load_cost_table(path)


def test_unsupported_format_version(tmp_path: Path) -> None:
    path = write(tmp_path / "t.toml", 'version = 2\nextends = "uniform"\n')
    with pytest.raises(ConfigError, match="version: format version 2 is not supported"):
        load_cost_table(path)


def test_unknown_preset_suggests_a_name() -> None:
    with pytest.raises(
        ConfigError, match=r"unknown preset 'wasmtime-fule' \(did you mean 'wasmtime-fuel'\?\)"
    ):
        load_cost_table("wasmtime-fule")
    with pytest.raises(
        ConfigError,
        match=r"unknown preset 'cosmwasm-vm-9\.9\.9': no cosmwasm-vm preset covers version '9\.9\.9'",
    ):
        load_cost_table("cosmwasm-vm-9.9.9")


def test_missing_file_and_wrong_suffix(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_cost_table(tmp_path / "nope.toml")
    with pytest.raises(ConfigError, match=r"unsupported file type '\.yaml'"):
        load_cost_table(write(tmp_path / "t.yaml", "a: 1"))


def test_wasmd_preset_alone_is_not_a_cost_table() -> None:
    with pytest.raises(ConfigError, match="is a wasmd register preset"):
        load_cost_table("wasmd-0.70")


def test_deep_merge_semantics() -> None:
    base = {"a": {"x": 1, "y": {"p": 1}}, "l": [1, 2], "s": 1}
    over = {"a": {"y": {"q": 2}}, "l": [3], "s": {"now": "table"}}
    assert deep_merge(base, over) == {"a": {"x": 1, "y": {"p": 1, "q": 2}}, "l": [3], "s": {"now": "table"}}
    assert base == {"a": {"x": 1, "y": {"p": 1}}, "l": [1, 2], "s": 1}  # inputs untouched
