"""Metering blocks for the analysis passes: re-exported from :mod:`gasmodel.costs.metering`.

How cosmwasm-vm's Metering middleware splits a function body is a fact of the cost table,
shared by :mod:`gasmodel.analysis` and :mod:`gasmodel.vm`; it lives in :mod:`gasmodel.costs`.
"""

from __future__ import annotations

from gasmodel.costs.metering import MeteringBlock, split_blocks

__all__ = ["MeteringBlock", "split_blocks"]
