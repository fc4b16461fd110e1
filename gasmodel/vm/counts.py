"""From the raw counters of one run to what a report shows: opcode counts, functions, fuel.

The raw material is one count per segment of an
:class:`~gasmodel.vm.instrument.InstrumentedModule` (plus grown pages, plus, after a trap in the
middle of a segment, the operators of that segment up to the trapping one). Everything here is a
pure function of those numbers and the module's static facts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from gasmodel.costs.table import CostTable
from gasmodel.vm.instrument import InstrumentedModule
from gasmodel.wasm import OPCODES
from gasmodel.wasm.opcodes import NAMES

__all__ = ["FunctionStats", "RawCounts", "fuel_of", "function_stats", "opcode_counts", "weighted"]


@dataclass(frozen=True, eq=False)
class RawCounts:
    """What the counters of one run say.

    ``partial``: after a trap inside a segment, ``(segment, first op, trapping op)`` as flat
    indexes into the module's ``ops`` (those operators ran but the segment's counter did not).
    """

    segments: npt.NDArray[np.int64]
    grown_pages: int
    partial: tuple[int, int, int] | None = None

    def histogram(self, im: InstrumentedModule) -> npt.NDArray[np.int64]:
        """Executions per opcode id (the count convention of ``contracts/fixtures/manifest.json``)."""
        hist = im.dynamic_histogram(self.segments)
        if self.partial is not None:
            _, a, b = self.partial
            np.add.at(hist, im.ops[a : b + 1].astype(np.int64), 1)
        return hist

    def entries(self, im: InstrumentedModule) -> npt.NDArray[np.int64]:
        """Entries per defined function (index = position in ``Module.functions``)."""
        out = self.segments[im.func_first_seg].copy()
        if self.partial is not None:
            seg = self.partial[0]
            hit = np.nonzero(im.func_first_seg == seg)[0]
            if hit.size:
                out[hit[0]] += 1
        return out


@dataclass(frozen=True, slots=True)
class FunctionStats:
    """One function in one run: entries and the Wasm gas charged in its own code (table unit)."""

    index: int
    name: str | None
    calls: int
    self_gas: int


def opcode_counts(im: InstrumentedModule, raw: RawCounts) -> dict[str, int]:
    """Executed operators by text-format name (non-zero only)."""
    hist = raw.histogram(im)
    return {NAMES[i]: int(hist[i]) for i in np.nonzero(hist)[0].tolist()}


def weighted(hist: npt.NDArray[np.int64], table: CostTable) -> int:
    """Sum over opcodes of executions x the table's price."""
    prices = np.array(table.op_costs(OPCODES), dtype=np.int64)
    return int(np.dot(hist, prices))


def fuel_of(im: InstrumentedModule, raw: RawCounts, fuel_table: CostTable) -> int:
    """Fuel the run costs under ``fuel_table`` (e.g. ``wasmtime-fuel``): operator weights, plus
    ``function_entry`` per function entry, plus ``memory_grow_per_page`` per grown page."""
    v = fuel_table.variable
    entries = int(raw.entries(im).sum())
    return (
        weighted(raw.histogram(im), fuel_table)
        + v.function_entry * entries
        + v.memory_grow_per_page * raw.grown_pages
    )


def function_stats(im: InstrumentedModule, raw: RawCounts) -> tuple[FunctionStats, ...]:
    """Per entered function: entries and self gas (charges of its metering blocks and its locals
    check; host charges are per import, not here). Sorted by self gas, then index."""
    n = len(im.func_first_seg)
    local = im.seg_func - im.num_imported_functions
    nz = np.flatnonzero(raw.segments)
    charged = raw.segments[nz] * im.seg_charge[nz]
    if int(charged.sum()) < 1 << 53:  # float64 weights are exact
        gas = np.bincount(local[nz], weights=charged, minlength=n).astype(np.int64)
    else:
        gas = np.zeros(n, dtype=np.int64)
        np.add.at(gas, local[nz], charged)
    entries = raw.entries(im)
    hit = np.flatnonzero(entries)
    self_gas = gas[hit] + entries[hit] * im.entry_charge[hit]
    fns = im.module.functions
    out = [
        FunctionStats(fns[k].index, fns[k].name, c, g)
        for k, c, g in zip(hit.tolist(), entries[hit].tolist(), self_gas.tolist(), strict=True)
    ]
    out.sort(key=lambda f: (-f.self_gas, f.index))
    return tuple(out)
