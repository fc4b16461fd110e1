"""One small module per rule that has no contract fixture, compiled by wabt's wat2wasm (1.0.42, pinned
by tests/wabt.py).

Oracles: the module text itself (what it declares, written by hand), wasmtime for validity, and the
VM's documented behaviour (cosmwasm-vm compatibility.rs / parsed_wasm.rs) for what must be reported.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from wabt import wabt_tool

from gasmodel.costs import load_profile
from gasmodel.lint import LintReport, lint

# the parts every CosmWasm module needs, so only the rule under test fires
_ABI = """
  (memory (export "memory") 1)
  (func $alloc (export "allocate") (param i32) (result i32) (local.get 0))
  (func (export "deallocate") (param i32))
  (func (export "interface_version_8"))
  (func (export "instantiate") (param i32 i32 i32) (result i32) (i32.const 0))
"""


def wat(tmp_path: Path, body: str, *flags: str, abi: bool = True) -> bytes:
    src = tmp_path / "m.wat"
    src.write_text(f"(module {body} {_ABI if abi else ''})")  # imports first
    out = tmp_path / "m.wasm"
    subprocess.run([wabt_tool("wat2wasm"), *flags, str(src), "-o", str(out)], check=True, capture_output=True)
    return out.read_bytes()


def codes(report: LintReport) -> set[str]:
    return {f.code for f in report.findings}


def test_abi_module_is_clean(tmp_path: Path) -> None:
    r = lint(wat(tmp_path, ""))
    assert r.accepted and codes(r) == set()


def test_cw100_type_mismatch_located(tmp_path: Path) -> None:
    r = lint(wat(tmp_path, '(func $bad (export "execute") (result i32))', "--no-check"))
    f = next(f for f in r.findings if f.code == "CW100")
    assert "type mismatch" in f.message and f.function is not None and f.path == ("execute",)
    assert not r.accepted


def test_cw101_imported_memory(tmp_path: Path) -> None:
    data = wat(
        tmp_path,
        '(import "env" "memory" (memory 1))' + _ABI.replace('(memory (export "memory") 1)', ""),
        abi=False,
    )
    r = lint(data)
    assert {"CW101", "CW202", "CW201"} <= codes(r)


def test_cw109_migrate_version(tmp_path: Path) -> None:
    data = wat(tmp_path, "")
    section = b"cw_migrate_version"
    for payload, bad in ((b"42", False), (b"v2", True), (b"18446744073709551616", True)):
        body = bytes([len(section)]) + section + payload
        module = data + b"\x00" + bytes([len(body)]) + body
        assert ("CW109" in codes(lint(module))) == bad, payload
        # the 2.0 VM does not read the section
        assert "CW109" not in codes(lint(module, chain="upstream-2.0"))


def test_cw203_signature(tmp_path: Path) -> None:
    r = lint(wat(tmp_path, '(import "env" "db_read" (func (param i64) (result i32)))'))
    f = next(f for f in r.findings if f.code == "CW203")
    assert "(i64) -> (i32)" in f.message and "(i32) -> (i32)" in f.message
    assert r.accepted  # stored; linking fails later


def test_cw212_tinygo_and_cw505_start(tmp_path: Path) -> None:
    r = lint(wat(tmp_path, '(import "env" "runtime.ticks" (func (result f64))) (func (export "_start"))'))
    assert {"CW212", "CW505"} <= codes(r) and "CW504" not in codes(r)


def test_cw211_getrandom(tmp_path: Path) -> None:
    r = lint(
        wat(tmp_path, '(import "__wbindgen_placeholder__" "__wbg_getRandomValues_1" (func (param i32)))')
    )
    f = next(f for f in r.findings if f.code == "CW211")
    assert f.message.startswith("getrandom placeholder import") and "no entry point calls it" in f.message


def test_cw502_recursion_with_path(tmp_path: Path) -> None:
    r = lint(
        wat(
            tmp_path,
            """
      (func $even (param i32) (result i32) (if (result i32) (local.get 0)
        (then (call $odd (i32.sub (local.get 0) (i32.const 1)))) (else (i32.const 1))))
      (func $odd (param i32) (result i32) (if (result i32) (local.get 0)
        (then (call $even (i32.sub (local.get 0) (i32.const 1)))) (else (i32.const 0))))
      (func (export "execute") (param i32 i32 i32) (result i32) (call $even (local.get 2)))
      (func $lonely (param i32) (result i32) (call $lonely (local.get 0)))
    """,
        )
    )
    rec = [f for f in r.findings if f.code == "CW502"]
    assert len(rec) == 1  # $lonely recurses but nothing reaches it
    assert "2 functions call each other" in rec[0].message and rec[0].path[0] == "execute"


def test_cw503_memory_grow(tmp_path: Path) -> None:
    body = '(func (export "execute") (param i32 i32 i32) (result i32) (memory.grow (i32.const {n})))'
    # instance memory limit 32 MiB = 512 pages, initial 1 page
    assert "CW503" in codes(lint(wat(tmp_path, body.format(n=512))))
    assert "CW503" not in codes(lint(wat(tmp_path, body.format(n=511))))


def test_cw504_dead_export(tmp_path: Path) -> None:
    r = lint(wat(tmp_path, '(func (export "helper"))'))
    assert codes(r) == {"CW504"} and r.accepted


def test_cw302_gzip_larger_than_the_limit(tmp_path: Path) -> None:
    # random bytes do not compress: the gzipped upload is bigger than the module
    noise = os.urandom(4000)
    data = wat(tmp_path, "")
    body = bytes([4]) + b"junk" + noise
    size = len(body)
    module = data + b"\x00" + bytes([0x80 | (size & 0x7F), size >> 7]) + body
    profile = load_profile("injective-localnet").model_copy(update={"max_wasm_size": len(module)})
    r = lint(module, chain=profile)
    assert codes(r) == {"CW302"} and r.accepted
    tighter = profile.model_copy(update={"max_wasm_size": len(module) - 1})
    assert "CW301" in codes(lint(module, chain=tighter))


def test_cw401_floats_refused_before_1_5(tmp_path: Path) -> None:
    data = wat(
        tmp_path,
        '(func (export "execute") (param i32 i32 i32) (result i32) '
        "(i32.trunc_f32_s (f32.sqrt (f32.convert_i32_s (local.get 0)))))",
    )
    older = load_profile("upstream-1.5")
    no_floats = older.model_copy(
        update={
            "features": older.features.model_copy(
                update={"operators": tuple(f for f in older.features.operators if f not in ("floats",))}
            )
        }
    )
    r = lint(data, chain=no_floats)
    f = next(f for f in r.findings if f.code == "CW401")
    assert f.severity == "error" and "3 floats instructions" in f.message
    assert next(f for f in lint(data).findings if f.code == "CW401").severity == "info"


def test_unreachable_findings_say_so(tmp_path: Path) -> None:
    r = lint(wat(tmp_path, "(func $dead (result v128) (v128.const i64x2 0 0))"))
    f = next(f for f in r.findings if f.code == "CW404")
    assert f.reachable is False and f.path == () and "no entry point reaches" in f.message
