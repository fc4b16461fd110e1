"""The opcode table: the single source of truth for every WebAssembly instruction gasmodel knows.

Each :class:`Opcode` has a small integer ``id`` (its index in :data:`OPCODES`), its name in the
WebAssembly text format, its binary encoding (``prefix`` byte or ``None``, then ``code``), the kinds
of its immediates, the proposal that introduced it and a category. The decoder, histograms and
cost tables derive from this table.

Immediate kinds: ``blocktype``, ``labelidx``, ``labeltable`` (``br_table``: a vector of labels
then the default), ``funcidx``, ``typeidx``, ``tableidx``, ``memidx``, ``localidx``, ``globalidx``,
``tagidx``, ``dataidx``, ``elemidx``, ``memarg``, ``i32``, ``i64``, ``f32``, ``f64``, ``v128``,
``laneidx``, ``shuffle`` (16 lane bytes), ``heaptype``, ``valtypes`` (typed ``select``),
``catches`` (``try_table``'s catch clauses) and ``zero`` (a reserved ``0x00`` byte).

Naming: the typed ``select`` (``0x1c``), written ``select (result t)`` in the text format, is
named ``select_t`` here so that every name is unique (wabt prints it as ``select``).
GC (``0xFB``) and wide-arithmetic opcodes are not in the table; the decoder rejects them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from gasmodel.wasm.leb import uleb

PREFIXES = (0xFB, 0xFC, 0xFD, 0xFE)

PROPOSALS = (
    "mvp",
    "sign-extension",
    "nontrapping-float-to-int",
    "bulk-memory",
    "reference-types",
    "simd",
    "relaxed-simd",
    "threads",
    "tail-call",
    "exceptions",
    "legacy-exceptions",
    "function-references",
    "gc",
    "extended-const",
    "multi-value",
)

CATEGORIES = (
    "control",
    "call",
    "parametric",
    "variable",
    "table",
    "memory",
    "bulk-memory",
    "const",
    "numeric-int",
    "numeric-float",
    "conversion",
    "sign-extension",
    "saturating-conversion",
    "reference",
    "simd",
    "atomic",
    "exception",
)


# Wasm feature name (wasmparser's ``WasmFeatures`` names, as chain profiles use them) of each
# proposal; MVP float instructions get "floats" (the Gatekeeper's switch), other MVP ones None.
PROPOSAL_FEATURE: Mapping[str, str | None] = MappingProxyType(
    {
        "mvp": None,
        "sign-extension": "sign_extension",
        "nontrapping-float-to-int": "saturating_float_to_int",
        "bulk-memory": "bulk_memory",
        "reference-types": "reference_types",
        "simd": "simd",
        "relaxed-simd": "relaxed_simd",
        "threads": "threads",
        "tail-call": "tail_call",
        "exceptions": "exceptions",
        "legacy-exceptions": "exceptions",
        "function-references": "function_references",
        "gc": "gc",
        "extended-const": "extended_const",
        "multi-value": "multi_value",
    }
)

ROLES = ("plain", "block", "call", "call_indirect", "call_ref")
"""``Opcode.role``: opens a block (block, loop, if, try, try_table), calls a function by index
(call, return_call), through a table (call_indirect, return_call_indirect) or by reference."""

# Instructions allowed in a constant expression (MVP + extended-const + reference types).
_CONST_EXPR = frozenset(
    {
        "i32.const", "i64.const", "f32.const", "f64.const", "v128.const", "global.get",
        "ref.null", "ref.func", "i32.add", "i32.sub", "i32.mul", "i64.add", "i64.sub", "i64.mul",
        "end",
    }
)  # fmt: skip
_ROLE_OF_NAME = {
    **dict.fromkeys(("block", "loop", "if", "try", "try_table"), "block"),
    **dict.fromkeys(("call", "return_call"), "call"),
    **dict.fromkeys(("call_indirect", "return_call_indirect"), "call_indirect"),
    **dict.fromkeys(("call_ref", "return_call_ref"), "call_ref"),
}


def _is_float(name: str, proposal: str) -> bool:
    """An MVP or saturating-conversion instruction that reads or writes f32/f64 values."""
    if proposal not in ("mvp", "nontrapping-float-to-int"):
        return False
    return name.startswith(("f32.", "f64.")) or "_f32" in name or "_f64" in name


@dataclass(frozen=True, slots=True)
class Opcode:
    """One instruction: text-format name, encoding, immediates, proposal and category.

    Derived columns: ``feature`` (the Wasm feature name that gates it, see
    :data:`PROPOSAL_FEATURE`; MVP float instructions are gated by ``"floats"``), ``is_float``,
    ``role`` (see :data:`ROLES`) and ``const_expr`` (allowed in a constant expression).
    """

    id: int
    name: str
    prefix: int | None
    code: int
    immediates: tuple[str, ...]
    proposal: str
    category: str
    feature: str | None = None
    is_float: bool = False
    role: str = "plain"
    const_expr: bool = False

    @property
    def encoding(self) -> bytes:
        """The opcode bytes (prefix, then the LEB128 sub-opcode for prefixed instructions)."""
        if self.prefix is None:
            return bytes((self.code,))
        return bytes((self.prefix,)) + uleb(self.code)


_Row = tuple[int | None, int, str, tuple[str, ...], str, str]

_MA = ("memarg",)
_ML = ("memarg", "laneidx")


def _mvp_rows() -> list[_Row]:
    rows: list[_Row] = []

    def add(code: int, name: str, imm: tuple[str, ...], cat: str, prop: str = "mvp") -> None:
        rows.append((None, code, name, imm, prop, cat))

    add(0x00, "unreachable", (), "control")
    add(0x01, "nop", (), "control")
    add(0x02, "block", ("blocktype",), "control")
    add(0x03, "loop", ("blocktype",), "control")
    add(0x04, "if", ("blocktype",), "control")
    add(0x05, "else", (), "control")
    add(0x06, "try", ("blocktype",), "exception", "legacy-exceptions")
    add(0x07, "catch", ("tagidx",), "exception", "legacy-exceptions")
    add(0x08, "throw", ("tagidx",), "exception", "exceptions")
    add(0x09, "rethrow", ("labelidx",), "exception", "legacy-exceptions")
    add(0x0A, "throw_ref", (), "exception", "exceptions")
    add(0x0B, "end", (), "control")
    add(0x0C, "br", ("labelidx",), "control")
    add(0x0D, "br_if", ("labelidx",), "control")
    add(0x0E, "br_table", ("labeltable",), "control")
    add(0x0F, "return", (), "control")
    add(0x10, "call", ("funcidx",), "call")
    add(0x11, "call_indirect", ("typeidx", "tableidx"), "call")
    add(0x12, "return_call", ("funcidx",), "call", "tail-call")
    add(0x13, "return_call_indirect", ("typeidx", "tableidx"), "call", "tail-call")
    add(0x14, "call_ref", ("typeidx",), "call", "function-references")
    add(0x15, "return_call_ref", ("typeidx",), "call", "function-references")
    add(0x18, "delegate", ("labelidx",), "exception", "legacy-exceptions")
    add(0x19, "catch_all", (), "exception", "legacy-exceptions")
    add(0x1A, "drop", (), "parametric")
    add(0x1B, "select", (), "parametric")
    add(0x1C, "select_t", ("valtypes",), "parametric", "reference-types")
    add(0x1F, "try_table", ("blocktype", "catches"), "exception", "exceptions")
    for code, name in ((0x20, "local.get"), (0x21, "local.set"), (0x22, "local.tee")):
        add(code, name, ("localidx",), "variable")
    add(0x23, "global.get", ("globalidx",), "variable")
    add(0x24, "global.set", ("globalidx",), "variable")
    add(0x25, "table.get", ("tableidx",), "table", "reference-types")
    add(0x26, "table.set", ("tableidx",), "table", "reference-types")
    mem = [
        "i32.load",
        "i64.load",
        "f32.load",
        "f64.load",
        "i32.load8_s",
        "i32.load8_u",
        "i32.load16_s",
        "i32.load16_u",
        "i64.load8_s",
        "i64.load8_u",
        "i64.load16_s",
        "i64.load16_u",
        "i64.load32_s",
        "i64.load32_u",
        "i32.store",
        "i64.store",
        "f32.store",
        "f64.store",
        "i32.store8",
        "i32.store16",
        "i64.store8",
        "i64.store16",
        "i64.store32",
    ]
    for i, name in enumerate(mem):
        add(0x28 + i, name, _MA, "memory")
    add(0x3F, "memory.size", ("memidx",), "memory")
    add(0x40, "memory.grow", ("memidx",), "memory")
    add(0x41, "i32.const", ("i32",), "const")
    add(0x42, "i64.const", ("i64",), "const")
    add(0x43, "f32.const", ("f32",), "const")
    add(0x44, "f64.const", ("f64",), "const")
    cmp_i = ["eqz", "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"]
    cmp_f = ["eq", "ne", "lt", "gt", "le", "ge"]
    code = 0x45
    for t, names, cat in (
        ("i32", cmp_i, "numeric-int"),
        ("i64", cmp_i, "numeric-int"),
        ("f32", cmp_f, "numeric-float"),
        ("f64", cmp_f, "numeric-float"),
    ):
        for n in names:
            add(code, f"{t}.{n}", (), cat)
            code += 1
    arith_i = [
        "clz",
        "ctz",
        "popcnt",
        "add",
        "sub",
        "mul",
        "div_s",
        "div_u",
        "rem_s",
        "rem_u",
        "and",
        "or",
        "xor",
        "shl",
        "shr_s",
        "shr_u",
        "rotl",
        "rotr",
    ]
    arith_f = [
        "abs",
        "neg",
        "ceil",
        "floor",
        "trunc",
        "nearest",
        "sqrt",
        "add",
        "sub",
        "mul",
        "div",
        "min",
        "max",
        "copysign",
    ]
    for t, names, cat in (
        ("i32", arith_i, "numeric-int"),
        ("i64", arith_i, "numeric-int"),
        ("f32", arith_f, "numeric-float"),
        ("f64", arith_f, "numeric-float"),
    ):
        for n in names:
            add(code, f"{t}.{n}", (), cat)
            code += 1
    conv = [
        "i32.wrap_i64",
        "i32.trunc_f32_s",
        "i32.trunc_f32_u",
        "i32.trunc_f64_s",
        "i32.trunc_f64_u",
        "i64.extend_i32_s",
        "i64.extend_i32_u",
        "i64.trunc_f32_s",
        "i64.trunc_f32_u",
        "i64.trunc_f64_s",
        "i64.trunc_f64_u",
        "f32.convert_i32_s",
        "f32.convert_i32_u",
        "f32.convert_i64_s",
        "f32.convert_i64_u",
        "f32.demote_f64",
        "f64.convert_i32_s",
        "f64.convert_i32_u",
        "f64.convert_i64_s",
        "f64.convert_i64_u",
        "f64.promote_f32",
        "i32.reinterpret_f32",
        "i64.reinterpret_f64",
        "f32.reinterpret_i32",
        "f64.reinterpret_i64",
    ]
    assert code == 0xA7
    for n in conv:
        add(code, n, (), "conversion")
        code += 1
    for i, n in enumerate(
        ["i32.extend8_s", "i32.extend16_s", "i64.extend8_s", "i64.extend16_s", "i64.extend32_s"]
    ):
        add(0xC0 + i, n, (), "sign-extension", "sign-extension")
    add(0xD0, "ref.null", ("heaptype",), "reference", "reference-types")
    add(0xD1, "ref.is_null", (), "reference", "reference-types")
    add(0xD2, "ref.func", ("funcidx",), "reference", "reference-types")
    add(0xD3, "ref.eq", (), "reference", "gc")
    add(0xD4, "ref.as_non_null", (), "reference", "function-references")
    add(0xD5, "br_on_null", ("labelidx",), "control", "function-references")
    add(0xD6, "br_on_non_null", ("labelidx",), "control", "function-references")
    return rows


def _fc_rows() -> list[_Row]:
    rows: list[_Row] = []
    sat = [
        "i32.trunc_sat_f32_s",
        "i32.trunc_sat_f32_u",
        "i32.trunc_sat_f64_s",
        "i32.trunc_sat_f64_u",
        "i64.trunc_sat_f32_s",
        "i64.trunc_sat_f32_u",
        "i64.trunc_sat_f64_s",
        "i64.trunc_sat_f64_u",
    ]
    for i, n in enumerate(sat):
        rows.append((0xFC, i, n, (), "nontrapping-float-to-int", "saturating-conversion"))
    rows += [
        (0xFC, 8, "memory.init", ("dataidx", "memidx"), "bulk-memory", "bulk-memory"),
        (0xFC, 9, "data.drop", ("dataidx",), "bulk-memory", "bulk-memory"),
        (0xFC, 10, "memory.copy", ("memidx", "memidx"), "bulk-memory", "bulk-memory"),
        (0xFC, 11, "memory.fill", ("memidx",), "bulk-memory", "bulk-memory"),
        (0xFC, 12, "table.init", ("elemidx", "tableidx"), "bulk-memory", "table"),
        (0xFC, 13, "elem.drop", ("elemidx",), "bulk-memory", "table"),
        (0xFC, 14, "table.copy", ("tableidx", "tableidx"), "bulk-memory", "table"),
        (0xFC, 15, "table.grow", ("tableidx",), "reference-types", "table"),
        (0xFC, 16, "table.size", ("tableidx",), "reference-types", "table"),
        (0xFC, 17, "table.fill", ("tableidx",), "reference-types", "table"),
    ]
    return rows


# SIMD: (code, name, immediates); names without immediates are listed compactly below.
_SIMD_SPECIAL: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (0x00, "v128.load", _MA),
    (0x01, "v128.load8x8_s", _MA),
    (0x02, "v128.load8x8_u", _MA),
    (0x03, "v128.load16x4_s", _MA),
    (0x04, "v128.load16x4_u", _MA),
    (0x05, "v128.load32x2_s", _MA),
    (0x06, "v128.load32x2_u", _MA),
    (0x07, "v128.load8_splat", _MA),
    (0x08, "v128.load16_splat", _MA),
    (0x09, "v128.load32_splat", _MA),
    (0x0A, "v128.load64_splat", _MA),
    (0x0B, "v128.store", _MA),
    (0x0C, "v128.const", ("v128",)),
    (0x0D, "i8x16.shuffle", ("shuffle",)),
    (0x15, "i8x16.extract_lane_s", ("laneidx",)),
    (0x16, "i8x16.extract_lane_u", ("laneidx",)),
    (0x17, "i8x16.replace_lane", ("laneidx",)),
    (0x18, "i16x8.extract_lane_s", ("laneidx",)),
    (0x19, "i16x8.extract_lane_u", ("laneidx",)),
    (0x1A, "i16x8.replace_lane", ("laneidx",)),
    (0x1B, "i32x4.extract_lane", ("laneidx",)),
    (0x1C, "i32x4.replace_lane", ("laneidx",)),
    (0x1D, "i64x2.extract_lane", ("laneidx",)),
    (0x1E, "i64x2.replace_lane", ("laneidx",)),
    (0x1F, "f32x4.extract_lane", ("laneidx",)),
    (0x20, "f32x4.replace_lane", ("laneidx",)),
    (0x21, "f64x2.extract_lane", ("laneidx",)),
    (0x22, "f64x2.replace_lane", ("laneidx",)),
    (0x54, "v128.load8_lane", _ML),
    (0x55, "v128.load16_lane", _ML),
    (0x56, "v128.load32_lane", _ML),
    (0x57, "v128.load64_lane", _ML),
    (0x58, "v128.store8_lane", _ML),
    (0x59, "v128.store16_lane", _ML),
    (0x5A, "v128.store32_lane", _ML),
    (0x5B, "v128.store64_lane", _ML),
    (0x5C, "v128.load32_zero", _MA),
    (0x5D, "v128.load64_zero", _MA),
)

# Plain SIMD ops as "code:name" runs; consecutive codes after each "code:" start.
_SIMD_PLAIN = """
0e: i8x16.swizzle i8x16.splat i16x8.splat i32x4.splat i64x2.splat f32x4.splat f64x2.splat
23: i8x16.eq i8x16.ne i8x16.lt_s i8x16.lt_u i8x16.gt_s i8x16.gt_u i8x16.le_s i8x16.le_u i8x16.ge_s i8x16.ge_u
    i16x8.eq i16x8.ne i16x8.lt_s i16x8.lt_u i16x8.gt_s i16x8.gt_u i16x8.le_s i16x8.le_u i16x8.ge_s i16x8.ge_u
    i32x4.eq i32x4.ne i32x4.lt_s i32x4.lt_u i32x4.gt_s i32x4.gt_u i32x4.le_s i32x4.le_u i32x4.ge_s i32x4.ge_u
    f32x4.eq f32x4.ne f32x4.lt f32x4.gt f32x4.le f32x4.ge
    f64x2.eq f64x2.ne f64x2.lt f64x2.gt f64x2.le f64x2.ge
    v128.not v128.and v128.andnot v128.or v128.xor v128.bitselect v128.any_true
