"""The committed lint fixtures and metering micro-modules (contracts/artifacts/{lint,metering}).

Checks, per contracts/fixtures/manifest.json: every artifact decodes in wasmtime; each lint fixture really
contains its named defect (read from `wasm-objdump -x -d` and wasmtime's import/export types), reachable from
the entry point the manifest names; every fixture is otherwise a working counter (run under
tests/fixture_host.py, with stand-ins for the defective imports); and each metering case gives the recorded
result, trap and wasmtime fuel, which equals the fuel-weighted sum of the recorded execution counts.

Oracles: wabt's ``wasm-objdump`` (pinned by tests/wabt.py), wasmtime's module types, wasm execution and
fuel, and tests/fixture_host.py (a host written for the fixtures, independent of gasmodel).
"""

from __future__ import annotations

import base64
import importlib.util
import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import wasmtime
from fixture_host import FixtureHost, HostError
from wabt import wabt_tool

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
FIXTURES = CONTRACTS / "fixtures"
MANIFEST: dict[str, Any] = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
ENTRIES: list[dict[str, Any]] = MANIFEST["fixtures"]
LINT = [e for e in ENTRIES if e["kind"] == "lint"]
METERING = [e for e in ENTRIES if e["kind"] == "metering"]
CASES = [(e, c) for e in METERING for c in e["cases"]]
CHAIN_CAPABILITIES = set(MANIFEST["chain"]["capabilities"])

# wasmtime fuel weights (reference section F; measured for wasmtime-py 50): these cost 0, the rest 1.
FREE_OPS = {"nop", "drop", "block", "loop", "unreachable", "return", "else", "end"}


def _ids(entries: list[dict[str, Any]]) -> list[str]:
    return [e["name"] for e in entries]


@cache
def build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_fixtures", FIXTURES / "build_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_fixtures"] = module
    spec.loader.exec_module(module)
    return module


def wasm_bytes(entry: dict[str, Any]) -> bytes:
    return (CONTRACTS / str(entry["wasm"])).read_bytes()


# ---- wasm-objdump reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Disasm:
    """What the tests need from `wasm-objdump -x -d`: per-function operators, locals, sections."""

    details: str
    ops: dict[int, list[tuple[str, str]]]  # func index -> [(opcode, operand text)]
    locals: dict[int, int]  # func index -> declared locals
    exports: dict[str, int]  # exported function name -> func index
    imports: list[str]  # "module.name" of each import, in order (functions and others)
    func_imports: int
    elem_funcs: frozenset[int]

    def callees(self, f: int) -> set[int]:
        out: set[int] = set()
        for op, arg in self.ops.get(f, []):
            if op in ("call", "ref.func"):
                out.add(int(arg.split()[0]))
            elif op == "call_indirect":
                out |= self.elem_funcs
        return out

    def reachable(self, export: str) -> set[int]:
        seen, todo = set(), [self.exports[export]]
        while todo:
            f = todo.pop()
            if f not in seen:
                seen.add(f)
                todo.extend(self.callees(f))
        return seen

    def reachable_ops(self, export: str) -> set[str]:
        return {op for f in self.reachable(export) for op, _ in self.ops.get(f, [])}

    def section(self, name: str) -> list[str]:
        m = re.search(rf"^{name}\[\d+\]:\n((?: - .*\n|  - .*\n)*)", self.details, re.MULTILINE)
        return m.group(1).splitlines() if m else []


def _objdump() -> str:
    return wabt_tool("wasm-objdump")


