"""The decoded form of a WebAssembly module: frozen dataclasses, no behaviour beyond lookups.

``Function.ops`` is an ``array('H')`` of opcode ids (indexes into
:data:`gasmodel.wasm.opcodes.OPCODES`), one per instruction in the order of the body, the final
``end`` included. Anything that needs only the operator sequence (histograms, cosmwasm-vm
metering blocks, static cost) derives it from ``ops`` in one pass without decoding again, e.g.
``numpy.frombuffer(fn.ops, dtype=numpy.uint16)`` and a per-id lookup table.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from gasmodel.wasm.opcodes import CATEGORY_OF, NAMES

ExternKind = Literal["func", "table", "memory", "global", "tag"]


@dataclass(frozen=True, slots=True)
class FuncType:
    """A function signature; value types in text-format spelling."""

    params: tuple[str, ...]
    results: tuple[str, ...]

    def __str__(self) -> str:
        return f"({', '.join(self.params)}) -> ({', '.join(self.results)})"


@dataclass(frozen=True, slots=True)
class ConstExpr:
    """A constant expression (global init, segment offset, element item), without its ``end``.

    ``instrs`` holds ``(text-format name, immediates)`` per instruction.
    """

    instrs: tuple[tuple[str, tuple[object, ...]], ...]
    offset: int

    @property
    def value(self) -> int | float | None:
        """The value when the expression is a single ``*.const``; ``None`` otherwise."""
        if len(self.instrs) == 1 and self.instrs[0][0].endswith(".const"):
            v = self.instrs[0][1][0]
            return v if isinstance(v, int | float) else None
        return None

    @property
    def ref_funcs(self) -> tuple[int, ...]:
        """Function indices referenced by ``ref.func`` in the expression."""
        return tuple(int(str(imm[0])) for name, imm in self.instrs if name == "ref.func")


@dataclass(frozen=True, slots=True)
class Table:
    """A table (defined or imported)."""

    elem_type: str
    min: int
    max: int | None
    table64: bool = False
    init: ConstExpr | None = None


@dataclass(frozen=True, slots=True)
class Memory:
    """A linear memory (defined or imported); ``min``/``max`` in 64 KiB pages."""

    min: int
    max: int | None
    shared: bool = False
    memory64: bool = False


@dataclass(frozen=True, slots=True)
class GlobalType:
    """The type of a global."""

    valtype: str
    mutable: bool


@dataclass(frozen=True, slots=True)
class Global:
    """A defined global."""

    type: GlobalType
    init: ConstExpr

    @property
    def valtype(self) -> str:
        """Value type of the global."""
        return self.type.valtype

    @property
    def mutable(self) -> bool:
        """Whether the global is mutable."""
        return self.type.mutable


@dataclass(frozen=True, slots=True)
class Import:
    """An import; ``desc`` is the table, memory or global type for those kinds."""

    module: str
    name: str
    kind: ExternKind
    type_index: int | None
    desc: Table | Memory | GlobalType | None
    offset: int


@dataclass(frozen=True, slots=True)
class Export:
    """An export."""

    name: str
    kind: ExternKind
    index: int


@dataclass(frozen=True, slots=True)
class Element:
    """An element segment.

    ``mode`` is ``active``, ``passive`` or ``declarative``; ``table`` and ``offset`` are set for
    active segments. ``func_indices`` has one entry per item: the function index, or ``None`` for an
    item that is not a plain ``ref.func`` (e.g. ``ref.null``).
    """

    mode: Literal["active", "passive", "declarative"]
    table: int | None
    offset_expr: ConstExpr | None
    elem_type: str
    func_indices: tuple[int | None, ...]
    offset: int


@dataclass(frozen=True, slots=True)
class DataSegment:
    """A data segment (``memory``/``offset_expr`` set for active segments)."""

    mode: Literal["active", "passive"]
    memory: int | None
    offset_expr: ConstExpr | None
    size: int
    offset: int


@dataclass(frozen=True, slots=True)
class CustomSection:
    """A custom section: its name, byte offset of the section payload, payload size."""

    name: str
    offset: int
    size: int


@dataclass(frozen=True, eq=False)
class Function:
    """A defined function.

    ``index`` is the absolute function index (imports first). ``ops`` holds one opcode id per
    instruction, the final ``end`` included. ``calls`` lists direct ``call``/``return_call``
    targets in order (with repeats), ``indirect_type_refs`` the type indices of
    ``call_indirect``/``return_call_indirect``, ``ref_funcs`` the targets of ``ref.func``.
    """

    index: int
    type_index: int
    name: str | None
    num_locals: int
    offset: int
    size: int
    ops: array[int]
    calls: tuple[int, ...]
    indirect_type_refs: tuple[int, ...]
    ref_funcs: tuple[int, ...]
    locals: tuple[tuple[int, str], ...] = field(default=(), repr=False)

    @property
    def demangled(self) -> str | None:
        """The name for people: :attr:`name` demangled if it is a Rust symbol (legacy ``_ZN…E`` or
        v0 ``_R…``), without the ``::h<16 hex digits>`` hash and any ``.llvm.…`` suffix
        (``_ZN8workload3fib17h…E`` -> ``workload::fib``); any other name unchanged; ``None`` when
        the module's name section gives the function no name.

        Uses the bounded demangler of :mod:`gasmodel.wasm.demangle` (names come from untrusted
        modules: a symbol beyond its bounds stays raw). Not cached: each access demangles again
        (through a small LRU cache), so keep the result when looping over many functions.
        """
        if self.name is None:
            return None
        from gasmodel.wasm.demangle import demangle  # the demangler's package loads on first use

        return demangle(self.name)

    def histogram(self) -> Counter[str]:
        """Instruction counts by text-format name."""
        return Counter({NAMES[i]: n for i, n in Counter(self.ops).items()})

    def category_histogram(self) -> Counter[str]:
        """Instruction counts by category."""
        out: Counter[str] = Counter()
        for i, n in Counter(self.ops).items():
            out[CATEGORY_OF[i]] += n
        return out


@dataclass(frozen=True, eq=False)
class Module:
    """A decoded module. ``functions`` holds the defined functions only."""

    types: tuple[FuncType, ...]
    imports: tuple[Import, ...]
    functions: tuple[Function, ...]
    num_imported_functions: int
    tables: tuple[Table, ...]
    memories: tuple[Memory, ...]
    globals: tuple[Global, ...]
    exports: tuple[Export, ...]
    start: int | None
    elements: tuple[Element, ...]
    data: tuple[DataSegment, ...]
    data_count: int | None
    customs: tuple[CustomSection, ...]
    func_names: Mapping[int, str]
    size: int
    tags: tuple[int, ...] = ()
    module_name: str | None = None

    @property
    def num_functions(self) -> int:
        """Imported plus defined functions."""
        return self.num_imported_functions + len(self.functions)

    @cached_property
    def imported_func_type_indices(self) -> tuple[int, ...]:
        """Type index of each imported function, in import order."""
        return tuple(i.type_index for i in self.imports if i.kind == "func" and i.type_index is not None)

    def func_type_index(self, func_index: int) -> int:
        """Type index of a function (absolute index, imported or defined)."""
        if 0 <= func_index < self.num_imported_functions:
            return self.imported_func_type_indices[func_index]
        return self.function(func_index).type_index

    def func_type(self, func_index: int) -> FuncType:
        """Signature of a function (absolute index, imported or defined)."""
        return self.types[self.func_type_index(func_index)]

    def func_name(self, func_index: int) -> str | None:
        """Name of a function from the name section, if any."""
        return self.func_names.get(func_index)

    def function(self, func_index: int) -> Function:
        """The defined function with this absolute index."""
        i = func_index - self.num_imported_functions
        if not 0 <= i < len(self.functions):
            raise IndexError(f"function {func_index} is not a defined function of this module")
        return self.functions[i]

    @property
    def ref_funcs_in_elements(self) -> dict[int, frozenset[int]]:
        """Function indices placed in each table by active element segments."""
        out: dict[int, set[int]] = {}
        for seg in self.elements:
            if seg.mode == "active" and seg.table is not None:
                out.setdefault(seg.table, set()).update(i for i in seg.func_indices if i is not None)
        return {t: frozenset(s) for t, s in out.items()}

    @property
    def ref_funcs_in_globals(self) -> frozenset[int]:
        """Function indices referenced by ``ref.func`` in global initialisers."""
        return frozenset(i for g in self.globals for i in g.init.ref_funcs)

    def exported_functions(self) -> dict[str, int]:
        """Exported function names -> absolute function index."""
        return {e.name: e.index for e in self.exports if e.kind == "func"}
