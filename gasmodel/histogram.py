"""Static instruction histograms: per module and per defined function, by opcode and category.

Counts cover function bodies only (every instruction, each body's final ``end`` included), not
the constant expressions of globals, element and data offsets. Names are text-format names from
:data:`gasmodel.wasm.opcodes.OPCODES` (the typed ``select`` is ``select_t``).

Module totals are counted in one vectorised pass over all bodies' opcode ids; the per-function
histograms (also one vectorised pass, a ``bincount`` over function and opcode) are built on first
access of :attr:`ModuleHistogram.functions`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from gasmodel.wasm import Module
from gasmodel.wasm.demangle import demangle
from gasmodel.wasm.opcodes import BY_NAME, CATEGORIES, NAMES, OPCODES

_N_OPS = len(OPCODES)
_N_CATS = len(CATEGORIES)
_CAT_ID = np.array([CATEGORIES.index(op.category) for op in OPCODES], dtype=np.int64)


def _by_category(opcodes: dict[str, int]) -> dict[str, int]:
    out: Counter[str] = Counter()
    for name, n in opcodes.items():
        out[BY_NAME[name].category] += n
    return {c: out[c] for c in CATEGORIES if out[c]}


def _sorted(counts: dict[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass(frozen=True, slots=True)
class FunctionHistogram:
    """Instruction counts of one defined function (``index`` is the absolute function index)."""

    index: int
    name: str | None
    opcodes: dict[str, int]
    categories: dict[str, int]
    total: int
    size: int

    @property
    def display_name(self) -> str | None:
        """The name for people: a Rust symbol demangled, without its hash (``workload::fib``)."""
        return demangle(self.name) if self.name else None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (``name`` is the raw name-section entry)."""
        return {
            "index": self.index,
            "name": self.name,
            "display_name": self.display_name,
            "size": self.size,
            "total": self.total,
            "opcodes": self.opcodes,
            "categories": self.categories,
        }


@dataclass(frozen=True)
class ModuleHistogram:
    """Instruction counts of a module's function bodies; ``opcodes`` sorted by count, descending."""

    opcodes: dict[str, int]
    categories: dict[str, int]
    total: int
    size: int
    num_imported_functions: int
    num_defined_functions: int
    _module: Module = field(repr=False, compare=False)

    @cached_property
    def functions(self) -> tuple[FunctionHistogram, ...]:
        """Per defined function, in index order (counted in one vectorised pass)."""
        fns = self._module.functions
        n = len(fns)
        if not n:
            return ()
        lengths = np.fromiter((len(fn.ops) for fn in fns), dtype=np.int64, count=n)
        fid = np.repeat(np.arange(n, dtype=np.int64), lengths)
        ids = _all_ids(self._module).astype(np.int64)
        ops = np.bincount(fid * _N_OPS + ids, minlength=n * _N_OPS).reshape(n, _N_OPS)
        cats = np.bincount(fid * _N_CATS + _CAT_ID[ids], minlength=n * _N_CATS).reshape(n, _N_CATS)
        rows, cols = np.nonzero(ops)
        vals = ops[rows, cols]
        order = np.lexsort((cols, -vals, rows))  # per function: count descending, then opcode id
        rows, cols, vals = rows[order], cols[order], vals[order]
        bounds = np.searchsorted(rows, np.arange(n + 1)).tolist()
        names = [NAMES[c] for c in cols.tolist()]
        counts = vals.tolist()
        crow, ccol = np.nonzero(cats)
        cvals = cats[crow, ccol].tolist()
        cbounds = np.searchsorted(crow, np.arange(n + 1)).tolist()
        cnames = [CATEGORIES[c] for c in ccol.tolist()]
        out: list[FunctionHistogram] = []
        for k, fn in enumerate(fns):
            a, b = bounds[k], bounds[k + 1]
            ca, cb = cbounds[k], cbounds[k + 1]
            out.append(
                FunctionHistogram(
                    fn.index,
                    fn.name,
                    dict(zip(names[a:b], counts[a:b], strict=True)),
                    dict(zip(cnames[ca:cb], cvals[ca:cb], strict=True)),
                    int(lengths[k]),
                    fn.size,
                )
            )
        return tuple(out)

    def to_json(self, by_function: bool = False) -> dict[str, Any]:
        """A JSON-ready dict; ``functions`` is included when ``by_function``."""
        out: dict[str, Any] = {
            "size": self.size,
            "imported_functions": self.num_imported_functions,
            "defined_functions": self.num_defined_functions,
            "total": self.total,
            "opcodes": self.opcodes,
            "categories": self.categories,
        }
        if by_function:
            out["functions"] = [f.to_json() for f in self.functions]
        return out


def _all_ids(module: Module) -> np.ndarray[Any, np.dtype[np.uint16]]:
    """Opcode ids of all function bodies, concatenated."""
    return np.frombuffer(b"".join(fn.ops.tobytes() for fn in module.functions), dtype=np.uint16)


def opcode_counts(module: Module) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Count of each opcode id over all function bodies (length ``len(OPCODES)``)."""
    if not module.functions:
        return np.zeros(_N_OPS, dtype=np.int64)
    return np.bincount(_all_ids(module), minlength=_N_OPS).astype(np.int64)


def histogram(module: Module) -> ModuleHistogram:
    """The instruction histogram of ``module``'s function bodies."""
    counts = opcode_counts(module)
    nz = np.flatnonzero(counts)
    opcodes = _sorted({NAMES[i]: int(counts[i]) for i in nz.tolist()})
    return ModuleHistogram(
        opcodes=opcodes,
        categories=_by_category(opcodes),
        total=int(counts.sum()),
        size=module.size,
        num_imported_functions=module.num_imported_functions,
        num_defined_functions=len(module.functions),
        _module=module,
    )
