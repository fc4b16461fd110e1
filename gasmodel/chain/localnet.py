"""A single-validator Injective chain in a directory: create, start in the background, stop by PID.

Everything listens on 127.0.0.1 only, on free ports found at start-up (or given), so several
chains can run side by side. The node runs in its own session; its PID and the chain's accounts
are kept in ``<home>/gasmodel-localnet.json``. A node started with ``owned=True`` (tests) is also
stopped when the starting process exits: at interpreter exit (``atexit``) and, if the process is
killed, by the kernel (``PR_SET_PDEATHSIG``).

Chain set-up: ``injectived init``, genesis edited as JSON (denom ``inj``, funded accounts, block
gas, initial height), validator key imported from a derived private key, ``gentx`` +
``collect-gentxs``, config files edited in place (:mod:`gasmodel.chain.tomledit`).
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import hashlib
import json
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gasmodel.chain.client import ChainClient
from gasmodel.chain.keys import KeyType, derive_key
from gasmodel.chain.localnet_config import (
    VALIDATOR,
    AccountInfo,
    AccountSpec,
    LocalnetConfig,
    LocalnetPorts,
    LocalnetState,
    LocalnetStatus,
    ResolvedPorts,
    default_accounts,
)
from gasmodel.chain.processes import (
    binary_path,
    free_port,
    node_env,
    pdeathsig_hook,
    pid_alive,
    pid_is_node,
    resolve_ports,
    signal_group,
)
from gasmodel.chain.tomledit import TomlValue, set_values
from gasmodel.chaintypes import LOCALNET_GENTX_GAS
from gasmodel.errors import ChainError, ConfigError

STATE_FILE = "gasmodel-localnet.json"
LOG_FILE = "node.log"
_INJ = 10**18

__all__ = [
    "AccountInfo",
    "AccountSpec",
    "Localnet",
    "LocalnetConfig",
    "LocalnetPorts",
    "LocalnetState",
    "LocalnetStatus",
    "ResolvedPorts",
    "binary_path",
    "default_accounts",
    "free_port",
    "running_localnet",
]


class Localnet:
    """One chain in one directory. ``up()`` builds a fresh chain and starts it; ``down()`` stops it."""

    def __init__(self, config: LocalnetConfig) -> None:
        self.config = config
        self.home = config.home.expanduser().resolve()
        self._proc: subprocess.Popen[bytes] | None = None
        self._state: LocalnetState | None = None

    # ------------------------------------------------------------ loading
    @classmethod
    def open(cls, home: Path | str) -> Localnet:
        """The localnet whose state is in ``home`` (made by ``up``)."""
        path = Path(home).expanduser().resolve() / STATE_FILE
        try:
            state = LocalnetState.model_validate_json(path.read_text())
        except FileNotFoundError as exc:
            raise ChainError(f"no localnet in {path.parent} (no {STATE_FILE}); run `gasmodel localnet up`") \
                from exc
        except ValueError as exc:
            raise ChainError(f"{path}: not a valid localnet state file: {exc}") from exc
        net = cls(state.config.model_copy(update={"home": path.parent}))
        net._state = state
        return net

    @property
    def state(self) -> LocalnetState:
        """The chain's state file contents; ChainError if the chain was never built."""
        if self._state is None:
            raise ChainError(f"the localnet in {self.home} has not been created")
        return self._state

    @property
    def state_path(self) -> Path:
        """Where the state file is."""
        return self.home / STATE_FILE

    @property
    def log_path(self) -> Path:
        """The node's log file."""
        return self.home / LOG_FILE

    @property
    def grpc_address(self) -> str:
        """``127.0.0.1:PORT`` of the gRPC server."""
        return f"127.0.0.1:{self.state.ports.grpc}"

    @property
    def rpc_url(self) -> str:
        """The CometBFT RPC URL."""
        return f"http://127.0.0.1:{self.state.ports.rpc}"

    def account(self, name: str) -> AccountInfo:
        """A funded account by name."""
        for acc in self.state.accounts:
            if acc.name == name:
                return acc
        known = ", ".join(a.name for a in self.state.accounts)
        raise ConfigError(f"the localnet has no account {name!r} (it has: {known})")

    def client(self, **kwargs: Any) -> ChainClient:
        """A chain client for this node."""
        kwargs.setdefault("gas_price", self.config.min_gas_price)
        kwargs.setdefault("denom", self.config.denom)
        kwargs.setdefault("max_gas_limit", self.config.simulation_gas_limit or self.config.max_block_gas)
        return ChainClient(self.grpc_address, self.config.chain_id, **kwargs)

    def _write_state(self, state: LocalnetState) -> None:
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(state.model_dump_json(indent=2))
        tmp.replace(self.state_path)
        self._state = state

    # ----------------------------------------------------------- building
    def _run(self, *args: str, stdin: str | None = None) -> str:
        binary = Path(self.state.binary) if self._state else self._binary()
        cmd = [str(binary), *args, "--home", str(self.home)]
        try:
            done = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=60,
                                  env=node_env(binary), check=False)
        except subprocess.TimeoutExpired as exc:
            raise ChainError(f"injectived {args[0]} {args[1] if len(args) > 1 else ''} timed out") from exc
        if done.returncode != 0:
            text = (done.stderr or done.stdout).strip()[-800:]
            raise ChainError(f"`injectived {' '.join(args)}` failed: {text}")
        return done.stdout + done.stderr

    def _binary(self) -> Path:
        return self.config.binary or binary_path()

    def create(self) -> None:
        """Build a fresh chain in ``home`` (removing an earlier localnet there, never other files)."""
        home = self.home
        if home.exists() and any(home.iterdir()):
            if not (home / STATE_FILE).exists():
                raise ChainError(f"{home} is not empty and holds no localnet; "
                                 "choose an empty or new directory")
            old = Localnet.open(home)
            if old.is_running():
                raise ChainError(f"a localnet is already running in {home} (pid {old.state.pid}); "
                                 "stop it first: gasmodel localnet down --home ...")
            shutil.rmtree(home)
        home.mkdir(parents=True, exist_ok=True)
        binary = self._binary()
        if not binary.exists():
            raise ChainError(f"injectived binary not found at {binary}")
        ports = resolve_ports(self.config.ports)
        validator = derive_key(VALIDATOR, KeyType.ETH_SECP256K1, self.config.key_seed)
        accounts = [AccountInfo(name=a.name, key_type=a.key_type, address=key.address,
                                private_key=key.private_key.hex())
                    for a in self.config.accounts
                    for key in [derive_key(a.name, a.key_type, self.config.key_seed)]]
        self._write_state(LocalnetState(config=self.config.model_copy(update={"home": home}), ports=ports,
                                        accounts=accounts, binary=str(binary)))
        cfg = self.config
        self._run("init", cfg.moniker, "--chain-id", cfg.chain_id)
        self._edit_genesis_denoms()
        self._run("keys", "unsafe-import-eth-key", VALIDATOR, validator.private_key.hex(),
                  "--keyring-backend", "test", stdin="gasmodel-localnet\ngasmodel-localnet\n")
        self_bond = 1000 * _INJ
        gentx_gas = LOCALNET_GENTX_GAS
        self._run("genesis", "add-genesis-account", validator.address, f"{10 * self_bond}{cfg.denom}",
                  "--chain-id", cfg.chain_id)
        self._add_genesis_accounts(accounts)
        self._run("genesis", "gentx", VALIDATOR, f"{self_bond}{cfg.denom}", "--chain-id", cfg.chain_id,
                  "--keyring-backend", "test", "--gas", str(gentx_gas),
                  "--fees", f"{gentx_gas * cfg.min_gas_price}{cfg.denom}")
        self._run("genesis", "collect-gentxs")
        self._edit_consensus()
        self._run("genesis", "validate")
        self._edit_configs(ports)

    def _genesis(self) -> tuple[Path, dict[str, Any]]:
        path = self.home / "config" / "genesis.json"
        data: dict[str, Any] = json.loads(path.read_text())
        return path, data

    def _edit_genesis_denoms(self) -> None:
        path, genesis = self._genesis()

        def swap(node: Any) -> Any:
            if isinstance(node, dict):
                return {k: swap(v) for k, v in node.items()}
            if isinstance(node, list):
                return [swap(v) for v in node]
            return self.config.denom if node == "stake" else node

        path.write_text(json.dumps(swap(genesis), indent=1))

    def _add_genesis_accounts(self, accounts: Sequence[AccountInfo]) -> None:
        path, genesis = self._genesis()
        auth = genesis["app_state"]["auth"]["accounts"]
        bank = genesis["app_state"]["bank"]
        template = auth[0]  # the validator's account, as the node itself writes it
        specs = {a.name: a for a in self.config.accounts}
        number = max(int(_base(a)["account_number"]) for a in auth) + 1
        for acc in accounts:
            entry = json.loads(json.dumps(template))
            base = _base(entry)
            base.update(address=acc.address, pub_key=None, account_number=str(number), sequence="0")
            number += 1
            auth.append(entry)
            spec = specs[acc.name]
            coins: dict[str, int] = {self.config.denom: spec.balance}
            for extra in spec.extra_coins:
                coins[extra.denom] = coins.get(extra.denom, 0) + extra.amount
            bank["balances"].append({"address": acc.address, "coins": [
                {"denom": d, "amount": str(a)} for d, a in sorted(coins.items()) if a > 0]})
            supply = {c["denom"]: int(c["amount"]) for c in bank["supply"]}
            for denom, amount in coins.items():
                supply[denom] = supply.get(denom, 0) + amount
            bank["supply"] = [{"denom": d, "amount": str(a)} for d, a in sorted(supply.items()) if a > 0]
        path.write_text(json.dumps(genesis, indent=1))

    def _edit_consensus(self) -> None:
        path, genesis = self._genesis()
        params = genesis["consensus"]["params"]
        params["block"]["max_gas"] = str(self.config.max_block_gas)
        # This node build reads the legacy top-level ``consensus_params`` and ignores
        # ``consensus.params`` (observed: injectived v1.20.1), so both are written.
        genesis["consensus_params"] = params
        genesis["initial_height"] = str(self.config.initial_height)
        path.write_text(json.dumps(genesis, indent=1))

    def _edit_configs(self, ports: ResolvedPorts) -> None:
        cfg = self.config
        config_toml: dict[tuple[str, str], TomlValue] = {
            ("", "proxy_app"): f"tcp://127.0.0.1:{ports.abci}",
            ("rpc", "laddr"): f"tcp://127.0.0.1:{ports.rpc}",
            ("rpc", "pprof_laddr"): "",
            ("p2p", "laddr"): f"tcp://127.0.0.1:{ports.p2p}",
            ("p2p", "pex"): False,
            ("consensus", "timeout_commit"): f"{cfg.timeout_commit_ms}ms",
            ("instrumentation", "prometheus"): False,
        }
        app_toml: dict[tuple[str, str], TomlValue] = {
            ("", "minimum-gas-prices"): f"{cfg.min_gas_price}{cfg.denom}",
            ("api", "address"): f"tcp://127.0.0.1:{ports.api}",
            ("grpc", "address"): f"127.0.0.1:{ports.grpc}",
            ("json-rpc", "enable"): False,
            ("json-rpc", "address"): "127.0.0.1:0",
            ("json-rpc", "ws-address"): "127.0.0.1:0",
            ("json-rpc", "metrics-address"): "127.0.0.1:0",
            ("json-rpc-debug", "enable"): False,
        }
        for name, edits in (("config.toml", config_toml), ("app.toml", app_toml)):
            path = self.home / "config" / name
            path.write_text(set_values(path.read_text(), edits, where=str(path)))

    # ----------------------------------------------------------- running
    def is_running(self) -> bool:
        """True if the PID in the state file is this chain's live node."""
        pid = self._state.pid if self._state else None
        return pid is not None and pid_alive(pid) and pid_is_node(pid, self.home)

    def start(self, *, owned: bool = False) -> float:
        """Start the node in the background and wait for its first block; returns the seconds taken.

        ``owned``: stop the node when this Python process exits or dies (for tests). If a port
        picked at random was taken by another process meanwhile, new ports are picked (3 tries).
        """
        for attempt in range(3):
            try:
                return self._start_once(owned)
            except _PortTaken:
                if attempt == 2:
                    raise ChainError(f"could not bind the node's ports; last log lines:\n{self.log_tail()}") \
                        from None
                ports = resolve_ports(self.config.ports)
                self._edit_configs(ports)
                self._write_state(self.state.model_copy(update={"ports": ports}))
        raise AssertionError("unreachable")  # pragma: no cover

    def _start_once(self, owned: bool) -> float:
        state = self.state
        if self.is_running():
            raise ChainError(f"the localnet in {self.home} is already running (pid {state.pid})")
        binary = Path(state.binary)
        args = [str(binary), "start", "--home", str(self.home), "--log-level", "info", "--log-no-color"]
        if self.config.simulation_gas_limit is not None:
            args += ["--wasm.simulation_gas_limit", str(self.config.simulation_gas_limit)]
        if self.config.query_gas_limit is not None:
            args += ["--wasm.query_gas_limit", str(self.config.query_gas_limit)]
        t0 = time.monotonic()
        with self.log_path.open("ab") as log:
            proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=node_env(binary),
                start_new_session=True, preexec_fn=pdeathsig_hook() if owned else None,
            )
        self._proc = proc
        if owned:
            atexit.register(self._stop_at_exit, proc.pid)
        self._write_state(state.model_copy(update={"pid": proc.pid,
                                                   "started_at": datetime.now(UTC).isoformat()}))
        try:
            self._wait_first_block(proc, t0)
        except BaseException:
            self.stop()
            raise
        elapsed = time.monotonic() - t0
        self._write_state(self.state.model_copy(update={"startup_seconds": round(elapsed, 3)}))
        return elapsed

    def node_id(self) -> str:
        """This chain's CometBFT node ID (hex of the first 20 bytes of sha256 of the node's ed25519 key)."""
        key = json.loads((self.home / "config" / "node_key.json").read_text())
        public = base64.b64decode(key["priv_key"]["value"])[32:]
        return hashlib.sha256(public).digest()[:20].hex()

    def _wait_first_block(self, proc: subprocess.Popen[bytes], t0: float) -> None:
        deadline = t0 + self.config.startup_timeout_s
        own_id = self.node_id()
        first_block: float | None = None
        while True:
            if proc.poll() is not None:
                if "address already in use" in self.log_tail(40):
                    raise _PortTaken
                raise ChainError(f"the node exited with code {proc.returncode} during start-up; "
                                 f"last log lines:\n{self.log_tail()}")
            status = self._rpc_status()
            if status is not None and status[1] == own_id and status[0] >= self.config.initial_height:
                if self._grpc_is_ours(own_id):
                    return
                first_block = first_block or time.monotonic()
                if time.monotonic() - first_block > 4.0:
                    # blocks but no gRPC server of ours: the gRPC or REST port is held by another
                    # process (observed: the node keeps running without them instead of exiting)
                    raise _PortTaken
            if time.monotonic() > deadline:
                raise ChainError(f"no block within {self.config.startup_timeout_s:.0f} s; "
                                 f"last log lines:\n{self.log_tail()}")
            time.sleep(0.05)

    def _grpc_is_ours(self, own_id: str) -> bool:
        """True if the gRPC port answers with this node's ID (not another process on a reused port)."""
        if not self._grpc_open():
            return False
        try:
            return self.client().node_id(timeout_s=2.0) == own_id
        except ChainError:
            return False

    def _grpc_open(self) -> bool:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.settimeout(0.5)
            return s.connect_ex(("127.0.0.1", self.state.ports.grpc)) == 0

    def _rpc_status(self) -> tuple[int, str] | None:
        """(latest height, node ID) from the RPC, or None if nothing answers."""
        try:
            with urllib.request.urlopen(f"{self.rpc_url}/status", timeout=2) as resp:
                data = json.load(resp)
            result = data["result"]
            return int(result["sync_info"]["latest_block_height"]), str(result["node_info"]["id"])
        except (OSError, urllib.error.URLError, ValueError, KeyError, TypeError):
            return None

    def rpc_height(self) -> int | None:
        """The latest block height from the RPC, or None if the node does not answer."""
        status = self._rpc_status()
        return status[0] if status else None

    def log_tail(self, lines: int = 15) -> str:
        """The last lines of the node's log."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout_s: float = 15.0) -> bool:
        """Stop the node by its PID (SIGTERM, then SIGKILL); True if a node was running."""
        if self._state is None or self._state.pid is None:
            return False
        pid = self._state.pid
        was_running = pid_alive(pid) and pid_is_node(pid, self.home)
        if was_running:
            signal_group(pid, signal.SIGTERM)
            if not self._wait_exit(pid, timeout_s):
                signal_group(pid, signal.SIGKILL)
                self._wait_exit(pid, 5.0)
        elif self._proc is not None:
            self._proc.poll()
        self._proc = None
        self._write_state(self._state.model_copy(update={"pid": None}))
        return was_running

    def _wait_exit(self, pid: int, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._proc is not None and self._proc.pid == pid:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._proc.wait(timeout=0.1)
                    return True
            elif not pid_alive(pid):
                return True
            else:
                time.sleep(0.1)
        return False

    def _stop_at_exit(self, pid: int) -> None:
        if self._state is not None and self._state.pid == pid:
            with contextlib.suppress(Exception):
                self.stop(timeout_s=5.0)

    def up(self, *, owned: bool = False) -> float:
        """Create a fresh chain and start it; returns the seconds from nothing to the first block."""
        t0 = time.monotonic()
        self.create()
        created = time.monotonic() - t0
        self.start(owned=owned)
        self._write_state(self.state.model_copy(update={"create_seconds": round(created, 3)}))
        return time.monotonic() - t0

    def down(self, *, remove: bool = False) -> bool:
        """Stop the node; with ``remove``, delete the chain's directory too."""
        was = self.stop()
        if remove and self.home.exists() and (self.home / STATE_FILE).exists():
            shutil.rmtree(self.home)
        return was

    def status(self) -> LocalnetStatus:
        """Whether the node runs, its PID and latest height."""
        state = self.state
        running = self.is_running()
        return LocalnetStatus(
            home=str(self.home), chain_id=state.config.chain_id, running=running,
            pid=state.pid if running else None, height=self.rpc_height() if running else None,
            ports=state.ports, accounts={a.name: a.address for a in state.accounts},
        )


class _PortTaken(Exception):
    """The node could not bind a port."""


def _base(account: dict[str, Any]) -> dict[str, Any]:
    base: dict[str, Any] = account.get("base_account", account)
    return base


@contextlib.contextmanager
def running_localnet(config: LocalnetConfig, *, remove: bool = False) -> Iterator[Localnet]:
    """A fresh chain for the duration of a ``with`` block (owned by this process)."""
    net = Localnet(config)
    net.up(owned=True)
    try:
        yield net
    finally:
        net.down(remove=remove)