@cache
def disasm(rel_path: str) -> Disasm:
    path = CONTRACTS / rel_path
    details = subprocess.run([_objdump(), "-x", str(path)], capture_output=True, text=True, check=True).stdout
    code = subprocess.run([_objdump(), "-d", str(path)], capture_output=True, text=True, check=True).stdout
    ops: dict[int, list[tuple[str, str]]] = {}
    local_counts: dict[int, int] = {}
    current = -1
    for line in code.splitlines():
        head = re.match(r"^[0-9a-f]+ func\[(\d+)\]", line)
        if head:
            current = int(head.group(1))
            ops[current], local_counts[current] = [], 0
            continue
        if "|" not in line or current < 0:
            continue
        text = line.split("|", 1)[1].strip()
        decl = re.match(r"local\[(\d+)(?:\.\.(\d+))?\] type=", text)
        if decl:
            first, last = int(decl.group(1)), int(decl.group(2) or decl.group(1))
            local_counts[current] += last - first + 1
        elif text:
            op, _, arg = text.partition(" ")
            ops[current].append((op, arg))
    export_re = re.compile(r'^ - func\[(\d+)\].* -> "(.+)"$', re.M)
    exports = {m.group(2): int(m.group(1)) for m in export_re.finditer(details)}
    imports = [m.group(1) for m in re.finditer(r"^ - \w+\[\d+\].* <- (\S+)$", details, re.M)]
    func_imports = len(re.findall(r"^ - func\[\d+\] sig=\d+ <.*> <- ", details, re.M))
    elem = frozenset(int(x) for x in re.findall(r"^  - elem\[\d+\] = ref\.func:(\d+)", details, re.M))
    return Disasm(details, ops, local_counts, exports, imports, func_imports, elem)


def import_index(d: Disasm, full_name: str) -> int:
    return d.imports.index(full_name)


# ---- manifest and build recipes agree --------------------------------------------------------------------


def test_manifest_lists_every_recipe_and_artifact() -> None:
    recipes = {r.name: r for r in build_script().RECIPES}
    names = [e["name"] for e in ENTRIES]
    assert len(names) == len(set(names))
    assert set(names) == set(recipes), "manifest and build_fixtures.RECIPES must list the same artifacts"
    for e in ENTRIES:
        r = recipes[e["name"]]
        assert e["wasm"] == f"artifacts/{r.artifact}"
        assert e["kind"] == r.kind and e["language"] == r.language
        assert e["source"] == f"fixtures/{r.source}" and (CONTRACTS / e["source"]).is_file()
        assert (CONTRACTS / e["wasm"]).is_file(), f"{e['wasm']} is not committed"
    on_disk = {p.relative_to(CONTRACTS).as_posix() for kind in ("lint", "metering")
               for p in (CONTRACTS / "artifacts" / kind).glob("*.wasm")}
    assert on_disk == {e["wasm"] for e in ENTRIES}, "stale or unlisted artifacts"


def test_manifest_records_the_pinned_toolchain() -> None:
    pinned = build_script().TOOLCHAIN
    for tool, version in pinned.items():
        assert MANIFEST["toolchain"][tool].startswith(version)


def test_defect_ids_are_unique_except_none() -> None:
    defects = [e["defect"] for e in LINT if e["defect"] != "none"]
    assert len(defects) == len(set(defects))
    assert sum(e["defect"] == "none" for e in LINT) >= 1


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_artifact_decodes_in_wasmtime_without_custom_sections(entry: dict[str, Any]) -> None:
    wasm = wasm_bytes(entry)
    module = wasmtime.Module(wasmtime.Engine(), wasm)
    assert module.exports, "a fixture without exports"
    assert build_script().custom_sections(wasm) == []


@pytest.mark.parametrize("entry", LINT, ids=_ids(LINT))
def test_verdict_fields_are_consistent(entry: dict[str, Any]) -> None:
    assert entry["chain"] in ("accept", "reject")
    if entry["chain"] == "reject":
        assert entry["vm_error"] and entry["vm_check"], "a rejected fixture needs the VM's error and check"
    else:
        assert entry["vm_error"] is None
        assert "messages" in entry, "accepted fixtures carry example messages"
        assert entry["calls"] in ("ok", "fail")
        assert (entry["calls"] == "fail") == ("runtime_error" in entry)
    assert (entry["defect"] == "none") == (entry["name"].startswith("baseline"))


# ---- the defect is in the binary -------------------------------------------------------------------------


def _module(entry: dict[str, Any]) -> wasmtime.Module:
    return wasmtime.Module(wasmtime.Engine(), wasm_bytes(entry))


def _memory_limits(entry: dict[str, Any]) -> wasmtime.Limits:
    mem = [e.type for e in _module(entry).exports if isinstance(e.type, wasmtime.MemoryType)]
    assert len(mem) == 1
    return mem[0].limits


