"""Gzip a contract the way an upload does: one function shared by the upload-cost model and the
chain client, so that what gasmodel predicts and what it uploads are the same bytes.

wasmd's CLI (``tx wasm store``) gzips with Go's ``gzip.NewWriter``, i.e. level 6. Python's zlib at
level 6 is another DEFLATE implementation: its output is within about 1 % of Go's, not identical.
The gzip header's mtime is 0, so the output is reproducible.
"""

from __future__ import annotations

import gzip

CLI_GZIP_LEVEL = 6
GZIP_MAGIC = b"\x1f\x8b"


def is_gzip(data: bytes) -> bool:
    """True if ``data`` starts with the gzip magic number."""
    return data[:2] == GZIP_MAGIC


def gzip_like_cli(data: bytes, level: int = CLI_GZIP_LEVEL) -> bytes:
    """``data`` gzipped at ``level`` (default: the wasmd CLI's), with a zero mtime."""
    return gzip.compress(data, compresslevel=level, mtime=0)
