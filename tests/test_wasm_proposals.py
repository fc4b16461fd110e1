"""Hand-made modules for each proposal (tests/wasm_samples/*.wat, assembled by wat2wasm).

Oracles: hand-written .wat samples (tests/wasm_samples/) assembled by wabt's ``wat2wasm`` (pinned by
tests/wabt.py); the instructions and structure each sample declares, written out in the test.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from wabt import wabt_tool

from gasmodel.wasm import BY_NAME, Module, decode

SAMPLES = Path(__file__).resolve().parent / "wasm_samples"

# sample -> instructions it must contain (text-format names) and the proposal they come from
EXPECTED: dict[str, tuple[str, set[str]]] = {
    "sign_extension": ("sign-extension", {"i32.extend8_s", "i64.extend32_s"}),
    "nontrapping_float_to_int": ("nontrapping-float-to-int", {"i32.trunc_sat_f32_s", "i64.trunc_sat_f64_u"}),
    "bulk_memory": ("bulk-memory", {"memory.copy", "memory.fill", "memory.init", "data.drop", "table.copy"}),
    "reference_types": ("reference-types", {"table.grow", "table.fill", "ref.func", "ref.null", "select_t"}),
    "simd": ("simd", {"v128.load", "i8x16.shuffle", "v128.load16_lane", "v128.store8_lane", "v128.const"}),
    "threads": ("threads", {"i32.atomic.rmw.add", "i64.atomic.rmw32.cmpxchg_u", "atomic.fence"}),
    "tail_call": ("tail-call", {"return_call", "return_call_indirect"}),
    "exceptions": ("exceptions", {"try_table", "throw", "throw_ref"}),
    "legacy_exceptions": ("legacy-exceptions", {"try", "catch", "catch_all", "delegate", "rethrow"}),
    "function_references": (
        "function-references",
        {"call_ref", "return_call_ref", "br_on_null", "br_on_non_null", "ref.as_non_null"},
    ),
}


def load(name: str) -> Module:
    return decode((SAMPLES / f"{name}.wasm").read_bytes())


def ops_of(module: Module) -> set[str]:
    return {name for f in module.functions for name in f.histogram()}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_proposal_instructions_decode(name: str) -> None:
    proposal, must = EXPECTED[name]
    found = ops_of(load(name))
    assert must <= found, must - found
    assert all(BY_NAME[n].proposal == proposal for n in must)


def test_committed_binaries_match_their_sources(tmp_path: Path) -> None:
    """The committed .wasm files are what wat2wasm makes of the .wat sources (same code, names)."""
    for wat in sorted(SAMPLES.glob("*.wat")):
        out = tmp_path / (wat.stem + ".wasm")
        cmd = [wabt_tool("wat2wasm"), "--enable-all", "--debug-names", str(wat), "-o", str(out)]
        subprocess.run(cmd, check=True)
        fresh, committed = decode(out.read_bytes()), load(wat.stem)
        assert [f.ops.tobytes() for f in fresh.functions] == [f.ops.tobytes() for f in committed.functions]
        assert fresh.func_names == committed.func_names, wat.name


def test_relaxed_simd_opcodes() -> None:
    found = ops_of(load("simd"))
    assert {"i8x16.relaxed_laneselect", "i16x8.relaxed_dot_i8x16_i7x16_s"} <= found
    assert BY_NAME["i8x16.relaxed_laneselect"].proposal == "relaxed-simd"


def test_multi_value_block_type_and_results() -> None:
    m = load("multi_value")
    assert m.func_type(0).results == ("i32", "i32")
    swap_calls = m.function(1).calls
    assert swap_calls == (0,)
    assert m.func_name(1) == "blocks"


def test_extended_const_expressions() -> None:
    m = load("extended_const")
    assert [i.kind for i in m.imports] == ["global"]
    init = m.globals[0].init
    assert [n for n, _ in init.instrs] == ["global.get", "i32.const", "i32.const", "i32.mul", "i32.add"]
    assert m.globals[1].init.instrs[-1][0] == "i64.sub"
    assert m.data[0].offset_expr is not None and m.data[0].offset_expr.instrs[-1][0] == "i32.add"


def test_reference_types_module_structure() -> None:
    m = load("reference_types")
    assert [t.elem_type for t in m.tables] == ["funcref", "externref"]
    assert m.func_type(0).params == ("externref",)
    assert m.globals[0].mutable and m.globals[0].valtype == "funcref"
    assert m.ref_funcs_in_globals == frozenset({0})
    assert m.ref_funcs_in_elements == {0: frozenset({0})}
    active = next(e for e in m.elements if e.mode == "active")
    assert active.func_indices == (0, None)
    assert m.functions[0].ref_funcs == (0,)


def test_exceptions_module_structure() -> None:
    m = load("exceptions")
    assert len(m.tags) == 1 and m.types[m.tags[0]].params == ("i32",)
    assert m.func_names == {0: "thrower", 1: "catcher", 2: "rethrower"}
    assert m.function(1).calls == (0,)
    assert m.func_type(2).params == ("i32",)


def test_tail_call_and_indirect_refs() -> None:
    m = load("tail_call")
    even, odd = m.functions
    assert even.calls == (1,) and odd.calls == ()
    assert odd.indirect_type_refs == (0,)
    assert m.exported_functions() == {"even": 0}


def test_threads_memory_is_shared() -> None:
    m = load("threads")
    assert m.memories[0].shared and m.memories[0].max == 1


def test_function_references_types() -> None:
    m = load("function_references")
    assert m.func_type(2).params == ("i32", "(ref null 0)")
    assert m.func_type(3).results == ("(ref 0)",)
    assert m.functions[1].ref_funcs == (0,)


def test_functions_are_complete_dataclasses() -> None:
    """Function objects built by the decoder equal ones built by their constructor."""
    import dataclasses

    from gasmodel.wasm import Function

    for f in load("tail_call").functions:
        again = Function(**{fl.name: getattr(f, fl.name) for fl in dataclasses.fields(Function)})
        assert repr(again) == repr(f)
        assert set(vars(f)) == {fl.name for fl in dataclasses.fields(Function)}