def _markers(entry: dict[str, Any]) -> list[str]:
    return [e.name for e in _module(entry).exports if e.name.startswith("interface_version_")]


def _first_unsupported_import(d: Disasm) -> str:
    return next(name for name in d.imports if not name.startswith("env."))


def _check_none(entry: dict[str, Any], d: Disasm) -> None:
    assert _markers(entry) == ["interface_version_8"]
    assert all(name.startswith("env.") for name in d.imports) and len(d.imports) == d.func_imports
    tables = d.section("Table")
    assert len(tables) <= 1 and all("max=" in t for t in tables)
    limits = _memory_limits(entry)
    assert limits.min <= 512 and limits.max is None
    assert "Start:" not in d.details
    assert max(d.locals.values()) <= 100
    assert {"allocate", "deallocate", "instantiate", "execute", "query"} <= set(d.exports)


def _check_wasi(entry: dict[str, Any], d: Disasm) -> None:
    reach = d.reachable(entry["reachable_from"])
    for name in ("clock_time_get", "random_get"):
        assert import_index(d, f"wasi_snapshot_preview1.{name}") in reach
    assert f'"{_first_unsupported_import(d)}"' in entry["vm_error"]


def _check_wbindgen(entry: dict[str, Any], d: Disasm) -> None:
    reach = d.reachable(entry["reachable_from"])
    assert import_index(d, "__wbindgen_placeholder__.__wbindgen_describe") in reach
    assert any(n.startswith("__wbindgen_placeholder__.__wbg_") for n in d.imports)
    xform = [i for i, n in enumerate(d.imports) if n.startswith("__wbindgen_externref_xform__.")]
    assert xform and set(xform) <= reach
    assert f'"{_first_unsupported_import(d)}"' in entry["vm_error"]


def _ops_check(predicate: Callable[[str], bool], *required: str) -> Callable[[dict[str, Any], Disasm], None]:
    def check(entry: dict[str, Any], d: Disasm) -> None:
        ops = d.reachable_ops(entry["reachable_from"])
        assert any(predicate(op) for op in ops), f"no such operator reachable from {entry['reachable_from']}"
        assert set(required) <= ops

    return check


SIMD_OP = re.compile(r"^(v128|[if](8|16|32|64)x\d+)\.")


def _check_memory_maximum(entry: dict[str, Any], d: Disasm) -> None:
    assert _memory_limits(entry).max is not None


def _check_memory_initial(entry: dict[str, Any], d: Disasm) -> None:
    assert _memory_limits(entry).min > 512 and _memory_limits(entry).max is None


def _check_missing_marker(entry: dict[str, Any], d: Disasm) -> None:
    assert _markers(entry) == []


def _check_two_markers(entry: dict[str, Any], d: Disasm) -> None:
    assert len(_markers(entry)) == 2


def _check_old_marker(entry: dict[str, Any], d: Disasm) -> None:
    assert _markers(entry) == ["interface_version_7"]


def _check_missing_allocate(entry: dict[str, Any], d: Disasm) -> None:
    assert "allocate" not in d.exports and "deallocate" in d.exports


def _capabilities(d: Disasm) -> set[str]:
    return {name.removeprefix("requires_") for name in d.exports if name.startswith("requires_")}


def _check_unavailable_capability(entry: dict[str, Any], d: Disasm) -> None:
    missing = _capabilities(d) - CHAIN_CAPABILITIES
    assert missing == {"cosmwasm_2_2"}
    assert '{"cosmwasm_2_2"}' in entry["vm_error"]


def _check_capability(entry: dict[str, Any], d: Disasm) -> None:
    assert _capabilities(d) == {"iterator"} and _capabilities(d) <= CHAIN_CAPABILITIES


def _check_start(entry: dict[str, Any], d: Disasm) -> None:
    assert re.search(r"^Start:\n - start function: \d+", d.details, re.M)


