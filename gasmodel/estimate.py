"""``gasmodel.estimate()``: the gas one contract message costs on a chain, offline, with a breakdown.

One call deploys the contract on a fresh :class:`~gasmodel.vm.chain.MockChain` (store, then
instantiate), runs the messages you give in order - executes, then a migrate, then a query - and
returns the :class:`~gasmodel.report.GasReport` of the last of them (of the upload when you give
no message). For sequences over several contracts and accounts, drive a ``MockChain`` yourself.

Compiled modules are cached (in process and on disk, by module hash and instrumentation), and a
process keeps one chain engine, so a second estimate of the same contract skips compilation.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gasmodel.analysis import read_contract
from gasmodel.chaintypes import DEFAULT_GAS_PRICE, LOCALNET_GENTX_GAS, Coin, KeyType
from gasmodel.compress import gzip_like_cli, is_gzip
from gasmodel.costs import load_profile
from gasmodel.costs.profile import ChainProfile
from gasmodel.errors import ConfigError
from gasmodel.report import GasReport
from gasmodel.scenario.model import Placeholder, parse_coins, substitute
from gasmodel.txsizer import ClientTxSizer
from gasmodel.vm.chain import Checkpoint, MockChain
from gasmodel.vm.engine import Engine
from gasmodel.vm.runtime import Runtime

__all__ = ["Block", "estimate"]

Message = Mapping[str, Any] | Sequence[Any] | str | bytes | int | float | bool | None
"""A contract message: a JSON value, or its text/bytes (sent as given)."""

_UNSET: Any = object()
_KEEP_DEPLOYMENTS = 8


class _Warm:
    """What one process keeps between estimates: the wasmtime engines and instrumented modules."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.runtimes: dict[bytes, Runtime] = {}
        self.uploads: dict[bytes, bytes] = {}
        self.deployments: dict[str, _Deployed] = {}
        self.profiles: dict[str, tuple[ChainProfile, str]] = {}
        self.tx_sizer = ClientTxSizer()

    def profile(self, chain: str | ChainProfile) -> tuple[ChainProfile, str]:
        """A chain profile (loaded once per name) and a digest of its content."""
        name = chain if isinstance(chain, str) else f"{chain.name}:{id(chain)}"
        got = self.profiles.get(name)
        if got is None:
            profile = load_profile(chain) if isinstance(chain, str) else chain
            got = self.profiles[name] = (
                profile,
                hashlib.sha256(profile.model_dump_json().encode()).hexdigest(),
            )
        return got

    def remember(self, key: str, deployed: _Deployed) -> None:
        """Keep a deployment for later estimates (the last few only)."""
        self.deployments[key] = deployed
        while len(self.deployments) > _KEEP_DEPLOYMENTS:
            self.deployments.pop(next(iter(self.deployments)))

    def gzipped(self, wasm: bytes) -> bytes:
        key = hashlib.sha256(wasm).digest()
        out = self.uploads.get(key)
        if out is None:
            out = self.uploads[key] = gzip_like_cli(wasm)
        return out

    def get_engine(self) -> Engine:
        if self.engine is None:
            self.engine = Engine()
        return self.engine


_WARM = _Warm()


@dataclass(frozen=True)
class Block:
    """The block the messages run in: chain id, height, time (all change gas: the env carries
    them, and the height is stored with each code and contract)."""

    chain_id: str = "gasmodel-1"
    height: int = 1_000_000
    time: datetime = datetime(2026, 1, 1, tzinfo=UTC)


def _coins(value: Sequence[Coin] | str | Mapping[str, int] | None) -> list[Coin]:
    if value is None:
        return []
    if isinstance(value, str):
        try:
            return [Coin.model_validate(c) for c in parse_coins(value)]
        except ValueError as exc:
            raise ConfigError(f"funds: {exc}") from None
    if isinstance(value, Mapping):
        return [Coin(denom=d, amount=a) for d, a in sorted(value.items())]
    return [c if isinstance(c, Coin) else Coin.model_validate(c) for c in value]


