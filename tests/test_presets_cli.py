"""``gasmodel presets`` and ``gasmodel presets show``.

Oracle: tomllib (the printed text must parse) and the public cosmwasm-vm / wasmd sources at
the tags the preset pages cite, for the numbers shown.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from gasmodel.cli import main
from gasmodel.costs import load_cost_table, load_profile, load_wasmd_preset, preset_names, profile_names


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


@pytest.mark.parametrize("name", [*preset_names(), *profile_names()])
def test_show_prints_toml_that_loads_back_as_the_same_model(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # oracle: the loader of the shipped preset itself; the printed text must parse with tomllib
    # and, written to a file, load back through the public loaders as an equal model.
    assert main(["presets", "show", name]) == 0
    text = capsys.readouterr().out
    data = tomllib.loads(text)
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    if name in profile_names():
        assert load_profile(path) == load_profile(name)
    elif data["kind"] == "wasmd":
        assert load_wasmd_preset(path) == load_wasmd_preset(name)
    else:
        assert load_cost_table(path) == load_cost_table(name)


def test_show_text_has_the_preset_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    # numbers from the cosmwasm-vm v1.5.0 / wasmd v0.45 sources (docs/presets pages cite them)
    assert main(["presets", "show", "cosmwasm-vm-1.0.0-1.5.5"]) == 0
    data = tomllib.loads(capsys.readouterr().out)
    assert data["operators"]["default"] == 150_000
    assert data["host"]["ed25519_batch_verify"] == {"base": 0, "per_item": 31_500_000_000,
                                                    "minimum": 63_000_000_000}
    assert main(["presets", "show", "wasmd-0.29-0.50"]) == 0
    data = tomllib.loads(capsys.readouterr().out)
    assert data["wasmd"]["gas_multiplier"] == 140_000_000
    assert data["wasmd"]["uncompress_cost_per_byte"] == {"numerator": 15, "denominator": 100}


def test_show_takes_a_version_name(capsys: pytest.CaptureFixture[str]) -> None:
    # wasmd v0.53.3 is in the 0.51.0..0.53.4 range; cosmwasm-vm 2.3.1 in 2.1.6-2.1.7's covers
    assert main(["presets", "show", "wasmd-0.53.3"]) == 0
    assert tomllib.loads(capsys.readouterr().out)["name"] == "wasmd-0.51-0.53"
    assert main(["presets", "show", "cosmwasm-vm-2.3.1"]) == 0
    assert tomllib.loads(capsys.readouterr().out)["name"] == "cosmwasm-vm-2.1.6-2.1.7"


def test_show_suggests_a_close_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["presets", "show", "injective-localnt"]) == 2
    assert "did you mean 'injective-localnet'?" in capsys.readouterr().err


def test_show_a_file_with_an_unknown_kind_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "odd.toml"
    path.write_text('kind = "chain"\n', encoding="utf-8")
    assert main(["presets", "show", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "'chain'" in err


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


def test_version_flag(capsys: pytest.CaptureFixture[str]) -> None:
    # oracle: the version pyproject.toml declares
    pyproject = Path(__file__).parent.parent / "pyproject.toml"
    declared = tomllib.loads(pyproject.read_text())["project"]["version"]
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"gasmodel {declared}"
