"""Upgrade audits at chain scale: every code stored on a running chain, fetched over gRPC (cosmpy).

``fetch_codes(url)`` lists the chain's codes (``cosmwasm.wasm.v1.Query/Codes``, paginated) and
downloads each one (``Query/Code``); ``gasmodel lint --node URL --all-codes --chain TARGET`` then
lints them under the target profile. This module may import :mod:`gasmodel.chain`'s world (cosmpy,
gRPC) and :mod:`gasmodel.lint`; the lint package itself never talks to a chain.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import grpc
from cosmpy.protos.cosmos.base.query.v1beta1.pagination_pb2 import PageRequest
from cosmpy.protos.cosmwasm.wasm.v1 import query_pb2 as wasm_query
from cosmpy.protos.cosmwasm.wasm.v1.query_pb2_grpc import QueryStub

from gasmodel.errors import ChainError

_TIMEOUT_S = 30.0
_PAGE = 100
# A stored code is at most the chain's upload limit; gRPC's default 4 MiB receive cap is too small
# for a few chains' limits, so allow more.
_MAX_MESSAGE = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class StoredCode:
    """One code on the chain: its id, checksum (hex) and module bytes (gunzipped by the chain)."""

    code_id: int
    checksum: str
    wasm: bytes


def _target(url: str) -> str:
    for prefix in ("grpc+http://", "grpc://", "http://"):
        if url.startswith(prefix):
            return url[len(prefix) :].rstrip("/")
    if "://" in url:
        raise ChainError(
            f"{url}: only plain gRPC endpoints are supported (grpc+http://HOST:PORT or HOST:PORT)"
        )
    return url.rstrip("/")


def code_ids(url: str) -> list[int]:
    """Every code id stored on the chain at ``url`` (a gRPC endpoint), ascending."""
    with grpc.insecure_channel(_target(url), options=_options()) as channel:
        stub = QueryStub(channel)
        return list(_ids(stub, url))


def _options() -> list[tuple[str, int]]:
    return [("grpc.max_receive_message_length", _MAX_MESSAGE)]


def _ids(stub: QueryStub, url: str) -> Iterator[int]:
    key = b""
    while True:
        try:
            resp = stub.Codes(
                wasm_query.QueryCodesRequest(pagination=PageRequest(key=key, limit=_PAGE)), timeout=_TIMEOUT_S
            )
        except grpc.RpcError as exc:
            raise ChainError(f"{url}: listing codes failed: {exc.details() or exc.code()}") from None
        for info in resp.code_infos:
            yield int(info.code_id)
        key = resp.pagination.next_key
        if not key:
            return


def fetch_codes(url: str, ids: list[int] | None = None) -> Iterator[StoredCode]:
    """Each code (all, or ``ids``) of the chain at ``url``, in id order, one download at a time."""
    with grpc.insecure_channel(_target(url), options=_options()) as channel:
        stub = QueryStub(channel)
        for code_id in ids if ids is not None else list(_ids(stub, url)):
            try:
                resp = stub.Code(wasm_query.QueryCodeRequest(code_id=code_id), timeout=_TIMEOUT_S)
            except grpc.RpcError as exc:
                raise ChainError(
                    f"{url}: fetching code {code_id} failed: {exc.details() or exc.code()}"
                ) from None
            yield StoredCode(code_id, bytes(resp.code_info.data_hash).hex(), bytes(resp.data))
