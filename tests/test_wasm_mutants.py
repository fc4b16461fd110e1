"""Tests that kill mutants of gasmodel/wasm/ which survived scripts/mutation.py (see
benchmarks/results/mutation-survivors.md). Oracles: named in each test's docstring
(wabt's wat2wasm pinned by tests/wabt.py, the WebAssembly specification, public sources at tags)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from wabt import wabt_tool

from gasmodel.wasm.demangle import demangle
from gasmodel.wasm.validate import validate

# Rust v0 symbols and their demanglings, from public documentation of the format.
_V0 = [
    # The rustc book, "v0 Symbol Format" (doc.rust-lang.org/rustc/symbol-mangling/v0.html): the worked
    # example of an inherent impl path, with back-references (B5_)
    (
        "_RNvMsr_NtCs3ssYzQotkvD_3std4pathNtB5_7PathBuf3newCs15kBYyAo9fc_7mycrate",
        "<std::path::PathBuf>::new",
    ),
    # same page: a plain path
    ("_RNvCs15kBYyAo9fc_7mycrate7example", "mycrate::example"),
    # rust-lang/rustc-demangle src/v0.rs test demangle_crate_with_leading_digit
    ("_RNvC6_123foo3bar", "123foo::bar"),
]


@pytest.mark.parametrize(("symbol", "expected"), _V0)
def test_v0_symbols_demangle(symbol: str, expected: str) -> None:
    """demangle._v0 39, _BoundedPrinter.__init__ 7: v0 paths, one with back-references."""
    assert demangle(symbol) == expected


def _tag_then_function_import(tmp_path: Path) -> bytes:
    # 130 function types, so type 129 needs two LEB128 bytes (0x81 0x01); an imported tag of that
    # type, then an imported function, then one defined function whose body has a type error
    types = "".join(f"(type (func (param {'i32 ' * k})))" for k in range(130))
    src = tmp_path / "m.wat"
    src.write_text(
        f'(module {types} (import "env" "t" (tag (type 129))) (import "env" "f" (func (type 0))) '
        "(func (type 0) (i32.add (i32.const 1) (i64.const 2)) (drop)))"
    )
    out = tmp_path / "m.wasm"
    subprocess.run(
        [wabt_tool("wat2wasm"), "--no-check", str(src), "-o", str(out)], check=True, capture_output=True
    )
    return out.read_bytes()


def test_a_body_error_after_a_tag_import_names_its_function(tmp_path: Path) -> None:
    """validate._body_ranges 81, 86: import entries are skipped by their kind (a tag: attribute byte
    and a LEB128 type index) so that a validation error is attributed to the right function.

    Oracle: the exception-handling proposal's binary format (tag import: 0x04, attribute 0x00, type
    index); wabt's wasm-objdump lists one imported tag and one imported function, so the only defined
    function is function 1, and wasm-validate rejects its ``i32.add`` of an i64.
    """
    data = _tag_then_function_import(tmp_path)
    problem = validate(data, ["exceptions"])
    assert problem is not None and "type mismatch" in problem.message
    assert problem.func_index == 1


def test_f32_and_f64_immediates_decode(tmp_path: Path) -> None:
    """Reader.f32 4 (a timeout under mutmut): an ``f32.const`` immediate is four little-endian bytes.

    Oracle: the spec's binary format (``f32.const`` 0x43 then the IEEE 754 binary32 bytes; 1.5 is
    0x3fc00000, ``00 00 c0 3f``; ``f64.const`` 0x44 and binary64, -2.25 is ``00 .. 02 c0``), the module
    assembled by wat2wasm; the instruction after each constant starts right after its eight or
    four bytes.
    """
    from gasmodel.wasm import decode
    from gasmodel.wasm.stream import instructions

    src = tmp_path / "m.wat"
    src.write_text("(module (func (result f64) f32.const 1.5 drop f64.const -2.25))")
    out = tmp_path / "m.wasm"
    subprocess.run([wabt_tool("wat2wasm"), str(src), "-o", str(out)], check=True)
    data = out.read_bytes()
    (fn,) = decode(data).functions
    ins = instructions(data, fn)
    assert data[ins[0].offset : ins[0].end] == b"\x43\x00\x00\xc0\x3f"
    assert ins[0].immediates == (1.5,) and ins[1].offset == ins[0].end
    assert ins[2].immediates == (-2.25,) and ins[2].end - ins[2].offset == 9


def _assemble(tmp_path: Path, text: str, *flags: str) -> bytes:
    src = tmp_path / "m.wat"
    src.write_text(text)
    out = tmp_path / "m.wasm"
    subprocess.run([wabt_tool("wat2wasm"), *flags, str(src), "-o", str(out)], check=True, capture_output=True)
    return out.read_bytes()


def test_a_bad_tag_attribute_is_named(tmp_path: Path) -> None:
    """_Decoder._tag_attribute 4: a tag whose attribute is not 0 is refused with a message saying so.

    Oracle: the exception-handling proposal's binary format: a tag type is ``0x00 typeidx`` (the only
    attribute, exception); the import entry below is patched by hand from ``04 00 00`` to ``04 01 00``.
    """
    from gasmodel.errors import WasmDecodeError
    from gasmodel.wasm import decode

    data = _assemble(tmp_path, '(module (import "env" "t" (tag)))')
    entry = b"\x03env\x01t\x04\x00\x00"
    assert data.count(entry) == 1
    bad = data.replace(entry, b"\x03env\x01t\x04\x01\x00")
    with pytest.raises(WasmDecodeError) as exc:
        decode(bad)
    assert exc.value.reason == "invalid tag attribute"


def test_a_bad_instruction_names_its_function(tmp_path: Path) -> None:
    """stream.instructions 19: a decoding error inside a body names the function (from the name
    section).

    Oracle: the module written by hand, ``$work`` holding ``nop nop``; the second nop (0x01) is
    patched to 0xff, which no instruction of the spec or of a proposal uses as its first byte.
    """
    from gasmodel.errors import WasmDecodeError
    from gasmodel.wasm import decode
    from gasmodel.wasm.stream import instructions

    data = _assemble(tmp_path, "(module (func $work nop nop))", "--debug-names")
    body = b"\x00\x01\x01\x0b"  # no locals, nop, nop, end
    assert data.count(body) == 1
    bad = data.replace(body, b"\x00\x01\xff\x0b")  # same layout: the function decoded from ``data`` fits
    (fn,) = decode(data).functions
    with pytest.raises(WasmDecodeError) as exc:
        instructions(bad, fn)
    assert exc.value.func_index == 0 and exc.value.func_name == "work"


def test_a_block_typed_by_type_index_0(tmp_path: Path) -> None:
    """read_blocktype 16: a block type that is a type index (here 0) is not an error.

    Oracle: the spec's binary format: ``blocktype ::= 0x40 | valtype | x:s33`` with a non-negative
    ``x`` a type index; wat2wasm encodes ``(block (type $t))`` of the first type as ``02 00``.
    """
    from gasmodel.wasm import decode
    from gasmodel.wasm.stream import instructions

    data = _assemble(
        tmp_path,
        "(module (type $t (func (param i32) (result i32))) "
        "(func (param i32) (result i32) (local.get 0) (block (type $t) (param i32) (result i32))))",
    )
    (fn,) = decode(data).functions
    block = instructions(data, fn)[1]
    assert data[block.offset : block.end] == b"\x02\x00" and block.immediates == (0,)


def test_imported_table_and_declarative_element_segment(tmp_path: Path) -> None:
    """_Decoder.sec_element 22: the mode of a ``declare`` element segment (and an imported table's
    limits).

    Oracle: the module written by hand; the spec's binary format (element segment flags 3:
    declarative; table type ``reftype limits``).
    """
    from gasmodel.wasm import decode

    data = _assemble(
        tmp_path,
        '(module (import "env" "t" (table 2 funcref)) (func $f) (elem declare func $f) '
        "(func (drop (ref.func $f))))",
    )
    m = decode(data)
    desc = m.imports[0].desc
    assert desc is not None and getattr(desc, "min", None) == 2
    assert [e.mode for e in m.elements] == ["declarative"]


def test_a_long_function_name_and_the_name_section_end(tmp_path: Path) -> None:
    """names._function_names 18, read_names 6, 9: a 130-byte function name (its length takes two
    LEB128 bytes) is read whole, and the name section ends at its size: a custom section appended after
    it is not read as a name subsection.

    Oracle: the name section format (WebAssembly core spec, appendix "Custom sections"): subsections
    ``id size payload`` within the section's size; the appended section ``00 06 05 'hello'`` is a
    custom section named "hello", which would read as a module name subsection if the reader ran on.
    """
    from gasmodel.wasm import decode

    long = "f" * 130
    data = _assemble(tmp_path, f"(module (func ${long}))", "--debug-names")
    m = decode(data + b"\x00\x06\x05hello")
    assert m.func_names[0] == long
    assert m.module_name is None


def test_a_stream_that_disagrees_with_the_decoded_function_says_so(tmp_path: Path) -> None:
    """stream._check_ops 16: bytes changed after decoding (a nop made unreachable) are reported as a
    disagreement, with that message.

    Oracle: the module written by hand (``nop`` is 0x01, ``unreachable`` 0x00, both one byte, so the
    layout is the same).
    """
    from gasmodel.errors import WasmDecodeError
    from gasmodel.wasm import decode
    from gasmodel.wasm.stream import instructions

    data = _assemble(tmp_path, "(module (func nop nop))")
    body = b"\x00\x01\x01\x0b"
    assert data.count(body) == 1
    (fn,) = decode(data).functions
    with pytest.raises(WasmDecodeError) as exc:
        instructions(data.replace(body, b"\x00\x01\x00\x0b"), fn)
    assert exc.value.reason.startswith("instruction stream disagrees with the decoded function")


def test_a_table_with_an_initial_value(tmp_path: Path) -> None:
    """module._table_type 17: a table with an initialiser (``40 00 reftype limits expr``) keeps its
    limits and its expression.

    Oracle: the function-references proposal's binary format (table ``0x40 0x00 tt e``); wat2wasm
    assembles ``(table 2 funcref (ref.func $f))`` to ``40 00 70 00 02 d2 00 0b``.
    """
    from gasmodel.wasm import decode

    data = _assemble(tmp_path, "(module (func $f) (elem declare func $f) (table 2 funcref (ref.func $f)))")
    assert b"\x40\x00\x70\x00\x02\xd2\x00\x0b" in data
    (table,) = decode(data).tables
    assert (table.elem_type, table.min, table.max) == ("funcref", 2, None)
    assert table.init is not None and table.init.instrs == (("ref.func", (0,)),)


def test_a_table_count_beyond_the_section_is_named() -> None:
    """_Decoder.sec_table 11: a table section claiming more tables than its bytes can hold is refused
    with a message naming the tables.

    Oracle: the spec's binary format: section 4 (table), size 1, holding only the count 5; a table type
    takes at least three bytes, so five cannot fit (written by hand).
    """
    from gasmodel.errors import WasmDecodeError
    from gasmodel.wasm import decode

    with pytest.raises(WasmDecodeError) as exc:
        decode(b"\x00asm\x01\x00\x00\x00\x04\x01\x05")
    assert exc.value.reason.startswith("table count 5 exceeds the 0 bytes left"), exc.value.reason


def test_an_export_count_beyond_the_section_and_a_name_that_is_not_utf8() -> None:
    """_Decoder.sec_export 9, Reader.name 21: the messages name the exports and the bad name.

    Oracle: the spec's binary format, written by hand: an export section (id 7) of one byte holding the
    count 4 (an export needs at least three bytes); an import section (id 2) whose first module name is
    the single byte 0xff, which is not UTF-8 (the spec requires names to be UTF-8).
    """
    from gasmodel.errors import WasmDecodeError
    from gasmodel.wasm import decode

    header = b"\x00asm\x01\x00\x00\x00"
    with pytest.raises(WasmDecodeError) as exc:
        decode(header + b"\x07\x01\x04")
    assert exc.value.reason.startswith("export count 4 exceeds the 0 bytes left"), exc.value.reason
    with pytest.raises(WasmDecodeError) as exc:
        decode(header + b"\x02\x06\x01\x01\xff\x01f\x00")
    assert exc.value.reason == "name is not valid UTF-8"
