"""A mock chain for one :class:`~gasmodel.costs.profile.ChainProfile`: state, transactions, gas.

:class:`MockChain` keeps what a wasmd chain keeps - codes (checksum, code id), contracts
(addresses as the profile derives them, storage, admin, label, creation height), bank balances,
accounts (number, sequence, key type), the block (chain id, height, time) - and runs
transactions the way wasmd v0.53 does (``x/wasm/keeper/keeper.go``, ``msg_dispatcher.go``,
``query_plugins.go``, CosmWasm/wasmd@v0.53.3): store / instantiate / execute / migrate / sudo,
sub-messages with ``reply_on`` and state revert on failure, replies, bank sends (from accounts
and from contracts), events, and the queries a contract makes (bank balances, smart and raw
queries into other contracts, each with its own gas meter, as ``QueryHandler.Query``).

Every transaction is priced on an SDK gas meter (:class:`gasmodel.vm.meter.SdkGasMeter`): the
ante handler and the keeper's own store operations (:mod:`gasmodel.vm.keeper`), the setup cost
of each contract call, the contract's run on the instrumented VM (:mod:`gasmodel.vm.runtime`
with the ``env`` imports of :mod:`gasmodel.vm.host`), its storage gas on the prefixed keys,
events and replies. The result of each action is a :class:`~gasmodel.report.GasReport`.

Gas limits: like the project's chain client, a tx without a ``gas_limit`` is first simulated
(on a snapshot of the state, rolled back; the probe tx carries the simulation limit, and a
simulation runs without wasmd's tx counter) and then delivered with ``ceil(simulated x margin)``
(at most the simulation limit); a failed simulation falls back to ``fallback_gas_limit``. The fee
is ``limit x gas_price`` (paying it changes balances, so the gas of later txs).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from gasmodel.accounts import address_bytes, derive_private_key, public_key_compressed
from gasmodel.chaintypes import (
    DEFAULT_DENOM,
    DEFAULT_FALLBACK_GAS_LIMIT,
    DEFAULT_GAS_MARGIN,
    DEFAULT_GAS_PRICE,
    ChainInfo,
    ChainVersions,
    Coin,
    Event,
    EventAttribute,
    KeyType,
    QueryResult,
    TxResult,
    gas_limit_from_simulation,
)
from gasmodel.compress import is_gzip
from gasmodel.costs import load_profile
from gasmodel.costs.profile import ChainProfile
from gasmodel.errors import ConfigError, GasmodelError
from gasmodel.report import Category, ContractCall, FunctionGas, GasReport, Outcome, StackGas, Timings
from gasmodel.vm import ante, keeper, wasmd
from gasmodel.vm.addresses import Bech32Api, bech32_encode, canonicalize, contract_address
from gasmodel.vm.callstack import OUT_OF_GAS, CallTree
from gasmodel.vm.chainstate import AccountState, Block, ContractState, Journal, StoredCode
from gasmodel.vm.context import VmAbort
from gasmodel.vm.engine import Engine
from gasmodel.vm.env import Coin as EnvCoin
from gasmodel.vm.env import Env, MessageInfo, MsgResponse, Reply, SubMsgResult
from gasmodel.vm.env import Event as EnvEvent
from gasmodel.vm.host import HostOptions, make_imports
from gasmodel.vm.meter import OutOfGas, SdkGasMeter
from gasmodel.vm.runtime import CallResult, Runtime
from gasmodel.vm.storage import ContractStorage
from gasmodel.vm.upload_check import check_upload
from gasmodel.wasm.demangle import demangle
from gasmodel.wasm.types import Module

__all__ = ["Checkpoint", "MockChain", "TxError"]

DEFAULT_SIMULATION_LIMIT = 30_000_000
_MAX_UPLOAD = 3 * 1024 * 1024


class TxError(Exception):
    """A message failed as the chain reports it: ABCI ``code``, ``codespace`` and the error chain."""

    def __init__(self, code: int, codespace: str, message: str, outcome: Outcome = "contract_error") -> None:
        self.code = code
        self.codespace = codespace
        self.message = message
        self.outcome = outcome
        super().__init__(message)

    def wrap(self, prefix: str) -> TxError:
        """``errorsmod.Wrap(err, prefix)``: the same code, ``"prefix: message"``."""
        return TxError(self.code, self.codespace, f"{prefix}: {self.message}", self.outcome)


# wasmd x/wasm/types/errors.go (v0.53.3), codespace "wasm"
_ERR = {
    "create": (2, "create wasm contract failed"),
    "instantiate": (4, "instantiate wasm contract failed"),
    "execute": (5, "execute wasm contract failed"),
    "query": (9, "query wasm contract failed"),
    "migrate": (11, "migrate wasm contract failed"),
    "no_contract": (22, "no such contract"),
    "no_code": (28, "no such code"),
    "vm": (29, "wasmvm error"),
    "max_call_depth": (30, "max call depth exceeded"),
    "max_query_stack": (27, "max query stack size exceeded"),
    "invalid_event": (21, "invalid event"),
    "unknown_msg": (20, "unknown message from the contract"),
}
# cosmos-sdk types/errors
_SDK_UNAUTHORIZED = 4
_SDK_INSUFFICIENT_FUNDS = 5
_SDK_INVALID_ADDRESS = 7
_SDK_INVALID_REQUEST = 18
_SDK_OUT_OF_GAS = 11


def _wasm_error(kind: str, detail: str, outcome: Outcome = "contract_error") -> TxError:
    code, text = _ERR[kind]
    return TxError(code, "wasm", f"{detail}: {text}" if detail else text, outcome)


def _sdk_error(code: int, message: str, outcome: Outcome = "rejected") -> TxError:
    return TxError(code, "sdk", message, outcome)


def _b64(data: bytes | None) -> str | None:
    return base64.b64encode(data).decode() if data else None


def _json_bytes(msg: Any) -> bytes:
    """The bytes a contract receives for a JSON message: compact, key order kept, UTF-8."""
    if isinstance(msg, bytes | bytearray):
        return bytes(msg)
    if isinstance(msg, str):
        return msg.encode()
    return json.dumps(msg, separators=(",", ":"), ensure_ascii=False).encode()


# wasmtime's messages when the process cannot map an instance's memory (an address-space limit)
_HOST_RESOURCE_FAILURES = ("mmap failed", "failed to reserve", "Cannot allocate memory")


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


@dataclass
class _TxCtx:
    """The state of one tx (or one outside query) while it runs."""

    meter: SdkGasMeter
    simulate: bool = False
    events: list[Event] = field(default_factory=list)
    calls: list[ContractCall] = field(default_factory=list)
    histogram: Counter[str] = field(default_factory=Counter)
    categories: Counter[str] = field(default_factory=Counter)
    imports: Counter[str] = field(default_factory=Counter)
    functions: dict[tuple[str, int], list[Any]] = field(default_factory=dict)
    stacks: list[StackGas] = field(default_factory=list)
    checksums: set[bytes] = field(default_factory=set)
    tx_contracts: set[bytes] | None = None
    """wasmd's ``TxContracts`` (v0.54+): checksums already loaded in this tx; None outside a tx."""
    depth: int = 0
    query_depth: int = 0
    run_seconds: float = 0.0
    in_tx: bool = True


@dataclass(frozen=True)
class Checkpoint:
    """What :meth:`MockChain.checkpoint` keeps."""

    state: tuple[int, dict[str, int]]
    block: Block


@dataclass(frozen=True)
class _SubMsg:
    id: int
    msg: dict[str, Any]
    reply_on: str
    gas_limit: int | None
    payload: bytes


@dataclass
class _Response:
    messages: list[_SubMsg]
    attributes: list[tuple[str, str]]
    events: list[tuple[str, list[tuple[str, str]]]]
    data: bytes | None


