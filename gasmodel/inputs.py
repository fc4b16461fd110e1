"""Reading a contract from untrusted places: one bounded reader for every command.

:func:`read_input` reads a path (or ``-``, standard input) and returns its bytes, gunzipped if they
are gzip. Raw and gunzipped sizes share one limit (:data:`DEFAULT_MAX_BYTES` unless given; the
CLI also reads ``GASMODEL_MAX_INPUT_BYTES``), so neither a huge file, ``/dev/zero`` nor a gzip
bomb can exhaust memory. A regular file larger than the limit is refused before it is read.
Anything else (a FIFO, a character device, a socket, standard input) is opened without blocking
and read under the limit and a deadline (:data:`DEFAULT_TIMEOUT` seconds): a FIFO with no writer
reads as empty, one whose writer never finishes is refused when the deadline passes. Nothing here
decides whether the bytes are Wasm: the decoder says where they are not.
"""

from __future__ import annotations

import os
import select
import stat
import sys
import time
import zlib
from pathlib import Path

from gasmodel.compress import is_gzip
from gasmodel.errors import GasmodelError

DEFAULT_MAX_BYTES = 8 * 1024 * 1024
"""8 MiB: above every chain's upload limit (wasmd's ``MaxWasmSize`` is 800 KiB and its
``MaxProposalWasmSize`` 3 MiB, x/wasm/types/validation.go), raw and gunzipped alike."""
DEFAULT_TIMEOUT = 10.0
"""Seconds to wait for a FIFO, device or standard input to reach its end."""
LIMIT_ENV = "GASMODEL_MAX_INPUT_BYTES"
"""Environment variable the CLI reads the limit from (bytes)."""
STDIN = "-"
"""The path that means standard input."""

_CHUNK = 1 << 16


class InputError(GasmodelError):
    """A contract could not be read: missing, unreadable, too large, not finished in time, bad gzip."""


def limit_from_env(environ: dict[str, str] | None = None) -> int:
    """The input limit from :data:`LIMIT_ENV` (default :data:`DEFAULT_MAX_BYTES`)."""
    env = os.environ if environ is None else environ
    raw = env.get(LIMIT_ENV)
    if raw is None or not raw.strip():
        return DEFAULT_MAX_BYTES
    try:
        value = int(raw.strip().replace("_", ""))
    except ValueError:
        raise InputError(f"{LIMIT_ENV}={raw!r} is not a whole number of bytes") from None
    if value < 1:
        raise InputError(f"{LIMIT_ENV}={raw!r} must be at least 1")
    return value


def read_input(
    source: str | Path,
    *,
    limit: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
) -> bytes:
    """The bytes of ``source`` (a path, or ``-`` for standard input), gunzipped if they are gzip.

    Raises :class:`InputError` naming ``source`` when it cannot be read, holds more than ``limit``
    bytes raw or gunzipped, is not complete within ``timeout`` seconds (non-regular files), or is
    invalid gzip.
    """
    label = "<stdin>" if str(source) == STDIN else str(source)
    raw = _read_stdin(limit, timeout) if str(source) == STDIN else _read_path(Path(source), limit, timeout)
    return gunzip_bounded(raw, limit, label)


def gunzip_bounded(data: bytes, limit: int, source: str = "input") -> bytes:
    """``data`` gunzipped (at most ``limit`` bytes) if it starts with the gzip magic, else as is."""
    if not is_gzip(data):
        return data
    try:
        dec = zlib.decompressobj(wbits=31)
        out = dec.decompress(data, limit + 1)
    except zlib.error as exc:
        raise InputError(f"{source}: invalid gzip data: {exc}") from None
    if len(out) > limit:
        raise InputError(f"{source}: gzip content exceeds limit: max {limit} bytes")
    if not dec.eof:
        raise InputError(f"{source}: truncated gzip data")
    return out


def _read_path(path: Path, limit: int, timeout: float) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"{path}: cannot read: is a directory")
        if stat.S_ISREG(st.st_mode):
            if st.st_size > limit:
                raise InputError(f"{path}: {st.st_size} bytes exceeds limit: max {limit} bytes")
            return _read_fd(fd, limit, None, str(path))
        return _read_fd(fd, limit, time.monotonic() + timeout, str(path))
    finally:
        os.close(fd)


def _read_stdin(limit: int, timeout: float) -> bytes:
    try:
        fd = sys.stdin.fileno()
    except (AttributeError, OSError, ValueError):
        raise InputError("<stdin>: standard input is not available") from None
    st = os.fstat(fd)
    if stat.S_ISREG(st.st_mode):  # redirected from a file: the same bound, no deadline
        if st.st_size > limit:
            raise InputError(f"<stdin>: {st.st_size} bytes exceeds limit: max {limit} bytes")
        return _read_fd(fd, limit, None, "<stdin>")
    return _read_fd(fd, limit, time.monotonic() + timeout, "<stdin>")


def _read_fd(fd: int, limit: int, deadline: float | None, label: str) -> bytes:
    """Read ``fd`` to its end, at most ``limit`` bytes, before ``deadline`` (monotonic) if given."""
    chunks: list[bytes] = []
    total = 0
    while True:
        if deadline is not None and time.monotonic() > deadline:
            raise InputError(f"{label}: input did not end within the read timeout")
        try:
            # Read first: a FIFO without a writer reads as end of file at once, while select()
            # would wait for a writer to come and go.
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
        except BlockingIOError:  # a writer, no data yet: wait for some, up to the deadline
            left = (deadline - time.monotonic()) if deadline is not None else None
            try:
                select.select([fd], [], [], max(left, 0.0) if left is not None else None)
            except (OSError, ValueError):
                time.sleep(0.01)
            continue
        except OSError as exc:
            raise InputError(f"{label}: cannot read: {exc.strerror or exc}") from None
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise InputError(f"{label}: input exceeds limit: max {limit} bytes")
