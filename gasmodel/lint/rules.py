"""The rule table: every lint rule's code, name, default severity and documentation, in one place.

The registry (:data:`RULES`, :func:`rule`), ``--select``/``--ignore`` prefixes, the docs pages
``docs/rules/<CODE>.md`` and their index (:mod:`gasmodel.lint.docs`) and SARIF's rule metadata
(:mod:`gasmodel.lint.sarif`) all derive from :data:`RULES`. Codes are stable: ``CW1xx`` module
structure, ``CW2xx`` imports and nondeterminism, ``CW3xx`` limits, ``CW4xx`` Wasm features,
``CW5xx`` hazards. Severity: ``error`` = the chain refuses the module at upload; ``warning`` =
stored, but a hazard; ``info`` = worth knowing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK: Mapping[str, int] = MappingProxyType({"error": 3, "warning": 2, "info": 1})

CATEGORIES: Mapping[str, str] = MappingProxyType(
    {
        "CW1": "structure",
        "CW2": "imports and nondeterminism",
        "CW3": "limits",
        "CW4": "Wasm features",
        "CW5": "hazards",
    }
)


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: stable ``code``, kebab-case ``name``, default ``severity``, one-line ``summary``
    and the docs page's sections (``why``, ``versions``, ``example`` in WAT, ``fix``)."""

    code: str
    name: str
    severity: Severity
    summary: str
    why: str
    versions: str
    example: str
    fix: str

    @property
    def category(self) -> str:
        """The rule family (structure, imports and nondeterminism, limits, features, hazards)."""
        return CATEGORIES[self.code[:3]]


_COUNTER = '(module (memory 1) (func (export "allocate") ...) (func (export "deallocate") ...)'

