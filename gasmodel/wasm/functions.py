"""Building the :class:`~gasmodel.wasm.types.Function` objects of a code section in bulk.

Everything per function is sliced from module-wide sequences with C-level iteration: opcode ids
from one ``array('H')``, call targets from one list per kind, cut where the opcode bytes (one
0xff between two bodies) say each body's instructions and calls begin.
"""

from __future__ import annotations

import dataclasses
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import accumulate, compress, repeat

from gasmodel.wasm.opcodes import BY_NAME, names_with_role
from gasmodel.wasm.types import Function

Head = tuple[int, int, int, tuple[tuple[int, str], ...], int]
"""Per body: offset, size, offset of its first instruction, local declarations, number of locals."""

_FIELDS = tuple(f.name for f in dataclasses.fields(Function))
assert _FIELDS == (
    "index",
    "type_index",
    "name",
    "num_locals",
    "offset",
    "size",
    "ops",
    "calls",
    "indirect_type_refs",
    "ref_funcs",
    "locals",
), "update build_functions when Function's fields change"

# Opcode byte -> kind of call-like instruction: 1 direct call (call, return_call), 2 indirect call
# (call_indirect, return_call_indirect), 3 ref.func; 0 anything else.
_KIND = bytearray(256)
for _name, _kind in (
    *((n, 1) for n in names_with_role("call")),
    *((n, 2) for n in names_with_role("call_indirect")),
    ("ref.func", 3),
):
    _KIND[BY_NAME[_name].code] = _kind
KINDS = bytes(_KIND)
"""Translation table: opcode byte -> call kind (0 for instructions that are not call-like)."""
IS_KIND = tuple(bytes(1 if b == k else 0 for b in range(256)) for k in range(4))
"""``IS_KIND[k]``: translation table, call kind -> 1 if it is ``k`` else 0 (for ``compress``)."""
# Opcode bytes -> call kind, keeping the 0xff separators and deleting every other opcode byte.
_CALLS_DELETE = bytes(b for b in range(256) if b != 0xFF and not _KIND[b])
_KINDS_SEP = bytes(0xFF if b == 0xFF else _KIND[b] for b in range(256))
# Deletion tables: keep only one call kind (and the separators).
_KEEP_KIND = tuple(bytes(b for b in range(256) if b not in (k, 0xFF)) for k in range(4))


def _per_body(items: list[int], kinds_sep: bytes, kind: int, n: int) -> Iterable[tuple[int, ...]]:
    """``items`` (one per call-like instruction of ``kind``, in order) cut into one tuple per body.

    ``kinds_sep``: the kind of every call-like instruction, one 0xff between two bodies.
    """
    if not items:
        return repeat((), n)
    counts = map(len, kinds_sep.translate(None, _KEEP_KIND[kind]).split(b"\xff"))
    bounds = list(accumulate(counts, initial=0))
    return map(tuple(items).__getitem__, map(slice, bounds, bounds[1:]))


def build_functions(
    heads: Sequence[Head],
    ops_sep: bytes,
    all_ops: array[int],
    starts: Sequence[int],
    targets: list[int],
    ref_kinds: bytes,
    type_indices: Sequence[int],
    base_index: int,
    names: Mapping[int, str],
) -> list[Function]:
    """One :class:`Function` per body.

    ``ops_sep``: the opcode bytes of all bodies, one 0xff between two bodies; ``all_ops``: their
    opcode ids (no separators), body ``k`` at ``starts[k]:starts[k + 1]``; ``targets``: the first
    immediate of every call-like instruction in order, ``ref_kinds`` their kinds (:data:`KINDS`).
    """
    n = len(heads)
    offsets, sizes, _, decls, num_locals = zip(*heads, strict=True)
    by_kind = [list(compress(targets, ref_kinds.translate(IS_KIND[k]))) for k in (1, 2, 3)]
    kinds_sep = ops_sep.translate(_KINDS_SEP, _CALLS_DELETE)
    calls, indirect, refs = (_per_body(by_kind[k - 1], kinds_sep, k, n) for k in (1, 2, 3))
    indices = range(base_index, base_index + n)
    values: Iterator[tuple[object, ...]] = zip(
        indices,
        type_indices,
        map(names.get, indices),
        num_locals,
        offsets,
        sizes,
        map(all_ops.__getitem__, map(slice, starts, starts[1:])),
        calls,
        indirect,
        refs,
        decls,
        strict=True,
    )
    bodies: list[Function] = []
    append = bodies.append
    new = object.__new__
    fields = _FIELDS
    for v in values:
        # Function is a plain frozen dataclass without __post_init__: filling its __dict__
        # directly is what its __init__ does, at a fraction of the cost.
        fn = new(Function)
        fn.__dict__.update(zip(fields, v, strict=False))  # len(v) == len(fields)
        append(fn)
    return bodies
