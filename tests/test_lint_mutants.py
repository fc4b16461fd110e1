"""Tests that kill mutants of gasmodel/lint/ which survived scripts/mutation.py (see
benchmarks/results/mutation-survivors.md). Oracles: named in each test's docstring
(wabt's wat2wasm pinned by tests/wabt.py, the WebAssembly specification, public sources at tags).

Modules are written by hand in the WebAssembly text format and compiled by wabt's wat2wasm.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from wabt import wabt_tool

from gasmodel.costs import load_profile
from gasmodel.errors import ConfigError
from gasmodel.lint import Finding, LintReport, lint, lint_matrix
from gasmodel.lint.config import load_config
from gasmodel.lint.sarif import rule_descriptors, to_sarif

ROOT = Path(__file__).resolve().parent.parent

# the exports every CosmWasm module needs, so only the rule under test fires
_ABI = """
  (memory (export "memory") 1)
  (func (export "allocate") (param i32) (result i32) (local.get 0))
  (func (export "deallocate") (param i32))
  (func (export "interface_version_8"))
  (func (export "instantiate") (param i32 i32 i32) (result i32) (i32.const 0))
"""


def _wat(tmp_path: Path, body: str, *flags: str, abi: str = _ABI) -> bytes:
    src = tmp_path / "m.wat"
    src.write_text(f"(module {body} {abi})")
    out = tmp_path / "m.wasm"
    subprocess.run([wabt_tool("wat2wasm"), *flags, str(src), "-o", str(out)], check=True, capture_output=True)
    return out.read_bytes()


def test_sarif_rule_descriptors_link_each_rules_page() -> None:
    """sarif.rule_descriptors 28: every rule's SARIF descriptor names its page, which exists.

    Oracle: the repository's docs/rules/ folder (one page per rule code, listed here by the filesystem).
    """
    pages = {p.stem for p in (ROOT / "docs" / "rules").glob("CW*.md")}
    descriptors = rule_descriptors()
    assert {d["id"] for d in descriptors} <= pages
    for d in descriptors:
        assert d["properties"]["docs"] == f"docs/rules/{d['id']}.md"


def test_sarif_result_names_the_function_and_the_chain(tmp_path: Path) -> None:
    """sarif.to_sarif 56, 75: a finding located in a function has a logical location of kind
    ``function``, and each result carries the chain profile it was linted under.

    Oracle: SARIF 2.1.0 (OASIS, section 3.33.7: ``"function"`` is a defined logicalLocation kind);
    the chain name is the one passed in by hand. The module calls itself (a recursion finding in
    function 4, counted by hand: the four ABI functions come after it, imports none).
    """
    data = _wat(
        tmp_path,
        '(func $r (export "execute") (param i32 i32 i32) (result i32) (call $r '
        "(local.get 0) (local.get 1) (local.get 2)))",
    )
    report = lint(data, "upstream-2.0")
    log = to_sarif([report])
    results = log["runs"][0]["results"]
    located = [r for r in results if "logicalLocations" in r["locations"][0]]
    assert located, "no finding in a function"
    for r in located:
        assert r["locations"][0]["logicalLocations"][0]["kind"] == "function"
    assert {r["properties"]["chain"] for r in results} == {"upstream-2.0"}


def test_counts_add_up_repeated_severities() -> None:
    """LintReport.counts 11: two warnings count 2. Oracle: the findings listed by hand."""
    warn = Finding(code="CW504", severity="warning", message="w")
    report = LintReport(
        file="m.wasm",
        chain="c",
        vm_version="2.0.0",
        accepted=True,
        size=8,
        findings=(warn, warn, Finding(code="CW505", severity="info", message="i")),
    )
    assert report.counts() == {"error": 0, "warning": 2, "info": 1}


def test_explicit_config_path_wins_over_the_nearest_pyproject(tmp_path: Path) -> None:
    """config.load_config 2: ``path=`` is read even when a pyproject.toml with the table is nearer.

    Oracle: the two files written here by hand.
    """
    near = tmp_path / "proj"
    near.mkdir()
    (near / "pyproject.toml").write_text('[tool.gasmodel.lint]\nfail-on = "warning"\n')
    other = tmp_path / "other.toml"
    other.write_text('[tool.gasmodel.lint]\nfail-on = "info"\n')
    assert load_config(start=near).fail_on == "warning"
    cfg = load_config(start=near, path=other)
    assert cfg.fail_on == "info" and cfg.source == str(other)


def test_a_bad_config_key_is_named_in_the_error(tmp_path: Path) -> None:
    """config.load_config 41, 47: one invalid value gives a ConfigError naming the key and the file.

    Oracle: the file written by hand (``jobs`` must be a positive integer, by the module docstring).
    """
    (tmp_path / "pyproject.toml").write_text("[tool.gasmodel.lint]\njobs = 0\n")
    with pytest.raises(ConfigError) as exc:
        load_config(start=tmp_path)
    text = str(exc.value)
    assert str(tmp_path / "pyproject.toml") in text and "[tool.gasmodel.lint] jobs:" in text


def test_gojs_imports_are_tinygo_runtime(tmp_path: Path) -> None:
    """abi.is_tinygo_runtime 8: an import from the ``gojs`` module is a TinyGo runtime import (CW212).

    Oracle: the JavaScript glue of Go's and TinyGo's js/wasm targets is imported from the module
    ``gojs`` (``importObject.gojs`` in wasm_exec.js, e.g. golang/go@go1.21.0:misc/wasm/wasm_exec.js;
    Go 1.21 renamed the module from ``go``); CW212's documented import list names gojs.
    """
    data = _wat(tmp_path, '(import "gojs" "syscall/js.valueGet" (func (param i32)))')
    assert "CW212" in {f.code for f in lint(data).findings}


def test_matrix_uses_the_chains_asked_for(tmp_path: Path) -> None:
    """engine.lint_matrix 12: ``chains=[...]`` lints under those profiles, not the default one.

    Oracle: the profile names passed in by hand (the default is injective-localnet).
    """
    data = _wat(tmp_path, "")
    matrix = lint_matrix(data, chains=["upstream-1.5", "upstream-3.0"])
    assert [r.chain for r in matrix.rows] == ["upstream-1.5", "upstream-3.0"]


def test_wasi_path_functions_are_file_access(tmp_path: Path) -> None:
    """abi.wasi_class 8, 9: a WASI ``path_*`` import is reported as file access.

    Oracle: WASI preview 1 (WebAssembly/WASI@snapshot-01:phases/snapshot/witx/wasi_snapshot_preview1.witx)
    declares ``path_open`` among the filesystem functions that take a directory file descriptor.
    """
    data = _wat(
        tmp_path,
        '(import "wasi_snapshot_preview1" "path_open" '
        "(func (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))",
    )
    messages = [f.message for f in lint(data).findings if f.code == "CW210"]
    assert len(messages) == 1
    assert "WASI import wasi_snapshot_preview1.path_open (files: " in messages[0]


def test_a_global_import_has_no_function_but_has_its_offset(tmp_path: Path) -> None:
    """check_imports 9, Context.finding 8: an imported global the VM does not provide is reported
    without a function index (it has none) and at the byte offset of its import entry.

    Oracle: the WebAssembly core spec (binary format): the function index space holds only function
    imports; an import entry is ``mod:name nm:name importdesc`` with ``0x03`` for a global. The bytes
    at the reported offset are checked against that layout by hand.
    """
    data = _wat(tmp_path, '(import "env" "g" (global i32))')
    findings = [f for f in lint(data).findings if f.code in ("CW201", "CW202")]
    assert {f.code for f in findings} == {"CW201", "CW202"}
    for f in findings:
        assert f.function is None and f.offset is not None
        assert data[f.offset : f.offset + 7] == b"\x03env\x01g\x03"


def test_lint_of_bytes_names_them_and_select_filters(tmp_path: Path) -> None:
    """engine.lint 1, 21: bytes are reported as ``<bytes>`` (the documented default ``source``), and
    ``select`` keeps only the rules asked for while ``accepted`` still counts every error.

    Oracle: the module above declares a global import, which yields CW201 and CW202 (both errors,
    by the rule table's severities); selecting CW202 must leave it alone.
    """
    data = _wat(tmp_path, '(import "env" "g" (global i32))')
    report = lint(data, select=["CW202"])
    assert report.file == "<bytes>"
    assert [f.code for f in report.findings] == ["CW202"] and not report.accepted


def test_an_unknown_import_names_the_entry_point_that_calls_it(tmp_path: Path) -> None:
    """check_imports 23: the message of an import the VM lacks says which entry point calls it.

    Oracle: the module written by hand: ``execute`` calls the import ``env.foo`` directly.
    """
    data = _wat(
        tmp_path,
        '(import "env" "foo" (func $foo)) (func (export "execute") (param i32 i32 i32) (result i32) '
        "(call $foo) (i32.const 0))",
    )
    (finding,) = [f for f in lint(data).findings if f.code == "CW201"]
    assert finding.function == 0
    assert finding.message.endswith("; execute calls it"), finding.message


def test_feature_messages_count_and_name_the_vm(tmp_path: Path) -> None:
    """check_instructions 7, 41, 62 and check_declarations 4, 7, 14, 17, 18: a function with three
    float instructions under a VM that accepts floats is noted with the count and "accepted by
    cosmwasm-vm <version>"; a passive data segment under a VM without bulk memory is "refused by
    cosmwasm-vm <version>", located at the segment.

    Oracle: the module written by hand (``f32.const``, ``f32.const``, ``f32.add`` in function 0, the
    first function: the ABI functions follow it; one passive segment); the upstream-2.0 profile's
    ``vm_version`` (2.0.0) and validator features (floats on, bulk memory off) as written in
    gasmodel/costs/profiles/upstream-2.0.toml.
    """
    data = _wat(
        tmp_path,
        '(data "ab") (func (export "execute") (param i32 i32 i32) (result i32) '
        "f32.const 1 f32.const 2 f32.add drop (i32.const 0))",
    )
    findings = {f.code: f for f in lint(data, "upstream-2.0").findings}
    by_code = {code: f.message for code, f in findings.items()}
    # the spec's passive data segment: flag 0x01, then the bytes as a vector (length 2, "ab")
    passive = findings["CW402"].offset
    assert passive is not None and data[passive : passive + 4] == b"\x01\x02ab"
    floats = by_code["CW401"]
    assert floats.startswith("3 floats instructions in f0, first f32.const (body at 0x"), floats
    assert floats.endswith("): accepted by cosmwasm-vm 2.0.0"), floats
    assert by_code["CW402"] == "data segment 0 is passive (bulk memory): refused by cosmwasm-vm 2.0.0"


def test_a_recursive_group_of_five_names_four_and_one_more(tmp_path: Path) -> None:
    """check_recursion 19: a cycle of five functions lists four of them "and 1 more".

    Oracle: the module written by hand: $a -> $b -> $c -> $d -> $e -> $a, reached from ``execute``.
    """
    calls = "".join(f"(func ${a} (call ${b}))" for a, b in zip("abcde", "bcdea", strict=True))
    data = _wat(
        tmp_path, calls + '(func (export "execute") (param i32 i32 i32) (result i32) (call $a) (i32.const 0))'
    )
    (finding,) = [f for f in lint(data).findings if f.code == "CW502"]
    assert "recursion: 5 functions call each other (" in finding.message
    assert " and 1 more)" in finding.message, finding.message


def test_extended_const_is_refused_only_where_the_validator_lacks_it(tmp_path: Path) -> None:
    """check_declarations 53: a global initialised by ``i32.add`` is CW412 under upstream-2.0 (no
    extended-const in its validator) and not under the same profile with the feature added.

    Oracle: the WebAssembly extended-const proposal (``i32.add`` in a constant expression needs it);
    the validator feature lists written here by hand.
    """
    data = _wat(tmp_path, "(global i32 (i32.add (i32.const 1) (i32.const 2)))")  # wabt 1.0.42: on by default
    base = load_profile("upstream-2.0")
    assert "extended_const" not in base.features.validator
    assert "CW412" in {f.code for f in lint(data, base).findings}
    features = base.features.model_copy(update={"validator": (*base.features.validator, "extended_const")})
    extended = base.model_copy(update={"features": features})
    assert "CW412" not in {f.code for f in lint(data, extended).findings}


def test_locals_limits_are_located_and_named(tmp_path: Path) -> None:
    """_limit 12, check_limits 168: 10,001 locals in one function break upstream-2.2's limits of 100
    per function (located at the function's locals) and 10,000 in all.

    Oracle: the limits in gasmodel/costs/profiles/upstream-2.2.toml (cosmwasm-vm 2.2 ``max_function_locals``
    and ``max_total_function_locals``); the local declaration bytes by the spec's binary format: one
    group, count 10,001 as unsigned LEB128 (0x91 0x4e), type i32 (0x7f).
    """
    data = _wat(tmp_path, "(func " + "(local i32)" * 10_001 + ")")
    findings = {f.code: f for f in lint(data, "upstream-2.2").findings}
    one = findings["CW310"]
    assert one.offset is not None and data[one.offset : one.offset + 4] == b"\x01\x91\x4e\x7f"
    assert findings["CW311"].message.startswith("locals declared in all functions: 10,001, limit 10,000 (")


def test_initial_memory_over_the_limit_says_kib(tmp_path: Path) -> None:
    """check_limits 13: 513 initial pages against a 512-page limit, the limit also in KiB.

    Oracle: the spec's 64 KiB page (512 pages = 32,768 KiB), the 512-page limit of the upstream-2.0
    profile (cosmwasm-vm ``MEMORY_LIMIT``).
    """
    abi = _ABI.replace('(memory (export "memory") 1)', '(memory (export "memory") 513)')
    data = _wat(tmp_path, "", abi=abi)
    (finding,) = [f for f in lint(data, "upstream-2.0").findings if f.code == "CW303"]
    assert finding.message == "initial memory is 513 pages; limit 512 pages (32,768 KiB)"


def test_two_interface_markers_are_both_named(tmp_path: Path) -> None:
    """check_interface 25: the CW106 message lists the markers, comma separated.

    Oracle: the module written by hand exports interface_version_7 and interface_version_8.
    """
    data = _wat(tmp_path, '(func (export "interface_version_7"))')
    (finding,) = [f for f in lint(data).findings if f.code == "CW106"]
    assert finding.message == (
        "2 interface markers exported (interface_version_7, interface_version_8); exactly one is allowed"
    )


def test_an_available_capability_is_located_at_its_export(tmp_path: Path) -> None:
    """check_capabilities 14: CW111 names the function of the ``requires_iterator`` export.

    Oracle: the module written by hand: ``requires_iterator`` is function 0 (the ABI follows); the
    upstream-2.0 profile offers ``iterator`` (cosmwasm-vm's default capabilities).
    """
    data = _wat(tmp_path, '(func (export "requires_iterator"))')
    (finding,) = [f for f in lint(data, "upstream-2.0").findings if f.code == "CW111"]
    assert finding.function == 0


def test_an_undecodable_module_is_reported_not_raised() -> None:
    """run_rules 16: a module our decoder cannot read still gets a CW100 report.

    Oracle: the WebAssembly binary format: after the header, a type section (id 1) that claims five
    bytes but has one is malformed (wabt's wasm-validate rejects it as well).
    """
    data = b"\x00asm\x01\x00\x00\x00\x01\x05\x01"
    report = lint(data)
    assert not report.accepted and "CW100" in {f.code for f in report.findings}


def _migrate_version_section(payload: bytes) -> bytes:
    """A custom section (id 0, size, name ``cw_migrate_version``, payload), by the spec's binary format."""
    name = b"cw_migrate_version"
    content = bytes([len(name)]) + name + payload
    return b"\x00" + bytes([len(content)]) + content


def test_migrate_version_zero_is_a_u64_and_a_bad_one_is_located(tmp_path: Path) -> None:
    """check_custom_sections 39, 47, 53: ``0`` is a valid version; 50 ``x`` are not, reported at the
    payload with its first 40 characters.

    Oracle: cosmwasm-vm 2.1 (CosmWasm/cosmwasm@v2.1.0:packages/vm/src/parsed_wasm.rs) parses the section
    as a decimal ``u64``, so ``0`` is accepted; the payload's offset is counted by hand (module, then
    section id, size, name length and 18 name bytes: 21 bytes).
    """
    base = _wat(tmp_path, "")
    ok = lint(base + _migrate_version_section(b"0"), "injective-localnet")
    assert "CW109" not in {f.code for f in ok.findings}
    bad = base + _migrate_version_section(b"x" * 50)
    (finding,) = [f for f in lint(bad, "injective-localnet").findings if f.code == "CW109"]
    assert finding.offset == len(base) + 21
    assert finding.message == f"cw_migrate_version section holds {'x' * 40!r}, not a u64"


def test_an_indirect_call_of_a_type_no_table_holds(tmp_path: Path) -> None:
    """ModuleFacts._index_calls 17: a ``call_indirect`` whose type no element segment provides has no
    targets, and lint carries on.

    Oracle: the module written by hand (an empty table, one call_indirect); wabt accepts it.
    """
    data = _wat(
        tmp_path,
        '(type $t (func)) (table 1 funcref) (func (export "execute") (param i32 i32 i32) (result i32) '
        "(call_indirect (type $t) (i32.const 0)) (i32.const 0))",
    )
    assert {f.code for f in lint(data).findings} == {"CW104"}


def test_paths_from_the_start_function_begin_with_start(tmp_path: Path) -> None:
    """ModuleFacts._shortest_paths 35: a call path from the start function begins with ``(start)``.

    Oracle: the module written by hand: the start function $s calls $r, which calls itself.
    """
    data = _wat(tmp_path, "(func $s (call $r)) (func $r (call $r)) (start $s)")
    (finding,) = [f for f in lint(data).findings if f.code == "CW502"]
    assert finding.path[0] == "(start)"