def _check_two_tables(entry: dict[str, Any], d: Disasm) -> None:
    tables = d.section("Table")
    assert len(tables) == 2 and all("max=" in t for t in tables)
    reach = d.reachable(entry["reachable_from"])
    indirect = [arg for f in reach for op, arg in d.ops.get(f, []) if op == "call_indirect"]
    assert any(arg.startswith("1 ") for arg in indirect), "no call through the second table"


def _check_unbounded_table(entry: dict[str, Any], d: Disasm) -> None:
    tables = d.section("Table")
    assert len(tables) == 1 and "max=" not in tables[0]
    assert "call_indirect" in d.reachable_ops(entry["reachable_from"])


def _check_non_function_import(entry: dict[str, Any], d: Disasm) -> None:
    kinds = [type(i.type).__name__ for i in _module(entry).imports]
    assert kinds.count("GlobalType") == 1 and "MemoryType" not in kinds
    reach = d.reachable(entry["reachable_from"])
    gets = [arg for f in reach for op, arg in d.ops.get(f, []) if op == "global.get"]
    assert any(arg.startswith("0 <env.debug>") for arg in gets)
    assert '"env.debug"' in entry["vm_error"]


def _check_too_many_imports(entry: dict[str, Any], d: Disasm) -> None:
    names = [i.name for i in _module(entry).imports]
    assert len(names) == 101 and f"Imports: {len(names)}." in entry["vm_error"]
    assert all(i.module == "env" for i in _module(entry).imports)


def _check_too_many_locals(entry: dict[str, Any], d: Disasm) -> None:
    big = [f for f, n in d.locals.items() if n > 100]
    assert big and set(big) <= d.reachable(entry["reachable_from"])
    assert all(n <= 100 for f, n in d.locals.items() if f not in big)


# ---- boundary fixtures (just inside / just outside a limit), read from wasm-objdump -x --------------


def _type_params(d: Disasm) -> list[int]:
    out = []
    for line in d.section("Type"):
        m = re.match(r" - type\[\d+\] \((.*?)\) -> ", line)
        assert m, line
        out.append(len([p for p in m.group(1).split(",") if p.strip()]))
    return out


def _func_sigs(d: Disasm) -> list[int]:
    return [int(m.group(1)) for line in d.section("Function") if (m := re.search(r"sig=(\d+)", line))]


def _check_memory_pages(pages: int) -> Callable[[dict[str, Any], Disasm], None]:
    def check(entry: dict[str, Any], d: Disasm) -> None:
        limits = _memory_limits(entry)
        assert limits.min == pages and limits.max is None

    return check


def _check_import_count(n: int) -> Callable[[dict[str, Any], Disasm], None]:
    def check(entry: dict[str, Any], d: Disasm) -> None:
        imports = _module(entry).imports
        assert len(imports) == n and all(i.module == "env" for i in imports)

    return check


def _check_table_max(n: int) -> Callable[[dict[str, Any], Disasm], None]:
    def check(entry: dict[str, Any], d: Disasm) -> None:
        tables = d.section("Table")
        assert len(tables) == 1 and tables[0].endswith(f" max={n}")

    return check


def _check_function_count(n: int) -> Callable[[dict[str, Any], Disasm], None]:
    def check(entry: dict[str, Any], d: Disasm) -> None:
        assert len(_func_sigs(d)) == n

    return check


def _check_widest_type(n: int) -> Callable[[dict[str, Any], Disasm], None]:
    def check(entry: dict[str, Any], d: Disasm) -> None:
        params = _type_params(d)
        assert max(params) == n
        assert params.index(n) not in _func_sigs(d), "the wide type should be used by no function"

    return check


def _check_total_params(n: int) -> Callable[[dict[str, Any], Disasm], None]:
    def check(entry: dict[str, Any], d: Disasm) -> None:
        params = _type_params(d)
        assert sum(params[sig] for sig in _func_sigs(d)) == n

    return check


def _check_two_results(entry: dict[str, Any], d: Disasm) -> None:
    assert any(line.endswith("-> (i32, i32)") for line in d.section("Type"))


def _check_locals(n: int) -> Callable[[dict[str, Any], Disasm], None]:
    def check(entry: dict[str, Any], d: Disasm) -> None:
        big = [f for f, k in d.locals.items() if k == n]
        assert big and max(d.locals.values()) == n and set(big) <= d.reachable(entry["reachable_from"])

    return check


