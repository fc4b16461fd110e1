"""Mutation testing of gasmodel's core with mutmut 3, one package at a time.

For each package this copies the repository (sources, tests, contracts, docs) into a scratch folder,
tells mutmut which files to mutate and which fast tests to run for them, runs it on one worker under
``nice -n 19``, and writes a report (mutants tried, killed, survived, timed out, with each survivor's
file:line and diff) to ``benchmarks/results/mutation.md`` (and ``.json``). Nothing in the repository is
modified.

    python scripts/mutation.py                      # every package in PACKAGES, every mutant
    python scripts/mutation.py costs histogram      # some packages
    python scripts/mutation.py wasm --sample 300    # a seeded random sample of 300 mutants per package
    python scripts/mutation.py --package lint=gasmodel/lint/*:tests/test_lint_*.py  # a package not listed

A new package is one more ``PACKAGES`` entry: the glob of the files to mutate and the test files that
check them (keep that list to the fast tests; localnet, toolchain and slow tests are deselected anyway).

Mutants of functions that run while the package and its tests are imported (the opcode table builders,
the scanner's patterns) would never run in mutmut's forked children, which inherit the imported modules;
the script finds those functions (a profiled test collection in a fresh interpreter) and measures each of
their mutants in a fresh ``python -m pytest`` with ``MUTANT_UNDER_TEST`` set, beside mutmut. ``--budget``
bounds a package's run in minutes; ``--scratch`` keeps (and reuses) the scratch folder.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import fnmatch
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "mutation"


@dataclass(frozen=True)
class Package:
    """Files to mutate (globs relative to the repository) and the fast tests that check them."""

    mutate: tuple[str, ...]
    tests: tuple[str, ...]
    deselect: tuple[str, ...] = ()
    """Test ids left out: wall-clock bounds that fail under mutmut's tracing on a loaded machine."""


PACKAGES: dict[str, Package] = {
    "wasm": Package(
        ("gasmodel/wasm/*",),
        (
            # in a fresh interpreter (import-time mutants) the run stops at the first failure: the opcode
            # table's own tests first
            "tests/test_wasm_opcodes.py",
            "tests/test_wasm_data.py",
            "tests/test_wasm_errors.py",
            "tests/test_wasm_names.py",
            "tests/test_wasm_proposals.py",
            "tests/test_wasm_wabt.py",
            "tests/test_wasm_stream.py",
            "tests/test_wasm_fastpath.py",
            "tests/test_wasm_fuzz.py",
            "tests/test_wasm_oracles.py",
            "tests/test_lint_validate.py",
            "tests/test_wasm_mutants.py",
        ),
        (
            "tests/test_wasm_errors.py::test_hostile_counts_fail_fast_without_allocating",
            "tests/test_wasm_fuzz.py::test_bodies_full_of_irregular_instructions_take_linear_time",
            "tests/test_wasm_fuzz.py::test_mutations_only_raise_our_error",
            "tests/test_wasm_fuzz.py::test_truncations_only_raise_our_error",
            "tests/test_wasm_fuzz.py::test_garbage_after_a_valid_header",
        ),
    ),
    "costs": Package(
        ("gasmodel/costs/*",),
        (
            "tests/test_costs_load.py",
            "tests/test_costs_table.py",
            "tests/test_presets.py",
            "tests/test_profiles.py",
            "tests/test_analysis_blocks.py",
            "tests/test_costs_oracles.py",
            "tests/test_costs_mutants.py",
        ),
    ),
    "analysis": Package(
        ("gasmodel/analysis/*",),
        (
            "tests/test_analysis_blocks.py",
            "tests/test_analysis_passes.py",
            "tests/test_analysis_paths.py",
            "tests/test_analysis_report.py",
            "tests/test_callgraph.py",
            "tests/test_callgraph_objdump.py",
            "tests/test_analysis_oracles.py",
            "tests/test_analysis_mutants.py",
        ),
    ),
    "lint": Package(
        ("gasmodel/lint/*",),
        (
            "tests/test_lint_units.py",
            "tests/test_lint_rules.py",
            "tests/test_lint_validate.py",
            "tests/test_lint_fixtures.py",
            "tests/test_lint_cli.py",
            "tests/test_lint_mutants.py",
        ),
    ),
    "vm": Package(
        ("gasmodel/vm/*",),
        (
            "tests/test_vm_addresses.py",
            "tests/test_vm_crypto.py",
            "tests/test_vm_env.py",
            "tests/test_vm_host.py",
            "tests/test_vm_host_storage.py",
            "tests/test_vm_instrument.py",
            "tests/test_vm_metering.py",
            "tests/test_vm_runtime.py",
            "tests/test_vm_host_e2e.py",
            "tests/test_wasmd_model.py",
            "tests/test_ante_model.py",
            "tests/test_mockchain.py",
            "tests/test_estimate.py",
            "tests/test_profile_callstack.py",
            "tests/test_vm_mutants.py",
        ),
        ("tests/test_vm_metering.py::test_infinite_loop_stops_at_the_wall_time_bound",),
    ),
    "histogram": Package(("gasmodel/histogram.py",), ("tests/test_histogram.py",)),
}

