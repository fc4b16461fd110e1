"""Shared CLI helper: errors about a file's content name the file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from gasmodel.errors import WasmDecodeError


@contextmanager
def naming(path: object) -> Iterator[None]:
    """Re-raise a :class:`WasmDecodeError` with ``path`` in front of its message."""
    try:
        yield
    except WasmDecodeError as exc:
        if str(exc).startswith(f"{path}:"):
            raise
        raise WasmDecodeError(f"{path}: {exc.reason}", exc.offset, exc.func_index, exc.func_name) from None
