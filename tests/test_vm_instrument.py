"""The instrumented module: insert only, still valid, names and exports kept, cache round trip.

Oracles: wasmtime's validator; wabt's ``wasm-objdump -h`` (1.0.42, pinned by tests/wabt.py) for the
section list; the decoder on the instrumented bytes (independent of the rewriter, itself checked against
wabt in tests/test_wasm_wabt.py) for the instruction streams; block costs derived by hand.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
import wasmtime
from wabt import wabt_tool

from gasmodel.costs import load_cost_table
from gasmodel.vm.instrument import COUNTERS_BASE, EXPORT_COUNTERS, instrument, load_instrumented
from gasmodel.wasm import BY_NAME, decode

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = sorted((ROOT / "contracts" / "artifacts").glob("*.wasm"))
METERING = sorted((ROOT / "contracts" / "artifacts" / "metering").glob("*.wasm"))
# What the instrumentation may insert (checks, counters, memory.grow bookkeeping).
INSERTED = {
    BY_NAME[n].id
    for n in (
        "i32.const",
        "i64.const",
        "i64.load",
        "i64.store",
        "i64.lt_u",
        "i64.sub",
        "i64.add",
        "if",
        "end",
        "unreachable",
        "global.get",
        "global.set",
        "i32.ne",
        "i64.extend_i32_u",
    )
}


def _is_subsequence_with_only_inserted(orig: list[int], new: list[int]) -> bool:
    i = 0
    for op in new:
        if i < len(orig) and op == orig[i]:
            i += 1
        elif op not in INSERTED:
            return False
    return i == len(orig)


CASES = [
    *[pytest.param(p, "cosmwasm-vm-3.0.9", id=p.name, marks=pytest.mark.slow) for p in CONTRACTS],
    *[
        pytest.param(p, t, id=f"{t}-{p.name}")
        for p in METERING
        for t in ("cosmwasm-vm-3.0.9", "cosmwasm-vm-2.0.0-2.0.4", "wasmtime-fuel")
    ],
]


@pytest.mark.parametrize(("path", "table_name"), CASES)
def test_insert_only_valid_named_exported(path: Path, table_name: str) -> None:
    data = path.read_bytes()
    im = instrument(data, load_cost_table(table_name))
    wasmtime.Module.validate(wasmtime.Engine(_features()), im.wasm)
    before, after = decode(data), decode(im.wasm)
    assert after.func_names == before.func_names
    assert {(e.name, e.kind, e.index) for e in before.exports} <= {
        (e.name, e.kind, e.index) for e in after.exports
    }
    assert {e.name for e in after.exports} - {e.name for e in before.exports} == {EXPORT_COUNTERS}
    assert len(after.functions) == len(before.functions)
    for f0, f1 in zip(before.functions, after.functions, strict=True):
        assert f1.num_locals == f0.num_locals and f1.type_index == f0.type_index
        assert _is_subsequence_with_only_inserted(list(f0.ops), list(f1.ops)), f0.index
        # the original bytes of every instruction are still there, in order
        raw0 = data[f0.offset : f0.offset + f0.size]
        raw1 = im.wasm[f1.offset : f1.offset + f1.size]
        assert _is_byte_subsequence(raw0, raw1)


def _is_byte_subsequence(a: bytes, b: bytes) -> bool:
    it = iter(b)
    return all(c in it for c in a)


def _features() -> wasmtime.Config:
    cfg = wasmtime.Config()
    cfg.wasm_multi_memory = True
    return cfg


def test_sections_other_than_the_rewritten_ones_are_byte_identical(tmp_path: Path) -> None:
    path = ROOT / "contracts" / "artifacts" / "counter.wasm"
    data = path.read_bytes()
    im = instrument(data, load_cost_table("cosmwasm-vm-3.0.9"))
    out = tmp_path / "instrumented.wasm"
    out.write_bytes(im.wasm)
    heads = {}
    for p in (path, out):
        text = subprocess.run(
            [wabt_tool("wasm-objdump"), "-h", str(p)], capture_output=True, text=True, check=True
        ).stdout
        heads[p] = re.findall(r"^\s*(\w+) start=0x([0-9a-f]+) end=0x([0-9a-f]+)", text, re.M)
    kept = {"Type", "Import", "Function", "Table", "Elem", "Data", "Custom", "DataCount"}
    assert heads[path]
    for (n0, s0, e0), (n1, s1, e1) in zip(heads[path], heads[out], strict=True):
        assert n0 == n1
        if n0 in kept:
            assert data[int(s0, 16) : int(e0, 16)] == im.wasm[int(s1, 16) : int(e1, 16)], n0


def test_block_map_and_counters_layout() -> None:
    data = (ROOT / "contracts" / "artifacts" / "metering" / "loop_br_if.wasm").read_bytes()
    im = instrument(data, load_cost_table("cosmwasm-vm-2.1.6-2.1.7"))
    # segments of run (see test_vm_metering): [block local.get i32.eqz br_if] [loop] [10 ops br_if]
    # [end] [end] [local.get end]; costs 1955, 1610, 2760, 1610, 1610, 1725
    assert [im.block(s).cost for s in range(im.num_segments)] == [1955, 1610, 2760, 1610, 1610, 1725]
    assert im.block(0).histogram == {BY_NAME[n].id: 1 for n in ("block", "local.get", "i32.eqz", "br_if")}
    assert all(im.block(s).func_index == 0 for s in range(im.num_segments))
    assert COUNTERS_BASE % 8 == 0


def test_cache_round_trip(tmp_path: Path) -> None:
    data = (ROOT / "contracts" / "artifacts" / "token.wasm").read_bytes()
    im = instrument(data, load_cost_table("cosmwasm-vm-3.0.9"))
    im.save(tmp_path / "x.npz")
    back = load_instrumented(tmp_path / "x.npz", data)
    assert back.wasm == im.wasm and back.key == im.key
    for name in ("ops", "seg_start", "seg_func", "seg_charge", "func_first_seg", "entry_charge"):
        assert np.array_equal(getattr(back, name), getattr(im, name)), name
    assert back._insertions == im._insertions
    with pytest.raises(Exception, match="another module"):
        load_instrumented(tmp_path / "x.npz", data + b"\x00")