5e: f32x4.demote_f64x2_zero f64x2.promote_low_f32x4 i8x16.abs i8x16.neg i8x16.popcnt i8x16.all_true
    i8x16.bitmask i8x16.narrow_i16x8_s i8x16.narrow_i16x8_u f32x4.ceil f32x4.floor f32x4.trunc f32x4.nearest
    i8x16.shl i8x16.shr_s i8x16.shr_u i8x16.add i8x16.add_sat_s i8x16.add_sat_u i8x16.sub i8x16.sub_sat_s
    i8x16.sub_sat_u f64x2.ceil f64x2.floor i8x16.min_s i8x16.min_u i8x16.max_s i8x16.max_u f64x2.trunc
    i8x16.avgr_u i16x8.extadd_pairwise_i8x16_s i16x8.extadd_pairwise_i8x16_u i32x4.extadd_pairwise_i16x8_s
    i32x4.extadd_pairwise_i16x8_u i16x8.abs i16x8.neg i16x8.q15mulr_sat_s i16x8.all_true i16x8.bitmask
    i16x8.narrow_i32x4_s i16x8.narrow_i32x4_u i16x8.extend_low_i8x16_s i16x8.extend_high_i8x16_s
    i16x8.extend_low_i8x16_u i16x8.extend_high_i8x16_u i16x8.shl i16x8.shr_s i16x8.shr_u i16x8.add
    i16x8.add_sat_s i16x8.add_sat_u i16x8.sub i16x8.sub_sat_s i16x8.sub_sat_u f64x2.nearest i16x8.mul
    i16x8.min_s i16x8.min_u i16x8.max_s i16x8.max_u
