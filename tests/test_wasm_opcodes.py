"""The opcode table: invariants, and every encoding checked against wabt's assembler.

Oracles: wabt's ``wat2wasm`` (1.0.42, pinned by tests/wabt.py) assembling one function per opcode;
the proposal and category names of the WebAssembly specification written out by hand.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from wabt import wabt_tool

from gasmodel.wasm import BY_NAME, CATEGORIES, OPCODES, PROPOSALS, decode
from gasmodel.wasm.opcodes import BY_ENCODING, SINGLE_BYTE_IDS


def test_ids_names_and_encodings_are_unique() -> None:
    assert [op.id for op in OPCODES] == list(range(len(OPCODES)))
    assert len(BY_NAME) == len(OPCODES)
    assert len(BY_ENCODING) == len(OPCODES)
    for op in OPCODES:
        assert op.category in CATEGORIES, op
        assert op.proposal in PROPOSALS, op
        assert BY_NAME[op.name] is op


def test_single_byte_table() -> None:
    for b in range(256):
        op = BY_ENCODING.get((None, b))
        assert SINGLE_BYTE_IDS[b] == (op.id if op else 0xFF)


def test_categories_of_brief() -> None:
    expect = {
        "block": "control",
        "br_table": "control",
        "call_indirect": "call",
        "return_call_ref": "call",
        "select_t": "parametric",
        "global.set": "variable",
        "elem.drop": "table",
        "memory.grow": "memory",
        "memory.copy": "bulk-memory",
        "f64.const": "const",
        "i64.clz": "numeric-int",
        "f32.copysign": "numeric-float",
        "f64.reinterpret_i64": "conversion",
        "i64.extend32_s": "sign-extension",
        "i64.trunc_sat_f64_u": "saturating-conversion",
        "ref.as_non_null": "reference",
        "i8x16.shuffle": "simd",
        "atomic.fence": "atomic",
        "try_table": "exception",
        "delegate": "exception",
    }
    assert {n: BY_NAME[n].category for n in expect} == expect
    assert {op.proposal for op in OPCODES} == set(PROPOSALS) - {"extended-const", "multi-value"}


# Immediates in the text format, per kind (a module with $t, $f, $e, $d, $el, memory and tables).
_TEXT = {
    "labelidx": "0",
    "labeltable": "0 0",
    "funcidx": "$f",
    "typeidx": "(type $t)",
    "tableidx": "0",
    "memidx": "",
    "localidx": "0",
    "globalidx": "0",
    "tagidx": "$e",
    "dataidx": "$d",
    "elemidx": "$el",
    "memarg": "",
    "i32": "7",
    "i64": "7",
    "f32": "1.5",
    "f64": "1.5",
    "v128": "i32x4 1 2 3 4",
    "laneidx": "1",
    "shuffle": " ".join(str(i) for i in range(16)),
    "heaptype": "func",
    "valtypes": "(result i32)",
    "zero": "",
}
_SPECIAL = {
    "block": "block end",
    "loop": "loop end",
    "if": "if end",
    "else": "if nop else nop end",
    "end": "block end",
    "try": "try end",
    "catch": "try catch $e end",
    "catch_all": "try catch_all end",
    "delegate": "try delegate 0",
    "rethrow": "try catch_all rethrow 0 end",
    "try_table": "try_table (catch_all 0) end",
    "call_ref": "call_ref $t",
    "return_call_ref": "return_call_ref $t",
    "call_indirect": "call_indirect (type $t)",
    "return_call_indirect": "return_call_indirect (type $t)",
    "memory.copy": "memory.copy",
    "memory.fill": "memory.fill",
    "table.copy": "table.copy",
    "table.init": "table.init $el",
    "select_t": "select (result i32)",
}


def _text(name: str) -> str:
    if name in _SPECIAL:
        return _SPECIAL[name]
    return " ".join([name, *(_TEXT[k] for k in BY_NAME[name].immediates)]).strip()


def test_every_opcode_assembles_to_its_encoding(tmp_path: Path) -> None:
    """One function per opcode, assembled by wat2wasm; each decodes to the opcode it was written as."""
    # wabt 1.0.42's text parser lacks ref.eq (GC); it is checked against its binary table instead.
    ops = [op for op in OPCODES if op.name != "ref.eq"]
    assert BY_NAME["ref.eq"].encoding == b"\xd3"
    funcs = "\n".join(f"  (func (type $t) {_text(op.name)})" for op in ops)
    wat = f"""(module
  (type $t (func))
  (memory 1 1 shared)
  (table 2 funcref)
  (global (mut i32) (i32.const 0))
  (tag $e)
  (data $d "x")
  (elem $el func $f)
  (func $f (type $t) (local i32))
{funcs})
"""
    src = tmp_path / "all.wat"
    src.write_text(wat)
    out = tmp_path / "all.wasm"
    subprocess.run(
        [wabt_tool("wat2wasm"), "--enable-all", "--enable-gc", "--no-check", str(src), "-o", str(out)],
        check=True,
    )
    module = decode(out.read_bytes())
    assert len(module.functions) == 1 + len(ops)
    structural = {"block", "loop", "if", "else", "end", "try", "try_table", "catch_all", "nop"}
    for op, fn in zip(ops, module.functions[1:], strict=True):
        names = [OPCODES[i].name for i in fn.ops]
        assert names[-1] == "end"
        assert op.name in names, (op.name, names)
        assert set(names) <= structural | {op.name, "catch"}, (op.name, names)


@pytest.mark.parametrize("op", [*[o for o in OPCODES if o.prefix is not None][:3], BY_NAME["i32.add"]])
def test_encoding_property(op: object) -> None:
    from gasmodel.wasm.opcodes import Opcode

    assert isinstance(op, Opcode)
    assert BY_ENCODING[(op.prefix, op.code)] is op
    assert op.encoding[0] == (op.prefix if op.prefix is not None else op.code)