# Deselected in every mutation run: they need a chain or compilers, or are slow by their own marking.
MARKERS = "not localnet and not toolchain and not slow"

# mutmut's exit codes, as mutmut.stats.status_by_exit_code names them.
STATUS = {
    1: "killed",
    3: "killed",
    0: "survived",
    5: "no tests",
    33: "no tests",
    34: "skipped",
    35: "suspicious",
    36: "timeout",
    37: "caught by type check",
    -24: "timeout",
    24: "timeout",
    152: "timeout",
    255: "timeout",
    -11: "segfault",
    -9: "segfault",
    None: "not checked",
}

# A pytest plugin loaded into every mutmut run: hypothesis tests get a fixed seed, no example database and at
# most CAP examples, so a verdict does not depend on luck and a survivor does not cost minutes.
_PLUGIN = """
import os

from hypothesis import settings

CAP = int(os.environ.get("GASMODEL_MUTATION_EXAMPLES", "30"))


def pytest_collection_modifyitems(items):
    for item in items:
        test = getattr(item, "obj", None)
        inner = getattr(test, "hypothesis", None)
        if inner is None:
            continue
        old = test._hypothesis_internal_use_settings
        test._hypothesis_internal_use_settings = settings(
            old, max_examples=min(old.max_examples, CAP), derandomize=True, database=None
        )
"""


# Run in a fresh interpreter inside mutmut's ``mutants/`` folder: collect the package's tests (which imports
# the package and the test modules) and list every mutated function whose original ran meanwhile. mutmut's
# fork server has done that same import before it forks a child per mutant and switches the mutant on, so a
# mutant of one of these functions never runs there; they are measured one fresh interpreter each instead.
_PROBE = """
import json
import os
import sys

sys.path.insert(0, os.getcwd())  # as `python -m pytest` would: the mutated package in the working folder
ran = set()


def _profile(frame, event, arg):
    if event == "call" and frame.f_code.co_name.endswith("__mutmut_orig"):
        ran.add(frame.f_globals.get("__name__", "") + "." + frame.f_code.co_name[: -len("_orig")])


sys.setprofile(_profile)
import pytest  # noqa: E402

code = pytest.main(sys.argv[2:])
sys.setprofile(None)
with open(sys.argv[1], "w") as out:
    json.dump(sorted(ran), out)
sys.exit(int(code))
"""


@dataclass
class Result:
    """One package's outcome."""

    name: str
    mutate: tuple[str, ...]
    tests: tuple[str, ...]
    deselect: tuple[str, ...] = ()
    """Test ids left out: wall-clock bounds that fail under mutmut's tracing on a loaded machine."""
    generated: int = 0
    planned: int = 0
    """Mutants meant to be tried (all, or the sample); ``tried`` is fewer when a time budget ran out."""
    tried: int = 0
    seconds: float = 0.0
    sampled: bool = False
    commit: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    per_file: dict[str, dict[str, int]] = field(default_factory=dict)
    survivors: list[dict[str, str]] = field(default_factory=list)
    import_time: list[str] = field(default_factory=list)
    """Functions that run while the package and its tests are imported (mutmut's mangled names)."""
    fresh: dict[str, int] = field(default_factory=dict)
    """Status counts of the mutants measured in a fresh interpreter (a subset of ``counts``)."""
    fresh_seconds: float = 0.0


_SKIP = (
    "__pycache__",
    "*.pyc",
    "target",
    ".hypothesis",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".git",
    "mutants",
    ".localnet",
    "*.egg-info",
    "build",
    "dist",
)


