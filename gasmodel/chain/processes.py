"""The node as an operating-system process: its binary, free loopback ports, PIDs and signals."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path

from gasmodel.chain.localnet_config import LocalnetPorts, ResolvedPorts
from gasmodel.errors import ChainError


def binary_path() -> Path:
    """The ``injectived`` binary shipped by the ``injective-core`` package."""
    try:
        import injective_core
    except ImportError as exc:
        raise ChainError(
            "the localnet needs the injectived node: pip install 'gasmodel[localnet]' (injective-core)"
        ) from exc
    return Path(injective_core.get_binary_path())


def node_env(binary: Path) -> dict[str, str]:
    env = dict(os.environ)
    lib = str(binary.parent)
    env["LD_LIBRARY_PATH"] = f"{lib}:{env['LD_LIBRARY_PATH']}" if env.get("LD_LIBRARY_PATH") else lib
    return env


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def resolve_ports(ports: LocalnetPorts) -> ResolvedPorts:
    chosen: dict[str, int] = {}
    for name in ("rpc", "p2p", "grpc", "api", "abci"):
        given = getattr(ports, name)
        if given is not None:
            if not port_is_free(given) or given in chosen.values():
                raise ChainError(f"port {given} ({name}) on 127.0.0.1 is already in use")
            chosen[name] = given
    for name in ("rpc", "p2p", "grpc", "api", "abci"):
        if name not in chosen:
            port = free_port()
            while port in chosen.values():  # pragma: no cover - the kernel rarely repeats at once
                port = free_port()
            chosen[name] = port
    return ResolvedPorts(**chosen)


def pid_alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def pid_is_node(pid: int, home: Path) -> bool:
    """True if ``pid`` is an injectived started for ``home`` (guards against a reused PID)."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return pid_alive(pid)  # no /proc (macOS): trust the PID file
    return any(a.endswith(b"injectived") for a in args[:1]) and str(home).encode() in args


def pdeathsig_hook() -> Callable[[], None] | None:
    """A pre-exec hook asking the kernel to SIGTERM the child when this process dies (Linux only).

    ``prctl`` is looked up here, before the fork, so that the child only makes one libc call.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def hook() -> None:  # pragma: no cover - runs in the forked child
        prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return hook


def signal_group(pid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)
