"""The gas limit the client (and the mock chain) sets from a simulation, by hand.

Oracle: hand arithmetic (simulated gas x margin, rounded up, then capped), written next to each case.
"""

from __future__ import annotations

from gasmodel.chaintypes import DEFAULT_GAS_MARGIN, gas_limit_from_simulation


def test_gas_limit_is_the_margin_rounded_up_and_capped() -> None:
    assert DEFAULT_GAS_MARGIN == 1.3
    assert gas_limit_from_simulation(200_000, 1.3) == 260_000
    assert gas_limit_from_simulation(123_456, 1.3) == 160_493  # 160,492.8 rounded up
    assert gas_limit_from_simulation(123_456, 1.3, cap=150_000) == 150_000
    assert gas_limit_from_simulation(123_456, 1.3, cap=200_000) == 160_493
    assert gas_limit_from_simulation(123_456, 1.3, cap=0) == 160_493  # 0: no cap (as None)