def _tops() -> list[str]:
    """Top-level entries the tests may read (docs, contracts, calibration, ...), minus caches and builds."""
    return sorted(p.name for p in ROOT.iterdir() if not any(p.match(pat) for pat in _SKIP))


def _copy_tree(scratch: Path) -> None:
    ignore = shutil.ignore_patterns(*_SKIP)
    scratch.mkdir(parents=True)
    for name in _tops():
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, scratch / name, ignore=ignore, symlinks=True)
        else:
            shutil.copy2(src, scratch / name)


def _write_config(scratch: Path, pkg: Package, plugin_dir: Path, write: bool = True) -> list[str]:
    """Write mutmut's configuration (unless ``write`` is False); return the pytest arguments of the
    package's test selection."""
    tests = [t for t in pkg.tests if (scratch / t).exists() or "*" in t]
    expanded: list[str] = []
    for t in tests:
        expanded += sorted(str(p.relative_to(scratch)) for p in scratch.glob(t)) if "*" in t else [t]
    base = (ROOT / "pyproject.toml").read_text()
    pytest_args = ["-p", "_gasmodel_mutation_plugin", "-p", "no:cacheprovider"]
    if not (scratch / "gasmodel" / "pytest_plugin.py").exists():
        # an installed gasmodel may register its pytest plugin (entry point "gasmodel"); the copy under test
        # has none, so importing it would mix two versions of the package
        pytest_args += ["-p", "no:gasmodel"]
    selection = [*expanded, "-m", MARKERS, *(arg for d in pkg.deselect for arg in ("--deselect", d))]
    cfg = {
        "source_paths": ["gasmodel"],
        "only_mutate": list(pkg.mutate),
        "also_copy": [n for n in _tops() if n not in ("gasmodel", "tests", "pyproject.toml")],
        "pytest_add_cli_args_test_selection": selection,
        "pytest_add_cli_args": pytest_args,
        "timeout_multiplier": 10.0,
        # Fork each mutant from a server that has collected the tests but run none: a child forked from the
        # process that ran the stats pass dies with SIGILL on its first wasmtime trap.
        "process_isolation": "forkserver",
    }
    lines = ["", "[tool.mutmut]"] + [f"{k} = {json.dumps(v)}" for k, v in cfg.items()]
    if write:
        (scratch / "pyproject.toml").write_text(base + "\n".join(lines) + "\n")
        (plugin_dir / "_gasmodel_mutation_plugin.py").write_text(_PLUGIN)
        (plugin_dir / "_gasmodel_mutation_probe.py").write_text(_PROBE)
    return [*selection, "--rootdir=.", *pytest_args]