def _raw(key_or_value: bytes | str | Any, what: str) -> bytes:
    if isinstance(key_or_value, bytes | bytearray):
        return bytes(key_or_value)
    if isinstance(key_or_value, str):
        return key_or_value.encode()
    try:
        return json.dumps(key_or_value, separators=(",", ":"), ensure_ascii=False).encode()
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"storage {what}: not bytes, text or JSON: {exc}") from None


def estimate(
    wasm: bytes | str | os.PathLike[str],
    *,
    instantiate: Message = _UNSET,
    execute: Message | Sequence[Message] = _UNSET,
    migrate: Message = _UNSET,
    query: Message = _UNSET,
    sender: str = "sender",
    key_type: KeyType | str = KeyType.ETH_SECP256K1,
    funds: Sequence[Coin] | str | Mapping[str, int] | None = None,
    balance: Sequence[Coin] | str | Mapping[str, int] | None = "1000000000000000000000000inj",
    storage: Mapping[bytes | str, bytes | str | Any] | None = None,
    chain: str | ChainProfile = "injective-localnet",
    block: Block | Mapping[str, Any] | None = None,
    gas_limit: int | None = None,
    admin: str | None = None,
    label: str = "contract",
    gzip: bool = True,
    profile: bool = False,
) -> GasReport:
    """The gas of one contract message on a chain profile, offline.

    ``wasm``: the module (bytes, or a path to a ``.wasm``, possibly gzipped). The contract is
    uploaded (gzipped like the wasmd CLI unless ``gzip`` is False) and instantiated with
    ``instantiate`` (default ``{}``); with ``storage`` and no ``instantiate`` the contract is
    created without running ``instantiate`` and starts with exactly that storage. Then every
    ``execute`` message runs in order (a list runs several; ``funds`` go with the last), then
    ``migrate`` (to the same code), then ``query``. The report is that of the last action.

    ``sender`` names the signing account (``key_type``, funded with ``balance``); messages are
    JSON values (dicts, lists, ...) sent compact with key order kept, or text/bytes sent as is;
    ``"$sender"`` in a message's strings is the sender's address.
    ``block``: chain id, height and time (a :class:`Block` or a mapping). ``gas_limit``: the tx's
    limit (default: simulate, then the simulated gas x 1.3, as the project's client does).
    ``profile``: run the reported message under the profiler (same gas; the report gets ``stacks``
    and per-function inclusive gas; see ``docs/profiling.md``).
    """
    data = read_contract(Path(wasm)) if isinstance(wasm, str | os.PathLike) else bytes(wasm)
    chain_profile, digest = _WARM.profile(chain)
    b = block if isinstance(block, Block) else Block(**dict(block or {}))
    executes: list[Message] = []
    if execute is not _UNSET:
        is_list = isinstance(execute, list | tuple)
        executes = list(execute) if is_list else [execute]  # type: ignore[arg-type]
    wants_more = bool(executes) or migrate is not _UNSET or query is not _UNSET
    target_funds = _coins(funds)
    key = _deployment_key(
        data, digest, b, instantiate, sender, key_type, balance, storage, admin, label, gzip
    )
    deployed = _WARM.deployments.get(key) if wants_more else None
    if deployed is None:
        setup = _deploy(
            data,
            chain_profile,
            b,
            instantiate,
            sender,
            key_type,
            balance,
            storage,
            admin,
            label,
            gzip,
            wants_more=wants_more,
            target_funds=target_funds,
            gas_limit=gas_limit,
            profiling=profile,
        )
        if isinstance(setup, GasReport):
            return setup
        deployed = setup
        if wants_more:
            _WARM.remember(key, deployed)
    mock, addr, code_id, contract, checkpoint = deployed
    execute, migrate, query = (_with_sender(m, addr) for m in (executes, migrate, query))
    mock.profiling = profile
    try:
        return _run_messages(
            mock, sender, contract, code_id, execute, migrate, query, target_funds, gas_limit
        )
    finally:
        mock.profiling = False
        mock.restore(checkpoint)


_Deployed = tuple[MockChain, str, int, str, Checkpoint]


def _deployment_key(data: bytes, profile_digest: str, block: Block, *args: Any) -> str:
    """What identifies a deployment (upload + instantiate) that later estimates can start from."""
    h = hashlib.sha256(data)
    h.update(profile_digest.encode())
    h.update(repr(block).encode())
    h.update(repr(args).encode())
    return h.hexdigest()