def _check_size(n: int) -> Callable[[dict[str, Any], Disasm], None]:
    def check(entry: dict[str, Any], d: Disasm) -> None:
        assert len(wasm_bytes(entry)) == n

    return check


def _check_extended_const(entry: dict[str, Any], d: Disasm) -> None:
    assert any(re.search(r"init \(.*i32\.(add|sub|mul)\)", line) for line in d.section("Global"))


def _check_unsupported_import(entry: dict[str, Any], d: Disasm) -> None:
    assert import_index(d, "env.not_a_host_function") in d.reachable(entry["reachable_from"])
    assert '"env.not_a_host_function"' in entry["vm_error"]


# Defects whose check reads only the file (their disassembly would be millions of lines).
FILE_ONLY_DEFECTS = frozenset({"size-at-limit", "size-over-limit"})
NO_DISASM = Disasm("", {}, {}, {}, [], 0, frozenset())

DEFECT_CHECKS: dict[str, Callable[[dict[str, Any], Disasm], None]] = {
    "none": _check_none,
    "wasi-imports": _check_wasi,
    "wasm-bindgen-imports": _check_wbindgen,
    "float-ops": _ops_check(lambda op: op.startswith("f64."), "f64.mul", "f64.div", "f64.add"),
    "bulk-memory": _ops_check(lambda op: op in ("memory.copy", "memory.fill"), "memory.copy", "memory.fill"),
    "sign-ext": _ops_check(lambda op: re.fullmatch(r"i(32|64)\.extend(8|16|32)_s", op) is not None),
    "simd": _ops_check(lambda op: SIMD_OP.match(op) is not None, "v128.load"),
    "memory-maximum": _check_memory_maximum,
    "memory-initial-too-large": _check_memory_initial,
    "missing-interface-version": _check_missing_marker,
    "multiple-interface-versions": _check_two_markers,
    "unknown-interface-version": _check_old_marker,
    "missing-allocate": _check_missing_allocate,
    "unavailable-capability": _check_unavailable_capability,
    "requires-capability": _check_capability,
    "reference-types": _ops_check(lambda op: op == "ref.func", "table.set", "table.get", "ref.is_null"),
    "start-function": _check_start,
    "multiple-tables": _check_two_tables,
    "unbounded-table": _check_unbounded_table,
    "non-function-import": _check_non_function_import,
    "too-many-imports": _check_too_many_imports,
    "too-many-locals": _check_too_many_locals,
    "memory-initial-at-limit": _check_memory_pages(512),
    "imports-at-limit": _check_import_count(100),
    "table-max-at-limit": _check_table_max(2500),
    "table-max-over-limit": _check_table_max(2501),
    "functions-at-limit": _check_function_count(20000),
    "functions-over-limit": _check_function_count(20001),
    "params-at-limit": _check_widest_type(100),
    "params-over-limit": _check_widest_type(101),
    "total-params-at-limit": _check_total_params(10000),
    "total-params-over-limit": _check_total_params(10001),
    "results-over-limit": _check_two_results,
    "locals-at-limit": _check_locals(100),
    "size-at-limit": _check_size(2_048_000),
    "size-over-limit": _check_size(2_048_001),
    "tail-call": _ops_check(lambda op: op == "return_call"),
    "atomics": _ops_check(lambda op: op.startswith("i32.atomic.")),
    "exceptions": _ops_check(lambda op: op == "throw"),
    "relaxed-simd": _ops_check(lambda op: "relaxed" in op),
    "extended-const": _check_extended_const,
    "unsupported-import": _check_unsupported_import,
}


@pytest.mark.parametrize("entry", LINT, ids=_ids(LINT))
def test_defect_is_present_in_the_binary(entry: dict[str, Any]) -> None:
    check = DEFECT_CHECKS.get(entry["defect"])
    assert check is not None, f"no check for defect {entry['defect']!r}"
    check(entry, NO_DISASM if entry["defect"] in FILE_ONLY_DEFECTS else disasm(entry["wasm"]))


