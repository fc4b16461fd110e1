"""Rewriting a module so that it meters like cosmwasm-vm and counts what it executes.

**Insert only.** Every original instruction byte stays as it was; code is only inserted before
chosen instructions, so the function bodies (and the code section) get new sizes and nothing
else of the original is rewritten: the name section, every other custom section and all
exports are kept. Appended, after everything the module defines (so no original index moves):

* one linear memory (``counters``, exported as :data:`EXPORT_COUNTERS`, min = max pages): a
  header with the gas left (``remaining``), the failed check (``exhausted``) and the grown pages,
  then one u64 counter per *segment*. Gas lives in memory rather than in a global because the
  host reads and writes it at every import call, and a memory word is a pointer away from
  Python while a global is a C-API round trip; in compiled code both are a load and a store;
* two i32 globals for ``memory.grow`` (see below).

**Segments and checks.** A function body is cut into *segments*: maximal runs of operators
ending at a control operator (a branch, ``end``, a call ... the union of :data:`CONTROL` and the
table's accounting operators). Nothing can jump into the middle of a segment, so a completed run
executes each operator of a segment exactly as often as the segment's counter says; the
dynamic histogram is the sum over segments of count x static histogram. The table's metering
blocks (:func:`gasmodel.costs.metering.split_blocks`: the cost accumulates and is charged at each
accounting operator) are unions of consecutive segments; immediately before the accounting
operator that closes a metering block - exactly where cosmwasm-vm's Metering middleware puts it -
sits the middleware's check::

    remaining < cost (u64) ?  exhausted = id + 1; unreachable
    remaining -= cost

followed by the segment counter (``counters[seg] += 1``). A block with cost 0 gets no check, as
in the middleware. The locals charge of tables with ``locals`` (cosmwasm-vm 2.2.9/2.3.4/3.0.9)
is added to the first block's cost when the function's first operator is an accounting one,
else checked separately at function entry. Segment 0 of a function starts at its entry and no
branch can reach it, so its count is the function's entry count.

``memory.grow``: the requested page count is kept in a global before the instruction; after it,
when the result is not -1, the pages are added to the ``pages`` counter (wasmtime fuel charges
per grown page).

**Profiling mode** (``instrument(..., profile=True)``, a separate instrumentation with its own cache
key; the default one is unchanged). Also appended: a growable memory (the call log, exported as
:data:`EXPORT_LOG`) and one function ``log(event: i64)`` that appends ``(event, remaining)`` (two
little-endian i64) to it, at the position kept in the counters header (:data:`OFF_LOG_POS`). Each
defined function starts with ``log(own function index)`` (before its locals check, so every
charge of its own code comes after it), every call site (``call``, ``call_indirect``, ``call_ref``)
is followed by ``log(-1)`` (the callee returned), and a tail call is preceded by ``log(-1)`` after
its gas check (the caller leaves, the callee enters). The host logs the entry of each import (its
function index), ``-1`` after each guest function it calls itself, and ``-2`` with the externally
used gas of a charge. The gas left at each event gives the gas charged on each calling context
(:mod:`gasmodel.vm.callstack`). When the log cannot grow, ``log`` sets :data:`OFF_LOG_FULL` and
traps.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import numpy.typing as npt

from gasmodel.costs.metering import split_blocks
from gasmodel.costs.table import CostTable
from gasmodel.errors import GasmodelError, WasmDecodeError
from gasmodel.wasm import OPCODES, decode
from gasmodel.wasm.leb import sleb, uleb
from gasmodel.wasm.opcodes import BY_NAME
from gasmodel.wasm.reader import Reader
from gasmodel.wasm.stream import instruction_offsets, instructions
from gasmodel.wasm.types import Function, Module

__all__ = [
    "CONTROL",
    "COUNTERS_BASE",
    "EXPORT_COUNTERS",
    "EXPORT_LOG",
    "EXPORT_PREFIX",
    "INSTRUMENT_VERSION",
    "LOG_EXTERNAL",
    "LOG_RETURN",
    "OFF_EXHAUSTED",
    "OFF_LOG_FULL",
    "OFF_LOG_POS",
    "OFF_PAGES",
    "OFF_REMAINING",
    "BlockInfo",
    "InstrumentedModule",
    "instrument",
    "instrumentation_key",
    "load_instrumented",
]

INSTRUMENT_VERSION = 2
"""Bumped whenever the inserted code changes (part of every cache key)."""

EXPORT_PREFIX = "gasmodel."
"""Prefix of the exports the instrumentation adds."""
EXPORT_COUNTERS = EXPORT_PREFIX + "counters"
"""The counters memory: a header of u64s (little-endian) at the offsets below, then one u64 counter
per segment from :data:`COUNTERS_BASE`."""
OFF_REMAINING = 0
"""Gas left (the runtime sets it before the call and reads it at every host charge)."""
OFF_EXHAUSTED = 8
"""0, or 1 + the id of the gas check that failed."""
OFF_PAGES = 16
"""Pages grown by successful ``memory.grow``."""
OFF_LOG_POS = 24
"""Profiling mode: the next write position in the call log (u32)."""
OFF_LOG_FULL = 28
"""Profiling mode: 1 when the call log could not grow (u32)."""
COUNTERS_BASE = 32
EXPORT_LOG = EXPORT_PREFIX + "log"
"""Profiling mode: the call log memory, records of two i64: ``(event, gas remaining)``."""
LOG_RETURN = -1
"""Call-log event: the function on top of the stack returned."""
LOG_EXTERNAL = -2
"""Call-log event: a host charge used this much gas externally (the second word)."""
_LOG_GROW_PAGES = 16

CONTROL: frozenset[str] = frozenset(
    n
    for n in (
        "loop",
        "if",
        "else",
        "end",
        "br",
        "br_if",
        "br_table",
        "return",
        "call",
        "call_indirect",
        "return_call",
        "return_call_indirect",
        "call_ref",
        "return_call_ref",
        "br_on_null",
        "br_on_non_null",
        "br_on_cast",
        "br_on_cast_fail",
        "throw",
        "throw_ref",
        "rethrow",
        "delegate",
        "catch",
        "catch_all",
        "try_table",
        "unreachable",
    )
    if n in BY_NAME
)
"""Operators that end a segment whatever the table: every way control enters or leaves straight-line code."""

_GROW = BY_NAME["memory.grow"].id
_CALLS = frozenset(BY_NAME[n].id for n in ("call", "call_indirect", "call_ref") if n in BY_NAME)
_TAIL_CALLS = frozenset(
    BY_NAME[n].id for n in ("return_call", "return_call_indirect", "return_call_ref") if n in BY_NAME
)
_N_OPS = len(OPCODES)


def _i64_const(v: int) -> bytes:
    """``i64.const v`` for an unsigned 64-bit ``v`` (as the signed value with the same bits)."""
    return b"\x42" + sleb(v - (1 << 64) if v >= 1 << 63 else v)


def instrumentation_key(table: CostTable, profile: bool = False) -> str:
    """What the inserted code depends on: the table's operators and locals, this module's version,
    and the profiling mode."""
    doc: dict[str, object] = {
        "v": INSTRUMENT_VERSION,
        "operators": table.operators.model_dump(mode="json"),
        "locals": None if table.locals is None else table.locals.model_dump(mode="json"),
    }
    if profile:
        doc["profile"] = 1
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class BlockInfo:
    """One segment: its function, its static histogram (opcode id -> count), the gas charged
    each time it completes (the cost of the metering block it closes; 0 if it closes none)."""

    func_index: int
    histogram: dict[int, int]
    cost: int


@dataclass(frozen=True, eq=False)
class InstrumentedModule:
    """The rewritten module and what its counters mean.

    Segment ``s`` covers ``ops[seg_start[s]:seg_start[s + 1]]`` of the flat opcode array
    ``ops`` (all defined functions' ``Function.ops`` in order); ``seg_func[s]`` is its function
    index, ``seg_charge[s]`` the gas charged when it completes. ``func_first_seg[k]`` is the first
    segment of defined function ``k`` (its entry counter); ``entry_charge[k]`` the separately
    checked locals charge of that function (0: none). Gas check ids: segment ``s`` is ``s``, the
    entry check of defined function ``k`` is ``num_segments + k``.
    """

    wasm: bytes
    key: str
    table_name: str
    source_sha256: str
    module: Module
    num_imported_functions: int
    ops: npt.NDArray[np.uint16]
    seg_start: npt.NDArray[np.int64]
    seg_func: npt.NDArray[np.int64]
    seg_charge: npt.NDArray[np.int64]
    func_first_seg: npt.NDArray[np.int64]
    entry_charge: npt.NDArray[np.int64]
    counters_memory: int
    _insertions: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]
    """Per defined function: insertion ends in the new body (relative to the body start) and the
    cumulative inserted length up to each; maps a trap offset back to the original."""
    profiling: bool = False
    """Whether the module logs calls (profiling mode, see the module docstring)."""

    def save(self, path: Path) -> None:
        """Write the instrumentation to ``path`` (``.npz``); :func:`load_instrumented` reads it."""
        ends = [np.asarray(e, dtype=np.int64) for e, _ in self._insertions]
        cums = [np.asarray(c, dtype=np.int64) for _, c in self._insertions]
        lengths = np.array([len(e) for e in ends], dtype=np.int64)
        meta = json.dumps(
            {
                "key": self.key,
                "table": self.table_name,
                "sha256": self.source_sha256,
                "cmem": self.counters_memory,
                "profile": self.profiling,
            }
        )
        with path.open("wb") as f:
            np.savez(
                f,
                meta=np.frombuffer(meta.encode(), dtype=np.uint8),
                wasm=np.frombuffer(self.wasm, dtype=np.uint8),
                ops=self.ops,
                seg_start=self.seg_start,
                seg_func=self.seg_func,
                seg_charge=self.seg_charge,
                func_first_seg=self.func_first_seg,
                entry_charge=self.entry_charge,
                ins_lengths=lengths,
                ins_ends=np.concatenate(ends) if ends else np.zeros(0, dtype=np.int64),
                ins_cums=np.concatenate(cums) if cums else np.zeros(0, dtype=np.int64),
            )

    @property
    def num_segments(self) -> int:
        """How many segments (counters) the module has."""
        return len(self.seg_func)

    def block(self, seg: int) -> BlockInfo:
        """What segment ``seg`` is (block-id -> function, static histogram, cost)."""
        a, b = int(self.seg_start[seg]), int(self.seg_start[seg + 1])
        hist: dict[int, int] = {}
        for op in self.ops[a:b].tolist():
            hist[op] = hist.get(op, 0) + 1
        return BlockInfo(int(self.seg_func[seg]), hist, int(self.seg_charge[seg]))

    @cached_property
    def seg_lengths(self) -> npt.NDArray[np.int64]:
        """Number of operators of each segment."""
        return np.diff(self.seg_start)

    def dynamic_histogram(self, counts: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Executions per opcode id: sum over segments of count x static histogram."""
        nz = np.flatnonzero(counts)
        lengths = self.seg_lengths[nz]
        total = int(lengths.sum())
        # flat op indexes of the executed segments: each segment's start, then +0, +1, ...
        starts = self.seg_start[nz]
        shift = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        idx = shift + np.arange(total, dtype=np.int64)
        per_op = np.repeat(counts[nz], lengths)
        ops = self.ops[idx]
        if int(per_op.sum()) < 1 << 53:  # float64 weights are exact
            return np.bincount(ops, weights=per_op, minlength=_N_OPS).astype(np.int64)
        out = np.zeros(_N_OPS, dtype=np.int64)
        np.add.at(out, ops.astype(np.int64), per_op)
        return out

    def original_offset(self, def_index: int, new_rel: int) -> int:
        """Offset in the original body of the instruction at ``new_rel`` in the new body
        (both relative to the body start, i.e. the position after the body size)."""
        ends, cums = self._insertions[def_index]
        k = bisect_right(ends, new_rel)
        return new_rel - (cums[k - 1] if k else 0)

    def partial_segment(self, data: bytes, def_index: int, orig_rel: int) -> tuple[int, int, int] | None:
        """For a trap at ``orig_rel`` (relative to the body start) in defined function
        ``def_index``: ``(segment, first op index, last op index)`` of the operators of the
        uncounted part of the segment up to the trapping one, or None when the trapping operator
        closes its segment (then the segment was counted before it ran)."""
        fn = self.module.functions[def_index]
        target = fn.offset + orig_rel
        offs = [i.offset for i in instructions(data, fn)]
        try:
            idx = offs.index(target)
        except ValueError:
            return None
        base = int(self.seg_start[self.func_first_seg[def_index]])
        flat = base + idx
        seg = int(np.searchsorted(self.seg_start, flat, side="right")) - 1
        if flat == int(self.seg_start[seg + 1]) - 1:
            return None
        return seg, int(self.seg_start[seg]), flat


def load_instrumented(path: Path, data: bytes, module: Module | None = None) -> InstrumentedModule:
    """Read what :meth:`InstrumentedModule.save` wrote for the module ``data``.

    Raises :class:`GasmodelError` when the file is not for these bytes or cannot be read.
    """
    try:
        with np.load(path) as z:
            meta = json.loads(bytes(z["meta"]).decode())
            if meta["sha256"] != hashlib.sha256(data).hexdigest():
                raise GasmodelError(f"{path} is the instrumentation of another module")
            lengths = z["ins_lengths"].tolist()
            bounds = [0, *itertools.accumulate(lengths)]
            ends, cums = z["ins_ends"].tolist(), z["ins_cums"].tolist()
            insertions = tuple((tuple(ends[a:b]), tuple(cums[a:b])) for a, b in itertools.pairwise(bounds))
            m = decode(data) if module is None else module
            return InstrumentedModule(
                wasm=z["wasm"].tobytes(),
                key=meta["key"],
                table_name=meta["table"],
                source_sha256=meta["sha256"],
                module=m,
                num_imported_functions=m.num_imported_functions,
                ops=z["ops"],
                seg_start=z["seg_start"],
                seg_func=z["seg_func"],
                seg_charge=z["seg_charge"],
                func_first_seg=z["func_first_seg"],
                entry_charge=z["entry_charge"],
                counters_memory=int(meta["cmem"]),
                _insertions=insertions,
                profiling=bool(meta.get("profile", False)),
            )
    except (OSError, ValueError, KeyError) as e:
        raise GasmodelError(f"cannot read the instrumentation cache {path}: {e}") from e


class _Sections:
    """The section framing of a module: (id, payload start, payload end) in order."""

    def __init__(self, data: bytes) -> None:
        if data[:8] != b"\x00asm\x01\x00\x00\x00":
            raise WasmDecodeError("not a WebAssembly module (bad magic or version)", 0)
        self.data = data
        self.items: list[tuple[int, int, int]] = []
        r = Reader(data, 8)
        while not r.at_end():
            sid = r.byte()
            size = r.u32()
            self.items.append((sid, r.pos, r.pos + size))
            r.pos += size

    def find(self, sid: int) -> tuple[int, int, int] | None:
        for item in self.items:
            if item[0] == sid and sid != 0:
                return item
        return None


# Position of each known section in the required order.
_ORDER = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13}


