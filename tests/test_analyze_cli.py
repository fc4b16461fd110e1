"""``gasmodel analyze`` as people read it: several files, entry points apart from helper exports, the
static-price note, heaviest paths folded, colour only when asked for.

Oracles: each file analysed alone (several files), wasmtime's export list (TinyGo-style exports),
a hand-derived branch case, networkx's recursive groups (folded paths), the shipped profiles' data.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
import wasmtime

from gasmodel.analysis import AnalysisReport, analyze, call_graph, read_contract
from gasmodel.analysis.pricing import resolve_pricing, same_static_prices
from gasmodel.cli import main
from gasmodel.cli.analyze import _path_steps, render
from gasmodel.costs import list_presets

ROOT = Path(__file__).resolve().parent.parent
ART = ROOT / "contracts" / "artifacts"
DATA = ROOT / "tests" / "data" / "analysis"


def _wat(tmp_path: Path, name: str, text: str) -> Path:
    out = tmp_path / name
    out.write_bytes(bytes(wasmtime.wat2wasm(text)))
    return out


def test_several_files_reported_in_turn_bad_one_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.wasm"
    bad.write_bytes(b"not wasm at all")
    files = [str(ART / "counter.wasm"), str(bad), str(ART / "registry.wasm")]
    # oracle: each file alone
    singles = []
    for f in (files[0], files[2]):
        assert main(["analyze", f]) == 0
        singles.append(capsys.readouterr().out)
    assert main(["analyze", *files]) == 2
    cap = capsys.readouterr()
    assert cap.out == singles[0] + "\n" + singles[1]
    assert cap.err.splitlines() == [
        f"gasmodel: error: {bad}: not a WebAssembly module (bad magic number) at byte offset 0 (0x0)"
    ]
    assert main(["analyze", *files, "--json"]) == 2
    docs = json.loads(capsys.readouterr().out)
    assert [d["source"] for d in docs] == files
    assert docs[1] == {"source": str(bad), "error": cap.err.split("error: ", 1)[1].strip()}
    for d, f in ((docs[0], files[0]), (docs[2], files[2])):
        assert AnalysisReport.model_validate(d) == analyze(read_contract(f), source=f)
    # one file: one object, as before
    assert main(["analyze", files[0], "--json"]) == 0
    assert AnalysisReport.model_validate_json(capsys.readouterr().out).source == files[0]


def test_all_good_files_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(ART / "counter.wasm"), str(ART / "counter.wasm"), "--json"]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert len(docs) == 2 and docs[0] == docs[1]


def test_tinygo_runtime_exports_are_not_entry_points(tmp_path: Path) -> None:
    wasm = _wat(tmp_path, "tinygo.wasm", (DATA / "tinygo_exports.wat").read_text())
    # oracle: wasmtime's export list; the CosmWasm entry points by hand (cosmwasm-vm calls
    # instantiate/execute/query and allocate/deallocate; the rest are TinyGo runtime exports)
    exports = {e.name for e in wasmtime.Module(wasmtime.Engine(), wasm.read_bytes()).exports}
    called = {"instantiate", "execute", "query", "allocate", "deallocate"}
    helpers = {n for n in exports if n.startswith("asyncify_")} | {
        "_start",
        "malloc",
        "free",
        "calloc",
        "realloc",
    }
    assert len(helpers) == 10 and called | helpers | {"interface_version_8", "memory"} == exports
    text = render(analyze(wasm.read_bytes(), source=str(wasm)))
    table = text.split("Entry points", 1)[1].split("\n\n", 1)[0]
    rows = {m.group(1) for m in re.finditer(r"^\s+\d+\s+(\S+)\s+(entry|memory|start)\s", table, re.M)}
    assert rows == called
    other = text.split("Other exports", 1)[1].split("\n\n", 1)[0]
    for name in helpers:
        assert name not in table and f"{name} (" in other
    assert "marker (interface/capability markers): interface_version_8" in other


def test_pass_below_body_once_by_hand(tmp_path: Path) -> None:
    # Hand derivation under the `uniform` table (1 per executed instruction): the body has 9
    # instructions (local.get, if, i32.const, i32.const, i32.add, else, i32.const, end, end), so
    # 'body once' = 9; the then-path runs local.get, if, const, const, add, else and the final end
    # (7), the else-path local.get, if, const, end, end (5): heaviest pass = 7 < 9.
    wasm = _wat(
        tmp_path,
        "branch.wasm",
        """(module (func (export "execute") (param i32) (result i32)
      local.get 0 if (result i32) i32.const 1 i32.const 2 i32.add else i32.const 7 end))""",
    )
    r = analyze(wasm.read_bytes(), preset="uniform")
    (e,) = r.entry_points
    assert (e.static_cost, e.max_pass_cost) == (9, 7)
    text = render(r, resolve_pricing("uniform", None))
    assert "it takes one arm of each branch, so it can be below 'body once'" in text
    assert "STATIC figures, in instructions" in text


def test_same_static_prices_named_and_true() -> None:
    # oracle: the figures themselves, under every shipped chain profile
    wasm = read_contract(ART / "counter.wasm")
    profiles = [p.name for p in list_presets() if p.kind == "chain-profile"]
    figures = {}
    for name in profiles:
        r = analyze(wasm, chain=name)
        figures[name] = [(f.static_cost, f.max_pass_cost, f.locals_charge) for f in r.functions]
    for name in profiles:
        pricing = resolve_pricing(None, name)
        same = same_static_prices(pricing)
        assert name in same
        for other in same:
            assert figures[other] == figures[name], (name, other)
    wasmd = resolve_pricing(None, "upstream-wasmd")
    assert "injective-localnet" in same_static_prices(wasmd)  # the example
    text = render(analyze(wasm, chain="upstream-wasmd"), wasmd)
    assert "static figures depend only on the operator prices of cosmwasm-vm-3.0.0-3.0.8" in text
    note = " ".join(text.split("\n")[3:6])
    assert "injective-localnet" in note and "give the same static figures" in note
    old = resolve_pricing(None, "upstream-1.5")
    assert same_static_prices(old) == ["upstream-1.5"]
    assert "give the same static figures" not in render(analyze(wasm, chain="upstream-1.5"), old)


def test_heaviest_path_folds_groups_and_says_where_it_is_cut() -> None:
    wasm = read_contract(ART / "token.wasm")
    r = analyze(wasm)
    e = next(e for e in r.entry_points if e.name == "execute")
    steps = _path_steps(e, {m: k for k, c in enumerate(r.cycles) for m in c.members}, r)
    # oracle: networkx's strongly connected components of the call graph
    g = call_graph(wasm)
    scc = {m: frozenset(c) for c in nx.strongly_connected_components(g) for m in c}
    big = next(i for i in e.max_path if len(scc[i]) > 1)
    group = scc[big]
    listed = sum(1 for i in e.max_path if i in group)
    before = e.max_path.index(big)
    assert len(steps) == before + 2  # functions before the group (no repeats here), the group, the cut
    assert steps[before].startswith(f"recursive group of {len(group)} functions (indirect): ")
    n_fmt = sum(
        1 for i in e.max_path if i in group and g.nodes[i]["name"] == "<T as serde::de::Expected>::fmt"
    )
    assert f"<T as serde::de::Expected>::fmt (x{n_fmt})" in steps[before] and n_fmt > 20
    after = e.max_path_length - len(e.max_path) - (len(group) - listed)
    assert steps[-1] == (
        f"... {after} more functions after the group ({len(group) - listed} of its members not listed): "
        f"the report keeps the first {len(e.max_path)} of the {e.max_path_length} functions on this path"
    )
    assert all(len(s) < 400 for s in steps)


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")} | env
    return subprocess.run(
        [sys.executable, "-m", "gasmodel", *args],
        capture_output=True,
        text=True,
        env=full,
        cwd=ROOT,
        check=False,
    )


def test_colour_only_when_asked_and_no_progress_on_pipes() -> None:
    plain = _cli("analyze", str(ART / "counter.wasm"), env={})
    assert plain.returncode == 0 and "\x1b[" not in plain.stdout and plain.stderr == ""
    forced = _cli("analyze", str(ART / "counter.wasm"), env={"FORCE_COLOR": "1"})
    assert "\x1b[1m" in forced.stdout and forced.stderr == ""
    assert re.sub(r"\x1b\[[0-9;]*m", "", forced.stdout) == plain.stdout
    assert (
        "\x1b["
        not in _cli("analyze", str(ART / "counter.wasm"), env={"NO_COLOR": "1", "FORCE_COLOR": "1"}).stdout
    )


def test_numbers_have_separators() -> None:
    text = render(analyze(read_contract(ART / "token.wasm"), source="token.wasm"))
    assert "303,352 bytes" in text
    table = text.split("Functions (top", 1)[1]
    # index 279 has 17,800 body bytes and 7,638 instructions (wasm-objdump -d lists 7,638 lines)
    assert re.search(r"279 .* 17,800\s+7,638\s+1,567\s", table)
    assert not re.search(r"\b\d{4,}\b", text.replace("gzip -6", "").split("Upload cost")[1])


def test_own_path_never_exceeds_body_once_on_the_corpus() -> None:
    """Why 'heaviest pass' can be below 'body once' (token.wasm index 364): the path through a body
    charges a subset of its metering blocks, each at most once (every kept edge points forward), so
    without callees it never exceeds the sum of all blocks; branch arms off the path are what it skips.
    Property checked on every function of the corpus; the callees then add their own passes."""
    from gasmodel.analysis.cfg import branch_labels, heaviest_pass, successors
    from gasmodel.analysis.pricing import metering_spec
    from gasmodel.analysis.static_cost import function_cost
    from gasmodel.wasm import decode

    spec = metering_spec(resolve_pricing().table)
    below = 0
    for path in sorted(ART.glob("*.wasm")):
        data = path.read_bytes()
        for fn in decode(data).functions:
            cost = function_cost(fn, spec)
            weight = [0] * len(fn.ops)
            for b in cost.blocks:
                weight[b.end] += b.cost
            own = heaviest_pass(fn.ops, successors(fn.ops, branch_labels(data, fn)), weight).cost
            assert own <= cost.static_cost, (path.name, fn.index)
            below += own < cost.static_cost
            if path.name == "token.wasm" and fn.index == 364:
                assert own < cost.static_cost  # the row of the issue: its branch arms are skipped
    assert below > 1000  # most functions branch


def test_top_lists_the_n_heaviest(capsys: pytest.CaptureFixture[str]) -> None:
    counter = str(ART / "counter.wasm")
    assert main(["analyze", counter, "--json"]) == 0
    report = AnalysisReport.model_validate_json(capsys.readouterr().out)
    heaviest = sorted(report.functions, key=lambda f: (-f.static_cost, f.index))[:3]  # oracle: the JSON
    assert main(["analyze", counter, "--top", "3"]) == 0
    table = capsys.readouterr().out.split("Functions (top 3 by 'body once'", 1)[1].split("\n\n", 1)[0]
    rows = [line.split()[0] for line in table.splitlines() if re.match(r"^\s+\d+\s", line)]
    assert rows == [str(f.index) for f in heaviest]
    assert main(["analyze", counter, "--top", "0"]) == 2


def _stderr_on_a_terminal(*args: str) -> tuple[int, bytes, bytes]:
    """Run gasmodel with standard error on a pseudo-terminal and standard output on a pipe."""
    import pty

    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")} | {"TERM": "xterm"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gasmodel", *args], stdout=subprocess.PIPE, stderr=slave, env=env, cwd=ROOT
    )
    os.close(slave)
    assert proc.stdout is not None
    out = proc.stdout.read()
    proc.wait(timeout=300)
    err = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        err += chunk
    os.close(master)
    return proc.returncode, out, err


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
@pytest.mark.parametrize(
    ("command", "message"),
    [("analyze", b"analysing"), ("callgraph", b"building the call graph"), ("histogram", b"counting")],
)
def test_progress_on_a_terminal_only(command: str, message: bytes) -> None:
    code, out, err = _stderr_on_a_terminal(command, str(ART / "token.wasm"))
    assert code == 0 and out and b"\x1b[" not in out  # the pipe gets plain text
    # the spinner ran, gave the cursor back and erased its line(s): nothing of it stays on the terminal
    assert message in err and b"\x1b[?25h" in err and err.endswith(b"\x1b[2K")
