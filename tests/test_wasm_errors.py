"""Malformed modules: our own error type, with the byte offset and, inside code, the function.

Oracle: the byte layout of each hand-built malformed module (offsets counted by hand in the
test) and the WebAssembly binary-format specification for what is malformed.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from wasm_build import MAGIC, section, uleb

from gasmodel.errors import WasmDecodeError
from gasmodel.wasm import decode

SAMPLES = Path(__file__).resolve().parent / "wasm_samples"


def module_with_body(code: bytes, locals_: bytes = b"\x00", name: str | None = None) -> bytes:
    """One function of type () -> () with the given instruction bytes."""
    body = locals_ + code
    mod = MAGIC + section(1, b"\x01\x60\x00\x00") + section(3, b"\x01\x00")
    mod += section(10, b"\x01" + uleb(len(body)) + body)
    if name is not None:
        sub = b"\x01" + uleb(len(name)) + name.encode()
        names = b"\x01\x00" + uleb(len(name)) + name.encode()
        sub = b"\x01" + uleb(len(names)) + names
        mod += section(0, b"\x04name" + sub)
    return mod


def error_of(data: bytes) -> WasmDecodeError:
    with pytest.raises(WasmDecodeError) as info:
        decode(data)
    return info.value


def test_valid_minimal_module() -> None:
    m = decode(module_with_body(b"\x41\x01\x1a\x0b"))
    assert [f.index for f in m.functions] == [0]
    assert list(m.functions[0].histogram().elements()).count("i32.const") == 1


@pytest.mark.parametrize(
    ("data", "reason", "offset"),
    [
        (b"", "bad magic", 0),
        (b"\x00asm", "bad magic", 0),
        (b"\x7fELF\x01\x00\x00\x00", "bad magic", 0),
        (b"\x00asm\x0d\x00\x01\x00", "unsupported WebAssembly version", 4),
        (MAGIC + b"\x01", "unexpected end", 9),
        (MAGIC + b"\x01\x05\x01", "section size 5 exceeds", 9),
        (MAGIC + b"\x0e\x00", "unknown section id 14", 8),
        (MAGIC + section(3, b"\x00") + section(1, b"\x00"), "out of order", 11),
        (MAGIC + section(1, b"\x01\x61\x00\x00"), "unsupported type form 0x61", 11),
        (MAGIC + section(1, b"\x01\x60\x01\x55\x00"), "unknown value type 0x55", 13),
        (MAGIC + section(1, b"\x00\x00"), "1 unread bytes", 11),
        (MAGIC + section(3, b"\x01\x00"), "type index 0 out of range", 11),
        (MAGIC + b"\x01\xff\xff\xff\xff\x7f", "LEB128 integer too large", 9),
        (MAGIC + b"\x01\xff\xff\xff\xff\xff\x01", "longer than 5 bytes", 9),
    ],
)
def test_module_errors(data: bytes, reason: str, offset: int) -> None:
    err = error_of(data)
    assert reason in err.reason
    assert err.offset == offset
    assert err.func_index is None
    assert f"offset {offset}" in str(err)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (b"\x41\x01\x1a", "does not end with 'end'"),
        (b"\x06\x40\x0b", "'end'"),  # legacy try opened, then only the function's end: unbalanced
        (b"\x02\x40\x0b", "unbalanced blocks"),
        (b"\x0b\x0b", "unbalanced blocks"),
        (b"\x0b\x02\x40\x0b", "closes the function before the end"),
        (b"\x27\x0b", "unknown opcode 0x27"),
        (b"\xfc\x63\x0b", "unknown opcode 0xfc 0x63"),
        (b"\xfb\x00\x0b", "unknown opcode 0xfb 0x0"),
        (b"\x41\x80\x80\x80\x80\x80\x00\x0b", "longer than 5 bytes"),
        (b"\x0e\xff\xff\xff\xff\x0f\x0b", "br_table label count 4294967295 exceeds"),
        (b"\x28\x80\x01\x00\x0b", "alignment exponent"),
        (b"\x02\x55\x0b\x0b", "invalid block type 0x55"),
        (b"\x10\x05\x0b", "call or ref.func to function 5 out of range"),
        (b"\x11\x07\x00\x0b", "call_indirect type 7 out of range"),
        (b"\x44\x00\x00\x0b", "unexpected end"),
    ],
)
def test_code_errors_name_the_function(code: bytes, reason: str) -> None:
    err = error_of(module_with_body(code, name="the_fn"))
    assert reason in err.reason, err
    assert err.func_index == 0
    assert err.func_name == "the_fn"
    assert "in function 0 (the_fn)" in str(err)
    assert 0 < err.offset < len(module_with_body(code, name="the_fn"))


def test_unknown_opcode_offset_is_exact() -> None:
    code = b"\x41\x01\x1a\x27\x0b"
    data = module_with_body(code)
    err = error_of(data)
    assert err.offset == data.index(code) + 3


def test_hostile_counts_fail_fast_without_allocating() -> None:
    """2^32 - 1 functions, types, locals groups, br_table labels … declared in a few bytes."""
    huge = b"\xff\xff\xff\xff\x0f"
    cases = [
        MAGIC + section(3, huge),
        MAGIC + section(1, huge),
        MAGIC + section(2, huge),
        MAGIC + section(10, huge),
        MAGIC + section(11, huge),
        MAGIC + section(9, huge),
        module_with_body(b"\x0b", locals_=huge + b"\x7f"),
        module_with_body(b"\x0e" + huge + b"\x00\x0b"),
        module_with_body(b"\x1c" + huge + b"\x7f\x0b"),
    ]
    tracemalloc.start()
    try:
        for data in cases:
            t0 = time.perf_counter()
            err = error_of(data)
            assert time.perf_counter() - t0 < 0.5, err
            assert "count" in err.reason, err
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


def test_many_locals_in_one_group_are_counted_not_allocated() -> None:
    m = decode(module_with_body(b"\x0b", locals_=b"\x02\xfe\xff\xff\xff\x0f\x7f\x01\x7e"))
    assert m.functions[0].num_locals == 0xFFFFFFFF
    assert m.functions[0].locals == ((0xFFFFFFFE, "i32"), (1, "i64"))
    with pytest.raises(WasmDecodeError, match="too many locals"):
        decode(module_with_body(b"\x0b", locals_=b"\x02" + b"\xff\xff\xff\xff\x0f\x7f" * 2))


def test_truncation_of_real_module_everywhere_in_headers() -> None:
    data = (SAMPLES / "reference_types.wasm").read_bytes()
    failures = 0
    for n in range(len(data)):
        try:
            decode(data[:n])
        except WasmDecodeError as exc:
            failures += 1
            assert 0 <= exc.offset <= n
    assert failures >= len(data) - 12  # only cuts at section boundaries leave a valid module


def test_index_errors_point_at_their_section() -> None:
    head = MAGIC + section(1, b"\x01\x60\x00\x00") + section(3, b"\x01\x00")
    code = section(10, b"\x01\x02\x00\x0b")
    bad_export = head + section(7, b"\x01\x01f\x00\x05") + code
    err = error_of(bad_export)
    assert "export 'f' refers to func 5" in err.reason
    assert err.offset == len(head) + 3  # section id, size, count, then the export
    bad_start = head + section(8, b"\x07") + code
    err = error_of(bad_start)
    assert "start function 7" in err.reason
    assert err.offset == len(head) + 2
