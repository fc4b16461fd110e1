#!/usr/bin/env python3
"""Rebuild every contract artifact from source, byte for byte (stdlib only).

    python contracts/build.py            # rebuild contracts/artifacts/<name>.wasm (+ fixtures)
    python contracts/build.py --check    # fresh build in a temp dir, compare with the committed files
    python contracts/build.py --out DIR  # write the Rust artifacts to DIR instead

The Rust contracts are one cargo workspace (contracts/rust/) built offline with Debian's Rust 1.63
and Debian's packaged crates. Absolute paths are remapped, so the output does not depend on where
the checkout lives. If contracts/fixtures/build_fixtures.py exists it is run too (with `--out` when
checking), so one command rebuilds and checks everything. `--check` builds a copy of the sources in a
temporary folder from scratch, so it also shows that the bytes do not depend on the checkout's path.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKSPACE = HERE / "rust"
ARTIFACTS = HERE / "artifacts"
FIXTURES_SCRIPT = HERE / "fixtures" / "build_fixtures.py"
MANIFEST = HERE / "manifest.json"
CONTRACTS = ("counter", "token", "registry", "workload", "crypto", "caller")
TARGET = "wasm32-unknown-unknown"
CARGO = "/usr/bin/cargo"
RUSTC = "/usr/bin/rustc"


class BuildError(Exception):
    """A build step failed; the message says which and why."""


def toolchain_missing() -> str | None:
    """Why the Rust toolchain cannot build here, or None if it can."""
    for tool in (CARGO, RUSTC):
        if not os.access(tool, os.X_OK):
            return f"{tool} not found (install Debian's rustc and cargo: scripts/setup.sh)"
    std = Path("/usr/lib/rustlib") / TARGET
    if not std.is_dir():
        return f"{std} not found (install libstd-rust-dev-wasm32)"
    if not Path("/usr/share/cargo/registry/serde_json-1.0.87").is_dir() and not any(
        Path("/usr/share/cargo/registry").glob("serde_json-*")
    ):
        return "Debian's serde crates not found (install librust-serde-json-dev librust-serde-derive-dev)"
    return None


def cargo_build(source: Path, target_dir: Path) -> Path:
    """Builds the workspace at `source`; returns the folder holding the .wasm files."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/tmp"),
        "RUSTC": RUSTC,
        # Isolate from any user-level cargo config; the workspace's .cargo/config.toml does the rest.
        "CARGO_HOME": str(target_dir / "cargo-home"),
        "RUSTFLAGS": f"--remap-path-prefix={source}=/contracts --remap-path-prefix={target_dir}=/target",
        "LANG": "C",
    }
    cmd = [CARGO, "build", "--release", "--offline", "--locked", "--target", TARGET,
           "--target-dir", str(target_dir)]
    proc = subprocess.run(cmd, cwd=source, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BuildError(f"cargo build failed in {source} (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    return target_dir / TARGET / "release"


def build_rust(out: Path, source: Path = WORKSPACE, target_dir: Path | None = None) -> list[Path]:
    """Builds all Rust contracts and copies them to `out`; returns the written files."""
    release = cargo_build(source, target_dir or source / "target")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in CONTRACTS:
        built = release / f"{name}.wasm"
        if not built.is_file():
            raise BuildError(f"cargo did not produce {built}")
        dest = out / f"{name}.wasm"
        shutil.copyfile(built, dest)
        written.append(dest)
    return written


def build_fixtures(out: Path | None) -> list[Path]:
    """Runs the fixtures' own build script (if present); returns the files it wrote under `out`."""
    if not FIXTURES_SCRIPT.is_file():
        return []
    cmd = [sys.executable, str(FIXTURES_SCRIPT)]
    if out is not None:
        cmd += ["--out", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BuildError(f"{FIXTURES_SCRIPT} failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    return sorted(p for p in out.rglob("*") if p.is_file()) if out is not None else []


def compare(fresh: list[Path], fresh_root: Path, committed_root: Path) -> list[str]:
    """Relative paths whose fresh build differs from (or is missing in) the committed tree."""
    differing = []
    for path in fresh:
        rel = path.relative_to(fresh_root)
        committed = committed_root / rel
        if not committed.is_file() or not filecmp.cmp(path, committed, shallow=False):
            differing.append(str(Path("artifacts") / rel))
    return differing


def update_manifest_sizes() -> list[str]:
    """Sets each manifest entry's `size` to its artifact's size; returns the names that changed."""
    if not MANIFEST.is_file():
        return []
    data = json.loads(MANIFEST.read_text(encoding="utf-8"))
    changed = []
    for entry in data.get("contracts", []):
        wasm = HERE / entry["wasm"]
        if wasm.is_file() and entry.get("size") != wasm.stat().st_size:
            entry["size"] = wasm.stat().st_size
            changed.append(entry["name"])
    if changed:
        MANIFEST.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return changed


def stale_manifest_sizes() -> list[str]:
    """Manifest entries whose `size` is not their committed artifact's size."""
    if not MANIFEST.is_file():
        return []
    data = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return [
        f"manifest.json (size of {e['name']})"
        for e in data.get("contracts", [])
        if not (HERE / e["wasm"]).is_file() or e.get("size") != (HERE / e["wasm"]).stat().st_size
    ]


def check() -> int:
    """Rebuilds everything from scratch in temp dirs and compares with contracts/artifacts/."""
    with tempfile.TemporaryDirectory(prefix="gasmodel-build-") as tmp:
        rust_out = Path(tmp) / "rust"
        fixtures_out = Path(tmp) / "fixtures"
        # A copy of the sources in another folder, built from scratch: this also shows that the
        # output does not depend on where the checkout is.
        source = Path(tmp) / "src" / "rust"
        shutil.copytree(WORKSPACE, source, ignore=shutil.ignore_patterns("target"))
        fresh = build_rust(rust_out, source=source, target_dir=Path(tmp) / "target")
        differing = compare(fresh, rust_out, ARTIFACTS)
        if FIXTURES_SCRIPT.is_file():
            differing += compare(build_fixtures(fixtures_out), fixtures_out, ARTIFACTS)
    differing += stale_manifest_sizes()
    if differing:
        print("not what a fresh build gives:", file=sys.stderr)
        for rel in differing:
            print(f"  contracts/{rel}", file=sys.stderr)
        return 1
    print("all artifacts match a fresh build")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--check", action="store_true", help="rebuild into a temp dir and compare")
    group.add_argument("--out", type=Path, help="write the Rust artifacts here (not contracts/artifacts)")
    args = parser.parse_args(argv)
    missing = toolchain_missing()
    if missing:
        print(f"build.py: error: {missing}", file=sys.stderr)
        return 2
    try:
        if args.check:
            return check()
        out = args.out.resolve() if args.out else ARTIFACTS
        for path in build_rust(out):
            print(f"{path}  {path.stat().st_size} bytes")
        if args.out is None:
            for name in update_manifest_sizes():
                print(f"updated the size of {name} in {MANIFEST.name}")
            build_fixtures(None)
            if FIXTURES_SCRIPT.is_file():
                print(f"ran {FIXTURES_SCRIPT.relative_to(HERE.parent)}")
    except BuildError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
