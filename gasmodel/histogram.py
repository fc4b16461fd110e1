"""Static instruction histograms: per module and per defined function, by opcode and category.

Counts cover function bodies only (every instruction, each body's final ``end`` included), not
the constant expressions of globals, element and data offsets. Names are text-format names from
:data:`gasmodel.wasm.opcodes.OPCODES` (the typed ``select`` is ``select_t``).

Module totals are counted in one vectorised pass over all bodies' opcode ids; the per-function
histograms are sparse (one ``numpy.unique`` over ``function * opcodes + opcode``, so memory grows
with the instructions, not with functions x opcodes), built on first access of
:attr:`ModuleHistogram.functions` or one function at a time by :meth:`ModuleHistogram.iter_functions`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
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
        return tuple(self.iter_functions())

    @cached_property
    def function_totals(self) -> tuple[int, ...]:
        """Instruction count of each defined function, in index order (no per-function histogram)."""
        return tuple(len(fn.ops) for fn in self._module.functions)

    def iter_functions(self, order: Iterable[int] | None = None) -> Iterator[FunctionHistogram]:
        """Per defined function (positions in ``order``, default index order), one at a time.

        Memory: the sparse counts (a few machine words per distinct opcode of each function), not
        one dict per function held at once.
        """
        fns = self._module.functions
        if not fns:
            return
        ops = _sparse_counts(self._module, _N_OPS, None)
        cats = _sparse_counts(self._module, _N_CATS, _CAT_ID)
        totals = self.function_totals
        for k in range(len(fns)) if order is None else order:
            fn = fns[k]
            yield FunctionHistogram(
                fn.index, fn.name, ops.row(k, NAMES), cats.row(k, CATEGORIES), totals[k], fn.size
            )

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


_DENSE_CELLS = 1 << 22


@dataclass(frozen=True, slots=True)
class _Sparse:
    """Per-function counts, sparse: function ``k`` has ``cols[bounds[k]:bounds[k + 1]]`` with
    ``vals`` (count descending, then column ascending)."""

    bounds: list[int]
    cols: list[int]
    vals: list[int]

    def row(self, k: int, names: Sequence[str]) -> dict[str, int]:
        a, b = self.bounds[k], self.bounds[k + 1]
        return {names[c]: v for c, v in zip(self.cols[a:b], self.vals[a:b], strict=True)}


def _sparse_counts(module: Module, width: int, column: np.ndarray[Any, Any] | None) -> _Sparse:
    """Counts of ``column[opcode id]`` (the id itself when ``None``) per function, sparse.

    One ``numpy.unique`` over ``function * width + column``: O(N log N) time and a few words per
    instruction N, whatever the number of functions (a dense ``bincount`` while functions x
    columns stays under :data:`_DENSE_CELLS`, i.e. 32 MB).
    """
    fns = module.functions
    n = len(fns)
    lengths = np.fromiter((len(fn.ops) for fn in fns), dtype=np.int64, count=n)
    ids = _all_ids(module).astype(np.int64)
    cols_all = column[ids] if column is not None else ids
    keys = np.repeat(np.arange(n, dtype=np.int64) * width, lengths)
    keys += cols_all
    del ids, cols_all
    if n * width <= _DENSE_CELLS:  # small modules: one bincount is faster than sorting
        dense = np.bincount(keys, minlength=n * width)
        uniq = np.flatnonzero(dense)
        counts = dense[uniq]
    else:
        uniq, counts = np.unique(keys, return_counts=True)
    del keys
    rows, cols = np.divmod(uniq, width)
    order = np.lexsort((cols, -counts, rows))  # per function: count descending, then column
    rows, cols, counts = rows[order], cols[order], counts[order]
    bounds = np.searchsorted(rows, np.arange(n + 1)).tolist()
    return _Sparse(bounds, cols.tolist(), counts.tolist())


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