def _env(plugin_dir: Path, mutant: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(plugin_dir)
    env.pop("CI", None)  # a skip is not a kill here; CI's skip-is-failure rule would turn skips into kills
    env.pop("MUTANT_UNDER_TEST", None)
    if mutant is not None:
        env["MUTANT_UNDER_TEST"] = mutant
    return env


def _import_time_functions(scratch: Path, plugin_dir: Path, args: list[str], log: Path) -> set[str]:
    """Mutated functions (mutmut's mangled names) that run while the package's tests are collected."""
    found = plugin_dir / "import_time.json"
    cmd = [sys.executable, str(plugin_dir / "_gasmodel_mutation_probe.py"), str(found)]
    cmd += ["--collect-only", "-qqq", *args]
    with log.open("a") as out:
        out.write("$ probe: functions that run at import or collection\n")
        out.flush()
        done = subprocess.run(
            ["nice", "-n", "19", *cmd],
            cwd=scratch / "mutants",
            env=_env(plugin_dir, ""),
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"collecting the tests in {scratch / 'mutants'} failed; see {log}")
    return set(json.loads(found.read_text()))


def _function_of(mutant: str) -> str:
    """mutmut's mangled function name of a mutant: ``pkg.mod.x_f__mutmut_3`` -> ``pkg.mod.x_f__mutmut``."""
    return mutant.rpartition("_")[0]


# pytest's exit codes in a fresh run: 0 all passed, 1 a test failed, 2 collection errors (an import broke),
# 3 internal error, 4 usage error (a conftest import broke), 5 no tests. The clean run passed, so any
# failure is the mutant's doing: a kill, as mutmut counts it.
_FRESH_CODE = {0: 0, 1: 1, 2: 1, 3: 1, 4: 1, 5: 5}


def _run_fresh(
    scratch: Path, plugin_dir: Path, args: list[str], mutant: str, timeout: float
) -> tuple[int, float]:
    """Run the package's tests in a new interpreter with ``mutant`` on from the start: (mutmut code, s).

    In two steps, each stopping at its first failure: the first test file alone (for wasm, the opcode
    table's own tests; it saves collecting every other file for the mutants it kills), then the rest.
    """
    cmd = ["nice", "-n", "19", sys.executable, "-m", "pytest", "-x", "-q", "--tb=line", "-p", "no:randomly"]
    n_files = next((i for i, a in enumerate(args) if a.startswith("-")), len(args))
    files, options = args[:n_files], args[n_files:]
    steps = [files[:1], files[1:]] if len(files) > 1 else [files]
    t0 = time.monotonic()
    code = 0
    for step in steps:
        left = timeout - (time.monotonic() - t0)
        try:
            done = subprocess.run(
                [*cmd, *step, *options],
                cwd=scratch / "mutants",
                env=_env(plugin_dir, mutant),
                capture_output=True,
                timeout=max(left, 1),
                check=False,
            )
        except subprocess.TimeoutExpired:
            return 36, time.monotonic() - t0
        code = _FRESH_CODE.get(done.returncode, 35)
        if code != 0:
            break
    return code, time.monotonic() - t0


def _measure_fresh(
    scratch: Path,
    plugin_dir: Path,
    args: list[str],
    names: list[str],
    log: Path,
    codes: dict[str, int],
    deadline: float | None = None,
) -> None:
    """Fill ``codes`` (mutant -> mutmut exit code), each mutant measured in a fresh interpreter, until
    ``deadline`` (a ``time.monotonic`` value); checks the set-up first."""
    if deadline is not None and time.monotonic() > deadline:
        return
    clean, seconds = _run_fresh(scratch, plugin_dir, args, "", timeout=3600)
    if clean != 0:
        raise RuntimeError(f"the package's tests fail without a mutant in {scratch / 'mutants'}")
    forced, _ = _run_fresh(scratch, plugin_dir, args, "fail", timeout=3600)
    if forced != 1:
        raise RuntimeError("a fresh run with every trampoline failing did not fail: the set-up is broken")
    timeout = 10 * seconds + 60
    with log.with_suffix(".fresh.log").open("a") as out:
        out.write(f"$ fresh interpreter per mutant: {len(names)} mutants, clean run {seconds:.0f} s\n")
        for name in names:
            if deadline is not None and time.monotonic() > deadline:
                out.write("(time budget spent: the rest not tried)\n")
                break
            code, took = _run_fresh(scratch, plugin_dir, args, name, timeout)
            codes[name] = code
            out.write(f"{STATUS.get(code, 'suspicious')} {name} {took:.1f}s\n")
            out.flush()


def _mutmut(
    scratch: Path, plugin_dir: Path, names: list[str], log: Path, timeout: float | None = None
) -> None:
    env = _env(plugin_dir)
    cmd = ["nice", "-n", "19", sys.executable, "-m", "mutmut", "run", "--max-children", "1", *names]
    with log.open("a") as out:
        out.write(f"$ {' '.join(cmd[:12])}{' ...' if len(cmd) > 12 else ''}\n")
        out.flush()
        if timeout is not None and timeout <= 0:
            return
        try:
            # in its own session, so that a time budget running out stops its fork server too
            proc = subprocess.Popen(
                cmd, cwd=scratch, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGINT)  # mutmut stops and keeps the results it has
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            out.write("(time budget spent: mutmut stopped)\n")


def _metas(scratch: Path) -> dict[str, dict[str, int | None]]:
    """Mutant name -> exit code, by source file (relative path)."""
    found: dict[str, dict[str, int | None]] = {}
    for meta in sorted((scratch / "mutants").rglob("*.py.meta")):
        rel = str(meta.relative_to(scratch / "mutants"))[: -len(".meta")]
        data = json.loads(meta.read_text())
        found[rel] = data.get("exit_code_by_key", {})
    return found


_NAME = re.compile(r"^(?P<module>[\w.]+?)\.x(?:ǁ(?P<cls>\w+)ǁ|_)(?P<func>\w+?)__mutmut_\d+$")


def _function_start(source: str, cls: str | None, func: str) -> int | None:
    tree = ast.parse(source)
    scope: list[ast.stmt] = tree.body
    if cls:
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name == cls:
                scope = node.body
                break
    for node in scope:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == func:
            return min([node.lineno] + [d.lineno for d in node.decorator_list])
    return None


def _location(scratch: Path, rel: str, name: str, diff: str) -> str:
    """file:line of a mutant's first changed line, from its function's start and the diff's hunk."""
    m = _NAME.match(name)
    source = (ROOT / rel).read_text()
    start = _function_start(source, m["cls"], m["func"]) if m else None
    offset = None
    for line in diff.splitlines():
        h = re.match(r"^@@ -(\d+)", line)
        if h:
            offset = int(h[1])
            continue
        if offset is None or line.startswith(("---", "+++")):
            continue
        if line.startswith("-"):
            break
        if not line.startswith("+"):
            offset += 1
    if start is None or offset is None:
        return rel
    return f"{rel}:{start + offset - 1}"


def _show(scratch: Path, name: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "mutmut", "show", name],
        cwd=scratch,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return "\n".join(line for line in out.splitlines() if not line.startswith("# "))


def run_package(
    name: str,
    pkg: Package,
    sample: int | None,
    seed: int,
    log: Path,
    only: str | None = None,
    scratch_root: Path | None = None,
    budget: float | None = None,
) -> Result:
    """Mutate one package and classify every mutant tried (those whose name matches ``only``, if given).

    ``scratch_root``: work there (kept afterwards; an earlier run's mutants and test map are reused)
    instead of a temporary folder. ``budget``: stop trying mutants after this many seconds; the ones
    not tried by then are left out of the counts (``planned`` says how many were meant to be).
    """
    res = Result(name, pkg.mutate, pkg.tests, pkg.deselect, commit=_commit())
    t0 = time.monotonic()
    deadline = None if budget is None else t0 + budget
    with contextlib.ExitStack() as stack:
        if scratch_root is None:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"gasmodel-mutation-{name}-")))
        else:
            root = scratch_root
        scratch = root / "repo"
        plugin_dir = root / "plugin"
        reuse = (scratch / "mutants").is_dir()
        if not reuse:
            plugin_dir.mkdir(parents=True, exist_ok=True)
            _copy_tree(scratch)
        args = _write_config(scratch, pkg, plugin_dir, write=not reuse)
        # Generate the mutants and the test map without running any mutant, then run all or a seeded sample.
        if not reuse:
            _mutmut(scratch, plugin_dir, ["no.such.mutant*"], log)
        names = sorted(k for codes in _metas(scratch).values() for k in codes)
        res.generated = len(names)
        if only is not None:
            names = [n for n in names if fnmatch.fnmatchcase(n, only)]
        if sample is not None and len(names) > sample:
            res.sampled = True
            names = sorted(random.Random(seed).sample(names, sample))
        res.planned = len(names)
        at_import = _import_time_functions(scratch, plugin_dir, args, log)
        res.import_time = sorted(at_import)
        fresh_names = [n for n in names if _function_of(n) in at_import]
        # in a seeded random order, so that the ones measured before a time budget ends are a sample too
        random.Random(seed).shuffle(fresh_names)
        forked = [n for n in names if _function_of(n) not in at_import]
        if reuse:  # an earlier run in this scratch folder: keep the verdicts mutmut has already given
            done = {k for codes in _metas(scratch).values() for k, c in codes.items() if c is not None}
            forked = [n for n in forked if n not in done]
        # The fresh-interpreter mutants run in a thread beside mutmut (each is a subprocess).
        fresh: dict[str, int] = {}
        failure: list[BaseException] = []

        def measure() -> None:
            try:
                _measure_fresh(scratch, plugin_dir, args, fresh_names, log, fresh, deadline)
            except BaseException as exc:  # re-raised below, in the main thread
                failure.append(exc)

        fresh_thread = threading.Thread(target=measure)
        t1 = time.monotonic()
        if fresh_names:
            fresh_thread.start()
        # one mutmut run per 2,000 names (each run repeats the clean and forced-fail test passes)
        for i in range(0, len(forked), 2000):
            left = None if deadline is None else deadline - time.monotonic()
            _mutmut(scratch, plugin_dir, forked[i : i + 2000], log, timeout=left)
        if fresh_names:
            fresh_thread.join()
        if failure:
            raise failure[0]
        res.fresh_seconds = time.monotonic() - t1
        fresh_set, name_set = set(fresh_names), set(names)
        for rel, codes in _metas(scratch).items():
            file_counts: dict[str, int] = {}
            for key, mutmut_code in codes.items():
                code = fresh.get(key) if key in fresh_set else mutmut_code
                status = STATUS.get(code, "suspicious")
                if status == "not checked" or key not in name_set:
                    continue
                file_counts[status] = file_counts.get(status, 0) + 1
                res.counts[status] = res.counts.get(status, 0) + 1
                if key in fresh:
                    res.fresh[status] = res.fresh.get(status, 0) + 1
                if status in ("survived", "timeout", "suspicious", "no tests", "segfault"):
                    diff = _show(scratch, key)
                    res.survivors.append(
                        {
                            "mutant": key,
                            "status": status,
                            "where": _location(scratch, rel, key, diff),
                            "diff": diff,
                            "measured": "fresh interpreter" if key in fresh else "mutmut",
                        }
                    )
            if file_counts:
                res.per_file[rel] = file_counts
    res.tried = sum(res.counts.values())
    res.seconds = time.monotonic() - t0
    return res


