"""gasmodel.wasm.validate: wasmtime's validator under a chain's feature names.

Oracles: the Injective localnet's own store_code errors (calibration/results/fixture_store_errors.json,
recorded from the chain: its wasmparser's message and byte offset), and wabt 1.0.42 (pinned by
tests/wabt.py): ``wasm-validate``, and ``wasm-objdump`` for which function body holds an offset.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wabt import wabt_tool

from gasmodel.errors import WasmDecodeError
from gasmodel.wasm.validate import SWITCHABLE, check_valid, unenforced, validate

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "contracts" / "artifacts"
# cosmwasm-vm 2.0-2.3 validator features (parsed_wasm.rs), as the Injective profile lists them.
CW2 = ("mutable_global", "saturating_float_to_int", "sign_extension", "multi_value", "floats")
_CHAIN_MSG = re.compile(r'Deserialization error: "(.*) \(at offset 0x([0-9a-f]+)\)"')


def _chain_validator_errors() -> list[tuple[str, str, int]]:
    data = json.loads((ROOT / "calibration/results/fixture_store_errors.json").read_text())
    out = []
    for entry in data["fixtures"]:
        m = _CHAIN_MSG.search(entry["chain_error"])
        if m:
            out.append((entry["fixture"], m.group(1), int(m.group(2), 16)))
    return out


CHAIN_ERRORS = _chain_validator_errors()


def test_chain_recorded_validator_errors_exist() -> None:
    # bulk_memory, simd, reference_types, two_tables were refused by the chain's wasmparser
    assert {name for name, _, _ in CHAIN_ERRORS} >= {"bulk_memory", "simd", "reference_types", "two_tables"}


@pytest.mark.parametrize(("fixture", "message", "offset"), CHAIN_ERRORS)
def test_same_message_and_offset_as_the_chain(fixture: str, message: str, offset: int) -> None:
    data = (ARTIFACTS / "lint" / f"{fixture}.wasm").read_bytes()
    problem = validate(data, CW2)
    if fixture == "extended_const":  # the one place wasmtime cannot follow the chain: it names it
        assert problem is None and "extended_const" in unenforced(CW2)
        return
    assert problem is not None
    assert problem.message == message
    assert problem.offset == offset
    # the function index is the body holding the offset, located with wabt (not the decoder)
    assert problem.func_index == _objdump_body_holding(ARTIFACTS / "lint" / f"{fixture}.wasm", offset)


def _objdump_body_holding(path: Path, offset: int) -> int | None:
    """The index of the function body holding ``offset``, from ``wasm-objdump -h`` (the Code section's
    end) and ``-d`` (each body's start); None when the offset is outside the Code section."""
    objdump = wabt_tool("wasm-objdump")
    heads = subprocess.run([objdump, "-h", str(path)], capture_output=True, text=True, check=True).stdout
    code = re.search(r"Code start=0x([0-9a-f]+) end=0x([0-9a-f]+)", heads)
    if code is None or not int(code[1], 16) <= offset < int(code[2], 16):
        return None
    listing = subprocess.run([objdump, "-d", str(path)], capture_output=True, text=True, check=True).stdout
    starts = [(int(m[1], 16), int(m[2])) for m in re.finditer(r"^([0-9a-f]+) func\[(\d+)\]", listing, re.M)]
    return max((start, index) for start, index in starts if start <= offset)[1]


@pytest.mark.parametrize("fixture", ["bulk_memory", "simd", "reference_types"])
def test_feature_switch_on_accepts(fixture: str) -> None:
    feature = {"bulk_memory": "bulk_memory", "simd": "simd", "reference_types": "reference_types"}[fixture]
    data = (ARTIFACTS / "lint" / f"{fixture}.wasm").read_bytes()
    assert validate(data, (*CW2, feature, "bulk_memory")) is None


def test_corpus_valid_under_cosmwasm_2() -> None:
    # the chain stored every realistic contract (contracts/manifest.json)
    for path in sorted(ARTIFACTS.glob("*.wasm")):
        assert validate(path.read_bytes(), CW2) is None, path.name


def test_check_valid_raises_located() -> None:
    data = (ARTIFACTS / "lint" / "bulk_memory.wasm").read_bytes()
    with pytest.raises(WasmDecodeError) as err:
        check_valid(data, CW2)
    assert err.value.offset == 0x17D
    assert "bulk memory support is not enabled" in str(err.value)


def test_unenforced_names_what_wasmtime_cannot_switch() -> None:
    assert unenforced(CW2) == {"extended_const", "memory_control", "shared_everything_threads"}
    # no floats on the chain: wasmtime still accepts them, so the caller must check
    assert "floats" in unenforced(("mutable_global",))
    # relaxed SIMD drags SIMD in: SIMD is then accepted although not asked for
    assert "simd" in unenforced(("relaxed_simd",))


_TYPE_MISMATCH = bytes.fromhex("0061736d01000000010401600000030201000a0601040041000b")


def test_agrees_with_wabt_on_type_mismatch(tmp_path: Path) -> None:
    path = tmp_path / "bad.wasm"
    path.write_bytes(_TYPE_MISMATCH)
    wabt = subprocess.run([wabt_tool("wasm-validate"), str(path)], capture_output=True, check=False)
    assert wabt.returncode != 0
    problem = validate(_TYPE_MISMATCH, CW2)
    assert problem is not None and "type mismatch" in problem.message
    assert problem.func_index == 0


_PROBE = """
import sys
from gasmodel.wasm.validate import _engine, enabled
for line in sys.stdin:
    _engine(enabled(line.split()))
print("ok")
"""


@settings(max_examples=5, deadline=None)
@given(st.lists(st.sets(st.sampled_from(sorted(SWITCHABLE))), min_size=20, max_size=20))
def test_every_feature_combination_builds_an_engine(requests: list[set[str]]) -> None:
    # wasmtime aborts the process on an inconsistent Config: run in a child process
    text = "\n".join(" ".join(sorted(r)) for r in requests) + "\n"
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], input=text, capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr[-500:]
    assert out.stdout.strip() == "ok"
