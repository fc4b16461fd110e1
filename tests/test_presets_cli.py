"""``gasmodel presets`` and ``gasmodel presets show``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gasmodel.cli import main
from gasmodel.costs import load_cost_table, load_profile, preset_names, profile_names


def test_list_names_every_preset_and_profile(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["presets"]) == 0
    out = capsys.readouterr().out
    for name in [*preset_names(), *profile_names()]:
        assert f"  {name} " in out
    assert out.index("cosmwasm-vm-1.5.8-1.5.9") < out.index("cosmwasm-vm-1.5.10-1.5.11")
    assert "2.2.1..2.2.8" in out
    assert main(["presets", "list"]) == 0
    assert capsys.readouterr().out == out


def test_show_json_round_trips(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["presets", "show", "cosmwasm-vm-2.2.9", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == load_cost_table("cosmwasm-vm-2.2.9").model_dump(mode="json")
    assert main(["presets", "show", "injective-localnet", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == load_profile("injective-localnet").model_dump(mode="json")


def test_show_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["presets", "show", "cosmwasm-vm-1.0.0-1.5.5"]) == 0
    out = capsys.readouterr().out
    assert "default = 150_000" in out
    assert "ed25519_batch_verify = 0 + 31_500_000_000/item (min 63_000_000_000)" in out
    assert "secp256k1_verify = 154_000_000_000\n" in out
    assert main(["presets", "show", "wasmd-0.29-0.50"]) == 0
    out = capsys.readouterr().out
    assert "gas_multiplier = 140_000_000" in out and "uncompress_cost_per_byte = 15/100" in out


def test_show_a_users_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('extends = "uniform"\n[operators.by_category]\nsimd = 4\n', encoding="utf-8")
    assert main(["presets", "show", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["operators"]["by_category"] == {"simd": 4}


def test_show_unknown_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["presets", "show", "cosmwasm-vm-9"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("gasmodel: error: unknown preset or profile 'cosmwasm-vm-9'")
    assert err.count("\n") == 1