RULES: tuple[Rule, ...] = (
    # ------------------------------------------------------------------ CW1xx structure
    Rule(
        "CW100",
        "invalid-wasm",
        "error",
        "the module is not valid WebAssembly under the chain's validator features",
        "cosmwasm-vm parses and validates every module with wasmparser before storing it; an invalid "
        "module (bad encoding, type mismatch, unknown index) is refused with the validator's message.",
        "all (wasmparser from cosmwasm-vm 1.4, parity-wasm before)",
        "(module (func (result i32)))  ;; no value on the stack at the end",
        "fix the toolchain output; run wasm-validate / wasm-tools validate on the artifact.",
    ),
    Rule(
        "CW101",
        "memory-count",
        "error",
        "the module must define exactly one memory",
        "The VM passes data in and out through the contract's own linear memory; check_wasm_memories "
        "refuses zero memories, an imported memory and several memories.",
        "all",
        '(module (import "env" "memory" (memory 1)))',
        "define one memory in the module and export it as `memory` (every Rust/C toolchain does by default; "
        "do not link with --import-memory).",
    ),
    Rule(
        "CW102",
        "memory-maximum-set",
        "error",
        "the memory declares a maximum; the VM requires it unset",
        "The host sets the maximum itself (the instance memory limit); check_wasm_memories refuses a "
        'declared maximum: "Wasm contract memory\'s maximum must be unset. The host will set it for you."',
        "all",
        "(module (memory 17 64) ...)",
        "do not pass --max-memory to the linker.",
    ),
    Rule(
        "CW103",
        "multiple-tables",
        "error",
        "the module defines more than one table",
        'Without the reference-types proposal the validator refuses a second table ("multiple tables"); '
        'with it (cosmwasm-vm 3.0) check_wasm_tables refuses it: "Wasm contract must not have more than '
        '1 table section".',
        "all",
        "(module (table 1 1 funcref) (table 1 1 funcref) ...)",
        "link with one function table (default for Rust and C).",
    ),
    Rule(
        "CW104",
        "unbounded-table",
        "error",
        "the table has no maximum size",
        'check_wasm_tables refuses a table without a maximum: "Wasm contract must not have unbound table '
        'section" (a table that may grow without bound is a denial-of-service vector).',
        "cosmwasm-vm 1.3.0 and later",
        "(module (table 1 funcref) ...)",
        "give the table a maximum (wasm-ld sets max = min unless --growable-table).",
    ),
    Rule(
        "CW105",
        "missing-interface-version",
        "error",
        "no interface_version_* marker export",
        'The VM identifies the contract ABI by an exported marker function; without one: "Wasm contract '
        'missing a required marker export: interface_version_*".',
        "all",
        _COUNTER + '  ;; no (export "interface_version_8")',
        "build against cosmwasm-std (it exports interface_version_8), or export an empty function "
        "named interface_version_8.",
    ),
    Rule(
        "CW106",
        "multiple-interface-versions",
        "error",
        "more than one interface_version_* marker export",
        'Exactly one marker must exist: "Wasm contract contains more than one marker export: '
        'interface_version_*".',
        "all",
        '(func (export "interface_version_8")) (func (export "interface_version_7"))',
        "export only interface_version_8 (do not link two cosmwasm-std versions).",
    ),
    Rule(
        "CW107",
        "unknown-interface-version",
        "error",
        "the interface_version_* marker is not one this VM supports",
        "The marker names the ABI the contract was built for; an old or unknown one is refused "
        '("Wasm contract has unknown interface_version_* marker export").',
        "interface_version_8 only from cosmwasm-vm 1.0 (interface_version_7 behind a build flag in 1.x)",
        '(func (export "interface_version_7"))',
        "rebuild with cosmwasm-std 1.0 or later.",
    ),
    Rule(
        "CW108",
        "missing-required-export",
        "error",
        "a function export the VM requires is missing",
        "The host calls allocate/deallocate to pass data (and, before 2.0, requires instantiate): "
        '"Wasm contract doesn\'t have required export: \\"allocate\\"".',
        "allocate, deallocate: all; instantiate: cosmwasm-vm 1.x only",
        '(module (memory 1) (func (export "interface_version_8")))',
        "export allocate and deallocate (cosmwasm-std does), and instantiate for 1.x chains.",
    ),
    Rule(
        "CW109",
        "invalid-migrate-version",
        "error",
        "the cw_migrate_version custom section is not a decimal u64",
        "From cosmwasm-vm 2.1 the VM reads the contract's migrate version from this custom section and "
        "refuses the module when it is not UTF-8 or not a u64.",
        "cosmwasm-vm 2.1.0 and later",
        '(@custom "cw_migrate_version" "v2")',
        "set the version with cosmwasm-std's #[migrate_version(N)] (a number), or strip the section.",
    ),
    Rule(
        "CW110",
        "unavailable-capability",
        "error",
        "the module requires a capability the chain does not offer",
        "Each exported requires_<cap> function declares a capability; the module is refused unless "
        'the chain offers all of them ("Wasm contract requires unavailable capabilities: {...}").',
        "all (capabilities from 1.1; features before)",
        '(func (export "requires_cosmwasm_2_2"))',
        "disable the cosmwasm-std feature (e.g. cosmwasm_2_2) that needs it, or deploy where it is "
        "available.",
    ),
    Rule(
        "CW111",
        "capability-required",
        "info",
        "the module requires a capability (available on this chain)",
        "Worth knowing before moving the contract to another chain, which may not offer it.",
        "all",
        '(func (export "requires_iterator"))',
        "nothing to fix here; `gasmodel lint --chain all` shows where it is missing.",
    ),
    # ------------------------------------------------------------------ CW2xx imports
    Rule(
        "CW201",
        "unsupported-import",
        "error",
        "an import the VM does not provide",
        "The VM links only its own `env` functions; any other import is refused at upload "
        '("Wasm contract requires unsupported import").',
        "the allow-list grows: 15 names (1.0-1.3), 17 (1.4-2.0), 24 (2.1+)",
        '(import "env" "bls12_381_hash_to_g1" (func ...))  ;; on a 2.0 chain',
        "remove the dependency that needs it, or target a VM that provides it.",
    ),
    Rule(
        "CW202",
        "non-function-import",
        "error",
        "an import that is not a function (memory, table, global)",
        '"Wasm contract requires non-function import": every import the VM supports is a function.',
        "all",
        '(import "env" "debug" (global i32))',
        "define the memory, table or global in the module instead of importing it.",
    ),
    Rule(
        "CW203",
        "import-signature",
        "warning",
        "a supported import with a signature the VM does not provide",
        "Signatures are not checked at upload, so the code is stored, but linking fails at every "
        "instantiation.",
        "all",
        '(import "env" "db_read" (func (param i64) (result i32)))',
        "use cosmwasm-std's import declarations; do not declare the imports by hand.",
    ),
    Rule(
        "CW210",
        "wasi-import",
        "error",
        "a WASI import: nondeterministic and unsupported",
        "WASI functions read the clock, randomness, the environment, files or the process; no chain "
        "can run them deterministically and the VM refuses them at upload (TinyGo, Rust wasm32-wasi, "
        "Emscripten emit them).",
        "all",
        '(import "wasi_snapshot_preview1" "clock_time_get" (func ...))',
        "build for wasm32-unknown-unknown; take time from env.block.time and randomness from the "
        "message, never from the host.",
    ),
    Rule(
        "CW211",
        "wasm-bindgen-import",
        "error",
        "a wasm-bindgen / getrandom placeholder import",
        "wasm-bindgen (pulled in by getrandom's `js` feature, chrono's wasmbind, ...) leaves "
        "__wbindgen_* imports for a JavaScript host; the VM refuses them at upload.",
        "all",
        '(import "__wbindgen_placeholder__" "__wbindgen_describe" (func ...))',
        "find the crate that enables wasm-bindgen (cargo tree -i wasm-bindgen) and turn that feature off; "
        "for getrandom use a custom backend that errors.",
    ),
    Rule(
        "CW212",
        "tinygo-runtime-import",
        "error",
        "a TinyGo runtime import (env.syscall*, runtime.*, gojs)",
        "TinyGo's runtime imports host functions for syscalls, timers and JavaScript interop; they are "
        "nondeterministic and unsupported.",
        "all",
        '(import "env" "runtime.ticks" (func (result f64)))',
        "build with -target=wasm-unknown and a runtime without scheduler/timers (e.g. -scheduler=none), "
        "or use a CosmWasm TinyGo SDK.",
    ),
    # ------------------------------------------------------------------ CW3xx limits
    Rule(
        "CW301",
        "wasm-too-large",
        "error",
        "the module is larger than the chain's upload limit",
        "wasmd refuses MsgStoreCode above MaxWasmSize (uncompressed, after gunzip); chains change it "
        "at compile time, so the number comes from the chain's profile.",
        "wasmd: 500 KiB to v0.26, 800 KiB from v0.27; chains differ (Injective: 2,048,000 bytes)",
        "a 900 KB module on upstream wasmd",
        "optimise (wasm-opt -Oz, cosmwasm/optimizer), strip debug info and names, split the contract.",
    ),
    Rule(
        "CW302",
        "gzip-upload-too-large",
        "warning",
        "the gzipped upload exceeds the limit although the module itself fits",
        "MsgStoreCode's bytes are limited as sent; an incompressible module gzips to slightly more "
        "than its size, so the CLI's gzipped upload is refused where the raw one is accepted.",
        "all wasmd",
        "a module of random data just under the limit",
        "upload the raw module (no gzip) or make it smaller.",
    ),
    Rule(
        "CW303",
        "memory-initial-too-large",
        "error",
        "the initial memory exceeds the VM's page limit",
        '"Wasm contract memory\'s minimum must not exceed 512 pages." (32 MiB)',
        "all",
        "(module (memory 513) ...)",
        "lower the initial memory (linker --initial-memory, stack size, static data).",
    ),
    Rule(
        "CW304",
        "table-too-large",
        "error",
        "the table's maximum exceeds the VM's limit",
        '"Wasm contract\'s first table section has a too large max limit" (2,500 entries).',
        "cosmwasm-vm 1.3.0 and later",
        "(module (table 10 2501 funcref) ...)",
        "fewer functions reachable through pointers (trait objects, function pointers).",
    ),
    Rule(
        "CW305",
        "too-many-imports",
        "error",
        "more imports than the VM allows",
        '"Import count exceeds limit. Imports: 101. Limit: 100."',
        "cosmwasm-vm 1.3.0 and later",
        "101 (import ...) lines",
        "import each host function once.",
    ),
    Rule(
        "CW306",
        "too-many-functions",
        "error",
        "more defined functions than the VM allows",
        '"Wasm contract contains more than 20000 functions" (10,000 in 1.x patch releases); '
        "imports do not count.",
        "1.2.8, 1.3.4, 1.4.2+ (10,000); 2.0+ (20,000)",
        "20,001 (func ...) definitions",
        "optimise for size (LTO, opt-level z), drop dependencies.",
    ),
    Rule(
        "CW307",
        "too-many-params",
        "error",
        "a function type with more parameters than the VM allows",
        '"Wasm contract contains function with more than 100 parameters"; every type in the type '
        "section counts, even one that no function uses.",
        "1.x patch releases (50); 2.0+ (100)",
        "(type (func (param i32 ... 101 times)))",
        "pass a struct by pointer instead of many scalars.",
    ),
    Rule(
        "CW308",
        "too-many-total-params",
        "error",
        "the defined functions' parameters add up to more than the VM allows",
        '"Wasm contract contains more than 10000 function parameters in total" (summed over the '
        "function section).",
        "cosmwasm-vm 2.0.0 and later",
        "many functions with many parameters",
        "optimise for size; fewer, smaller functions.",
    ),
    Rule(
        "CW309",
        "too-many-results",
        "error",
        "a function type with more than one result",
        'Multi-value is on in the validator but check_wasm_functions allows one result: "Wasm contract '
        'contains function with more than 1 results"; every type counts.',
        "1.x patch releases and 2.0+",
        "(type (func (result i32 i32)))",
        "do not enable the multivalue target feature.",
    ),
    Rule(
        "CW310",
        "too-many-locals",
        "error",
        "a function declares more locals than the VM allows",
        '"Wasm contract contains function with more than 100 locals" (declared locals, parameters not '
        "counted). VMs without the limit store the module (warning then, naming the VMs that refuse it).",
        "cosmwasm-vm 2.2.9, 2.3.4 and 3.0.9 only",
        "(func (local i32 ... 101 times))",
        "split the function; build with optimisations (fewer locals).",
    ),
    Rule(
        "CW311",
        "too-many-total-locals",
        "error",
        "the functions' declared locals add up to more than the VM allows",
        '"Wasm contract contains more than 10000 function locals in total".',
        "cosmwasm-vm 2.2.9, 2.3.4 and 3.0.9 only",
        "200 functions with 51 locals each",
        "optimise for size; fewer, smaller functions.",
    ),
    # ------------------------------------------------------------------ CW4xx features
    Rule(
        "CW401",
        "float-operator",
        "error",
        "floating-point instructions",
        "Float results can differ bit-wise between machines (NaN payloads); cosmwasm-vm rejected every "
        'float instruction before 1.5 ("Float operator detected") and allows them from 1.5.0 with NaN '
        "canonicalisation (info there).",
        "rejected before 1.5.0; allowed (NaN-canonicalised) from 1.5.0",
        "(func (param f32) (result f32) local.get 0 f32.sqrt)",
        "use integer or fixed-point arithmetic (e.g. Decimal) on chains before 1.5.",
    ),
    Rule(
        "CW402",
        "bulk-memory",
        "error",
        "bulk-memory instructions or passive segments (memory.copy/fill/init, data.drop, table.copy/init)",
        'Refused by the validator ("bulk memory support is not enabled") and the Gatekeeper; Rust '
        "1.87+ and clang emit memory.copy/fill when the bulk-memory target feature is on.",
        "rejected by every released VM (3.1.0-rc.0 allows it)",
        "(func (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.copy)",
        "build with -C target-feature=-bulk-memory (Rust) or without -mbulk-memory (clang), or run "
        "wasm-opt --llvm-memory-copy-fill-lowering.",
    ),
    Rule(
        "CW403",
        "reference-types",
        "error",
        "reference-types instructions (ref.*, table.get/set/grow/size/fill, typed select)",
        'The Gatekeeper refuses every reference-type operator ("Reference type operation detected"); '
        "the validator itself accepts them from cosmwasm-vm 3.0.",
        "rejected by every VM",
        "(func (result i32) ref.null func ref.is_null)",
        "build without the reference-types target feature (Rust: -C target-feature=-reference-types).",
    ),
    Rule(
        "CW404",
        "simd",
        "error",
        "SIMD (v128) instructions",
        '"SIMD support is not enabled": SIMD is off in the validator and the Gatekeeper.',
        "rejected by every VM",
        "(func (result v128) v128.const i64x2 0 0)",
        "build without simd128.",
    ),
    Rule(
        "CW405",
        "relaxed-simd",
        "error",
        "relaxed-SIMD instructions",
        "Relaxed SIMD is nondeterministic by design and always rejected.",
        "rejected by every VM",
        "(func ... i8x16.relaxed_swizzle)",
        "build without relaxed-simd.",
    ),
    Rule(
        "CW406",
        "threads",
        "error",
        "atomic instructions or shared memory (threads proposal)",
        "Threads are off in the validator and the Gatekeeper.",
        "rejected by every VM",
        "(func ... i32.atomic.load)",
        "build without atomics/threads.",
    ),
    Rule(
        "CW407",
        "tail-call",
        "error",
        "tail calls (return_call, return_call_indirect)",
        "Off in the validator; the Gatekeeper routes them to its reference-types switch (off).",
        "rejected by every VM",
        "(func return_call 0)",
        "build without the tail-call target feature.",
    ),
    Rule(
        "CW408",
        "exceptions",
        "error",
        "exception-handling instructions (try, catch, throw, try_table, ...)",
        "Exception handling is off in the validator and the Gatekeeper.",
        "rejected by every VM",
        "(func try ... catch_all ... end)",
        "build with panic=abort and without exception-handling.",
    ),
    Rule(
        "CW409",
        "function-references",
        "error",
        "typed function references or GC instructions (call_ref, ref.as_non_null, br_on_null, ...)",
        "Off in the validator; always rejected by the Gatekeeper.",
        "rejected by every VM",
        "(func (param (ref $t)) local.get 0 call_ref $t)",
        "build without the typed-function-references / gc target features.",
    ),
    Rule(
        "CW410",
        "sign-extension",
        "error",
        "sign-extension instructions (i32.extend8_s, ...)",
        "Rust 1.70+ emits them. cosmwasm-vm before 1.3.0 (parity-wasm) refused them; every later VM "
        "accepts them (info there).",
        "rejected before 1.3.0; accepted from 1.3.0",
        "(func (param i32) (result i32) local.get 0 i32.extend8_s)",
        "for old chains: build with -C target-feature=-sign-ext or an older Rust.",
    ),
    Rule(
        "CW412",
        "extended-const",
        "error",
        "arithmetic in a constant expression (extended-const proposal)",
        "Global initialisers and segment offsets may only be a constant or global.get; i32.add etc. "
        "there need extended-const, which no VM enables (wasmtime accepts it, the chain does not).",
        "rejected by every VM",
        "(global i32 (i32.add (i32.const 1) (i32.const 2)))",
        "build without the extended-const target feature.",
    ),
    # ------------------------------------------------------------------ CW5xx hazards
    Rule(
        "CW501",
        "start-function",
        "warning",
        "the module has a start function",
        "The code is stored, but the start function runs at every instantiation, before the VM has "
        "set up the environment; the calls fail (observed on the Injective localnet).",
        "all",
        "(module (func $init ...) (start $init) ...)",
        "do the work in instantiate; remove the start section (wasm-ld: no --entry / -Wl,--no-entry).",
    ),
    Rule(
        "CW502",
        "recursion",
        "warning",
        "recursion reachable from an entry point",
        "Recursion depth is bounded only by gas and the 1 MiB native stack: input-controlled depth can "
        "abort the call with a stack overflow before gas runs out.",
        "all",
        "(func $f (param i32) local.get 0 call $f)",
        "bound the depth explicitly, or rewrite as a loop.",
    ),
    Rule(
        "CW503",
        "memory-grow-beyond-limit",
        "warning",
        "memory.grow by a constant that passes the instance memory limit",
        "The instance memory limit (32 MiB on wasmd) caps growth at run time: memory.grow returns -1 "
        "and the allocator usually traps.",
        "all",
        "(func (drop (memory.grow (i32.const 600))))",
        "allocate less; the limit is the chain's (profile runtime.instance_memory_limit_mib).",
    ),
    Rule(
        "CW504",
        "non-entry-export",
        "info",
        "an exported function the host never calls",
        "Only the entry points, allocate/deallocate and marker exports are used by the VM; other "
        "exports are dead weight (and keep their code alive).",
        "all",
        '(func (export "helper") ...)',
        "do not export it (remove #[no_mangle] / the export attribute).",
    ),
    Rule(
        "CW505",
        "wasi-start-export",
        "warning",
        "an exported _start (a WASI command / TinyGo main)",
        "A command module expects the host to call _start; the VM never does, so the runtime is never "
        "initialised.",
        "all",
        '(func (export "_start") ...)',
        "build a reactor / library (TinyGo: -buildmode=c-shared or a CosmWasm target).",
    ),
)

