"""The localnet manager: start-up time, loopback-only ports, status, stop by PID, crash clean-up.

Oracles: the operating system (/proc/net/tcp for listening sockets, the process table for PIDs) and
the node's own status RPC.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gasmodel.chain.localnet import Localnet, LocalnetConfig, LocalnetPorts
from gasmodel.errors import ChainError

pytestmark = pytest.mark.localnet


def _listening(pid: int) -> set[tuple[str, int]]:
    """(address, port) of every TCP socket the process listens on (Linux /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    out = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            cols = line.split()
            if cols[3] != "0A" or cols[9] not in inodes:  # 0A = LISTEN
                continue
            addr_hex, port_hex = cols[1].split(":")
            if table == "tcp":
                addr = socket.inet_ntop(socket.AF_INET, bytes.fromhex(addr_hex)[::-1])
            else:
                raw = b"".join(bytes.fromhex(addr_hex[i:i + 8])[::-1] for i in range(0, 32, 8))
                addr = socket.inet_ntop(socket.AF_INET6, raw)
            out.add((addr, int(port_hex, 16)))
    return out


def _gasmodel(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gasmodel", *args], capture_output=True, text=True,
                          timeout=timeout, check=False)


def _wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return True
        if stat.rsplit(")", 1)[-1].split()[0] == "Z":
            return True
        time.sleep(0.1)
    return False


def test_session_chain_starts_fast_and_listens_on_loopback_only(
        localnet: Localnet, localnet_startup_seconds: float) -> None:
    state = localnet.state
    assert localnet_startup_seconds < 10
    assert state.create_seconds is not None and state.create_seconds + localnet_startup_seconds < 10
    status = localnet.status()
    assert status.running and status.pid == state.pid
    assert status.height is not None and status.height >= localnet.config.initial_height
    sockets = _listening(status.pid)
    assert sockets, "the node listens on nothing?"
    assert {addr for addr, _ in sockets} == {"127.0.0.1"}, sockets
    ports = {port for _, port in sockets}
    p = state.ports
    assert {p.rpc, p.p2p, p.grpc, p.api} <= ports <= {p.rpc, p.p2p, p.grpc, p.api, p.abci}


def test_status_from_the_state_file_and_the_cli(localnet: Localnet) -> None:
    again = Localnet.open(localnet.home)
    st = again.status()
    assert st.running and st.pid == localnet.state.pid
    assert set(st.accounts) == {"faucet", "alice", "bob", "carol"}
    done = _gasmodel("localnet", "status", "--home", str(localnet.home), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["running"] is True and data["ports"]["grpc"] == localnet.state.ports.grpc
    assert data["height"] >= localnet.config.initial_height


def test_cli_up_down_by_pid_then_crash_of_the_owner_stops_the_node(tmp_path: Path,
                                                                   localnet: Localnet) -> None:
    home = tmp_path / "second"
    up = _gasmodel("localnet", "up", "--home", str(home), "--account", "dave:secp256k1:1000", "--json")
    assert up.returncode == 0, up.stderr
    st = json.loads(up.stdout)
    pid = st["pid"]
    assert st["running"] and set(st["accounts"]) == {"faucet", "dave"}
    # two chains side by side, on different ports
    assert localnet.status().running
    assert st["ports"]["grpc"] != localnet.state.ports.grpc
    # the CLI process has exited; the node keeps running until `down` stops it by its PID
    assert not _wait_gone(pid, 0.5)
    down = _gasmodel("localnet", "down", "--home", str(home))
    assert down.returncode == 0 and "stopped" in down.stdout
    assert _wait_gone(pid, 5)
    assert _gasmodel("localnet", "status", "--home", str(home)).returncode == 1
    # a process that owns the chain (as the test fixture does) is killed -9: the node goes too
    script = ("import sys; from gasmodel.chain.localnet import Localnet; n = Localnet.open(sys.argv[1]); "
              "n.start(owned=True); print(n.state.pid, flush=True); import time; time.sleep(600)")
    owner = subprocess.Popen([sys.executable, "-c", script, str(home)], stdout=subprocess.PIPE, text=True)
    try:
        assert owner.stdout is not None
        node_pid = int(owner.stdout.readline())
        assert Localnet.open(home).is_running()
        os.kill(owner.pid, signal.SIGKILL)
        owner.wait(10)
        assert _wait_gone(node_pid, 10), "the node outlived the process that owned it"
    finally:
        if owner.poll() is None:
            owner.kill()
    assert not Localnet.open(home).is_running()
    Localnet.open(home).down(remove=True)
    assert not home.exists()


def test_refuses_busy_ports_and_foreign_directories(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(ChainError, match=f"port {port} \\(grpc\\) on 127.0.0.1 is already in use"):
            Localnet(LocalnetConfig(home=tmp_path / "a", ports=LocalnetPorts(grpc=port))).create()
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(ChainError, match="not empty and holds no localnet"):
        Localnet(LocalnetConfig(home=foreign)).create()
    assert (foreign / "notes.txt").read_text() == "keep me"
    with pytest.raises(ChainError, match="no localnet in"):
        Localnet.open(tmp_path / "nothing")


def test_up_refuses_to_rebuild_a_running_chain(localnet: Localnet) -> None:
    with pytest.raises(ChainError, match="already running"):
        Localnet(localnet.config).create()
    assert localnet.is_running()


@pytest.mark.parametrize(("account", "message"), [
    ("bad name", "--account 'bad name': String should match pattern"),
    ("z:ed25519", "key type must be one of eth_secp256k1, secp256k1"),
    ("z:secp256k1:lots", "AMOUNT must be an integer"),
    ("validator", "the account name 'validator' is reserved"),
])
def test_cli_account_errors_are_one_line(tmp_path: Path, account: str, message: str) -> None:
    done = _gasmodel("localnet", "up", "--home", str(tmp_path / "c"), "--account", account)
    assert done.returncode == 2
    assert done.stderr.startswith("gasmodel: error: ") and message in done.stderr
    assert done.stderr.count("\n") == 1 and not (tmp_path / "c").exists()


def test_a_port_taken_between_create_and_start_is_replaced(tmp_path: Path) -> None:
    """Ports are picked at create time; one taken by another process before start is replaced."""
    net = Localnet(LocalnetConfig(home=tmp_path / "race"))
    net.create()
    taken = net.state.ports.rpc
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", taken))
        squatter.listen()
        try:
            net.start(owned=True)
            assert net.state.ports.rpc != taken
            assert net.status().running and net.client().node_id() == net.node_id()
        finally:
            net.down(remove=True)
