"""Errors raised by the analysis layer."""

from __future__ import annotations

from gasmodel.errors import GasmodelError


class AnalysisError(GasmodelError):
    """A contract that cannot be analysed: unreadable file, bad gzip, not Wasm, over a size limit."""
