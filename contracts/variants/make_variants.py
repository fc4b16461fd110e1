"""Build the contract variants used by the gas-diff tests: a contract with one function changed.

``token-slow-sub-balance.wasm`` is ``contracts/artifacts/token.wasm`` with 100 pairs of
``i32.const 1; drop`` inserted at the start of ``token::sub_balance`` (nothing else changes: the
other bodies, sections and the name section are copied byte for byte). So a transfer costs more in
exactly one function. Rebuild with ``python contracts/variants/make_variants.py``; ``--check``
compares with the committed file.
"""

from __future__ import annotations

import sys
from pathlib import Path

from gasmodel.wasm import decode
from gasmodel.wasm.demangle import demangle
from gasmodel.wasm.leb import uleb
from gasmodel.wasm.reader import Reader
from gasmodel.wasm.stream import instruction_offsets

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PADDING = b"\x41\x01\x1a" * 100  # (i32.const 1, drop) x 100


def with_padding(data: bytes, function: str, padding: bytes = PADDING) -> bytes:
    """``data`` with ``padding`` inserted before the first instruction of the function whose
    demangled name is ``function``."""
    m = decode(data)
    targets = [f for f in m.functions if f.name and demangle(f.name) == function]
    if len(targets) != 1:
        raise SystemExit(f"{function}: {len(targets)} functions with that name")
    bodies = []
    for fn in m.functions:
        body = data[fn.offset : fn.offset + fn.size]
        if fn is targets[0]:
            first = instruction_offsets(data, fn)[0] - fn.offset
            body = body[:first] + padding + body[first:]
        bodies.append(uleb(len(body)) + body)
    payload = uleb(len(bodies)) + b"".join(bodies)
    out = [data[:8]]
    r = Reader(data, 8)
    while not r.at_end():
        start = r.pos
        sid = r.byte()
        size = r.u32()
        end = r.pos + size
        if sid == 10:
            out.append(b"\x0a" + uleb(len(payload)) + payload)
        else:
            out.append(data[start:end])
        r.pos = end
    return b"".join(out)


VARIANTS = {
    "token-slow-sub-balance.wasm": (ROOT / "contracts" / "artifacts" / "token.wasm", "token::sub_balance"),
}


def build() -> dict[str, bytes]:
    """Every variant's bytes, by file name."""
    return {name: with_padding(src.read_bytes(), fn) for name, (src, fn) in VARIANTS.items()}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    status = 0
    for name, data in build().items():
        path = HERE / name
        if check:
            same = path.is_file() and path.read_bytes() == data
            print(f"{name}: {'ok' if same else 'DIFFERS'}")
            status |= not same
        else:
            path.write_bytes(data)
            print(f"{name}: {len(data)} bytes")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
