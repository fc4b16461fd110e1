"""A chain client on cosmpy's gRPC stubs: build, sign, simulate and broadcast txs and read their gas.

Injective specifics handled here: accounts come back as ``EthAccount`` (unwrapped to the
``BaseAccount`` in its field 1), and ``eth_secp256k1`` keys sign via :mod:`gasmodel.chain.keys`.
Every tx is waited for until it is in a block, and its ``gas_used``/``gas_wanted``, code, log,
events and size are returned as a :class:`~gasmodel.chain.types.TxResult`. A tx the chain refuses
is a result with a non-zero code, not an exception; :class:`ChainError` is for an unreachable node.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Sequence
from types import TracebackType
from typing import Any

import grpc
from cosmpy.aerial.client import LedgerClient, NetworkConfig
from cosmpy.protos.cosmos.auth.v1beta1.auth_pb2 import BaseAccount
from cosmpy.protos.cosmos.auth.v1beta1.query_pb2 import QueryAccountRequest
from cosmpy.protos.cosmos.auth.v1beta1.query_pb2 import QueryParamsRequest as AuthParamsRequest
from cosmpy.protos.cosmos.bank.v1beta1.query_pb2 import QueryBalanceRequest
from cosmpy.protos.cosmos.base.abci.v1beta1.abci_pb2 import TxMsgData
from cosmpy.protos.cosmos.base.tendermint.v1beta1.query_pb2 import (
    GetLatestBlockRequest,
    GetNodeInfoRequest,
)
from cosmpy.protos.cosmos.consensus.v1.query_pb2 import QueryParamsRequest as ConsensusParamsRequest
from cosmpy.protos.cosmos.tx.v1beta1.service_pb2 import (
    BroadcastMode,
    BroadcastTxRequest,
    GetTxRequest,
    SimulateRequest,
)
from cosmpy.protos.cosmos.tx.v1beta1.tx_pb2 import SignDoc, TxRaw
from cosmpy.protos.cosmwasm.wasm.v1 import query_pb2 as wasm_query
from cosmpy.protos.cosmwasm.wasm.v1 import tx_pb2 as wasm_tx
from google.protobuf.json_format import MessageToDict
from google.protobuf.message import DecodeError, Message

from gasmodel.accounts import ETH_ACCOUNT_TYPE_URL
from gasmodel.chain.keys import AccountKey
from gasmodel.chain.txsize import (
    body_and_auth_info,
    encode_json_msg,
    execute_msg,
    instantiate_msg,
    migrate_msg,
    send_msg,
    store_msg,
)
from gasmodel.chain.types import (
    ChainInfo,
    ChainVersions,
    Coin,
    Event,
    EventAttribute,
    QueryResult,
    TxResult,
)
from gasmodel.chaintypes import (
    DEFAULT_DENOM,
    DEFAULT_FALLBACK_GAS_LIMIT,
    DEFAULT_GAS_MARGIN,
    DEFAULT_GAS_PRICE,
    gas_limit_from_simulation,
)
from gasmodel.errors import ChainError

_RPC_TIMEOUT_S = 60.0


def _field1_bytes(buf: bytes) -> bytes:
    """The first length-delimited field 1 of a protobuf message (an ``EthAccount``'s ``BaseAccount``)."""
    pos = 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        field, wire = key >> 3, key & 7
        if wire == 2:
            length, pos = _varint(buf, pos)
            if field == 1:
                return buf[pos:pos + length]
            pos += length
        elif wire == 0:
            _, pos = _varint(buf, pos)
        elif wire == 1:
            pos += 8
        elif wire == 5:
            pos += 4
        else:
            break
    raise ChainError("cannot decode the account: no BaseAccount in field 1")


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        if pos >= len(buf):
            raise ChainError("cannot decode the account: truncated varint")
        b = buf[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value, pos
        shift += 7


def _rpc_text(exc: grpc.RpcError) -> str:
    details = exc.details() if hasattr(exc, "details") else None
    return str(details or exc)


class ChainClient:
    """A connection to a node's gRPC endpoint, with tx building, signing and result decoding.

    ``gas_margin`` multiplies the simulated gas to get the gas limit of a tx whose limit is not
    fixed; ``fallback_gas_limit`` is used when the simulation fails (so that the chain still
    records the failure with its code and log).
    """

    def __init__(
        self,
        grpc_address: str,
        chain_id: str,
        *,
        gas_price: int = DEFAULT_GAS_PRICE,
        denom: str = DEFAULT_DENOM,
        gas_margin: float = DEFAULT_GAS_MARGIN,
        fallback_gas_limit: int = DEFAULT_FALLBACK_GAS_LIMIT,
        max_gas_limit: int | None = None,
        inclusion_timeout_s: float = 30.0,
    ) -> None:
        self.chain_id = chain_id
        self.gas_price = gas_price
        self.denom = denom
        self.gas_margin = gas_margin
        self.fallback_gas_limit = fallback_gas_limit
        self.max_gas_limit = max_gas_limit
        self.inclusion_timeout_s = inclusion_timeout_s
        url = grpc_address if "://" in grpc_address else f"grpc+http://{grpc_address}"
        self._ledger = LedgerClient(
            NetworkConfig(chain_id=chain_id, url=url, fee_minimum_gas_price=gas_price,
                          fee_denomination=denom, staking_denomination=denom)
        )

    def __enter__(self) -> ChainClient:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Drop the stubs; cosmpy owns the gRPC channel, which closes when it is garbage-collected."""
        self.__dict__.pop("_ledger", None)

    # ----------------------------------------------------------------- queries
    def _call(self, what: str, stub_method: Any, request: Message) -> Any:
        try:
            return stub_method(request, timeout=_RPC_TIMEOUT_S)
        except grpc.RpcError as exc:
            raise ChainError(f"{what} failed: {_rpc_text(exc)}") from exc

    def account(self, address: str) -> tuple[int, int]:
        """(account number, sequence) of an existing account; ChainError naming it if it has none."""
        try:
            resp = self._ledger.auth.Account(QueryAccountRequest(address=address), timeout=_RPC_TIMEOUT_S)
        except grpc.RpcError as exc:
            text = _rpc_text(exc)
            if "not found" in text:
                raise ChainError(f"account {address} does not exist on the chain (never funded?)") from exc
            raise ChainError(f"account query for {address} failed: {text}") from exc
        any_acc = resp.account
        raw = _field1_bytes(any_acc.value) if any_acc.type_url == ETH_ACCOUNT_TYPE_URL else any_acc.value
        try:
            base = BaseAccount.FromString(raw)
        except DecodeError as exc:
            raise ChainError(f"cannot decode account {address} ({any_acc.type_url})") from exc
        return int(base.account_number), int(base.sequence)

    def node_id(self, timeout_s: float = _RPC_TIMEOUT_S) -> str:
        """The CometBFT node ID of the node behind this gRPC address."""
        try:
            node = self._ledger.tendermint.GetNodeInfo(GetNodeInfoRequest(), timeout=timeout_s)
        except grpc.RpcError as exc:
            raise ChainError(f"node info query failed: {_rpc_text(exc)}") from exc
        return str(node.default_node_info.default_node_id)

    def balance(self, address: str, denom: str | None = None) -> int:
        """The balance of one denomination (the fee denom by default)."""
        resp = self._call("balance query", self._ledger.bank.Balance,
                          QueryBalanceRequest(address=address, denom=denom or self.denom))
        return int(resp.balance.amount or 0)

    def height(self) -> int:
        """The latest block height."""
        resp = self._call("latest block query", self._ledger.tendermint.GetLatestBlock,
                          GetLatestBlockRequest())
        return int(resp.block.header.height)

    def smart_query(self, contract: str, msg: Any) -> QueryResult:
        """A smart query; the result is the contract's JSON, or the chain's error text."""
        req = wasm_query.QuerySmartContractStateRequest(address=contract, query_data=encode_json_msg(msg))
        try:
            resp = self._ledger.wasm.SmartContractState(req, timeout=_RPC_TIMEOUT_S)
        except grpc.RpcError as exc:
            return QueryResult(ok=False, error=_rpc_text(exc), code=int(exc.code().value[0]))
        return _decode_query_data(bytes(resp.data))

    def raw_query(self, contract: str, key: bytes) -> QueryResult:
        """A raw storage read of one key; ``data`` is JSON-decoded when the value is JSON."""
        req = wasm_query.QueryRawContractStateRequest(address=contract, query_data=key)
        try:
            resp = self._ledger.wasm.RawContractState(req, timeout=_RPC_TIMEOUT_S)
        except grpc.RpcError as exc:
            return QueryResult(ok=False, error=_rpc_text(exc), code=int(exc.code().value[0]))
        return _decode_query_data(bytes(resp.data))

    def chain_info(self, min_gas_price: str | None = None) -> ChainInfo:
        """The chain's versions and the parameters that set gas (wasm, auth, block)."""
        node = self._call("node info query", self._ledger.tendermint.GetNodeInfo, GetNodeInfoRequest())
        av = node.application_version
        deps = {d.path: d.version for d in av.build_deps}
        versions = ChainVersions(
            app_name=av.name, app_version=av.version, git_commit=av.git_commit, go_version=av.go_version,
            cosmos_sdk=av.cosmos_sdk_version,
            wasmd=deps.get("github.com/CosmWasm/wasmd"),
            wasmvm=deps.get("github.com/CosmWasm/wasmvm/v2") or deps.get("github.com/CosmWasm/wasmvm"),
            cometbft=deps.get("github.com/cometbft/cometbft"),
            node_version=node.default_node_info.version,
        )
        wasm = self._call("wasm params query", self._ledger.wasm.Params, wasm_query.QueryParamsRequest())
        auth = self._call("auth params query", self._ledger.auth.Params, AuthParamsRequest())
        cons = self._call("consensus params query", self._ledger.consensus.Params, ConsensusParamsRequest())
        return ChainInfo(
            chain_id=node.default_node_info.network,
            versions=versions,
            wasm_params=MessageToDict(wasm.params, preserving_proto_field_name=True),
            auth_params=MessageToDict(auth.params, preserving_proto_field_name=True),
            block_params=MessageToDict(cons.params.block, preserving_proto_field_name=True),
            min_gas_price=min_gas_price or f"{self.gas_price}{self.denom}",
            latest_height=self.height(),
        )

    # -------------------------------------------------------------------- txs
    def build_tx(self, key: AccountKey, msgs: Sequence[Message], gas_limit: int, memo: str = "",
                 account: tuple[int, int] | None = None) -> bytes:
        """Signed tx bytes (``TxRaw``) paying ``gas_limit`` × gas price, sign mode DIRECT."""
        number, sequence = account if account is not None else self.account(key.address)
        body_bytes, auth_bytes = body_and_auth_info(
            msgs, public_key=key.public_key_any(), sequence=sequence, gas_limit=gas_limit,
            gas_price=self.gas_price, denom=self.denom, memo=memo,
        )
        sign_doc = SignDoc(body_bytes=body_bytes, auth_info_bytes=auth_bytes, chain_id=self.chain_id,
                           account_number=number).SerializeToString()
        return bytes(TxRaw(body_bytes=body_bytes, auth_info_bytes=auth_bytes,
                           signatures=[key.sign(sign_doc)]).SerializeToString())

    def simulate(self, tx_bytes: bytes) -> int:
        """The gas the simulation reports for signed tx bytes; ChainError with the chain's text."""
        try:
            resp = self._ledger.txs.Simulate(SimulateRequest(tx_bytes=tx_bytes), timeout=_RPC_TIMEOUT_S)
        except grpc.RpcError as exc:
            raise ChainError(_rpc_text(exc)) from exc
        return int(resp.gas_info.gas_used)

    def submit(self, key: AccountKey, msgs: Sequence[Message], *, gas_limit: int | None = None,
               memo: str = "") -> TxResult:
        """Sign, (simulate,) broadcast and wait for a tx; the result records whatever the chain said."""
        account = self.account(key.address)
        simulated: int | None = None
        sim_error: str | None = None
        limit = gas_limit
        if limit is None:
            probe_limit = self.max_gas_limit or self.fallback_gas_limit
            try:
                simulated = self.simulate(self.build_tx(key, msgs, probe_limit, memo, account))
                limit = gas_limit_from_simulation(simulated, self.gas_margin, self.max_gas_limit)
            except ChainError as exc:
                sim_error = str(exc)
                limit = self.fallback_gas_limit
        tx_bytes = self.build_tx(key, msgs, limit, memo, account)
        return self.broadcast(tx_bytes, msg_type=msgs[0].DESCRIPTOR.full_name if msgs else "",
                              simulated_gas=simulated, simulate_error=sim_error)

    def broadcast(self, tx_bytes: bytes, *, msg_type: str = "", simulated_gas: int | None = None,
                  simulate_error: str | None = None) -> TxResult:
        """Broadcast (sync) and wait until the tx is in a block or refused by CheckTx."""
        tx_hash = hashlib.sha256(tx_bytes).hexdigest().upper()
        common: dict[str, Any] = {"tx_size": len(tx_bytes), "msg_type": msg_type, "tx_bytes": tx_bytes,
                                  "simulated_gas": simulated_gas, "simulate_error": simulate_error}
        try:
            resp = self._ledger.txs.BroadcastTx(
                BroadcastTxRequest(tx_bytes=tx_bytes, mode=BroadcastMode.BROADCAST_MODE_SYNC),
                timeout=_RPC_TIMEOUT_S)
        except grpc.RpcError as exc:
            refused = _parse_refusal(_rpc_text(exc))
            if refused is None:
                raise ChainError(f"broadcast failed: {_rpc_text(exc)}") from exc
            return TxResult(tx_hash=tx_hash, stage="check_tx", **refused, **common)
        check = resp.tx_response
        if check.code != 0:
            return TxResult(tx_hash=check.txhash or tx_hash, stage="check_tx", code=int(check.code),
                            codespace=check.codespace, gas_wanted=int(check.gas_wanted),
                            gas_used=int(check.gas_used), raw_log=check.raw_log, **common)
        included = self._wait_for_tx(check.txhash or tx_hash)
        return _decode_tx_response(included, **common)

    def _wait_for_tx(self, tx_hash: str) -> Any:
        deadline = time.monotonic() + self.inclusion_timeout_s
        while True:
            try:
                return self._ledger.txs.GetTx(GetTxRequest(hash=tx_hash), timeout=_RPC_TIMEOUT_S).tx_response
            except grpc.RpcError as exc:
                text = _rpc_text(exc)
                if "not found" not in text:
                    raise ChainError(f"query of tx {tx_hash} failed: {text}") from exc
            if time.monotonic() > deadline:
                raise ChainError(f"tx {tx_hash} was not included within {self.inclusion_timeout_s:.0f} s")
            time.sleep(0.05)

    # ------------------------------------------------------------ wasm and bank
    def store_code(self, key: AccountKey, wasm: bytes, *, gzip: bool = True,
                   gas_limit: int | None = None) -> TxResult:
        """Upload a module (gzipped as the wasmd CLI does unless ``gzip`` is False or it already is gzip)."""
        return self.submit(key, [store_msg(key.address, bytes(wasm), gzip=gzip)], gas_limit=gas_limit)

    def instantiate(self, key: AccountKey, code_id: int, msg: Any, *, label: str, admin: str | None = None,
                    funds: Sequence[Coin] = (), gas_limit: int | None = None) -> TxResult:
        """Instantiate a stored code."""
        m = instantiate_msg(key.address, code_id, msg, label=label, admin=admin, funds=funds)
        return self.submit(key, [m], gas_limit=gas_limit)

    def execute(self, key: AccountKey, contract: str, msg: Any, *, funds: Sequence[Coin] = (),
                gas_limit: int | None = None) -> TxResult:
        """Execute a contract."""
        return self.submit(key, [execute_msg(key.address, contract, msg, funds=funds)], gas_limit=gas_limit)

    def migrate(self, key: AccountKey, contract: str, code_id: int, msg: Any, *,
                gas_limit: int | None = None) -> TxResult:
        """Migrate a contract to a code id (the sender must be its admin)."""
        return self.submit(key, [migrate_msg(key.address, contract, code_id, msg)], gas_limit=gas_limit)

    def bank_send(self, key: AccountKey, to_address: str, amount: Sequence[Coin], *,
                  gas_limit: int | None = None) -> TxResult:
        """A bank transfer."""
        return self.submit(key, [send_msg(key.address, to_address, amount)], gas_limit=gas_limit)


_REFUSAL = re.compile(r"code=(\d+), data=.*?, log='(.*)', codespace='([^']*)'", re.S)
_GAS = re.compile(r"gasWanted: (\d+), gasUsed: (\d+)")


def _parse_refusal(text: str) -> dict[str, Any] | None:
    """Code, log and gas of a tx that CheckTx refused, from Injective's broadcast error text."""
    m = _REFUSAL.search(text)
    if m is None:
        return None
    gas = _GAS.search(m.group(2))
    return {"code": int(m.group(1)), "raw_log": m.group(2), "codespace": m.group(3),
            "gas_wanted": int(gas.group(1)) if gas else 0, "gas_used": int(gas.group(2)) if gas else 0}


def _decode_query_data(data: bytes) -> QueryResult:
    try:
        return QueryResult(ok=True, data=json.loads(data) if data else None, raw=data.decode())
    except (UnicodeDecodeError, json.JSONDecodeError):
        return QueryResult(ok=True, data=None, raw=data.hex())


_RESPONSES: dict[str, type[Message]] = {
    "/cosmwasm.wasm.v1.MsgStoreCodeResponse": wasm_tx.MsgStoreCodeResponse,
    "/cosmwasm.wasm.v1.MsgInstantiateContractResponse": wasm_tx.MsgInstantiateContractResponse,
    "/cosmwasm.wasm.v1.MsgExecuteContractResponse": wasm_tx.MsgExecuteContractResponse,
    "/cosmwasm.wasm.v1.MsgMigrateContractResponse": wasm_tx.MsgMigrateContractResponse,
}


def _decode_tx_response(r: Any, **common: Any) -> TxResult:
    events = [
        Event(type=e.type, attributes=[EventAttribute(key=a.key, value=a.value) for a in e.attributes])
        for e in r.events
    ]
    extra: dict[str, Any] = {}
    if r.code == 0 and r.data:
        try:
            msg_data = TxMsgData.FromString(bytes.fromhex(r.data))
        except (ValueError, DecodeError):
            msg_data = TxMsgData()
        for any_resp in msg_data.msg_responses[:1]:
            cls = _RESPONSES.get(any_resp.type_url)
            if cls is None:
                continue
            resp = cls.FromString(any_resp.value)
            if isinstance(resp, wasm_tx.MsgStoreCodeResponse):
                extra.update(code_id=int(resp.code_id), checksum=bytes(resp.checksum).hex())
            elif isinstance(resp, wasm_tx.MsgInstantiateContractResponse):
                extra["contract_address"] = resp.address
                extra["data"] = bytes(resp.data).decode(errors="replace") if resp.data else None
            else:
                extra["data"] = bytes(resp.data).decode(errors="replace") if resp.data else None
    return TxResult(
        tx_hash=r.txhash, stage="deliver_tx", height=int(r.height), timestamp=r.timestamp, code=int(r.code),
        codespace=r.codespace, gas_wanted=int(r.gas_wanted), gas_used=int(r.gas_used), raw_log=r.raw_log,
        events=events, **extra, **common,
    )
