"""Print the per-step table of docs/estimate.md: the model offline next to the recorded localnet runs.

Run: ``python calibration/estimate_table.py`` (from the repository root). Each corpus scenario of
calibration/scenarios/ runs fully offline on the mock chain, next to its recorded localnet run
(calibration/results/); each tx step prints the model's gas_used, the chain's, the difference
and its cause.
"""

from __future__ import annotations

from pathlib import Path

from gasmodel.scenario import ScenarioResult, load_scenario
from gasmodel.scenario.compare import compare_results, render_markdown
from gasmodel.scenario.offline import run_offline

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = {"counter": "counter.yaml", "contracts": "contracts.json", "lint_fixtures": "lint_fixtures.json"}


def main() -> None:
    for name, file in SCENARIOS.items():
        scenario = load_scenario(ROOT / "calibration" / "scenarios" / file)
        chain = ScenarioResult.read(ROOT / "calibration" / "results" / f"{name}.localnet.json")
        rows = compare_results(run_offline(scenario), chain)
        exact = sum(r.exact for r in rows)
        print(f"### {file} ({exact} of {len(rows)} tx steps exact)\n")
        print(render_markdown(rows))


if __name__ == "__main__":
    main()
