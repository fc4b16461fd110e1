"""``Function.demangled``: the name for people from the Python API (oracle: GNU binutils ``c++filt``)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import gasmodel

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = sorted((ROOT / "contracts" / "artifacts").glob("*.wasm"))


@pytest.mark.skipif(shutil.which("c++filt") is None, reason="binutils c++filt is the oracle")
def test_every_corpus_name_matches_cxxfilt() -> None:
    # Oracle: GNU c++filt (binutils >= 2.36 demangles Rust legacy symbols and drops the compiler
    # suffixes ".llvm.N" / ".N"); gasmodel also drops the "::h<16 hex>" hash, so the oracle's is cut.
    names: list[str] = []
    functions = []
    for path in CONTRACTS:
        for fn in gasmodel.decode(path.read_bytes()).functions:
            if fn.name:
                names.append(fn.name)
                functions.append(fn)
    assert len(names) > 2000 and sum(n.startswith("_ZN") for n in names) > 1500
    out = subprocess.run(["c++filt"], input="\n".join(names) + "\n", capture_output=True, text=True,
                         check=True).stdout.splitlines()
    for fn, ref in zip(functions, out, strict=True):
        assert fn.demangled == re.sub(r"::h[0-9a-f]{16}$", "", ref), fn.name


def test_known_names_by_hand() -> None:
    # Expected text derived by hand from the mangling rules: _ZN <len><segment>... E, "$LT$" = "<",
    # "$GT$" = ">", "$C$" = ",", ".." = "::", "17h<16 hex>" the hash; Itanium C++ keeps parameter
    # types after the E (not a Rust symbol: shown raw).
    m = gasmodel.decode((ROOT / "contracts" / "artifacts" / "workload.wasm").read_bytes())
    by_name = {fn.demangled: fn for fn in m.functions if fn.name}
    assert by_name["workload::fib"].name.startswith("_ZN8workload3fib17h")
    from gasmodel.wasm.demangle import demangle

    assert demangle("_ZN8dlmalloc8dlmalloc17Dlmalloc$LT$A$GT$4free17h0123456789abcdefE.llvm.42") == (
        "dlmalloc::dlmalloc::Dlmalloc<A>::free")
    assert demangle("_ZN3foo3barEi") == "_ZN3foo3barEi"      # C++ foo::bar(int): not Rust, raw
    assert demangle("_ZN3foo3barE") == "foo::bar"            # no parameters: the same either way
    assert demangle("_RNvNtCs1234_7mycrate3foo3bar") == "mycrate::foo::bar"  # Rust v0 (RFC 2603)


def test_unnamed_and_plain_names() -> None:
    # A module without a name section: no names (hand-written bytes: magic, version, one type, one func).
    wasm = bytes.fromhex("0061736d01000000" "010401600000" "03020100" "0a040102000b")
    fn = gasmodel.decode(wasm).functions[0]
    assert fn.name is None and fn.demangled is None
    m = gasmodel.decode((ROOT / "contracts" / "artifacts" / "token.wasm").read_bytes())
    plain = [fn for fn in m.functions if fn.name in ("instantiate", "memcpy")]
    assert len(plain) == 2 and all(fn.demangled == fn.name for fn in plain)