def _vec_append(data: bytes, start: int, end: int, items: Sequence[bytes]) -> bytes:
    """A vector section payload with ``items`` appended (``start:end`` = the old payload)."""
    r = Reader(data, start, end)
    n = r.u32()
    return uleb(n + len(items)) + data[r.pos : end] + b"".join(items)


def _section(sid: int, payload: bytes) -> bytes:
    return bytes([sid]) + uleb(len(payload)) + payload


def _memarg(align: int, offset: int, mem: int) -> bytes:
    if mem == 0:
        return uleb(align) + uleb(offset)
    return uleb(align | 0x40) + uleb(mem) + uleb(offset)


def instrument(
    data: bytes, table: CostTable, module: Module | None = None, *, profile: bool = False
) -> InstrumentedModule:
    """Instrument ``data`` (a module) for ``table``; see the module docstring (``profile``: the
    profiling mode).

    Raises :class:`GasmodelError` naming the function and offset when the module cannot be
    instrumented (a 64-bit memory, a body that does not decode ...).
    """
    m = decode(data) if module is None else module
    if any(mem.memory64 for mem in m.memories):
        raise GasmodelError("cannot instrument a module with a 64-bit memory (memory64)")
    secs = _Sections(data)
    n_imp_globals = sum(1 for i in m.imports if i.kind == "global")
    n_imp_mems = sum(1 for i in m.imports if i.kind == "memory")
    g_tmp = n_imp_globals + len(m.globals)
    g_res = g_tmp + 1
    mem_section = secs.find(5)
    n_def_mems = Reader(data, mem_section[1], mem_section[2]).u32() if mem_section else 0
    cmem = n_imp_mems + n_def_mems

    op_cost = table.op_costs(OPCODES)
    acc_flags = table.accounting_flags(OPCODES)
    accounting = frozenset(i for i, f in enumerate(acc_flags) if f)
    ends_seg = frozenset(accounting | {BY_NAME[n].id for n in CONTROL})
    cost_of = op_cost.__getitem__

    # Plan: per function, segments, their charges, the insertion points.
    seg_start: list[int] = []
    seg_func: list[int] = []
    seg_charge: list[int] = []
    func_first: list[int] = []
    entry_charge: list[int] = []
    flat = 0
    plans: list[tuple[Function, list[int], list[int], int]] = []  # fn, seg ends, seg charges, entry check
    for fn in m.functions:
        ops = fn.ops
        n = len(ops)
        locals_cost = table.locals_charge(fn.num_locals)
        blocks = split_blocks(ops, cost_of, accounting)
        charge_at: dict[int, int] = {b.end: b.cost for b in blocks if b.end < n and ops[b.end] in accounting}
        entry = 0
        if locals_cost:
            if n and ops[0] in accounting:
                charge_at[0] = charge_at.get(0, 0) + locals_cost
            else:
                entry = locals_cost
        ends = [i for i, op in enumerate(ops) if op in ends_seg]
        if not ends or ends[-1] != n - 1:
            ends.append(n - 1)
        func_first.append(len(seg_func))
        entry_charge.append(entry)
        prev = 0
        charges = []
        for last in ends:
            seg_start.append(flat + prev)
            seg_func.append(fn.index)
            c = charge_at.get(last, 0)
            charges.append(c)
            seg_charge.append(c)
            prev = last + 1
        flat += n
        plans.append((fn, ends, charges, entry))
    seg_start.append(flat)
    n_seg = len(seg_func)

    # Emit the new bodies.
    def load(off: int) -> bytes:  # i64.load from the counters memory at a static offset
        return b"\x29" + _memarg(3, off, cmem)

    def store(off: int) -> bytes:
        return b"\x37" + _memarg(3, off, cmem)

    check_head = b"\x41\x00" + load(OFF_REMAINING)
    check_mid = b"\x54\x04\x40\x41\x00"
    check_trap = store(OFF_EXHAUSTED) + b"\x00\x0b\x41\x00\x41\x00" + load(OFF_REMAINING)
    check_tail = b"\x7d" + store(OFF_REMAINING)
    mem_prefix = uleb(3) if cmem == 0 else uleb(3 | 0x40) + uleb(cmem)

    def check(cost: int, check_id: int) -> bytes:
        c = _i64_const(cost)
        return check_head + c + check_mid + _i64_const(check_id + 1) + check_trap + c + check_tail

    def counter(seg: int) -> bytes:
        ma = mem_prefix + uleb(COUNTERS_BASE + 8 * seg)
        return b"\x41\x00\x41\x00\x29" + ma + b"\x42\x01\x7c\x37" + ma

    lmem = cmem + 1  # profiling: the call log memory
    log_func = m.num_functions  # profiling: the appended log(event) function
    n_types = len(m.types)

    def log(event: int) -> bytes:
        return b"\x42" + sleb(event) + b"\x10" + uleb(log_func)

    tmp, res = uleb(g_tmp), uleb(g_res)
    grow_before = b"\x24" + tmp + b"\x23" + tmp
    grow_after = (
        b"\x24" + res + b"\x23" + res + b"\x41\x7f\x47\x04\x40"
        b"\x41\x00\x41\x00" + load(OFF_PAGES) + b"\x23" + tmp + b"\xad\x7c" + store(OFF_PAGES) + b"\x0b"
        b"\x23" + res
    )

    bodies: list[bytes] = []
    insertions: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    seg_base = 0
    for k, (fn, ends, charges, entry) in enumerate(plans):
        try:
            offs = instruction_offsets(data, fn)
        except WasmDecodeError as err:
            raise GasmodelError(f"cannot instrument function {fn.index} ({fn.name or '?'}): {err}") from err
        start = offs[0]
        body_end = fn.offset + fn.size
        ins: list[tuple[int, int, bytes]] = []  # (original offset, order, code)
        if entry:
            ins.append((start, 0, check(entry, n_seg + k)))
        if profile:
            ins.append((start, -1, log(fn.index)))
            for i, op in enumerate(fn.ops):
                if op in _CALLS:
                    ins.append((offs[i + 1], -1, log(LOG_RETURN)))
                elif op in _TAIL_CALLS:
                    ins.append((offs[i], 3, log(LOG_RETURN)))
        for j, last in enumerate(ends):
            code = counter(seg_base + j)
            if charges[j]:
                code = check(charges[j], seg_base + j) + code
            ins.append((offs[last], 2, code))
        if _GROW in fn.ops:
            for i, op in enumerate(fn.ops):
                if op == _GROW:
                    ins.append((offs[i], 1, grow_before))
                    ins.append((offs[i + 1], 1, grow_after))
        ins.sort(key=lambda t: (t[0], t[1]))
        parts: list[bytes] = [data[fn.offset : start]]
        pos = start
        new_ends: list[int] = []
        cum: list[int] = []
        total = 0
        for at, _, code in ins:
            parts.append(data[pos:at])
            pos = at
            # the inserted code ends, in the new body, where the original instruction now starts
            total += len(code)
            new_ends.append(at - fn.offset + total)
            cum.append(total)
            parts.append(code)
        parts.append(data[pos:body_end])
        body = b"".join(parts)
        bodies.append(uleb(len(body)) + body)
        insertions.append((tuple(new_ends), tuple(cum)))
        seg_base += len(ends)

    # Reassemble: copy every section, rewrite memory/global/export/code, add missing ones.
    pages = max(1, (COUNTERS_BASE + 8 * n_seg + 0xFFFF) // 0x10000)
    mem_entry = b"\x01" + uleb(pages) + uleb(pages)
    globals_new = [b"\x7f\x01\x41\x00\x0b", b"\x7f\x01\x41\x00\x0b"]

    def export(name: str, kind: int, index: int) -> bytes:
        raw = name.encode()
        return uleb(len(raw)) + raw + bytes([kind]) + uleb(index)

    exports_new = [export(EXPORT_COUNTERS, 2, cmem)]
    mems_new = [mem_entry]
    types_new: list[bytes] = []
    funcs_new: list[bytes] = []
    if profile:
        mems_new.append(b"\x00\x01")  # the call log: 1 page, growable
        exports_new.append(export(EXPORT_LOG, 2, lmem))
        types_new.append(b"\x60\x01\x7e\x00")  # (i64) -> ()
        funcs_new.append(uleb(n_types))
        bodies.append(_log_body(cmem, lmem))
    code_payload = uleb(len(bodies)) + b"".join(bodies)
    replaced = {
        1: lambda s, e: _vec_append(data, s, e, types_new),
        3: lambda s, e: _vec_append(data, s, e, funcs_new),
        5: lambda s, e: _vec_append(data, s, e, mems_new),
        6: lambda s, e: _vec_append(data, s, e, globals_new),
        7: lambda s, e: _vec_append(data, s, e, exports_new),
        10: lambda s, e: code_payload,
    }
    fresh = {
        5: uleb(len(mems_new)) + b"".join(mems_new),
        6: uleb(len(globals_new)) + b"".join(globals_new),
        7: uleb(len(exports_new)) + b"".join(exports_new),
        10: code_payload,
    }
    if types_new:
        fresh[1] = uleb(len(types_new)) + b"".join(types_new)
        fresh[3] = uleb(len(funcs_new)) + b"".join(funcs_new)
    present = {sid for sid, _, _ in secs.items if sid}
    missing = sorted((sid for sid in fresh if sid not in present), key=_ORDER.__getitem__)
    out = [data[:8]]
    for sid, s, e in secs.items:
        if sid:
            while missing and _ORDER[missing[0]] < _ORDER[sid]:
                miss = missing.pop(0)
                out.append(_section(miss, fresh[miss]))
        if sid in replaced:
            out.append(_section(sid, replaced[sid](s, e)))
        else:
            hdr_start = s - len(uleb(e - s)) - 1
            out.append(data[hdr_start:e])
    for miss in missing:
        out.append(_section(miss, fresh[miss]))
    wasm = b"".join(out)

    all_ops = array("H")
    for fn in m.functions:
        all_ops.extend(fn.ops)
    return InstrumentedModule(
        wasm=wasm,
        key=instrumentation_key(table),
        table_name=table.name,
        source_sha256=hashlib.sha256(data).hexdigest(),
        module=m,
        num_imported_functions=m.num_imported_functions,
        ops=np.frombuffer(all_ops.tobytes(), dtype=np.uint16).copy(),
        seg_start=np.array(seg_start, dtype=np.int64),
        seg_func=np.array(seg_func, dtype=np.int64),
        seg_charge=np.array(seg_charge, dtype=np.int64),
        func_first_seg=np.array(func_first, dtype=np.int64),
        entry_charge=np.array(entry_charge, dtype=np.int64),
        counters_memory=cmem,
        _insertions=tuple(insertions),
        profiling=profile,
    )


def _log_body(cmem: int, lmem: int) -> bytes:
    """The body of the profiling mode's ``log(event: i64)`` (one i32 local: the position)."""

    def mem(op: int, align: int, off: int, index: int) -> bytes:
        return bytes([op]) + _memarg(align, off, index)

    pos = b"\x41\x00" + mem(0x28, 2, OFF_LOG_POS, cmem)  # i32.load position
    code = (
        pos + b"\x22\x01"  # local.tee 1
        b"\x41\x10\x6a"  # + 16
        b"\x3f" + uleb(lmem) + b"\x41\x10\x74"  # memory.size << 16
        b"\x4b\x04\x40"  # gt_u if
        b"\x41" + sleb(_LOG_GROW_PAGES) + b"\x40" + uleb(lmem) + b"\x41\x7f\x46\x04\x40"  # grow == -1 if
        b"\x41\x00\x41\x01" + mem(0x36, 2, OFF_LOG_FULL, cmem) + b"\x00\x0b"  # full = 1; unreachable
        b"\x0b"
        b"\x20\x01\x20\x00" + mem(0x37, 3, 0, lmem)  # log[pos] = event
        + b"\x20\x01\x41\x00" + mem(0x29, 3, OFF_REMAINING, cmem) + mem(0x37, 3, 8, lmem)  # log[pos+8]
        + b"\x41\x00\x20\x01\x41\x10\x6a" + mem(0x36, 2, OFF_LOG_POS, cmem)  # position += 16
        + b"\x0b"
    )
    body = b"\x01\x01\x7f" + code  # one i32 local
    return uleb(len(body)) + body