9b: i16x8.avgr_u i16x8.extmul_low_i8x16_s i16x8.extmul_high_i8x16_s i16x8.extmul_low_i8x16_u
    i16x8.extmul_high_i8x16_u i32x4.abs i32x4.neg
a3: i32x4.all_true i32x4.bitmask
a7: i32x4.extend_low_i16x8_s i32x4.extend_high_i16x8_s i32x4.extend_low_i16x8_u i32x4.extend_high_i16x8_u
    i32x4.shl i32x4.shr_s i32x4.shr_u i32x4.add
b1: i32x4.sub
b5: i32x4.mul i32x4.min_s i32x4.min_u i32x4.max_s i32x4.max_u i32x4.dot_i16x8_s
bc: i32x4.extmul_low_i16x8_s i32x4.extmul_high_i16x8_s i32x4.extmul_low_i16x8_u i32x4.extmul_high_i16x8_u
    i64x2.abs i64x2.neg
c3: i64x2.all_true i64x2.bitmask
c7: i64x2.extend_low_i32x4_s i64x2.extend_high_i32x4_s i64x2.extend_low_i32x4_u i64x2.extend_high_i32x4_u
    i64x2.shl i64x2.shr_s i64x2.shr_u i64x2.add
d1: i64x2.sub
d5: i64x2.mul i64x2.eq i64x2.ne i64x2.lt_s i64x2.gt_s i64x2.le_s i64x2.ge_s i64x2.extmul_low_i32x4_s
    i64x2.extmul_high_i32x4_s i64x2.extmul_low_i32x4_u i64x2.extmul_high_i32x4_u f32x4.abs f32x4.neg