@pytest.mark.parametrize("entry", [e for e in LINT if e["defect"] != "none"],
                         ids=_ids([e for e in LINT if e["defect"] != "none"]))
def test_baseline_does_not_pass_the_defect_check(entry: dict[str, Any]) -> None:
    """Each defect check must be able to fail: the same check on the baseline of that language fails."""
    baseline = next(e for e in LINT if e["defect"] == "none" and e["language"] == entry["language"])
    reach = entry.get("reachable_from", "execute")
    probe = {**baseline, "vm_error": entry["vm_error"], "reachable_from": reach}
    with pytest.raises((AssertionError, StopIteration, ValueError)):
        DEFECT_CHECKS[entry["defect"]](probe, disasm(baseline["wasm"]))


# ---- every fixture is a working counter --------------------------------------------------------------


def _wasi_clock_time_get(host: list[FixtureHost]) -> Callable[[int, int, int], int]:
    def clock_time_get(_clock: int, _precision: int, out_ptr: int) -> int:
        host[0].memory.write(host[0].store, (1_571_797_419_879_305_533).to_bytes(8, "little"), out_ptr)
        return 0

    return clock_time_get


def _stand_ins(entry: dict[str, Any], cell: list[FixtureHost]) -> dict[tuple[str, str], Any]:
    """Host stand-ins for a fixture's defective imports, so its counter logic can run."""
    if entry["defect"] == "wasi-imports":
        return {("wasi_snapshot_preview1", "clock_time_get"): _wasi_clock_time_get(cell),
                ("wasi_snapshot_preview1", "random_get"): lambda _ptr, _len: 0}
    if entry["defect"] == "wasm-bindgen-imports":
        wbg, xform = "__wbindgen_placeholder__", "__wbindgen_externref_xform__"
        return {(wbg, "__wbg_crypto_1d1f22824a6a080c"): lambda _s: 7,
                (wbg, "__wbindgen_is_undefined"): lambda _i: 0,
                (wbg, "__wbg_getRandomValues_3aa56aa6edec874c"): lambda _c, _a: None,
                (wbg, "__wbindgen_object_drop_ref"): lambda _i: None,
                (wbg, "__wbindgen_describe"): lambda _v: None,
                (xform, "__wbindgen_externref_table_grow"): lambda _d: 1,
                (xform, "__wbindgen_externref_table_set_null"): lambda _i: None}
    if entry["defect"] == "non-function-import":
        return {("env", "debug"): 0}
    if entry["defect"] == "unsupported-import":
        return {("env", "not_a_host_function"): lambda _msg: None}
    return {}


def _host(entry: dict[str, Any]) -> FixtureHost:
    cell: list[FixtureHost] = []
    host = FixtureHost(wasm_bytes(entry), extra_imports=_stand_ins(entry, cell),
                       stub_unknown=entry["defect"] in ("too-many-imports", "imports-at-limit"))
    cell.append(host)
    return host


def _run_counter(host: FixtureHost, messages: dict[str, Any]) -> None:
    res = host.instantiate(messages["instantiate"])
    assert res["ok"]["attributes"][0] == {"key": "action", "value": "instantiate"}
    for msg in messages["execute"]:
        assert "ok" in host.execute(msg), msg
    answer = host.query(messages["query"])
    assert json.loads(base64.b64decode(answer["ok"])) == messages["query_result"]
    for msg in messages["more_execute"]:
        assert "ok" in host.execute(msg)
    assert "error" in host.execute(messages["error_execute"])
    assert "error" in host.query({"no_such_query": {}})


ACCEPTED = [e for e in LINT if e["chain"] == "accept"]
RUNNABLE = [e for e in LINT if e["defect"] != "missing-allocate"]
COUNTER_MESSAGES = next(e["messages"] for e in LINT if e["defect"] == "none")


@pytest.mark.parametrize("entry", ACCEPTED, ids=_ids(ACCEPTED))
def test_accepted_fixture_runs_its_messages(entry: dict[str, Any]) -> None:
    host = _host(entry)
    _run_counter(host, entry["messages"])
    assert host.storage == {b"count": b"42"}