def _deploy(
    data: bytes,
    profile: ChainProfile,
    b: Block,
    instantiate: Message,
    sender: str,
    key_type: KeyType | str,
    balance: Any,
    storage: Mapping[bytes | str, Any] | None,
    admin: str | None,
    label: str,
    gzip: bool,
    *,
    wants_more: bool,
    target_funds: list[Coin],
    gas_limit: int | None,
    profiling: bool = False,
) -> _Deployed | GasReport:
    """A fresh mock chain with the contract uploaded and instantiated (or the report that ends it)."""
    mock = MockChain(
        profile,
        tx_sizer=_WARM.tx_sizer,
        first_account_number=1,  # a fresh localnet: the validator's account is the first
        fee_receiver_balance=LOCALNET_GENTX_GAS * DEFAULT_GAS_PRICE,  # its genesis tx's fee
        chain_id=b.chain_id,
        height=b.height,
        time=b.time,
        engine=_WARM.get_engine(),
        runtimes=_WARM.runtimes,
    )
    addr = mock.add_account(sender, key_type=key_type, balance=_coins(balance))
    upload = _WARM.gzipped(data) if gzip and not is_gzip(data) else data
    instantiate = _with_sender(instantiate, addr)
    report = mock.store_code(sender, upload)
    if (
        not report.ok
        or report.code_id is None
        or (instantiate is _UNSET and storage is None and not wants_more)
    ):
        return report
    code_id = report.code_id
    mock.profiling = profiling and not wants_more
    if instantiate is _UNSET and storage is not None:
        contract = mock.create_contract(code_id, creator=addr, admin=admin or addr, label=label)
    else:
        report = mock.instantiate(
            sender,
            code_id,
            {} if instantiate is _UNSET else instantiate,
            label=label,
            admin=admin or addr,
            funds=[] if wants_more else target_funds,
            gas_limit=None if wants_more else gas_limit,
        )
        if not report.ok or report.contract_address is None or (not wants_more and storage is None):
            return report
        contract = report.contract_address
    mock.profiling = False
    for k, v in (storage or {}).items():
        mock.set_storage(contract, _raw(k, "key"), _raw(v, "value"))
    if not wants_more:
        return report
    return mock, addr, code_id, contract, mock.checkpoint()


def _run_messages(
    mock: MockChain,
    sender: str,
    contract: str,
    code_id: int,
    executes: Any,
    migrate: Any,
    query: Any,
    funds: list[Coin],
    gas_limit: int | None,
) -> GasReport:
    report: GasReport | None = None
    for i, msg in enumerate(executes):
        last = i == len(executes) - 1 and migrate is _UNSET and query is _UNSET
        report = mock.execute(
            sender,
            contract,
            msg,
            funds=funds if i == len(executes) - 1 else [],
            gas_limit=gas_limit if last else None,
        )
        if not report.ok and not last:
            return report
    if migrate is not _UNSET:
        report = mock.migrate(
            sender, contract, code_id, migrate, gas_limit=gas_limit if query is _UNSET else None
        )
        if not report.ok and query is not _UNSET:
            return report
    if query is not _UNSET:
        report = mock.query(contract, query, gas_limit=gas_limit)
    assert report is not None
    return report


def _with_sender(msg: Any, address: str) -> Any:
    """``$sender`` in a message's strings becomes the sender's address (``$$`` is a literal ``$``)."""
    if msg is _UNSET or isinstance(msg, bytes | bytearray):
        return msg

    def lookup(ph: Placeholder) -> str:
        if ph.kind != "sender":
            raise ConfigError(f"${ph.text}: only $sender can be used in an estimate's messages")
        return address

    return substitute(msg, lookup)


def read_message(text: str, what: str) -> Any:
    """A message given as JSON text (the CLI's arguments); ConfigError naming ``what`` otherwise."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"{what}: not JSON ({exc.msg} at line {exc.lineno} column {exc.colno}): {text[:80]!r}"
        ) from None


def read_wasm(path: str | Path) -> bytes:
    """A contract's bytes from a file (the CLI)."""
    return read_contract(path)