e3: f32x4.sqrt f32x4.add f32x4.sub f32x4.mul f32x4.div f32x4.min f32x4.max f32x4.pmin f32x4.pmax
    f64x2.abs f64x2.neg
ef: f64x2.sqrt f64x2.add f64x2.sub f64x2.mul f64x2.div f64x2.min f64x2.max f64x2.pmin f64x2.pmax
    i32x4.trunc_sat_f32x4_s i32x4.trunc_sat_f32x4_u f32x4.convert_i32x4_s f32x4.convert_i32x4_u
    i32x4.trunc_sat_f64x2_s_zero i32x4.trunc_sat_f64x2_u_zero f64x2.convert_low_i32x4_s
    f64x2.convert_low_i32x4_u
100: i8x16.relaxed_swizzle i32x4.relaxed_trunc_f32x4_s i32x4.relaxed_trunc_f32x4_u
    i32x4.relaxed_trunc_f64x2_s_zero i32x4.relaxed_trunc_f64x2_u_zero f32x4.relaxed_madd
    f32x4.relaxed_nmadd f64x2.relaxed_madd f64x2.relaxed_nmadd i8x16.relaxed_laneselect
    i16x8.relaxed_laneselect i32x4.relaxed_laneselect i64x2.relaxed_laneselect f32x4.relaxed_min
    f32x4.relaxed_max f64x2.relaxed_min f64x2.relaxed_max i16x8.relaxed_q15mulr_s
    i16x8.relaxed_dot_i8x16_i7x16_s i32x4.relaxed_dot_i8x16_i7x16_add_s
