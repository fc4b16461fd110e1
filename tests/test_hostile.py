"""Hostile inputs, class by class: never hang, never blow memory, never corrupt output, refuse invalid
Wasm. Modules come from tests/hostile_modules.py, built byte by byte.

Oracles: the structure of each constructed module, derived by hand in the test (a call chain of n
functions, a hub called by every leaf, ...); tracemalloc's peak and the wall clock for the bounds;
wabt's ``wasm-validate`` (pinned by tests/wabt.py) for what is invalid; the Rust demangling rules
(rustc-demangle's legacy and v0 formats) written out as literal expected names.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import threading
import time
import tracemalloc
from pathlib import Path

import hostile_modules as hm
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wabt import wabt_tool

from gasmodel.analysis.api import analyze
from gasmodel.analysis.callgraph import build_call_graph
from gasmodel.analysis.errors import AnalysisError
from gasmodel.analysis.paths import MAX_PATH_SHOWN, entry_reach
from gasmodel.errors import WasmDecodeError
from gasmodel.histogram import histogram
from gasmodel.inputs import InputError, gunzip_bounded, limit_from_env, read_input
from gasmodel.wasm import decode
from gasmodel.wasm.demangle import MAX_OUTPUT, demangle

# ---------------------------------------------------------------- the bounded reader


def test_regular_file_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.wasm"
    with big.open("wb") as f:  # a sparse 1 GiB file: reading it would take 1 GiB
        f.truncate(1 << 30)
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="exceeds limit"):
            read_input(big, limit=1 << 20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20
    ok = tmp_path / "ok.wasm"
    ok.write_bytes(b"x" * (1 << 20))
    assert len(read_input(ok, limit=1 << 20)) == 1 << 20


def test_dev_zero_is_read_under_the_bound() -> None:
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="exceeds limit"):
            read_input("/dev/zero", limit=1 << 20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20  # the limit plus one chunk, a few times over at most


def test_fifo_without_writer_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    t0 = time.monotonic()
    assert read_input(fifo, timeout=5.0) == b""
    assert time.monotonic() - t0 < 5.0


def test_fifo_whose_writer_never_finishes_times_out(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    opened = threading.Event()
    release = threading.Event()

    def writer() -> None:
        fd = os.open(fifo, os.O_RDWR)  # a writer that holds the pipe open and writes a little
        os.write(fd, b"\x00asm")
        opened.set()
        release.wait(10)
        os.close(fd)

    t = threading.Thread(target=writer)
    t.start()
    try:
        opened.wait(5)
        with pytest.raises(InputError, match="did not end within"):
            read_input(fifo, timeout=0.5)
    finally:
        release.set()
        t.join()


def test_gzip_is_bounded_like_raw_input() -> None:
    wasm = hm.many_functions(3)
    assert gunzip_bounded(hm.gz(wasm), len(wasm)) == wasm
    with pytest.raises(InputError, match="exceeds limit"):
        gunzip_bounded(hm.gz(wasm), len(wasm) - 1)
    with pytest.raises(InputError, match="truncated gzip"):
        gunzip_bounded(hm.gz(wasm)[:-9], 1 << 20)
    bomb = gzip.compress(bytes(64 << 20))
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="exceeds limit"):
            gunzip_bounded(bomb, 1 << 20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20


def test_limit_from_environment() -> None:
    assert limit_from_env({}) == 8 * 1024 * 1024
    assert limit_from_env({"GASMODEL_MAX_INPUT_BYTES": "1_000"}) == 1000
    with pytest.raises(InputError):
        limit_from_env({"GASMODEL_MAX_INPUT_BYTES": "lots"})
    with pytest.raises(InputError):
        limit_from_env({"GASMODEL_MAX_INPUT_BYTES": "0"})


# ---------------------------------------------------------------- demangling

PRINTS = "_RIC1axL_Eb"  # makes rust_demangler's v0 printer print "a::<i64, '_?" to stdout


def test_demangling_never_writes(capfd: pytest.CaptureFixture[str]) -> None:
    demangle.cache_clear()
    assert demangle(PRINTS) == PRINTS
    assert demangle("_RINvC1a1fbL_E") == "_RINvC1a1fbL_E"
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_nested_back_references_are_bounded() -> None:
    # Depth d doubles the readable form d times (hand derivation: argument k is a tuple of two
    # copies of argument k - 1); past the bounds the raw name comes back, quickly.
    small = hm.v0_backref_bomb(2).decode()
    assert demangle(small) == "a::f::<(), ((), ()), (((), ()), ((), ()))>"
    for depth in (20, 40, 200):
        sym = hm.v0_backref_bomb(depth).decode()
        t0 = time.perf_counter()
        assert demangle(sym) == sym
        assert time.perf_counter() - t0 < 2.0


def test_known_symbols_still_demangle() -> None:
    # Legacy: length-prefixed path, hash dropped (hand derivation). v0: RFC 2603 grammar, N (nested
    # path) v (value namespace) over Cs<disambiguator>_<ident> (crate root).
    assert demangle("_ZN8workload3fib17h0123456789abcdefE") == "workload::fib"
    assert demangle("_RNvNtCs1234_7mycrate3foo3bar") == "mycrate::foo::bar"
    assert demangle("plain_name") == "plain_name"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="_RNvCsIBTuEKLDFGpYXMQSAOmnhy0123456789abc", max_size=60))
def test_any_v0_like_symbol_is_silent_and_bounded(tail: str) -> None:
    import contextlib
    import io

    sym = "_R" + tail
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
        out = demangle(sym)
    assert buf.getvalue() == ""
    assert len(out) <= max(len(sym), MAX_OUTPUT)


# ---------------------------------------------------------------- analysis complexity


def test_chain_with_every_function_exported() -> None:
    # Hand derivation: in a call chain 0 -> 1 -> ... -> n-1, export k reaches n - k functions and
    # its heaviest path is k, k+1, ..., n-1.
    n = 3000
    tracemalloc.start()
    try:
        report = analyze(hm.call_chain(n, n))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    weights = {f.index: f.static_cost + f.locals_charge for f in report.functions}
    for e in report.entry_points[:: n // 7]:
        k = e.index
        assert e.reachable_functions == n - k
        assert e.reachable_cost == sum(weights[i] for i in range(k, n))
        assert e.max_path_length == n - k
        assert e.max_path == list(range(k, min(n, k + MAX_PATH_SHOWN)))
        assert e.max_path_cost == e.reachable_cost
    # Per-export descendant sets would hold n^2 / 2 = 4.5 million entries (hundreds of MB).
    assert peak < 150 * 1024 * 1024


def test_fan_out_through_one_hub() -> None:
    # Hand derivation: the hub calls every function and the exported leaves call the hub, so
    # each export's recursive group holds the hub and every exported leaf; each reaches all n.
    n, exported = 1500, 1000
    report = analyze(hm.fan_out(n, exported))
    assert len(report.entry_points) == exported
    assert all(e.reachable_functions == n for e in report.entry_points)
    assert [len(c.members) for c in report.cycles] == [exported + 1]


def test_reachability_work_is_bounded() -> None:
    module = decode(hm.call_chain(200, 200))
    g = build_call_graph(module)
    with pytest.raises(AnalysisError, match="too large for per-entry reachability"):
        entry_reach(g, {}, range(200), lambda _: False, budget_bits=1000)


def test_call_edges_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from gasmodel.analysis import callgraph

    # 50 functions each with a call_indirect that may reach the 50 table entries: 2,500 edges.
    bodies = [b"\x00\x41\x00\x11\x00\x00\x0b"] * 50
    module = decode(hm.module(bodies, table=50, elems=list(range(50)), exports=[("execute", 0)]))
    assert callgraph.count_edges(module) == 2500
    monkeypatch.setattr(callgraph, "MAX_EDGES", 2499)
    with pytest.raises(AnalysisError, match="call edges exceed"):
        callgraph.build_call_graph(module)


def test_too_many_functions_refused_before_decoding() -> None:
    data = hm.many_functions(250_000)
    t0 = time.perf_counter()
    with pytest.raises(WasmDecodeError, match="250000 functions exceed the analysis limit"):
        analyze(data)
    assert time.perf_counter() - t0 < 5.0


# ---------------------------------------------------------------- memory per instruction


def test_decoded_instruction_costs_a_few_bytes() -> None:
    n = 2_000_000
    data = hm.big_body(n)
    tracemalloc.start()
    try:
        module = decode(data)
        kept, peak = tracemalloc.get_traced_memory()
        h = histogram(module)
        _, peak_h = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert h.total == n + 1
    assert kept < 3 * n  # opcode ids: 2 bytes each
    assert peak < 16 * n  # the input, its joined copy, the windowed scan (was ~110 bytes each)
    assert peak_h < 40 * n


def test_per_function_histograms_are_sparse() -> None:
    n = 100_000
    module = decode(hm.many_functions(n))
    h = histogram(module)
    tracemalloc.start()
    try:
        first = next(h.iter_functions())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert first.opcodes == {"end": 1} and first.total == 1
    # A dense functions x opcodes matrix would take n * 540 * 8 bytes = 432 MB.
    assert peak < 64 * 1024 * 1024


# ---------------------------------------------------------------- validation before pricing


@pytest.mark.parametrize("make", [hm.invalid_call_indirect, hm.invalid_type_mismatch])
def test_invalid_wasm_is_refused_before_pricing(make: object, tmp_path: Path) -> None:
    data = make()  # type: ignore[operator]
    decode(data)  # the decoder accepts it: only a validator sees the problem
    # oracle: wabt's validator rejects it too (the pinned wabt: a missing tool fails, not skips)
    f = tmp_path / "m.wasm"
    f.write_bytes(data)
    assert subprocess.run([wabt_tool("wasm-validate"), str(f)], capture_output=True).returncode != 0
    with pytest.raises(WasmDecodeError, match="invalid WebAssembly") as exc:
        analyze(data)
    assert "offset" in str(exc.value)