@pytest.mark.parametrize("entry", RUNNABLE, ids=_ids(RUNNABLE))
def test_fixture_is_otherwise_a_working_counter(entry: dict[str, Any]) -> None:
    host = _host(entry)
    _run_counter(host, COUNTER_MESSAGES)
    if entry["defect"] in ("too-many-imports", "imports-at-limit"):
        assert host.debug_log == ['{"increment":{}}', '{"increment":{}}']


def test_missing_allocate_fixture_cannot_take_arguments() -> None:
    entry = next(e for e in LINT if e["defect"] == "missing-allocate")
    with pytest.raises(HostError, match="allocate"):
        _host(entry).instantiate({"count": 1})


def test_host_rejects_the_defective_imports_without_stand_ins() -> None:
    for defect in ("wasi-imports", "wasm-bindgen-imports", "non-function-import"):
        entry = next(e for e in LINT if e["defect"] == defect)
        with pytest.raises(HostError):
            FixtureHost(wasm_bytes(entry))


# ---- metering micro-modules -------------------------------------------------------------------------


def weighted(counts: dict[str, int]) -> int:
    return sum(n for op, n in counts.items() if op not in FREE_OPS)


def _trap_name(code: wasmtime.TrapCode | None) -> str:
    return code.name.lower() if code is not None else "unknown"


@pytest.mark.parametrize(("entry", "case"), CASES,
                         ids=[f"{e['name']}.{c['function']}{c['args']}" for e, c in CASES])
def test_metering_case_matches_wasmtime_fuel(entry: dict[str, Any], case: dict[str, Any]) -> None:
    limit = case.get("fuel_limit", 10_000_000)
    config = wasmtime.Config()
    config.consume_fuel = True
    engine = wasmtime.Engine(config)
    store = wasmtime.Store(engine)
    store.set_fuel(limit)
    instance = wasmtime.Instance(store, wasmtime.Module(engine, wasm_bytes(entry)), [])
    func = instance.exports(store)[case["function"]]
    assert isinstance(func, wasmtime.Func)
    trap = result = None
    try:
        result = func(store, *case["args"])
    except wasmtime.Trap as exc:
        trap = _trap_name(exc.trap_code)
    used = limit - store.get_fuel()
    assert (result, trap) == (case["result"], case["trap"])
    assert used == case["wasmtime_fuel"]
    expected = case["function_entries"] + weighted(case["counts"])
    if case["fuel_exact"]:
        assert used == expected
    elif case["trap"] == "out_of_fuel":
        # the limit is reached during the last iteration: one iteration fewer stays under it
        assert expected - weighted(case["per_iteration"]) < limit <= expected
        iterations = instance.exports(store)["iterations"]
        assert isinstance(iterations, wasmtime.Global)
        assert iterations.value(store) == case["iterations"]
    else:
        assert used < expected, "an inexact case must say why wasmtime under-reports"
        assert case.get("note")


@pytest.mark.parametrize("entry", METERING, ids=_ids(METERING))
def test_metering_counts_name_operators_of_the_module(entry: dict[str, Any]) -> None:
    d = disasm(entry["wasm"])
    static = {op for ops in d.ops.values() for op, _ in ops}
    for case in entry["cases"]:
        assert set(case["counts"]) <= static, f"{case['function']}: operator not in the module"


def test_straight_line_counts_equal_the_static_code() -> None:
    entry = next(e for e in METERING if e["name"] == "straight_line")
    (f,) = disasm(entry["wasm"]).ops.values()
    static: dict[str, int] = {}
    for op, _ in f:
        static[op] = static.get(op, 0) + 1
    assert entry["cases"][0]["counts"] == static


def test_loop_counts_grow_by_the_per_iteration_counts() -> None:
    entry = next(e for e in METERING if e["name"] == "loop_br_if")
    loops = [c for c in entry["cases"] if "per_iteration" in c]
    base = loops[0]
    for case in loops[1:]:
        extra = case["iterations"] - base["iterations"]
        grown = {op: n + extra * case["per_iteration"].get(op, 0) for op, n in base["counts"].items()}
        assert grown == case["counts"]

# The recorded chain verdicts are checked on the real localnet by tests/test_chain_contracts.py.