def _readable(mangled: str) -> str:
    """``gasmodel.wasm.opcodes.x__mvp_rows__mutmut`` -> ``gasmodel.wasm.opcodes._mvp_rows``."""
    module, _, func = mangled.removesuffix("__mutmut").rpartition(".")
    func = func.removeprefix("x_") if func.startswith("x_") else func.removeprefix("xǁ").replace("ǁ", ".")
    return f"{module}.{func}"


def _score(r: Result) -> str:
    killed = r.counts.get("killed", 0) + r.counts.get("caught by type check", 0)
    return f"{100 * killed / r.tried:.1f}%" if r.tried else "-"


def _commit() -> str:
    head = ["git", "rev-parse", "--short", "HEAD"]
    out = subprocess.run(head, cwd=ROOT, capture_output=True, text=True, check=False)
    status = ["git", "status", "--porcelain", "gasmodel", "tests"]
    dirty = subprocess.run(status, cwd=ROOT, capture_output=True, check=False)
    return (out.stdout.strip() or "unknown") + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def write_report(results: list[Result], out: Path, seed: int, cap: int) -> None:
    """The Markdown and JSON reports."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(
        json.dumps([r.__dict__ for r in results], indent=1, default=list) + "\n"
    )
    cols = ["killed", "survived", "timeout", "no tests", "suspicious"]
    lines = [
        "# Mutation testing report",
        "",
        "Written by `scripts/mutation.py` (mutmut, one worker, `nice -n 19`; hypothesis tests "
        f"derandomized and capped at {cap} examples; tests marked localnet, toolchain or slow "
        f"deselected; sample seed {seed}).",
        "",
        "| package | mutants generated | tried | " + " | ".join(cols) + " | killed % | minutes |",
        "|---|---|---|" + "---|" * len(cols) + "---|---|",
    ]
    for r in results:
        tried = f"{r.tried}{' (sample)' if r.sampled else ''}"
        if r.planned and r.tried < r.planned:
            tried = f"{r.tried} of {r.planned} {'sampled' if r.sampled else 'planned'} (time budget)"
        row = [r.name, str(r.generated), tried, *(str(r.counts.get(c, 0)) for c in cols), _score(r)]
        lines.append("| " + " | ".join(row) + f" | {r.seconds / 60:.1f} |")
    for r in results:
        lines += ["", f"## {r.name}", "", f"Mutated: {', '.join(r.mutate)}. Tests: {', '.join(r.tests)}."]
        lines += ["", f"Sources and tests as of commit {r.commit}."]
        if r.import_time:
            fresh = sum(r.fresh.values())
            counts = ", ".join(f"{v} {k}" for k, v in sorted(r.fresh.items())) or "none in the sample"
            funcs = ", ".join(f"`{_readable(f)}`" for f in r.import_time)
            lines += [
                "",
                f"Functions that run while the package and its tests are imported: {funcs}. mutmut switches "
                "a mutant on after that import, so their mutants were measured in a fresh interpreter each "
                f"(`python -m pytest -x` over the package's tests with `MUTANT_UNDER_TEST` set): {fresh} "
                f"mutants ({counts}), {r.fresh_seconds / 60:.1f} minutes.",
            ]
        lines.append("")
        lines += ["| file | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
        for rel, c in sorted(r.per_file.items()):
            lines.append(f"| {rel} | " + " | ".join(str(c.get(k, 0)) for k in cols) + " |")
        if r.survivors:
            lines += ["", "### Not killed", ""]
            for s in sorted(r.survivors, key=lambda s: s["where"]):
                how = " (fresh interpreter)" if s.get("measured") == "fresh interpreter" else ""
                lines += [
                    f"`{s['where']}` {s['status']}{how} ({s['mutant']})",
                    "",
                    "```diff",
                    s["diff"],
                    "```",
                    "",
                ]
    out.write_text("\n".join(lines) + "\n")


def _result_from_json(old: dict[str, Any]) -> Result:
    tuples = {k: tuple(old.get(k, ())) for k in ("mutate", "tests", "deselect")}
    return Result(**{**old, **tuples})


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("packages", nargs="*", help=f"packages to mutate (default: all of {', '.join(PACKAGES)})")
    p.add_argument(
        "--package",
        action="append",
        default=[],
        metavar="NAME=GLOB[,GLOB]:TEST[,TEST]",
        help="an extra package: files to mutate and its test files",
    )
    p.add_argument(
        "--sample", type=int, default=None, help="run at most this many mutants per package (seeded)"
    )
    p.add_argument("--seed", type=int, default=14)
    p.add_argument("--only", metavar="GLOB", help="try only the mutants whose name matches (fnmatch)")
    p.add_argument(
        "--budget", type=float, metavar="MINUTES", help="stop trying mutants of a package after this long"
    )
    p.add_argument(
        "--scratch",
        type=Path,
        metavar="DIR",
        help="work in DIR/<package> and keep it (a rerun reuses its mutants and test map)",
    )
    p.add_argument(
        "--combine",
        nargs="+",
        type=Path,
        metavar="JSON",
        help="write one report from the JSON reports of earlier runs (run nothing)",
    )
    p.add_argument("--examples", type=int, default=30, help="cap on hypothesis examples per test")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="report path without suffix")
    p.add_argument(
        "--keep", action="store_true", help="keep the other packages' results already in the report's JSON"
    )
    args = p.parse_args(argv)
    packages = dict(PACKAGES)
    for spec in args.package:
        pname, _, rest = spec.partition("=")
        globs, _, tests = rest.partition(":")
        packages[pname] = Package(tuple(globs.split(",")), tuple(tests.split(",")))
    chosen = args.packages or [n for n in PACKAGES] + [s.partition("=")[0] for s in args.package]
    unknown = [n for n in chosen if n not in packages]
    if unknown:
        p.error(f"unknown package(s) {', '.join(unknown)}; known: {', '.join(packages)}")
    os.environ["GASMODEL_MUTATION_EXAMPLES"] = str(args.examples)
    out: Path = args.out if args.out.is_absolute() else Path.cwd() / args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    log = out.with_suffix(".log")
    results: list[Result] = []
    if args.combine:
        for path in args.combine:
            results += [_result_from_json(old) for old in json.loads(path.read_text())]
        write_report(results, out.with_suffix(".md"), args.seed, args.examples)
        print(f"report: {out.with_suffix('.md')}")
        return 0
    if args.keep and out.with_suffix(".json").exists():
        for old in json.loads(out.with_suffix(".json").read_text()):
            if old["name"] not in chosen:
                results.append(_result_from_json(old))
    log.write_text("")
    for pname in chosen:
        r = run_package(
            pname,
            packages[pname],
            args.sample,
            args.seed,
            log,
            args.only,
            None if args.scratch is None else args.scratch.resolve() / pname,
            None if args.budget is None else args.budget * 60,
        )
        results.append(r)
        print(
            f"{pname}: {r.tried} tried, {r.counts}, killed {_score(r)}, {r.seconds / 60:.1f} min", flush=True
        )
        write_report(results, out.with_suffix(".md"), args.seed, args.examples)
    print(f"report: {out.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
