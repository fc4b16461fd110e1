"""Shared CLI helpers for the files a command is given: one wording per cause, whichever command.

Every command reads a contract through :func:`read_contract_arg` (missing or unreadable: the bounded
reader's ``PATH: cannot read: ...``; not Wasm: the analysis layer's ``PATH: not a Wasm module ...``),
checks any other input file with :func:`require_file` (the same ``cannot read`` line) and a JSON file
with :func:`read_json_file` (the scenario loader's ``PATH:LINE: invalid JSON: ...`` line); errors about
a contract's content name the file (:func:`naming`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gasmodel.analysis import ensure_wasm
from gasmodel.errors import WasmDecodeError
from gasmodel.inputs import InputError, limit_from_env, read_input
from gasmodel.scenario.locate import parse_json


def read_contract_arg(path: str | Path) -> bytes:
    """The contract at ``path`` (``-``: standard input), gunzipped if gzip, read through the bounded
    reader with the limit from ``GASMODEL_MAX_INPUT_BYTES`` (default 8 MiB); refused with one line
    naming the file when it is missing, unreadable, too large or not a Wasm module."""
    limit = limit_from_env()
    data = read_input(path, limit=limit)
    return ensure_wasm(data, limit, "<stdin>" if str(path) == "-" else str(path))


def require_file(path: str | Path) -> Path:
    """``path`` if it is a readable file; :class:`InputError` in the bounded reader's words if not."""
    p = Path(path)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(f"{p}: cannot read: {exc.strerror or exc}") from None
    try:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise InputError(f"{p}: cannot read: is a directory")
    finally:
        os.close(fd)
    return p


def read_json_file(path: str | Path) -> Any:
    """The JSON document in ``path``; a missing file or bad JSON is refused in the shared words."""
    p = require_file(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{p}: cannot read: {exc}") from None
    return parse_json(text, str(p)).data


def is_build(path: str | Path) -> bool:
    """Whether ``path`` names a contract build rather than a results file: a ``.wasm`` (or
    ``.wasm.gz``) name, or Wasm / gzip magic bytes. Missing files are refused (:func:`require_file`)."""
    p = require_file(path)
    if p.name.endswith((".wasm", ".wasm.gz")):
        return True
    with p.open("rb") as f:
        head = f.read(4)
    return head == b"\x00asm" or head[:2] == b"\x1f\x8b"


@contextmanager
def naming(path: object) -> Iterator[None]:
    """Re-raise a :class:`WasmDecodeError` with ``path`` in front of its message."""
    try:
        yield
    except WasmDecodeError as exc:
        if str(exc).startswith(f"{path}:"):
            raise
        raise WasmDecodeError(f"{path}: {exc.reason}", exc.offset, exc.func_index, exc.func_name) from None
