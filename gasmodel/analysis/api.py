"""One-call entry points: analyse contract bytes, or get their call graph."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from gasmodel.analysis.callgraph import build_call_graph
from gasmodel.analysis.errors import AnalysisError
from gasmodel.analysis.pricing import Pricing, metering_spec, resolve_pricing
from gasmodel.analysis.report import AnalysisReport, analyze_module, annotated
from gasmodel.analysis.upload import ensure_wasm, upload_cost
from gasmodel.inputs import DEFAULT_MAX_BYTES, InputError, read_input
from gasmodel.wasm import decode

MAX_READ_BYTES = DEFAULT_MAX_BYTES
"""Bound on a contract's bytes, raw and gunzipped (see :mod:`gasmodel.inputs`)."""


def read_contract(path: str | Path, *, limit: int = MAX_READ_BYTES) -> bytes:
    """The bytes of a contract file (``-``: standard input), gunzipped if gzip, through the bounded
    reader of :mod:`gasmodel.inputs` (its errors come as :class:`AnalysisError`).

    Whether they are Wasm is left to the decoder (or :func:`analyze`), which says where they are not.
    """
    try:
        return read_input(path, limit=limit)
    except InputError as exc:
        raise AnalysisError(str(exc)) from None


def analyze(
    wasm: bytes,
    *,
    preset: str | None = None,
    chain: str | None = None,
    source: str = "",
    pricing: Pricing | None = None,
) -> AnalysisReport:
    """Analyse a contract: call graph, reachability, recursion, static cost and upload cost.

    ``preset`` names a cost table pricing the operators; ``chain`` a chain profile (default
    injective-localnet) giving the wasmd register, ante costs and size limit.
    """
    wasm = ensure_wasm(wasm, MAX_READ_BYTES, source or "input")
    p = pricing or resolve_pricing(preset, chain)
    module = decode(wasm)
    wasmd = p.wasmd
    unc = wasmd.uncompress_cost_per_byte if wasmd else None
    upload = upload_cost(
        wasm,
        compile_per_byte=wasmd.compile_cost_per_byte if wasmd else 0,
        uncompress_per_byte=(unc.numerator, unc.denominator) if unc else (0, 1),
        tx_size_per_byte=p.profile.ante.tx_size_cost_per_byte,
        max_wasm_size=p.profile.max_wasm_size,
    )
    return analyze_module(
        module,
        wasm,
        metering_spec(p.table),
        upload,
        source=source,
        cost_table=p.label,
        gas_multiplier=wasmd.gas_multiplier if wasmd else None,
    )


def call_graph(wasm: bytes, *, report: AnalysisReport | None = None, source: str = "") -> nx.DiGraph:
    """The call graph of a contract (annotated with reachability/recursion/cost when ``report`` given)."""
    g = build_call_graph(decode(ensure_wasm(wasm, MAX_READ_BYTES, source or "input")))
    return annotated(g, report) if report is not None else g