BY_CODE: Mapping[str, Rule] = MappingProxyType({r.code: r for r in RULES})
_CODE_BY_NAME: Mapping[str, str] = MappingProxyType({r.name: r.code for r in RULES})
"""Rules by code."""

assert len(BY_CODE) == len(RULES), "rule codes must be unique"
assert len({r.name for r in RULES}) == len(RULES), "rule names must be unique"


def rule(code: str) -> Rule:
    """The rule with ``code`` (KeyError with the known codes if unknown)."""
    try:
        return BY_CODE[code]
    except KeyError:
        raise KeyError(f"unknown rule {code!r}") from None


def matching(prefixes: Iterable[str]) -> frozenset[str]:
    """Codes matched by ``prefixes``: a code or code prefix (ruff style: ``CW2`` matches every CW2xx),
    a rule name (``float-operators``), or ``ALL``.

    Raises ValueError naming a prefix that matches nothing, with the closest code or name.
    """
    out: set[str] = set()
    for raw in prefixes:
        p = raw.strip().upper()
        if not p:
            continue
        if p == "ALL":
            out.update(BY_CODE)
            continue
        hit = {c for c in BY_CODE if c.startswith(p)}
        if raw.strip().lower() in _CODE_BY_NAME:
            hit.add(_CODE_BY_NAME[raw.strip().lower()])
        if not hit:
            close = difflib.get_close_matches(raw.strip().lower(), sorted(_CODE_BY_NAME), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ValueError(
                f"no lint rule matches {raw!r}{hint}; give a code, a code prefix (CW1, CW30) or a rule "
                "name: `gasmodel lint --list-rules` lists them"
            )
        out.update(hit)
    return frozenset(out)
