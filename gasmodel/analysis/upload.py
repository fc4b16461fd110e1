"""Store (upload) cost of a contract, in SDK gas.

wasmd's ``MsgStoreCode`` path charges, for code of ``n`` uncompressed bytes uploaded as ``z`` bytes:

- uncompress: ``floor(z * 15 / 100)`` if the upload is gzip (wasmd v0.29+), nothing otherwise;
- compile: ``3 * n`` (wasmd up to v0.50 charges it; from v0.51 wasmvm charges 3 * 140_000 CW gas
  per byte, the same 3 SDK gas per byte);
- tx size (ante handler): ``TxSizeCostPerByte`` (10) per byte of the signed tx. Only the code bytes
  are counted here, so this part is a lower bound (signatures, fee and addresses add ~200-300 B).

The Go CLI (``wasmd tx wasm store``) gzips with ``gzip.NewWriter``, i.e. Go's default level,
which is level 6. Python's zlib at level 6 is a different DEFLATE implementation, so the gzipped
size is an estimate (typically within a few percent of Go's).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from gasmodel.analysis.errors import AnalysisError
from gasmodel.compress import CLI_GZIP_LEVEL, gzip_like_cli
from gasmodel.inputs import InputError, gunzip_bounded

WASM_MAGIC = b"\x00asm"


class UploadVariant(BaseModel):
    """Cost of one way of uploading the code."""

    model_config = ConfigDict(frozen=True)

    gzipped: bool
    upload_bytes: int
    uncompress_gas: int
    compile_gas: int
    tx_size_gas: int
    total_gas: int


class UploadCost(BaseModel):
    """Store cost of a contract, raw and gzipped, in SDK gas."""

    model_config = ConfigDict(frozen=True)

    wasm_bytes: int
    gzip_bytes: int
    gzip_level: int
    max_wasm_size: int
    within_limit: bool
    raw: UploadVariant
    gz: UploadVariant


def maybe_gunzip(data: bytes, max_size: int, source: str = "input") -> bytes:
    """``data`` gunzipped (at most ``max_size`` bytes: a gzip bomb is an error) if it is gzip, else as is."""
    try:
        return gunzip_bounded(data, max_size, source)
    except InputError as exc:
        raise AnalysisError(str(exc)) from None


def ensure_wasm(data: bytes, max_size: int, source: str = "input") -> bytes:
    """Return the Wasm bytes of ``data``, gunzipping (bounded by ``max_size``) if it is gzip."""
    data = maybe_gunzip(data, max_size, source)
    if data[:4] != WASM_MAGIC:
        raise AnalysisError(f"{source}: not a WebAssembly module (bad magic number) at byte offset 0 (0x0)")
    return data


def upload_cost(
    wasm: bytes,
    *,
    compile_per_byte: int = 3,
    uncompress_per_byte: tuple[int, int] = (15, 100),
    tx_size_per_byte: int = 10,
    max_wasm_size: int = 800 * 1024,
    gzip_level: int = CLI_GZIP_LEVEL,
) -> UploadCost:
    """Store cost of ``wasm`` uploaded raw and gzipped (``uncompress_per_byte`` = numerator, denominator)."""
    n = len(wasm)
    z = len(gzip_like_cli(wasm, gzip_level))
    num, den = uncompress_per_byte
    compile_gas = compile_per_byte * n

    def variant(gzipped: bool) -> UploadVariant:
        size = z if gzipped else n
        unc = size * num // den if gzipped else 0
        tx = tx_size_per_byte * size
        return UploadVariant(
            gzipped=gzipped,
            upload_bytes=size,
            uncompress_gas=unc,
            compile_gas=compile_gas,
            tx_size_gas=tx,
            total_gas=unc + compile_gas + tx,
        )

    return UploadCost(
        wasm_bytes=n,
        gzip_bytes=z,
        gzip_level=gzip_level,
        max_wasm_size=max_wasm_size,
        within_limit=n <= max_wasm_size,
        raw=variant(False),
        gz=variant(True),
    )
