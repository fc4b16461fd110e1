"""Decoding a whole module: section framing, every known section, then the function bodies.

Sections are framed first (id, payload offset, size, each checked against the bytes left), so
the ``name`` custom section can be read before the code and errors inside a body can name the
function. Known sections must come in the order of the spec and at most once; each section must be
consumed exactly. Counts are checked against the bytes left before anything is allocated for
them, so a module that declares 2^32 functions in a few bytes fails at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

from gasmodel.errors import WasmDecodeError
from gasmodel.wasm.code import decode_code
from gasmodel.wasm.instructions import read_instruction
from gasmodel.wasm.names import read_names
from gasmodel.wasm.opcodes import BY_NAME, CONST_EXPR_NAMES, NAMES
from gasmodel.wasm.reader import Reader
from gasmodel.wasm.scanner import S32, U32
from gasmodel.wasm.types import (
    ConstExpr,
    CustomSection,
    DataSegment,
    Element,
    Export,
    ExternKind,
    Function,
    FuncType,
    Global,
    GlobalType,
    Import,
    Memory,
    Module,
    Table,
)

MAGIC = b"\x00asm"
VERSION = b"\x01\x00\x00\x00"

SECTION_NAMES = {
    0: "custom",
    1: "type",
    2: "import",
    3: "function",
    4: "table",
    5: "memory",
    6: "global",
    7: "export",
    8: "start",
    9: "element",
    10: "code",
    11: "data",
    12: "data count",
    13: "tag",
}
# Position of each known section in the required order (tag sits between memory and global).
_ORDER = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13}
_KINDS: tuple[ExternKind, ...] = ("func", "table", "memory", "global", "tag")
_END = BY_NAME["end"].id
_CONST_OK = frozenset(BY_NAME[n].id for n in CONST_EXPR_NAMES if n != "end")


# The usual data segment head: active in memory 0 at ``i32.const <offset>``, then the byte count.
_ACTIVE_I32 = re.compile(rb"\x00\x41(" + S32 + rb")\x0b(" + U32 + b")", re.S)


def _leb(raw: bytes, signed: bool) -> int:
    """The value of a LEB128 the caller has checked (``raw``: its bytes)."""
    value = 0
    for i, b in enumerate(raw):
        value |= (b & 0x7F) << (7 * i)
    if signed and raw[-1] & 0x40:
        value -= 1 << (7 * len(raw))
    return value


def const_expr(r: Reader) -> ConstExpr:
    """A constant expression up to and including its ``end``."""
    start = r.pos
    instrs: list[tuple[str, tuple[object, ...]]] = []
    while True:
        at = r.pos
        op_id, imms = read_instruction(r)
        if op_id == _END:
            return ConstExpr(tuple(instrs), start)
        if op_id not in _CONST_OK:
            raise r.error(f"instruction {NAMES[op_id]} not allowed in a constant expression", at)
        instrs.append((NAMES[op_id], imms))


def _table_type(r: Reader) -> Table:
    init = None
    if r.peek() == 0x40:  # function-references: table with an initialiser
        start = r.pos
        r.pos += 1
        if r.byte() != 0x00:
            raise r.error("invalid table encoding", start)
        elem = r.reftype()
        lo, hi, _shared, is64 = r.limits(memory=False)
        init = const_expr(r)
        return Table(elem, lo, hi, is64, init)
    elem = r.reftype()
    lo, hi, _shared, is64 = r.limits(memory=False)
    return Table(elem, lo, hi, is64)


def _memory_type(r: Reader) -> Memory:
    lo, hi, shared, is64 = r.limits(memory=True)
    return Memory(lo, hi, shared, is64)


def _global_type(r: Reader) -> GlobalType:
    t = r.valtype()
    start = r.pos
    mut = r.byte()
    if mut > 1:
        raise r.error(f"invalid global mutability 0x{mut:02x}", start)
    return GlobalType(t, bool(mut))


class _Decoder:
    """State of one decode; produces a :class:`Module`."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.types: list[FuncType] = []
        self.imports: list[Import] = []
        self.func_type_indices: list[int] = []
        self.tables: list[Table] = []
        self.memories: list[Memory] = []
        self.globals: list[Global] = []
        self.exports: list[Export] = []
        self.start: int | None = None
        self.start_offset = 0
        self.export_offsets: list[int] = []
        self.elements: list[Element] = []
        self.data_segments: list[DataSegment] = []
        self.data_count: int | None = None
        self.customs: list[CustomSection] = []
        self.tags: list[int] = []
        self.func_names: dict[int, str] = {}
        self.module_name: str | None = None
        self.code: tuple[int, int] | None = None
        self.num_imported_funcs = 0

    # -- sections ------------------------------------------------------------------------------

    def frame(self) -> list[tuple[int, int, int]]:
        """``(id, payload start, payload end)`` of every section, order and uniqueness checked."""
        data = self.data
        if len(data) < 8 or data[:4] != MAGIC:
            raise WasmDecodeError("not a WebAssembly module (bad magic number)", 0)
        if data[4:8] != VERSION:
            raise WasmDecodeError(
                f"unsupported WebAssembly version {data[4:8].hex()} (only core modules, version 1)", 4
            )
        r = Reader(data, 8)
        out: list[tuple[int, int, int]] = []
        last = 0
        while not r.at_end():
            at = r.pos
            sid = r.byte()
            size_at = r.pos
            size = r.u32()
            if size > r.remaining:
                raise r.error(f"section size {size} exceeds the {r.remaining} bytes left", size_at)
            if sid != 0:
                rank = _ORDER.get(sid)
                if rank is None:
                    raise r.error(f"unknown section id {sid}", at)
                if rank <= last:
                    raise r.error(f"{SECTION_NAMES[sid]} section out of order or repeated", at)
                last = rank
            out.append((sid, r.pos, r.pos + size))
            r.pos += size
        return out

    def run(self) -> Module:
        sections = self.frame()
        for sid, start, end in sections:
            if sid == 0:
                self.custom(start, end, names_only=True)
        for sid, start, end in sections:
            r = Reader(self.data, start, end)
            if sid == 0:
                self.custom(start, end, names_only=False)
                continue
            getattr(self, "sec_" + SECTION_NAMES[sid].replace(" ", "_"))(r)
            if not r.at_end():
                raise r.error(f"{SECTION_NAMES[sid]} section has {r.remaining} unread bytes")
        return self.finish()

    def custom(self, start: int, end: int, names_only: bool) -> None:
        r = Reader(self.data, start, end)
        name = r.name()
        if names_only:
            if name == "name":
                self.module_name, names = read_names(self.data, r.pos, end)
                self.func_names.update(names)
            return
        self.customs.append(CustomSection(name, r.pos, end - r.pos))

    def sec_type(self, r: Reader) -> None:
        for _ in range(r.count(3, "type")):
            at = r.pos
            form = r.byte()
            if form != 0x60:
                raise r.error(f"unsupported type form 0x{form:02x} (only function types)", at)
            params = tuple(r.valtype() for _ in range(r.count(1, "parameter")))
            results = tuple(r.valtype() for _ in range(r.count(1, "result")))
            self.types.append(FuncType(params, results))

    def _type_index(self, r: Reader) -> int:
        at = r.pos
        i = r.u32()
        if i >= len(self.types):
            raise r.error(f"type index {i} out of range ({len(self.types)} types)", at)
        return i

    def sec_import(self, r: Reader) -> None:
        for _ in range(r.count(4, "import")):
            at = r.pos
            mod = r.name()
            name = r.name()
            kind_at = r.pos
            k = r.byte()
            if k >= len(_KINDS):
                raise r.error(f"unknown import kind 0x{k:02x}", kind_at)
            kind = _KINDS[k]
            type_index: int | None = None
            desc: Table | Memory | GlobalType | None = None
            if kind == "func":
                type_index = self._type_index(r)
                self.num_imported_funcs += 1
            elif kind == "table":
                desc = _table_type(r)
            elif kind == "memory":
                desc = _memory_type(r)
            elif kind == "global":
                desc = _global_type(r)
            else:
                self._tag_attribute(r)
                type_index = self._type_index(r)
            self.imports.append(Import(mod, name, kind, type_index, desc, at))

    def _tag_attribute(self, r: Reader) -> None:
        at = r.pos
        if r.byte() != 0:
            raise r.error("invalid tag attribute", at)

    def sec_function(self, r: Reader) -> None:
        n = r.count(1, "function")
        one_byte = r.data[r.pos : r.pos + n]
        if n and max(one_byte) < min(0x80, len(self.types)):  # every index is one byte and valid
            self.func_type_indices = list(one_byte)
            r.pos += n
            return
        self.func_type_indices = [self._type_index(r) for _ in range(n)]

    def sec_table(self, r: Reader) -> None:
        self.tables += [_table_type(r) for _ in range(r.count(3, "table"))]

    def sec_memory(self, r: Reader) -> None:
        self.memories += [_memory_type(r) for _ in range(r.count(2, "memory"))]

    def sec_tag(self, r: Reader) -> None:
        for _ in range(r.count(2, "tag")):
            self._tag_attribute(r)
            self.tags.append(self._type_index(r))

    def sec_global(self, r: Reader) -> None:
        for _ in range(r.count(3, "global")):
            gt = _global_type(r)
            self.globals.append(Global(gt, const_expr(r)))

    def sec_export(self, r: Reader) -> None:
        seen: set[str] = set()
        for _ in range(r.count(3, "export")):
            at = r.pos
            name = r.name()
            if name in seen:
                raise r.error(f"duplicate export name {name!r}", at)
            seen.add(name)
            kind_at = r.pos
            k = r.byte()
            if k >= len(_KINDS):
                raise r.error(f"unknown export kind 0x{k:02x}", kind_at)
            self.export_offsets.append(at)
            self.exports.append(Export(name, _KINDS[k], r.u32()))

    def sec_start(self, r: Reader) -> None:
        self.start_offset = r.pos
        self.start = r.u32()

    def sec_element(self, r: Reader) -> None:
        for _ in range(r.count(1, "element segment")):
            at = r.pos
            flags = r.u32()
            if flags > 7:
                raise r.error(f"invalid element segment flags {flags}", at)
            mode: Literal["active", "passive", "declarative"]
            mode = ("declarative" if flags & 2 else "passive") if flags & 1 else "active"
            table: int | None = None
            offset_expr: ConstExpr | None = None
            if mode == "active":
                table = r.u32() if flags & 2 else 0
                offset_expr = const_expr(r)
            elem_type = "funcref"
            items: list[int | None] = []
            if flags & 4:  # expressions
                if flags & 3:
                    elem_type = r.reftype()
                for _ in range(r.count(1, "element")):
                    expr = const_expr(r)
                    refs = expr.ref_funcs
                    items.append(refs[0] if len(expr.instrs) == 1 and refs else None)
            else:
                if flags & 3:
                    kind_at = r.pos
                    if r.byte() != 0x00:
                        raise r.error("invalid element kind", kind_at)
                items = [r.u32() for _ in range(r.count(1, "element"))]
            self.elements.append(Element(mode, table, offset_expr, elem_type, tuple(items), at))

    def sec_data_count(self, r: Reader) -> None:
        self.data_count = r.u32()

    def sec_code(self, r: Reader) -> None:
        start = r.pos
        n = r.count(2, "function body")
        if n != len(self.func_type_indices):
            raise r.error(
                f"code section has {n} bodies but the function section declares "
                f"{len(self.func_type_indices)} functions"
            )
        self.code = (start, r.end)
        r.pos = r.end  # bodies are decoded in finish(), once everything else is known

    def sec_data(self, r: Reader) -> None:
        n = r.count(1, "data segment")
        if self.data_count is not None and n != self.data_count:
            raise r.error(f"data section has {n} segments but data count says {self.data_count}")
        data, end, match = r.data, r.end, _ACTIVE_I32.match
        append = self.data_segments.append
        for _ in range(n):
            at = r.pos
            m = match(data, at, end)
            if m is not None:  # the common shape, read by one regex match (same result)
                size = _leb(m[2], False)
                stop = m.end() + size
                if stop <= end:
                    expr = ConstExpr((("i32.const", (_leb(m[1], True),)),), at + 1)
                    append(DataSegment("active", 0, expr, size, at))
                    r.pos = stop
                    continue
            append(self._data_segment(r))

    @staticmethod
    def _data_segment(r: Reader) -> DataSegment:
        at = r.pos
        flags = r.u32()
        if flags > 2:
            raise r.error(f"invalid data segment flags {flags}", at)
        if flags == 1:
            size = r.count(1, "data byte")
            r.pos += size
            return DataSegment("passive", None, None, size, at)
        mem = r.u32() if flags == 2 else 0
        expr = const_expr(r)
        size = r.count(1, "data byte")
        r.pos += size
        return DataSegment("active", mem, expr, size, at)

    # -- bodies and checks ---------------------------------------------------------------------

    def bodies(self) -> list[Function]:
        if not self.func_type_indices:
            if self.code is not None:
                Reader(self.data, *self.code).count(2, "function body")
            return []
        if self.code is None:
            raise WasmDecodeError(
                f"function section declares {len(self.func_type_indices)} functions but there is "
                "no code section",
                len(self.data),
            )
        pos, end = self.code
        r = Reader(self.data, pos, end)
        r.count(2, "function body")
        return decode_code(
            self.data,
            r.pos,
            end,
            self.func_type_indices,
            self.num_imported_funcs,
            self.func_names,
            len(self.types),
        )

    def finish(self) -> Module:
        functions = self.bodies()
        total = self.num_imported_funcs + len(functions)
        counts = {
            "func": total,
            "table": len(self.tables) + sum(1 for i in self.imports if i.kind == "table"),
            "memory": len(self.memories) + sum(1 for i in self.imports if i.kind == "memory"),
            "global": len(self.globals) + sum(1 for i in self.imports if i.kind == "global"),
            "tag": len(self.tags) + sum(1 for i in self.imports if i.kind == "tag"),
        }
        for e, at in zip(self.exports, self.export_offsets, strict=True):
            if e.index >= counts[e.kind]:
                raise WasmDecodeError(
                    f"export {e.name!r} refers to {e.kind} {e.index}, out of range ({counts[e.kind]})", at
                )
        if self.start is not None and self.start >= total:
            raise WasmDecodeError(f"start function {self.start} out of range ({total})", self.start_offset)
        for seg in self.elements:
            for f in seg.func_indices:
                if f is not None and f >= total:
                    raise WasmDecodeError(f"element refers to function {f}, out of range", seg.offset)
        names: Mapping[int, str] = MappingProxyType(dict(self.func_names))
        return Module(
            types=tuple(self.types),
            imports=tuple(self.imports),
            functions=tuple(functions),
            num_imported_functions=self.num_imported_funcs,
            tables=tuple(self.tables),
            memories=tuple(self.memories),
            globals=tuple(self.globals),
            exports=tuple(self.exports),
            start=self.start,
            elements=tuple(self.elements),
            data=tuple(self.data_segments),
            data_count=self.data_count,
            customs=tuple(self.customs),
            func_names=names,
            size=len(self.data),
            tags=tuple(self.tags),
            module_name=self.module_name,
        )


def decode(data: bytes) -> Module:
    """Decode a WebAssembly binary module; raises :class:`~gasmodel.errors.WasmDecodeError`."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("decode() expects bytes")
    return _Decoder(bytes(data)).run()