class MockChain:
    """A chain in memory, priced by a chain profile.

    >>> chain = MockChain("injective-localnet")                       # doctest: +SKIP
    >>> alice = chain.add_account("alice", balance=[Coin(denom="inj", amount=10**21)])
    >>> code = chain.store_code("alice", wasm).code_id
    >>> addr = chain.instantiate("alice", code, {"count": 0}).contract_address
    >>> chain.execute("alice", addr, {"increment": {}}).gas_used
    """

    kind = "mock"

    def __init__(
        self,
        profile: str | ChainProfile = "injective-localnet",
        *,
        chain_id: str = "gasmodel-1",
        height: int = 1_000_000,
        time: datetime | None = None,
        block_seconds: float = 1.0,
        denom: str = DEFAULT_DENOM,
        gas_price: int = DEFAULT_GAS_PRICE,
        gas_margin: float = DEFAULT_GAS_MARGIN,
        fallback_gas_limit: int = DEFAULT_FALLBACK_GAS_LIMIT,
        simulation_gas_limit: int = DEFAULT_SIMULATION_LIMIT,
        key_seed: str = "gasmodel",
        first_account_number: int = 0,
        fee_receiver_balance: int = 0,
        tx_sizer: keeper.TxSizer | None = None,
        engine: Engine | None = None,
        runtimes: dict[bytes, Runtime] | None = None,
    ) -> None:
        self.profile = profile if isinstance(profile, ChainProfile) else load_profile(profile)
        costs = self.profile.costs
        if costs.wasmd is None or costs.store is None:  # pragma: no cover - the profile validates this
            raise ConfigError(f"profile {self.profile.name}: no wasmd/store costs")
        self.wasmd = costs.wasmd
        self.store_costs = costs.store
        self.block = Block(chain_id=chain_id, height=height, time=time or datetime(2026, 1, 1, tzinfo=UTC))
        self.block_seconds = block_seconds
        self.denom = denom
        self.gas_price = gas_price
        self.gas_margin = gas_margin
        self.fallback_gas_limit = fallback_gas_limit
        self.simulation_gas_limit = simulation_gas_limit
        self.key_seed = key_seed
        self.engine = engine if engine is not None else Engine()
        self.api = Bech32Api(self.profile.address, self.wasmd)
        self.prefix = self.profile.address.bech32_prefix
        self.accounts: dict[str, AccountState] = {}
        self.names: dict[str, str] = {}
        self.balances: dict[tuple[str, str], int] = {}
        self.codes: dict[int, StoredCode] = {}
        self.contracts: dict[str, ContractState] = {}
        self.sequences: dict[str, int] = {
            "code_id": 1,
            "instance_id": 1,
            "account_number": first_account_number,
        }
        self._journal = Journal()
        self._runtimes: dict[bytes, Runtime] = runtimes if runtimes is not None else {}
        self._compile_seconds = 0.0
        """Time spent instrumenting and compiling modules (reported per tx, then reset)."""
        self._costs_key = hashlib.sha256(self.profile.costs.model_dump_json().encode()).digest()
        self._reports: dict[str, GasReport] = {}
        self._signers: dict[str, bytes] = {}
        self.fee_receiver = "fee-receiver"
        """Where fees go (a module account; only its balance matters to the gas)."""
        if fee_receiver_balance:
            self.balances[(self.fee_receiver, denom)] = fee_receiver_balance
        self.keeper = keeper.Keeper(self.profile, tx_sizer)
        self.profiling = False
        """Run contracts with the profiler's instrumentation: reports get ``stacks`` and
        per-function inclusive gas (same gas, slower)."""

    # ------------------------------------------------------------------ accounts and balances
    def add_account(
        self,
        name: str,
        *,
        key_type: KeyType | str = KeyType.ETH_SECP256K1,
        balance: Sequence[Coin] = (),
        address: str | None = None,
    ) -> str:
        """A named account, funded (genesis-style, no gas); its key is derived like the localnet's
        (``key_seed``) unless ``address`` is given. Returns the address."""
        kt = KeyType(key_type)
        if address is None:
            priv = derive_private_key(name, kt, self.key_seed)
            pub = public_key_compressed(priv)
            canonical = address_bytes(priv, kt)
            address = bech32_encode(self.prefix, canonical)
        else:
            canonical = self._canonical(address)
            # a key of the right length (what the tx carries and the account stores; not a real key)
            pub = b"\x02" + hashlib.sha256(canonical).digest()
        self._signers[address] = pub
        self._new_account(address, canonical, key_type=kt, name=name)
        self.names[name] = address
        for c in balance:
            self._add_balance(address, c.denom, c.amount)
        return address

    def address_of(self, account: str) -> str:
        """The address of a named account (or the address itself)."""
        if account in self.names:
            return self.names[account]
        if account in self.accounts:
            return account
        raise ConfigError(f"unknown account {account!r}; known: {', '.join(self.names) or 'none'}")

    def balance(self, address: str, denom: str | None = None) -> int:
        """The balance of one denom (the fee denom by default) of an account name or any address."""
        who = self.names.get(address, address)
        self._canonical(who)  # ConfigError if it is neither a name nor an address of this chain
        return self.balances.get((who, denom or self.denom), 0)

    def set_balance(self, address: str, coin: Coin) -> None:
        """Set a balance directly (no gas)."""
        self.balances[(self.address_of(address), coin.denom)] = coin.amount

    def _canonical(self, address: str) -> bytes:
        try:
            return canonicalize(self.prefix, address)
        except ValueError as exc:
            raise ConfigError(f"not an address of this chain ({self.prefix}): {address!r}: {exc}") from None

    def _new_account(self, address: str, canonical: bytes, **kw: Any) -> AccountState:
        number = self.sequences["account_number"]
        self._journal.set(self.sequences, "account_number", number + 1)
        acc = AccountState(address=address, canonical=canonical, account_number=number, **kw)
        self._journal.set(self.accounts, address, acc)
        return acc

    def _add_balance(self, address: str, denom: str, amount: int) -> None:
        key = (address, denom)
        self._journal.set(self.balances, key, self.balances.get(key, 0) + amount)

    def _sub_balance(self, address: str, denom: str, amount: int) -> None:
        key = (address, denom)
        have = self.balances.get(key, 0)
        if have < amount:
            raise _sdk_error(
                _SDK_INSUFFICIENT_FUNDS,
                f"spendable balance {have}{denom} is smaller than {amount}{denom}: insufficient funds",
                "contract_error",
            )
        self._journal.set(self.balances, key, have - amount)

    # ------------------------------------------------------------------------- snapshots
    def _snapshot(self) -> tuple[int, dict[str, int]]:
        return self._journal.mark(), {a: c.storage.snapshot() for a, c in self.contracts.items()}

    def _rollback(self, snap: tuple[int, dict[str, int]]) -> None:
        mark, storages = snap
        for address, contract in self.contracts.items():
            if address in storages:
                contract.storage.rollback(storages[address])
        self._journal.rollback(mark)

    # -------------------------------------------------------------------------- the block
    def _next_block(self) -> None:
        self.block.height += 1
        self.block.time = self.block.time + timedelta(seconds=self.block_seconds)
        self.block.tx_index = 0

    def set_block(
        self, *, height: int | None = None, time: datetime | None = None, chain_id: str | None = None
    ) -> None:
        """Move the block (the next tx runs in the block after it)."""
        if height is not None:
            self.block.height = height
        if time is not None:
            self.block.time = time
        if chain_id is not None:
            self.block.chain_id = chain_id

    # ----------------------------------------------------------------------------- txs
    def store_code(self, sender: str, wasm: bytes, *, gas_limit: int | None = None) -> GasReport:
        """``MsgStoreCode`` (``wasm`` as uploaded: gzipped or not)."""
        wasm = bytes(wasm)
        return self._tx(
            sender,
            "store",
            keeper.MsgStoreCode(wasm_len=len(wasm), wasm=wasm),
            lambda ctx, acc: self._do_store(ctx, acc, wasm),
            gas_limit,
            target=None,
        )

    def instantiate(
        self,
        sender: str,
        code_id: int,
        msg: Any,
        *,
        label: str = "contract",
        admin: str | None = None,
        funds: Sequence[Coin] = (),
        gas_limit: int | None = None,
    ) -> GasReport:
        """``MsgInstantiateContract``."""
        body = _json_bytes(msg)
        spec = keeper.MsgInstantiate(
            code_id=code_id, label=label, admin=admin or "", msg=body, funds=tuple(funds)
        )
        return self._tx(
            sender,
            "instantiate",
            spec,
            lambda ctx, acc: self._do_instantiate(
                ctx, acc.address, code_id, body, label, admin, tuple(funds)
            ),
            gas_limit,
            target=f"code {code_id}",
        )

    def execute(
        self,
        sender: str,
        contract: str,
        msg: Any,
        *,
        funds: Sequence[Coin] = (),
        gas_limit: int | None = None,
    ) -> GasReport:
        """``MsgExecuteContract``."""
        body = _json_bytes(msg)
        spec = keeper.MsgExecute(contract=contract, msg=body, funds=tuple(funds))
        return self._tx(
            sender,
            "execute",
            spec,
            lambda ctx, acc: self._do_execute(ctx, acc.address, contract, body, tuple(funds)),
            gas_limit,
            target=contract,
        )

    def migrate(
        self, sender: str, contract: str, code_id: int, msg: Any, *, gas_limit: int | None = None
    ) -> GasReport:
        """``MsgMigrateContract`` (the sender must be the contract's admin)."""
        body = _json_bytes(msg)
        spec = keeper.MsgMigrate(contract=contract, code_id=code_id, msg=body)
        return self._tx(
            sender,
            "migrate",
            spec,
            lambda ctx, acc: self._do_migrate(ctx, acc.address, contract, code_id, body),
            gas_limit,
            target=f"{contract} -> code {code_id}",
        )

    def bank_send(
        self, sender: str, to: str, amount: Sequence[Coin], *, gas_limit: int | None = None
    ) -> GasReport:
        """``MsgSend``."""
        coins = tuple(amount)
        spec = keeper.MsgSend(to=to, amount=coins)
        return self._tx(
            sender,
            "bank_send",
            spec,
            lambda ctx, acc: self._do_bank_send(ctx, acc.address, to, coins),
            gas_limit,
            target=to,
        )

    def sudo(self, contract: str, msg: Any, *, gas_limit: int | None = None) -> GasReport:
        """Call a contract's ``sudo`` as a chain module would (no tx: no ante, no fee)."""
        body = _json_bytes(msg)
        meter = SdkGasMeter(limit=gas_limit if gas_limit is not None else 2**63)
        ctx = _TxCtx(meter=meter)
        self._next_block()
        return self._outside_tx(ctx, "sudo", contract, lambda: self._do_sudo(ctx, contract, body))

    def query(self, contract: str, msg: Any, *, gas_limit: int | None = None) -> GasReport:
        """A smart query as the gRPC endpoint runs it (gas limit: the profile's ``query_gas_limit``)."""
        body = _json_bytes(msg)
        limit = gas_limit if gas_limit is not None else self.profile.runtime.query_gas_limit
        ctx = _TxCtx(meter=SdkGasMeter(limit=limit), in_tx=False)
        snap = self._snapshot()
        try:
            return self._outside_tx(ctx, "query", contract, lambda: self._query_smart(ctx, contract, body))
        finally:
            self._rollback(snap)

    def raw_query(self, contract: str, key: bytes) -> bytes | None:
        """A raw read of one key of a contract's storage (no gas)."""
        c = self._contract(contract)
        value, _ = c.storage.get(key)
        return value

    def create_contract(
        self, code_id: int, *, creator: str, admin: str | None = None, label: str = "contract"
    ) -> str:
        """A contract of a stored code without running ``instantiate`` (as a genesis import does:
        no gas, empty storage); its address is the one the next instantiate would get."""
        code = self.codes.get(code_id)
        if code is None:
            raise ConfigError(f"no code with id {code_id}")
        instance_id = self.sequences["instance_id"]
        self.sequences["instance_id"] = instance_id + 1
        canonical = contract_address(code_id, instance_id, self.profile.address.contract_length)
        address = bech32_encode(self.prefix, canonical)
        self._new_account(address, canonical)
        creator_address = self.address_of(creator)
        self.contracts[address] = ContractState(
            address=address,
            canonical=canonical,
            code_id=code_id,
            creator=creator_address,
            admin=self.address_of(admin) if admin else None,
            label=label,
            created_height=self.block.height,
            created_tx_index=self.block.tx_index,
            storage=ContractStorage(canonical, self.store_costs),
            history=[("init", code_id, self.block.height, b"{}")],
        )
        return address

    def checkpoint(self) -> Checkpoint:
        """A point to :meth:`restore` the whole chain to (state, block)."""
        return Checkpoint(self._snapshot(), replace(self.block))

    def restore(self, checkpoint: Checkpoint) -> None:
        """Undo everything since ``checkpoint`` was taken (txs, accounts, block)."""
        self._rollback(checkpoint.state)
        self.block = replace(checkpoint.block)

    def set_storage(self, contract: str, key: bytes, value: bytes) -> None:
        """Write one key of a contract's storage directly (no gas)."""
        self._contract(contract).storage.set(key, value)

    def storage(self, contract: str) -> list[tuple[bytes, bytes]]:
        """A contract's storage, in key order."""
        return self._contract(contract).storage.items()

    def report_for(self, tx_hash: str) -> GasReport | None:
        """The report of a tx this chain ran."""
        return self._reports.get(tx_hash)

    # ------------------------------------------------------------------ the tx frame
    def _tx(
        self,
        sender: str,
        action: str,
        spec: keeper.TxMsg,
        handler: Any,
        gas_limit: int | None,
        target: str | None,
    ) -> GasReport:
        t0 = time.perf_counter()
        address = self.address_of(sender)
        account = self.accounts.get(address)
        if account is None or account.key_type is None:
            raise ConfigError(f"{sender!r} is not an account that can sign")
        simulated: int | None = None
        limit = gas_limit
        if limit is None:
            snap = self._snapshot()
            # the localnet client's probe tx carries its maximum gas limit (the simulation limit)
            probe = self.simulation_gas_limit or self.fallback_gas_limit
            try:
                sim = self._deliver(
                    account,
                    action,
                    spec,
                    handler,
                    self.simulation_gas_limit,
                    probe,
                    simulate=True,
                    target=target,
                )
            finally:
                self._rollback(snap)
            if sim.ok:
                simulated = sim.gas_used
                limit = gas_limit_from_simulation(simulated, self.gas_margin, self.simulation_gas_limit)
            else:
                limit = self.fallback_gas_limit
        self._next_block()
        report = self._deliver(
            self.accounts[address], action, spec, handler, limit, limit, simulate=False, target=target
        )
        if simulated is not None:
            report = report.model_copy(update={"simulated_gas": simulated})
        total = (time.perf_counter() - t0) * 1000
        report = report.model_copy(
            update={
                "timings": Timings(
                    total_ms=total, run_ms=report.timings.run_ms, compile_ms=report.timings.compile_ms
                )
            }
        )
        if report.tx_hash is not None:
            self._reports[report.tx_hash] = report
        return report

    def _deliver(
        self,
        account: AccountState,
        action: str,
        spec: keeper.TxMsg,
        handler: Any,
        meter_limit: int,
        fee_limit: int,
        *,
        simulate: bool,
        target: str | None,
    ) -> GasReport:
        meter = SdkGasMeter(limit=meter_limit)
        # a simulation runs without wasmd's tx counter: contracts see no env.transaction
        ctx = _TxCtx(meter=meter, simulate=simulate, in_tx=not simulate, tx_contracts=set())
        fee = Coin(denom=self.denom, amount=fee_limit * self.gas_price)
        tx_size = self.keeper.tx_size(account, spec, fee, fee_limit, self.block.chain_id)
        outcome: Outcome = "ok"
        code, codespace, log = 0, "", ""
        result: Any = None
        try:
            self._ante(meter, account, fee, tx_size, simulate=simulate)
            # wasmd and the SDK run the message in a cache: its state goes when it fails
            snap = self._snapshot()
            try:
                result = handler(ctx, self.accounts[account.address])
                if not simulate:  # the SDK tags every event of a message with its index in the tx
                    ctx.events[:] = [_tagged(e) for e in ctx.events]
            except TxError as exc:
                self._rollback(snap)
                code, codespace, outcome = exc.code, exc.codespace, exc.outcome
                log = f"failed to execute message; message index: 0: {exc.message}"
            except OutOfGas:
                self._rollback(snap)
                raise
        except OutOfGas as exc:
            code, codespace, outcome = _SDK_OUT_OF_GAS, "sdk", "out_of_gas"
            log = (
                f"out of gas in location: {exc.descriptor}; gasWanted: {fee_limit}, "
                f"gasUsed: {meter.consumed_to_limit}: out of gas"
            )
        if simulate:  # only its gas and outcome are used: no breakdown
            return GasReport(
                profile=self.profile.name,
                action=action,
                ok=code == 0,
                outcome=outcome,
                code=code,
                gas_used=meter.consumed_to_limit,
                gas_limit=fee_limit,
                complete=True,
            )
        report = self._report(
            ctx, action, target, outcome, code, codespace, log, result, gas_limit=fee_limit, tx_size=tx_size
        )
        if not simulate:
            tx_hash = (
                hashlib.sha256(f"{self.block.height}:{account.address}:{account.sequence}".encode())
                .hexdigest()
                .upper()
            )
            report = report.model_copy(update={"height": self.block.height, "tx_hash": tx_hash})
        return report

    def _ante(
        self, meter: SdkGasMeter, account: AccountState, fee: Coin, tx_size: int | None, *, simulate: bool
    ) -> None:
        """The ante handler: its gas, then its state changes (fee paid, public key, sequence)."""
        payer = self.balances.get((account.address, fee.denom), 0)
        receiver = self.balances.get((self.fee_receiver, fee.denom), 0)
        items, _result = self.keeper.ante(
            account,
            self._signers[account.address],
            fee,
            tx_size,
            payer_balance=payer,
            fee_receiver_balance=receiver,
            tx_counter_exists=True,
            simulate=simulate,
        )
        self._charge(meter, items)
        if payer < fee.amount:
            raise _sdk_error(
                _SDK_INSUFFICIENT_FUNDS, f"{payer}{fee.denom} is smaller than {fee}: insufficient funds"
            )
        self._journal.set(self.balances, (account.address, fee.denom), payer - fee.amount)
        self._journal.set(self.balances, (self.fee_receiver, fee.denom), receiver + fee.amount)
        self._journal.set(
            self.accounts,
            account.address,
            replace(
                account,
                sequence=account.sequence + 1,
                public_key=account.public_key or self._signers[account.address],
            ),
        )

    def _outside_tx(self, ctx: _TxCtx, action: str, target: str, run: Any) -> GasReport:
        t0 = time.perf_counter()
        outcome: Outcome = "ok"
        code, codespace, log = 0, "", ""
        result: Any = None
        try:
            result = run()
        except TxError as exc:
            code, codespace, outcome, log = exc.code, exc.codespace, exc.outcome, exc.message
        except OutOfGas as exc:
            code, codespace, outcome = _SDK_OUT_OF_GAS, "sdk", "out_of_gas"
            log = f"out of gas in location: {exc.descriptor}"
        report = self._report(
            ctx,
            action,
            target,
            outcome,
            code,
            codespace,
            log,
            result,
            gas_limit=ctx.meter.limit,
            tx_size=None,
        )
        return report.model_copy(
            update={
                "timings": Timings(
                    total_ms=(time.perf_counter() - t0) * 1000,
                    run_ms=report.timings.run_ms,
                    compile_ms=report.timings.compile_ms,
                )
            }
        )

    def _report(
        self,
        ctx: _TxCtx,
        action: str,
        target: str | None,
        outcome: Outcome,
        code: int,
        codespace: str,
        log: str,
        result: Any,
        *,
        gas_limit: int,
        tx_size: int | None,
    ) -> GasReport:
        meter = ctx.meter
        extra: dict[str, Any] = {}
        if isinstance(result, dict):
            extra = result
        functions = [
            FunctionGas(
                contract=k[0],
                index=k[1],
                name=v[0],
                display=demangle(v[0]),
                calls=v[1],
                self_cw_gas=v[2],
                inclusive_cw_gas=v[3] if len(v) > 3 else None,
            )
            for k, v in ctx.functions.items()
        ]
        functions.sort(key=lambda f: -f.self_cw_gas)
        unpriced = meter.unpriced()
        return GasReport(
            profile=self.profile.name,
            action=action,
            target=target,
            ok=code == 0,
            outcome=outcome,
            code=code,
            codespace=codespace,
            error=log or None,
            gas_used=meter.consumed_to_limit,
            gas_limit=gas_limit,
            complete=not unpriced,
            unpriced=unpriced,
            vm_cw_gas=sum(c.vm_cw_gas for c in ctx.calls),
            vm_sdk_gas=sum(c.vm_sdk_gas for c in ctx.calls),
            breakdown=meter.items(),
            calls=ctx.calls,
            histogram=dict(ctx.histogram),
            categories=dict(ctx.categories),
            functions=functions,
            stacks=ctx.stacks,
            imports=dict(ctx.imports),
            events=ctx.events if code == 0 else [],
            tx_size=tx_size,
            height=self.block.height,
            timings=Timings(total_ms=0.0, run_ms=ctx.run_seconds * 1000, compile_ms=self._take_compile_ms()),
            **extra,
        )

    # ---------------------------------------------------------------- message handlers
    def _charge(self, meter: SdkGasMeter, charges: Sequence[keeper.Item]) -> None:
        """Consume charges in order, each in its report category; unpriced ones are noted by name."""
        for c in charges:
            if isinstance(c, keeper.Unpriced):
                meter.note_unpriced(_category(c.name), c.name, note=c.note)
            else:
                meter.consume(c.gas, _category(c.name), c.name)

    def _priced(self, meter: SdkGasMeter, items: Sequence[keeper.Item]) -> list[wasmd.Charge]:
        """The priced items (to pass on); the unpriced ones are noted now."""
        self._charge(meter, [i for i in items if isinstance(i, keeper.Unpriced)])
        return [i for i in items if isinstance(i, wasmd.Charge)]

    def _stored_code(self, code: StoredCode) -> wasmd.StoredCode:
        return wasmd.StoredCode(code_id=code.code_id, checksum=code.checksum, creator=code.creator,
                                pinned=code.pinned)

    def _stored_contract(self, c: ContractState) -> wasmd.StoredContract:
        last = c.history[-1] if c.history else None
        last_len = 0
        if last is not None:
            op, code_id, height, msg = last
            last_len = len(
                wasmd.history_entry_bytes(
                    wasmd.HISTORY_INIT if op == "init" else wasmd.HISTORY_MIGRATE,
                    code_id,
                    height,
                    c.created_tx_index,
                    msg,
                )
            )
        return wasmd.StoredContract(
            address=c.canonical,
            code_id=c.code_id,
            creator=c.creator,
            admin=c.admin or "",
            label=c.label,
            created_height=c.created_height,
            created_tx_index=c.created_tx_index,
            last_history_len=last_len,
            history_entries=max(1, len(c.history)),
        )

    def _do_store(self, ctx: _TxCtx, account: AccountState, wasm: bytes) -> dict[str, Any]:
        meter = ctx.meter
        gzipped = is_gzip(wasm)
        code = _gunzip(wasm, self.profile.max_wasm_size) if gzipped else wasm
        checksum = hashlib.sha256(code).digest()
        code_id = self.sequences["code_id"]
        charges = wasmd.store_code_charges(
            self.profile,
            uploaded_len=len(wasm),
            wasm_len=len(code),
            gzipped=gzipped,
            code_id=code_id,
            checksum=checksum,
            creator=account.address,
            first_code=code_id == 1,
        )
        # wasmvm StoreCode charges the compile cost before (and whether or not) the code compiles
        upto = next(i for i, c in enumerate(charges) if c.name == "wasm: compile") + 1
        self._charge(meter, charges[:upto])
        problem = self._check_code(code)
        if problem is not None:
            raise _wasm_error(
                "create", f"Error calling the VM: Error during static Wasm validation: {problem}"
            )
        self._charge(meter, charges[upto:])
        self._journal.set(self.sequences, "code_id", code_id + 1)
        self._journal.set(
            self.codes, code_id, StoredCode(code_id, checksum, code, account.address, self.block.height)
        )
        ctx.events.append(
            _event("store_code", [("code_checksum", checksum.hex()), ("code_id", str(code_id))])
        )
        return {"code_id": code_id, "checksum": checksum.hex()}

    def _check_code(self, code: bytes) -> str | None:
        problem = check_upload(code, self.profile)
        if problem is not None:
            return problem
        try:
            self._runtime_for(code)
        except GasmodelError as exc:
            return str(exc)
        return None

    def _do_instantiate(
        self,
        ctx: _TxCtx,
        creator: str,
        code_id: int,
        msg: bytes,
        label: str,
        admin: str | None,
        funds: tuple[Coin, ...],
    ) -> dict[str, Any]:
        meter = ctx.meter
        code = self.codes.get(code_id)
        if code is None:
            self._charge(meter, [wasmd.setup_cost(self.profile, "instantiate", len(msg))])
            raise _wasm_error("no_code", f"code id {code_id}").wrap(f"code id {code_id}")
        instance_id = self.sequences["instance_id"]
        canonical = contract_address(code_id, instance_id, self.profile.address.contract_length)
        address = bech32_encode(self.prefix, canonical)
        creator_canonical = (
            self.accounts[creator].canonical if creator in self.accounts else self._canonical(creator)
        )
        new_account = self._priced(
            meter, self.keeper.new_account_charges(address, canonical, self.sequences["account_number"])
        )
        transfer: list[wasmd.Charge] = []
        before, after = wasmd.instantiate_charges(
            self.profile,
            code=self._stored_code(code),
            contract=canonical,
            creator=creator_canonical,
            creator_bech32=creator,
            admin=admin or "",
            label=label,
            msg=msg,
            height=self.block.height,
            tx_index=self.block.tx_index,
            first_instance=instance_id == 1,
            new_account=new_account,
            funds_transfer=transfer,
            loaded_in_tx=self._loaded_in_tx(ctx, code.checksum, code.pinned),
        )
        self._charge(meter, before)
        self._journal.set(self.sequences, "instance_id", instance_id + 1)
        self._new_account(address, canonical)
        if funds:
            self._transfer(ctx, creator, address, funds)
        storage = ContractStorage(canonical, self.store_costs)
        contract = ContractState(
            address=address,
            canonical=canonical,
            code_id=code_id,
            creator=creator,
            admin=admin,
            label=label,
            created_height=self.block.height,
            created_tx_index=self.block.tx_index,
            storage=storage,
        )
        self._journal.set(self.contracts, address, contract)
        env = self._env(address, ctx)
        info = MessageInfo(sender=creator, funds=_env_coins(funds)).to_json()
        response = self._call(ctx, contract, "instantiate", [env, info, msg], "instantiate")
        self._charge(meter, after)
        contract.history.append(("init", code_id, self.block.height, msg))
        ctx.events.append(_event("instantiate", [("_contract_address", address), ("code_id", str(code_id))]))
        data = self._handle_response(ctx, contract, response)
        return {"contract_address": address, "data": _b64(data)}

    @staticmethod
    def _loaded_in_tx(ctx: _TxCtx, checksum: bytes, pinned: bool) -> bool:
        """wasmd ``checkDiscountEligibility`` (v0.54+): whether ``checksum`` already ran in this tx;
        records it when not (pinned code is never recorded). Outside a tx there is no such set."""
        if pinned or ctx.tx_contracts is None:
            return False
        if checksum in ctx.tx_contracts:
            return True
        ctx.tx_contracts.add(checksum)
        return False

    def _do_execute(
        self, ctx: _TxCtx, sender: str, contract_addr: str, msg: bytes, funds: tuple[Coin, ...]
    ) -> dict[str, Any]:
        contract, code = self._instance(ctx, contract_addr, charge=False)
        transfer = (
            self._priced(ctx.meter, self._transfer_items(sender, contract.address, funds)) if funds else []
        )
        self._charge(
            ctx.meter,
            wasmd.execute_charges(
                self.profile,
                contract=self._stored_contract(contract),
                code=self._stored_code(code),
                msg=msg,
                funds_transfer=transfer,
                loaded_in_tx=self._loaded_in_tx(ctx, code.checksum, code.pinned),
            ),
        )
        if funds:
            self._move_coins(ctx, sender, contract.address, funds)
        env = self._env(contract.address, ctx)
        info = MessageInfo(sender=sender, funds=_env_coins(funds)).to_json()
        response = self._call(ctx, contract, "execute", [env, info, msg], "execute")
        ctx.events.append(_event("execute", [("_contract_address", contract.address)]))
        data = self._handle_response(ctx, contract, response)
        return {"data": _b64(data)}

    def _do_migrate(
        self, ctx: _TxCtx, sender: str, contract_addr: str, code_id: int, msg: bytes
    ) -> dict[str, Any]:
        meter = ctx.meter
        contract = self.contracts.get(contract_addr)
        if contract is None:
            self._charge(
                meter,
                [
                    wasmd.Kv(self.store_costs, "keeper").get(
                        "contract info", len(wasmd.contract_key(self._canonical(contract_addr))), 0
                    )
                ],
            )
            raise _sdk_error(_SDK_INVALID_REQUEST, "unknown contract: invalid request", "contract_error")
        stored = self._stored_contract(contract)
        if contract.admin is None or contract.admin != sender:
            self._charge(meter, wasmd.not_admin_charges(self.profile, stored))
            raise _sdk_error(_SDK_UNAUTHORIZED, "can not migrate: unauthorized", "contract_error")
        new_code = self.codes.get(code_id)
        if new_code is None:
            self._charge(meter, wasmd.not_admin_charges(self.profile, stored))
            raise _sdk_error(_SDK_INVALID_REQUEST, "unknown code: invalid request", "contract_error")
        old_code = self.codes[contract.code_id]
        before, after = wasmd.migrate_charges(
            self.profile,
            contract=stored,
            old_code=self._stored_code(old_code),
            new_code=self._stored_code(new_code),
            msg=msg,
            height=self.block.height,
            tx_index=self.block.tx_index,
            loaded_in_tx=self._loaded_in_tx(ctx, new_code.checksum, new_code.pinned),
        )
        self._charge(meter, before)
        env = self._env(contract.address, ctx)
        response = self._call(ctx, contract, "migrate", [env, msg], "migrate", code=new_code)
        self._charge(meter, after)
        updated = replace(
            contract,
            code_id=code_id,
            history=[*contract.history, ("migrate", code_id, self.block.height, msg)],
        )
        self._journal.set(self.contracts, contract.address, updated)
        ctx.events.append(
            _event("migrate", [("code_id", str(code_id)), ("_contract_address", contract.address)])
        )
        data = self._handle_response(ctx, updated, response)
        return {"data": _b64(data)}

    def _do_sudo(self, ctx: _TxCtx, contract_addr: str, msg: bytes) -> dict[str, Any]:
        contract, code = self._instance(ctx, contract_addr, charge=True)
        loaded = self._loaded_in_tx(ctx, code.checksum, code.pinned)
        setup = wasmd.pinned_setup(self.profile, "sudo", len(msg), pinned=code.pinned, loaded_in_tx=loaded)
        self._charge(ctx.meter, setup)
        env = self._env(contract.address, ctx)
        response = self._call(ctx, contract, "sudo", [env, msg], "execute")
        ctx.events.append(_event("sudo", [("_contract_address", contract.address)]))
        data = self._handle_response(ctx, contract, response)
        return {"data": _b64(data)}

    def _do_reply(
        self, ctx: _TxCtx, contract: ContractState, reply: Reply, result: SubMsgResult
    ) -> bytes | None:
        self._instance(ctx, contract.address, charge=True)
        events = [
            wasmd.CustomEvent(e.type, tuple(wasmd.EventAttr(k, v) for k, v in e.attributes))
            for e in result.events
        ]
        self._charge(
            ctx.meter,
            [
                wasmd.reply_costs(
                    self.profile, error=result.error, data_len=len(result.data or b""), events=events
                )
            ],
        )
        env = self._env(contract.address, ctx)
        response = self._call(ctx, contract, "reply", [env, reply.to_json()], "execute")
        ctx.events.append(_event("reply", [("_contract_address", contract.address)]))
        return self._handle_response(ctx, contract, response)

    def _do_bank_send(self, ctx: _TxCtx, sender: str, to: str, coins: tuple[Coin, ...]) -> dict[str, Any]:
        try:
            self._canonical(to)
        except ConfigError:
            raise _sdk_error(_SDK_INVALID_ADDRESS, f"invalid to address: {to}") from None
        self._transfer(ctx, sender, to, coins)
        return {}

    def _transfer(self, ctx: _TxCtx, sender: str, to: str, coins: tuple[Coin, ...]) -> None:
        """Bank ``SendCoins``: the bank store's gas, then the coins move. Without the funds, the
        send stops where the SDK's ``subUnlockedCoins`` does (cosmos-sdk v0.50
        ``x/bank/keeper/send.go``): after the sender's account (locked coins) and its first balance
        read, before the send restriction and any write (checked on the localnet)."""
        items = self._transfer_items(sender, to, coins)
        if any(self.balances.get((sender, c.denom), 0) < c.amount for c in coins):
            items = items[
                : next((i + 1 for i, c in enumerate(items) if _is_sender_balance_read(c)), len(items))
            ]
        self._charge(ctx.meter, items)
        self._move_coins(ctx, sender, to, coins)

    def _transfer_items(self, sender: str, to: str, coins: tuple[Coin, ...]) -> list[keeper.Item]:
        """The gas items of sending ``coins`` (before they move)."""
        src = self.accounts[sender]
        dst = self.accounts.get(to)
        recipient = dst.canonical if dst is not None else self._canonical(to)
        items: list[keeper.Item] = []
        exists = dst is not None
        number = self.sequences["account_number"]
        for c in coins:
            items += self.keeper.transfer_charges(
                src,
                self.balances.get((sender, c.denom), 0),
                recipient,
                self.balances.get((to, c.denom), 0),
                c,
                new_recipient=None if exists else ante.NewAccount(to, number),
            )
            exists = True
        return items

    def _move_coins(self, ctx: _TxCtx, sender: str, to: str, coins: tuple[Coin, ...]) -> None:
        for c in coins:
            self._sub_balance(sender, c.denom, c.amount)
        if to not in self.accounts:
            self._new_account(to, self._canonical(to))
        for c in coins:
            self._add_balance(to, c.denom, c.amount)
        amount = ",".join(str(c) for c in coins)
        ctx.events.extend(
            [
                _event("coin_spent", [("spender", sender), ("amount", amount)]),
                _event("coin_received", [("receiver", to), ("amount", amount)]),
                _event("transfer", [("recipient", to), ("sender", sender), ("amount", amount)]),
            ]
        )

    # -------------------------------------------------------------------- contract calls
    def _instance(self, ctx: _TxCtx, address: str, *, charge: bool) -> tuple[ContractState, StoredCode]:
        """wasmd ``contractInstance``: the contract and its code (``charge``: their reads now)."""
        contract = self.contracts.get(address)
        if contract is None:
            try:
                key_len = len(wasmd.contract_key(self._canonical(address)))
            except ConfigError:
                raise _sdk_error(
                    _SDK_INVALID_ADDRESS, f"invalid contract address: {address}", "contract_error"
                ) from None
            self._charge(ctx.meter, [wasmd.Kv(self.store_costs, "keeper").get("contract info", key_len, 0)])
            raise _wasm_error("no_contract", f"address {address}", "rejected")
        code = self.codes[contract.code_id]
        if charge:
            self._charge(
                ctx.meter,
                wasmd.contract_instance_reads(
                    self.profile, self._stored_contract(contract), self._stored_code(code)
                ),
            )
        return contract, code

    def _contract(self, address: str) -> ContractState:
        contract = self.contracts.get(address)
        if contract is None:
            raise ConfigError(f"no contract at {address}")
        return contract

    def _env(self, address: str, ctx: _TxCtx) -> bytes:
        return Env(
            chain_id=self.block.chain_id,
            height=self.block.height,
            time_ns=self.block.time_ns,
            contract_address=address,
            transaction_index=self.block.tx_index if ctx.in_tx else None,
        ).to_json()

    def _take_compile_ms(self) -> float:
        ms, self._compile_seconds = self._compile_seconds * 1000, 0.0
        return ms

    def _runtime_for(self, code: bytes, checksum: bytes | None = None) -> Runtime:
        # the key holds all a runtime is built from: chains sharing ``runtimes`` may differ in any
        memory_limit = self.profile.runtime.instance_memory_limit_mib * 1024 * 1024
        key = (checksum or hashlib.sha256(code).digest()) + self._costs_key + memory_limit.to_bytes(8, "big")
        if self.profiling:
            key += b"profile"
        rt = self._runtimes.get(key)
        if rt is None:
            t0 = time.perf_counter()
            rt = Runtime(
                code,
                self.profile.costs,
                engine=self.engine,
                memory_limit_bytes=memory_limit,
                profile=self.profiling,
            )
            self._runtimes[key] = rt
            self._compile_seconds += time.perf_counter() - t0
        return rt

    def _call(
        self,
        ctx: _TxCtx,
        contract: ContractState,
        entry: str,
        args: list[bytes],
        kind: str,
        *,
        code: StoredCode | None = None,
        readonly: bool = False,
    ) -> Any:
        """Run one entry point; charge its VM gas; return the parsed ``ok`` result or raise."""
        stored = code or self.codes[contract.code_id]
        runtime = self._runtime_for(stored.wasm, stored.checksum)
        mult = self.wasmd.gas_multiplier
        meter = ctx.meter
        # wasmd runtimeGasForContract: the meter's remaining gas in CW gas (at most a u64)
        gas_limit_cw = 0 if meter.consumed >= meter.limit else min(meter.remaining * mult, _U64_MAX)
        backend = _CallBackend(self, ctx, contract, readonly)
        imports = make_imports(self.profile, backend, HostOptions(readonly=readonly))
        t0 = time.perf_counter()
        try:
            res = runtime.call_entry_point(entry, args, imports, gas_limit_cw)
        except GasmodelError as exc:  # the module does not instantiate (its start function traps...)
            ctx.run_seconds += time.perf_counter() - t0
            text = str(exc)
            if any(sign in text for sign in _HOST_RESOURCE_FAILURES):
                # this machine could not reserve the instance's memory: not what the chain would do
                raise GasmodelError(
                    f"{contract.address}: this machine could not reserve memory for a wasmtime instance "
                    f"({_first_line(text)}); each instance reserves several GiB of address space, so run "
                    "without an address-space limit (ulimit -v)"
                ) from None
            detail = _wasmer_trap(text.removeprefix("cannot instantiate the contract: "))
            raise _wasm_error(
                "vm",
                "Error calling the VM: Error instantiating a Wasm module: Error instantiating "
                f"module: {detail}",
                "trap",
            ) from None
        ctx.run_seconds += time.perf_counter() - t0
        ctx.checksums.add(stored.checksum)
        # wasmvm DeserializeResponse: 1 SDK gas (x multiplier) per byte of the result, counted as VM gas
        internal = res.gas_used_internally
        result_len = len(res.result) if res.ok and res.result is not None else None
        deser = 0
        if result_len is not None:
            deser = self.wasmd.to_cw(self.wasmd.response_deserialization_cost_per_byte * result_len)
            if gas_limit_cw < deser + internal:
                backend.vm_error = (
                    f"insufficient gas left to deserialize contract execution result ({result_len} bytes)"
                )
                result_len = None
        self._record_call(ctx, contract, entry, res, internal, deser, gas_limit_cw, backend)
        if backend.sdk_out_of_gas is not None:
            raise OutOfGas(backend.sdk_out_of_gas)
        for c in wasmd.runtime_charge(self.profile, internal, result_len):
            meter.consume(
                c.gas,
                "compute" if c.name == "wasm: vm execution" else "response",
                c.name,
                quantity=internal if c.name == "wasm: vm execution" else result_len,
                unit="CW gas" if c.name == "wasm: vm execution" else "bytes",
                descriptor="wasm contract",
            )
        if meter.consumed >= meter.limit:
            raise OutOfGas("Wasm engine function execution")
        if backend.vm_error is not None:
            raise _wasm_error("vm", f"Error calling the VM: {backend.vm_error}", "host_error")
        if not res.ok:
            outcome: Outcome = res.outcome if res.outcome != "ok" else "trap"
            raise _wasm_error("vm", f"Error calling the VM: {_vm_error_text(res)}", outcome)
        try:
            parsed = json.loads(res.result or b"")
        except ValueError as exc:
            raise _wasm_error(
                "vm", f"Error calling the VM: Error parsing into type ContractResult: {exc}", "host_error"
            ) from None
        if isinstance(parsed, dict) and "error" in parsed:
            raise _wasm_error(kind, str(parsed["error"]))
        if not isinstance(parsed, dict) or "ok" not in parsed:
            raise _wasm_error(
                "vm", "Error calling the VM: Error parsing into type ContractResult", "host_error"
            )
        return parsed["ok"]

    def _record_call(
        self,
        ctx: _TxCtx,
        contract: ContractState,
        entry: str,
        res: CallResult,
        internal: int,
        deser: int,
        gas_limit_cw: int,
        backend: _CallBackend,
    ) -> None:
        if ctx.simulate:
            return
        mult = self.wasmd.gas_multiplier
        ctx.calls.append(
            ContractCall(
                contract=contract.address,
                entry_point=entry,
                depth=ctx.depth + ctx.query_depth,
                outcome=res.outcome,
                error=res.message or None,
                gas_limit_cw=gas_limit_cw,
                vm_cw_gas=internal,
                vm_sdk_gas=(internal + deser) // mult,
                external_sdk_gas=backend.external_sdk,
                operators=sum(res.opcode_counts.values()),
            )
        )
        from gasmodel.wasm.opcodes import BY_NAME

        by_cat: Counter[str] = Counter()
        op_cw: Counter[str] = Counter()
        table = self.profile.costs
        for name, n in res.opcode_counts.items():
            ctx.histogram[name] += n
            cat = BY_NAME[name].category
            ctx.categories[cat] += n
            by_cat[cat] += n
            op_cw[cat] += n * table.cost_of(name, cat)
        meter = ctx.meter
        for cat, n in sorted(by_cat.items()):
            meter.note_cw("compute", f"wasm {cat}", op_cw[cat], quantity=n, unit="operators")
        other = res.gas_wasm - sum(op_cw.values())
        if other:
            meter.note_cw("compute", "wasm locals and memory growth", other, unit="CW gas")
        for name, st in res.imports.items():
            ctx.imports[name] += st.calls
            meter.note_cw("host", name, st.gas, count=st.calls)
        outside = res.gas_host - sum(st.gas for st in res.imports.values())
        if outside:
            meter.note_cw("host", "entry point arguments and result (regions)", outside, unit="CW gas")
        for f in res.functions:
            key = (contract.address, f.index)
            acc = ctx.functions.setdefault(key, [f.name or f"func[{f.index}]", 0, 0])
            acc[1] += f.calls
            acc[2] += f.self_gas
        if res.call_tree is not None and res.instrumented is not None:
            self._record_stacks(ctx, contract, entry, res.call_tree, res.instrumented.module)

    def _record_stacks(
        self, ctx: _TxCtx, contract: ContractState, entry: str, tree: CallTree, module: Module
    ) -> None:
        """A profiled call: its stacks, and inclusive gas per function (see :mod:`gasmodel.vm.callstack`)."""
        imports = [i.name for i in module.imports if i.kind == "func"]
        n_imp = len(imports)
        names: dict[int, str] = {}

        def frame(index: int) -> str:
            got = names.get(index)
            if got is None:
                if index == OUT_OF_GAS:
                    got = "out of gas"
                elif index < n_imp:
                    got = f"host: {imports[index]}"
                else:
                    name = module.functions[index - n_imp].name
                    got = (demangle(name) if name else f"func[{index}]").replace(";", ":")
                names[index] = got
            return got

        root = f"{contract.label} {entry}".replace(";", ":")
        stacks: list[list[str]] = [[root]]
        for node in range(len(tree)):
            if node:
                stacks.append([*stacks[tree.parent[node]], frame(tree.func[node])])
            ctx.stacks.append(
                StackGas.model_construct(
                    stack=stacks[node], self_cw_gas=tree.self_gas[node], calls=tree.calls[node]
                )
            )
        for index, gas in tree.inclusive().items():
            if index < n_imp:
                continue
            acc = ctx.functions.setdefault((contract.address, index), [frame(index), 0, 0])
            while len(acc) < 4:
                acc.append(0)
            acc[3] += gas

    def _handle_response(self, ctx: _TxCtx, contract: ContractState, ok: Any) -> bytes | None:
        """wasmd ``handleContractResponse``: event gas, events, sub-messages, data."""
        response = _parse_response(ok)
        self._charge(
            ctx.meter,
            wasmd.response_charges(
                self.profile,
                [wasmd.EventAttr(k, v) for k, v in response.attributes],
                [
                    wasmd.CustomEvent(t, tuple(wasmd.EventAttr(k, v) for k, v in attrs))
                    for t, attrs in response.events
                ],
            ),
        )
        if response.attributes:
            ctx.events.append(_event("wasm", [("_contract_address", contract.address), *response.attributes]))
        for typ, attrs in response.events:
            if len(typ.strip()) <= 2:
                raise _wasm_error("invalid_event", f"Event type too short: '{typ.strip()}'")
            ctx.events.append(
                _event(f"wasm-{typ.strip()}", [("_contract_address", contract.address), *attrs])
            )
        data = response.data
        try:
            rsp = self._dispatch_submessages(ctx, contract, response.messages)
        except TxError as exc:
            raise exc.wrap("submessages").wrap("dispatch") from None
        return rsp if rsp is not None else data

    def _dispatch_submessages(
        self, ctx: _TxCtx, contract: ContractState, msgs: list[_SubMsg]
    ) -> bytes | None:
        """wasmd ``DispatchSubmessages``."""
        rsp: bytes | None = None
        for sub in msgs:
            if sub.reply_on not in ("success", "error", "always", "never"):
                raise TxError(14, "wasm", "replyOn value: invalid")
            snap = self._snapshot()
            events_before = len(ctx.events)
            err: TxError | None = None
            data: list[bytes] = []
            responses: list[MsgResponse] = []
            meter = ctx.meter
            limited = sub.gas_limit is not None and sub.gas_limit < meter.limit - meter.consumed
            try:
                if limited:
                    assert sub.gas_limit is not None
                    data, responses = self._dispatch_limited(ctx, contract, sub.msg, sub.gas_limit)
                else:
                    data, responses = self._dispatch_msg(ctx, contract, sub.msg)
            except TxError as exc:
                err = exc
            if err is None:
                new_events = [e for e in ctx.events[events_before:] if e.type != "message"]
                ctx.events[events_before:] = new_events
                reply_events = (
                    tuple(
                        EnvEvent(
                            e.type,
                            tuple(sorted(((a.key, a.value) for a in e.attributes), key=lambda kv: kv[0])),
                        )
                        for e in new_events
                    )
                    if "wasm" in sub.msg
                    else ()
                )
            else:
                self._rollback(snap)
                del ctx.events[events_before:]
            if sub.reply_on in ("success", "never") and err is not None:
                raise err
            if sub.reply_on == "never" or (sub.reply_on == "error" and err is None):
                continue
            if err is None:
                result = SubMsgResult(
                    events=reply_events, data=data[0] if data else None, msg_responses=tuple(responses)
                )
            else:
                result = SubMsgResult(error=_redact(err))
            reply = Reply(id=sub.id, result=result, payload=sub.payload)
            try:
                out = self._do_reply(ctx, contract, reply, result)
            except TxError as exc:
                raise exc.wrap("reply") from None
            if out is not None:
                rsp = out
        return rsp

    def _dispatch_limited(
        self, ctx: _TxCtx, contract: ContractState, msg: dict[str, Any], limit: int
    ) -> tuple[list[bytes], list[MsgResponse]]:
        parent = ctx.meter
        ctx.meter = parent.child(limit)
        try:
            return self._dispatch_msg(ctx, contract, msg)
        except OutOfGas:
            ctx.meter = parent
            parent.consume(limit, "compute", "sub-message gas limit", descriptor="Sub-Message OutOfGas panic")
            raise _sdk_error(_SDK_OUT_OF_GAS, "SubMsg hit gas limit: out of gas", "out_of_gas") from None
        finally:
            child = ctx.meter
            ctx.meter = parent
            if child is not parent:
                parent.absorb(child, "compute", "sub-message", "From limited Sub-Message")

    def _dispatch_msg(
        self, ctx: _TxCtx, contract: ContractState, msg: dict[str, Any]
    ) -> tuple[list[bytes], list[MsgResponse]]:
        """A ``CosmosMsg`` from a contract (wasmd's message handler chain)."""
        if ctx.depth + 1 > self.profile.runtime.max_call_depth:
            raise _wasm_error("max_call_depth", "")
        ctx.depth += 1
        try:
            if "wasm" in msg:
                return self._dispatch_wasm(ctx, contract, msg["wasm"])
            if "bank" in msg and "send" in msg["bank"]:
                send = msg["bank"]["send"]
                coins = tuple(Coin(denom=c["denom"], amount=int(c["amount"])) for c in send.get("amount", []))
                self._transfer(ctx, contract.address, str(send.get("to_address", "")), coins)
                return [b""], [MsgResponse("/cosmos.bank.v1beta1.MsgSendResponse", b"")]
            kind = next(iter(msg), "?")
            raise _wasm_error("unknown_msg", f"no handler found for {kind}")
        finally:
            ctx.depth -= 1

    def _dispatch_wasm(
        self, ctx: _TxCtx, contract: ContractState, wasm: dict[str, Any]
    ) -> tuple[list[bytes], list[MsgResponse]]:
        if "execute" in wasm:
            e = wasm["execute"]
            funds = tuple(Coin(denom=c["denom"], amount=int(c["amount"])) for c in e.get("funds", []))
            out = self._do_execute(
                ctx, contract.address, str(e["contract_addr"]), base64.b64decode(e["msg"]), funds
            )
            body = wasmd.pb_bytes(1, _unb64(out.get("data")))
            return [body], [MsgResponse("/cosmwasm.wasm.v1.MsgExecuteContractResponse", body)]
        if "instantiate" in wasm:
            i = wasm["instantiate"]
            funds = tuple(Coin(denom=c["denom"], amount=int(c["amount"])) for c in i.get("funds", []))
            out = self._do_instantiate(
                ctx,
                contract.address,
                int(i["code_id"]),
                base64.b64decode(i["msg"]),
                str(i.get("label", "")),
                i.get("admin"),
                funds,
            )
            body = wasmd.pb_bytes(1, out["contract_address"]) + wasmd.pb_bytes(
                2, _unb64(out.get("data"))
            )
            return [body], [MsgResponse("/cosmwasm.wasm.v1.MsgInstantiateContractResponse", body)]
        if "migrate" in wasm:
            m = wasm["migrate"]
            out = self._do_migrate(
                ctx,
                contract.address,
                str(m["contract_addr"]),
                int(m["new_code_id"]),
                base64.b64decode(m["msg"]),
            )
            body = wasmd.pb_bytes(1, _unb64(out.get("data")))
            return [body], [MsgResponse("/cosmwasm.wasm.v1.MsgMigrateContractResponse", body)]
        kind = next(iter(wasm), "?")
        raise _wasm_error("unknown_msg", f"unsupported wasm message {kind}")

    # ---------------------------------------------------------------------------- queries
    def _query_smart(self, ctx: _TxCtx, address: str, msg: bytes) -> dict[str, Any]:
        """wasmd ``QuerySmart``."""
        if ctx.query_depth + 1 > self.profile.runtime.max_query_stack_size:
            raise _wasm_error("max_query_stack", "")
        contract, code = self._instance(ctx, address, charge=False)
        self._charge(
            ctx.meter,
            wasmd.query_charges(
                self.profile, contract=self._stored_contract(contract), code=self._stored_code(code), msg=msg,
                loaded_in_tx=self._loaded_in_tx(ctx, code.checksum, code.pinned),
            ),
        )
        env = self._env(contract.address, ctx)
        ctx.query_depth += 1
        try:
            ok = self._call(ctx, contract, "query", [env, msg], "query", readonly=True)
        finally:
            ctx.query_depth -= 1
        raw = base64.b64decode(ok) if isinstance(ok, str) else b""
        try:
            result: Any = json.loads(raw) if raw else None
        except ValueError:
            result = raw.hex()
        return {"result": result, "data": _b64(raw)}

    def query_chain(self, ctx: _TxCtx, caller: ContractState, request: bytes, gas_limit_cw: int) -> bytes:
        """wasmd ``QueryHandler.Query`` for a contract: a sub-meter, charged to the parent after."""
        mult = self.wasmd.gas_multiplier
        parent = ctx.meter
        child = parent.child(gas_limit_cw // mult)
        ctx.meter = child
        snap = self._snapshot()
        events_before = len(ctx.events)
        try:
            return _querier_ok(self._handle_query(ctx, caller, request))
        except TxError as exc:
            return _querier_err(exc)
        except OutOfGas as exc:
            return _querier_err(_sdk_error(_SDK_OUT_OF_GAS, f"out of gas in location: {exc.descriptor}"))
        finally:
            self._rollback(snap)
            del ctx.events[events_before:]
            ctx.meter = parent
            parent.absorb(child, "query", "contract sub-query", "contract sub-query")

    def _handle_query(self, ctx: _TxCtx, caller: ContractState, request: bytes) -> bytes:
        try:
            req = json.loads(request)
        except ValueError as exc:
            raise TxError(0, "system", f"invalid_request: {exc}") from None
        if not isinstance(req, dict):
            raise TxError(0, "system", "invalid_request")
        if "bank" in req:
            bank = req["bank"]
            if "balance" in bank:
                b = bank["balance"]
                who, denom = str(b["address"]), str(b["denom"])
                amount = self.balances.get((who, denom), 0)
                self._charge(ctx.meter, self.keeper.balance_read_charges(self._canonical(who), denom, amount))
                return json.dumps(
                    {"amount": {"denom": b["denom"], "amount": str(amount)}}, separators=(",", ":")
                ).encode()
            if "all_balances" in bank:
                addr = str(bank["all_balances"]["address"])
                coins = sorted((d, a) for (who, d), a in self.balances.items() if who == addr and a)
                self._charge(ctx.meter, self.keeper.all_balances_read_charges(self._canonical(addr), coins))
                return json.dumps(
                    {"amount": [{"denom": d, "amount": str(a)} for d, a in coins]}, separators=(",", ":")
                ).encode()
        if "wasm" in req:
            wasm = req["wasm"]
            if "smart" in wasm:
                s = wasm["smart"]
                out = self._query_smart(ctx, str(s["contract_addr"]), base64.b64decode(s["msg"]))
                return _unb64(out.get("data"))
            if "raw" in wasm:
                r = wasm["raw"]
                contract = self.contracts.get(str(r["contract_addr"]))
                key = base64.b64decode(r["key"])
                if contract is None:
                    return b""
                value, gas = contract.storage.get(key)
                ctx.meter.consume(
                    gas, "storage", "raw query read", quantity=len(key) + len(value or b""), unit="bytes"
                )
                return value or b""
            if "contract_info" in wasm:
                addr = str(wasm["contract_info"]["contract_addr"])
                contract = self.contracts.get(addr)
                kv = wasmd.Kv(self.store_costs, "keeper")
                info_len = self._stored_contract(contract).info_len if contract is not None else 0
                self._charge(
                    ctx.meter,
                    [kv.get("contract info", len(wasmd.contract_key(self._canonical(addr))), info_len)],
                )
                if contract is None:
                    raise _wasm_error("no_contract", f"address {addr}")
                info = {
                    "code_id": contract.code_id,
                    "creator": contract.creator,
                    "admin": contract.admin,
                    "pinned": False,
                    "ibc_port": None,
                }
                return json.dumps(info, separators=(",", ":")).encode()
        kind = next(iter(req), "?")
        raise TxError(0, "system", f"unsupported_request: {kind}")

    # ------------------------------------------------------------------ chain info
    def chain_info(self) -> ChainInfo:
        """What this mock chain is, in the results-file form."""
        p = self.profile
        return ChainInfo(
            chain_id=self.block.chain_id,
            versions=ChainVersions(
                app_name="gasmodel-mock",
                app_version=p.name,
                git_commit="",
                go_version="",
                cosmos_sdk="",
                wasmd=p.wasmd_version,
                wasmvm=p.wasmvm_version,
            ),
            wasm_params={},
            auth_params={"tx_size_cost_per_byte": str(p.ante.tx_size_cost_per_byte)},
            block_params={},
            min_gas_price=f"{self.gas_price}{self.denom}",
            latest_height=self.block.height,
        )

    def tx_result(self, report: GasReport) -> TxResult:
        """A report in the chain client's :class:`TxResult` form."""
        tx_hash = report.tx_hash or ""
        data = report.data
        if data is not None:
            with contextlib.suppress(ValueError):
                data = base64.b64decode(data).decode(errors="replace")
        return TxResult(
            tx_hash=tx_hash,
            stage="deliver_tx",
            height=report.height or 0,
            code=report.code,
            codespace=report.codespace,
            gas_wanted=report.gas_limit or 0,
            gas_used=report.gas_used,
            raw_log=report.error or "",
            events=report.events,
            tx_size=report.tx_size or 0,
            msg_type=_MSG_TYPES.get(report.action, ""),
            simulated_gas=report.simulated_gas,
            code_id=report.code_id,
            checksum=report.checksum,
            contract_address=report.contract_address,
            data=data,
        )

    def query_result(self, report: GasReport) -> QueryResult:
        """A query report in the chain client's :class:`QueryResult` form."""
        if report.ok:
            return QueryResult(ok=True, data=report.result)
        return QueryResult(ok=False, error=report.error, code=2)


_U64_MAX = 2**64 - 1
_MSG_INDEX = EventAttribute(key="msg_index", value="0")


# wasmtime's trap texts -> wasmer's RuntimeError texts (what the chain's VM reports)
_WASMER_TRAPS = {
    "wasm `unreachable` instruction executed": "unreachable",
    "undefined element: out of bounds table access": "undefined element",
}


def _wasmer_trap(text: str) -> str:
    message = text.removeprefix("wasm trap: ")
    return f"RuntimeError: {_WASMER_TRAPS.get(message, message)}"


def _is_sender_balance_read(item: keeper.Item) -> bool:
    return item.name.endswith(": sender balance read")


def _tagged(event: Event) -> Event:
    return event.model_copy(update={"attributes": [*event.attributes, _MSG_INDEX]})


_MSG_TYPES = {
    "store": "cosmwasm.wasm.v1.MsgStoreCode",
    "instantiate": "cosmwasm.wasm.v1.MsgInstantiateContract",
    "execute": "cosmwasm.wasm.v1.MsgExecuteContract",
    "migrate": "cosmwasm.wasm.v1.MsgMigrateContract",
    "bank_send": "cosmos.bank.v1beta1.MsgSend",
}


class _CallBackend:
    """The :class:`gasmodel.vm.context.Backend` of one contract call: the contract's storage with
    its SDK gas charged on the tx's meter (as ``gaskv`` does), the address API, ``query_chain``."""

    def __init__(self, chain: MockChain, ctx: _TxCtx, contract: ContractState, readonly: bool) -> None:
        self._chain = chain
        self._ctx = ctx
        self._contract = contract
        self._readonly = readonly
        self.external_sdk = 0
        self.sdk_out_of_gas: str | None = None
        self.vm_error: str | None = None
        self._store = _MeteredStore(self)

    @property
    def storage(self) -> _MeteredStore:
        return self._store

    @property
    def api(self) -> Bech32Api:
        return self._chain.api

    @property
    def gas_multiplier(self) -> int:
        return self._chain.wasmd.gas_multiplier

    def charge(self, sdk_gas: int, name: str, quantity: int) -> None:
        """Charge storage gas on the SDK meter; past the limit the VM stops (out of gas)."""
        self.external_sdk += sdk_gas
        try:
            self._ctx.meter.consume(sdk_gas, "storage", name, quantity=quantity, unit="bytes")
        except OutOfGas as exc:
            self.sdk_out_of_gas = exc.descriptor
            raise VmAbort("out_of_gas", "Ran out of gas during contract execution") from None

    def query_chain(self, request: bytes, gas_limit_cw: int) -> tuple[bytes, int]:
        before = self._ctx.meter.consumed
        meter = self._ctx.meter
        try:
            result = self._chain.query_chain(self._ctx, self._contract, request, gas_limit_cw)
        except OutOfGas as exc:
            self.sdk_out_of_gas = exc.descriptor
            raise VmAbort("out_of_gas", "Ran out of gas during contract execution") from None
        used = meter.consumed - before
        self.external_sdk += used
        return result, used


class _MeteredStore:
    """A contract's storage whose gas goes on the tx's SDK meter as it is spent."""

    def __init__(self, backend: _CallBackend) -> None:
        self._b = backend
        self._s = backend._contract.storage

    def get(self, key: bytes) -> tuple[bytes | None, int]:
        value, gas = self._s.get(key)
        self._b.charge(gas, "db_read", len(key) + len(value or b""))
        return value, gas

    def set(self, key: bytes, value: bytes) -> int:
        gas = self._s.set(key, value)
        self._b.charge(gas, "db_write", len(key) + len(value))
        return gas

    def remove(self, key: bytes) -> int:
        gas = self._s.remove(key)
        self._b.charge(gas, "db_remove", len(key))
        return gas

    def scan(
        self, start: bytes | None, end: bytes | None, ascending: bool
    ) -> tuple[Iterator[tuple[bytes, bytes]], int]:
        it, gas = self._s.scan(start, end, ascending)
        self._b.charge(gas, "db_scan", 0)
        return it, gas

    def next_gas(self, key: bytes, value: bytes) -> int:
        gas = self._s.next_gas(key, value)
        self._b.charge(gas, "db_next", len(key) + len(value))
        return gas


# ------------------------------------------------------------------------------ helpers
_CATEGORIES: tuple[tuple[str, Category], ...] = (
    ("keeper: setup reply", "response"),
    ("keeper: setup", "instance"),
    ("keeper: contract events", "events"),
    ("keeper: uncompress", "upload"),
    ("wasm: compile", "upload"),
    ("wasm: response", "response"),
    ("wasm:", "compute"),
    ("ante:", "tx"),
    ("fee:", "tx"),
    ("unpriced: fee", "tx"),
    ("unpriced: per tx", "tx"),
    ("auth:", "tx"),
    ("unpriced: bank", "bank"),
    ("bank:", "bank"),
)


def _category(name: str) -> Category:
    for prefix, category in _CATEGORIES:
        if name.startswith(prefix):
            return category
    return "keeper"


def _event(typ: str, attrs: Sequence[tuple[str, str]]) -> Event:
    return Event(type=typ, attributes=[EventAttribute(key=k, value=v) for k, v in attrs])


def _env_coins(coins: Sequence[Coin]) -> tuple[EnvCoin, ...]:
    return tuple(EnvCoin(c.denom, c.amount) for c in coins)


def _unb64(text: Any) -> bytes:
    return base64.b64decode(text) if text else b""



def _parse_response(ok: Any) -> _Response:
    if not isinstance(ok, dict):
        raise _wasm_error("vm", "Error calling the VM: Error parsing into type Response", "host_error")
    msgs = []
    for m in ok.get("messages") or []:
        msgs.append(
            _SubMsg(
                id=int(m.get("id", 0)),
                msg=m.get("msg") or {},
                reply_on=str(m.get("reply_on")),
                gas_limit=m.get("gas_limit"),
                payload=_unb64(m.get("payload")),
            )
        )
    attrs = [(str(a["key"]), str(a["value"])) for a in ok.get("attributes") or []]
    events = [
        (str(e["type"]), [(str(a["key"]), str(a["value"])) for a in e.get("attributes") or []])
        for e in ok.get("events") or []
    ]
    return _Response(messages=msgs, attributes=attrs, events=events, data=_unb64(ok.get("data")) or None)


def _redact(err: TxError) -> str:
    """wasmd ``redactError``: deterministic wasm errors are kept, others reduced to code and space."""
    if err.codespace == "wasm":
        return err.message
    return f"codespace: {err.codespace}, code: {err.code}"


def _querier_ok(data: bytes) -> bytes:
    return json.dumps({"ok": {"ok": base64.b64encode(data).decode()}}, separators=(",", ":")).encode()


def _querier_err(err: TxError) -> bytes:
    if err.codespace == "system":
        kind, _, detail = err.message.partition(": ")
        return json.dumps({"error": {kind: {"kind": detail}}}, separators=(",", ":")).encode()
    return json.dumps({"ok": {"error": _redact(err)}}, separators=(",", ":")).encode()


def _vm_error_text(res: CallResult) -> str:
    if res.outcome == "aborted":
        return f"Aborted: {res.message}"
    if res.outcome == "out_of_gas":
        return "Ran out of gas during contract execution"
    return res.message


def _gunzip(data: bytes, limit: int) -> bytes:
    import zlib

    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = d.decompress(data, limit + 1)
    if len(out) > limit:
        raise _wasm_error("create", f"uncompress wasm archive: max {limit} bytes: exceeds limit")
    return out
