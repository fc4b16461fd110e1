"""One-call entry points: analyse contract bytes, or get their call graph."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from gasmodel.analysis.callgraph import MAX_FUNCTIONS, build_call_graph
from gasmodel.analysis.errors import AnalysisError
from gasmodel.analysis.pricing import Pricing, metering_spec, resolve_pricing
from gasmodel.analysis.report import AnalysisReport, analyze_module, annotated
from gasmodel.analysis.upload import ensure_wasm, upload_cost
from gasmodel.errors import WasmDecodeError
from gasmodel.inputs import DEFAULT_MAX_BYTES, InputError, read_input
from gasmodel.wasm import decode
from gasmodel.wasm.validate import check_valid

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
    injective-localnet) giving the wasmd register, ante costs, size limit and Wasm features.
    A module that does not decode is refused with the decoder's :class:`~gasmodel.errors.WasmDecodeError`
    (the same wording as ``gasmodel histogram``); one that is not valid under the chain's features
    (wasmtime's validator) is refused with
    :class:`~gasmodel.errors.WasmDecodeError` naming the reason and where, before anything is
    priced; so is one with more functions than the analysis accepts
    (:data:`~gasmodel.analysis.callgraph.MAX_FUNCTIONS`).
    """
    wasm = ensure_wasm(wasm, MAX_READ_BYTES, source or "input")
    p = pricing or resolve_pricing(preset, chain)
    _check_function_count(wasm)
    module = decode(wasm)  # a malformed module is described as every command describes it
    check_valid(wasm, p.profile.features.validator)
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


def call_graph(
    wasm: bytes, *, report: AnalysisReport | None = None, source: str = "", chain: str | None = None
) -> nx.DiGraph:
    """The call graph of a contract (annotated with reachability/recursion/cost when ``report`` given).

    Without ``report`` the module is first validated under the features of ``chain`` (default
    injective-localnet), as :func:`analyze` does; a ``report`` comes from a validated module.
    """
    wasm = ensure_wasm(wasm, MAX_READ_BYTES, source or "input")
    if report is None:
        _check_function_count(wasm)
        check_valid(wasm, resolve_pricing(None, chain).profile.features.validator)
    g = build_call_graph(decode(wasm))
    return annotated(g, report) if report is not None else g


def _check_function_count(wasm: bytes) -> None:
    """Refuse, before decoding, a function section declaring more than ``MAX_FUNCTIONS`` functions.

    Walks the section headers only (O(sections)); a malformed header is left to the validator.
    """
    pos, end = 8, len(wasm)

    def leb(p: int) -> tuple[int, int]:
        value = shift = 0
        while p < end and shift < 35:
            b = wasm[p]
            value |= (b & 0x7F) << shift
            p += 1
            if not b & 0x80:
                return value, p
            shift += 7
        raise ValueError

    try:
        while pos < end:
            sid = wasm[pos]
            size, body = leb(pos + 1)
            if sid == 3:
                count, _ = leb(body)
                if count > MAX_FUNCTIONS:
                    raise WasmDecodeError(
                        f"{count} functions exceed the analysis limit of {MAX_FUNCTIONS} "
                        "(cosmwasm-vm accepts 20,000 by default)",
                        body,
                    )
                return
            pos = body + size
    except ValueError:
        return
