"""Print the per-step table of docs/estimate.md: the model offline next to the recorded localnet runs.

Run: ``python calibration/estimate_table.py`` (from the repository root). Each corpus scenario of
calibration/scenarios/ runs offline on the mock chain with the tx sizes its recorded localnet run
(calibration/results/) saw; each tx step prints the model's gas_used, the chain's, the difference
and its cause (tests/estimate_known.py names the causes the tests accept).
"""

from __future__ import annotations

import sys
from pathlib import Path

from gasmodel.scenario import ScenarioResult, load_scenario
from gasmodel.scenario.compare import compare_results, recorded_tx_sizes, render_markdown
from gasmodel.scenario.offline import run_offline

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = {"counter": "counter.yaml", "contracts": "contracts.json"}


def main() -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from estimate_known import KNOWN

    for name, file in SCENARIOS.items():
        scenario = load_scenario(ROOT / "calibration" / "scenarios" / file)
        chain = ScenarioResult.read(ROOT / "calibration" / "results" / f"{name}.localnet.json")
        rows = compare_results(run_offline(scenario, tx_sizer=recorded_tx_sizes(chain)), chain)
        rows = [r.model_copy(update={"cause": KNOWN.get((name, r.name), (0, r.cause))[1]})
                if r.difference else r for r in rows]
        exact = sum(r.exact for r in rows)
        print(f"### {file} ({exact} of {len(rows)} tx steps exact)\n")
        print(render_markdown(rows))


if __name__ == "__main__":
    main()
