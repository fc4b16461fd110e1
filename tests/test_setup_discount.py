"""wasmd's setup-cost discount: pinned code always; a checksum already run in the same tx only from v0.54.0.

Oracle: wasmd x/wasm/keeper/keeper.go. At v0.51.0-v0.53.4 every call charges
``SetupContractCost(IsPinnedCode(..), len(msg))``; v0.54.0 adds ``checkDiscountEligibility``, which also
discounts a checksum that ``TxContracts`` already holds (DefaultInstanceCost 60_000, discount 2_000).
"""

from __future__ import annotations

import pytest

from gasmodel.costs import compose_cost_table, load_profile
from gasmodel.vm import wasmd


def _profile(wasmd_preset: str):  # type: ignore[no-untyped-def]
    base = load_profile("injective-localnet")
    costs = compose_cost_table(base.vm_preset, wasmd_preset)
    return base.model_copy(update={"wasmd_preset": wasmd_preset, "costs": costs})


@pytest.mark.parametrize(
    ("preset", "pinned", "loaded", "gas"),
    [
        ("wasmd-0.51-0.53", False, False, 60_000),
        ("wasmd-0.51-0.53", False, True, 60_000),  # no TxContracts discount before v0.54.0
        ("wasmd-0.51-0.53", True, False, 2_000),
        ("wasmd-0.54.0-0.54.5", False, False, 60_000),
        ("wasmd-0.54.0-0.54.5", False, True, 2_000),
        ("wasmd-0.54.0-0.54.5", True, False, 2_000),
        ("wasmd-0.70", False, True, 2_000),
        ("wasmd-0.29-0.50", True, False, 0),  # <= v0.50: pinned code pays no instance cost
    ],
)
def test_setup_cost(preset: str, pinned: bool, loaded: bool, gas: int) -> None:
    charge = wasmd.setup_cost(_profile(preset), "execute", 20, pinned=pinned, loaded_in_tx=loaded)
    assert charge.gas == gas


def test_the_injective_localnet_runs_the_pinned_only_register() -> None:
    # the chain reports wasmd v0.53.3-inj.3
    assert load_profile("injective-localnet").costs.wasmd.discount_when_loaded_in_tx is False  # type: ignore[union-attr]
