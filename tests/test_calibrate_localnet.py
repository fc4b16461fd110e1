"""``gasmodel calibrate chain --localnet`` end to end on a small scenario (oracle: the fresh chain)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gasmodel.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.localnet
def test_calibrate_chain_on_a_fresh_localnet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("injective_core", reason="the localnet needs pip install 'gasmodel[localnet]'")
    out = tmp_path / "chain.json"
    code = main(
        [
            "calibrate",
            "chain",
            "--localnet",
            str(ROOT / "calibration/scenarios/counter.yaml"),
            "--candidates",
            "cosmwasm-vm-2.1.6-2.1.7",
            "--save-results",
            str(tmp_path),
            "--profile-out",
            str(tmp_path / "fitted.toml"),
            "--out",
            str(out),
            "--no-progress",
        ]
    )
    assert code == 0
    report = json.loads(out.read_text())
    assert report["fit_scenarios"] == ["counter"]
    assert report["fit"]["steps"] >= 10 and report["fit"]["rate"] >= 0.8
    assert (tmp_path / "counter.localnet.json").is_file() and (tmp_path / "fitted.toml").is_file()
    assert "held out" in capsys.readouterr().out
