"""Shared CLI helpers: every command reads a contract through :func:`read_contract_arg`, and errors
about a file's content name the file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gasmodel.errors import WasmDecodeError
from gasmodel.inputs import limit_from_env, read_input


def read_contract_arg(path: str | Path) -> bytes:
    """The contract at ``path`` (``-``: standard input), gunzipped if gzip, read through the bounded
    reader with the limit from ``GASMODEL_MAX_INPUT_BYTES`` (default 8 MiB)."""
    return read_input(path, limit=limit_from_env())


@contextmanager
def naming(path: object) -> Iterator[None]:
    """Re-raise a :class:`WasmDecodeError` with ``path`` in front of its message."""
    try:
        yield
    except WasmDecodeError as exc:
        if str(exc).startswith(f"{path}:"):
            raise
        raise WasmDecodeError(f"{path}: {exc.reason}", exc.offset, exc.func_index, exc.func_name) from None