"""


def _runs(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    code = -1
    for tok in text.split():
        if tok.endswith(":"):
            code = int(tok[:-1], 16)
            continue
        out.append((code, tok))
        code += 1
    return out


def _fd_rows() -> list[_Row]:
    rows: list[_Row] = [(0xFD, c, n, imm, "simd", "simd") for c, n, imm in _SIMD_SPECIAL]
    for c, n in _runs(_SIMD_PLAIN):
        rows.append((0xFD, c, n, (), "relaxed-simd" if c >= 0x100 else "simd", "simd"))
    return rows


_ATOMIC_RMW = ["add", "sub", "and", "or", "xor", "xchg", "cmpxchg"]


def _fe_rows() -> list[_Row]:
    rows: list[_Row] = [
        (0xFE, 0x00, "memory.atomic.notify", _MA, "threads", "atomic"),
        (0xFE, 0x01, "memory.atomic.wait32", _MA, "threads", "atomic"),
        (0xFE, 0x02, "memory.atomic.wait64", _MA, "threads", "atomic"),
        (0xFE, 0x03, "atomic.fence", ("zero",), "threads", "atomic"),
    ]
    names = [
        "i32.atomic.load",
        "i64.atomic.load",
        "i32.atomic.load8_u",
        "i32.atomic.load16_u",
        "i64.atomic.load8_u",
        "i64.atomic.load16_u",
        "i64.atomic.load32_u",
        "i32.atomic.store",
        "i64.atomic.store",
        "i32.atomic.store8",
        "i32.atomic.store16",
        "i64.atomic.store8",
        "i64.atomic.store16",
        "i64.atomic.store32",
    ]
    for op in _ATOMIC_RMW:
        names += [
            f"i32.atomic.rmw.{op}",
            f"i64.atomic.rmw.{op}",
            f"i32.atomic.rmw8.{op}_u",
            f"i32.atomic.rmw16.{op}_u",
            f"i64.atomic.rmw8.{op}_u",
            f"i64.atomic.rmw16.{op}_u",
            f"i64.atomic.rmw32.{op}_u",
        ]
    for i, n in enumerate(names):
        rows.append((0xFE, 0x10 + i, n, _MA, "threads", "atomic"))
    return rows


def _build() -> tuple[Opcode, ...]:
    rows = _mvp_rows() + _fc_rows() + _fd_rows() + _fe_rows()
    out = []
    for i, (prefix, code, name, imm, prop, cat) in enumerate(rows):
        is_float = _is_float(name, prop)
        feature = "floats" if is_float and prop == "mvp" else PROPOSAL_FEATURE[prop]
        role = _ROLE_OF_NAME.get(name, "plain")
        const = name in _CONST_EXPR
        out.append(Opcode(i, name, prefix, code, imm, prop, cat, feature, is_float, role, const))
    return tuple(out)


OPCODES: tuple[Opcode, ...] = _build()
"""Every known instruction, indexed by opcode id. Single-byte opcodes come first."""

BY_NAME: Mapping[str, Opcode] = MappingProxyType({op.name: op for op in OPCODES})
"""Opcodes by text-format name."""

BY_ENCODING: Mapping[tuple[int | None, int], Opcode] = MappingProxyType(
    {(op.prefix, op.code): op for op in OPCODES}
)
"""Opcodes by ``(prefix, code)``; ``prefix`` is ``None`` for single-byte opcodes."""

NAMES: tuple[str, ...] = tuple(op.name for op in OPCODES)
"""Text-format name of each opcode id (``NAMES[id]``)."""

CATEGORY_OF: tuple[str, ...] = tuple(op.category for op in OPCODES)
"""Category of each opcode id."""

FEATURE_OF: tuple[str | None, ...] = tuple(op.feature for op in OPCODES)
"""Wasm feature name gating each opcode id (``None`` for integer/control MVP instructions)."""


def names_with_role(role: str) -> tuple[str, ...]:
    """Names of the instructions with ``role`` (see :data:`ROLES`), in table order."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; known: {', '.join(ROLES)}")
    return tuple(op.name for op in OPCODES if op.role == role)


CONST_EXPR_NAMES: frozenset[str] = frozenset(op.name for op in OPCODES if op.const_expr)
"""Instructions allowed in a constant expression (``end`` included)."""

SINGLE_BYTE_IDS: bytes = bytes(
    BY_ENCODING[(None, b)].id if (None, b) in BY_ENCODING else 0xFF for b in range(256)
)
"""Translation table: first byte of a single-byte instruction -> its id (0xFF if none)."""

assert len(BY_NAME) == len(OPCODES), "opcode names must be unique"
assert len(BY_ENCODING) == len(OPCODES), "opcode encodings must be unique"
assert max(SINGLE_BYTE_IDS[b] for b in range(256) if (None, b) in BY_ENCODING) < 0xFF
