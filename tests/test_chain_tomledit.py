"""Section-aware edits of the node's TOML files.

Oracles: ``tomllib`` (the standard library's TOML parser) reading the edited text back, and the
hand-written input whose expected edits are spelled out in each test.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from gasmodel.chain.tomledit import set_values
from gasmodel.errors import ChainError

TEXT = """# top comment
proxy_app = "tcp://127.0.0.1:26658"

[rpc]
# the RPC address
laddr = "tcp://127.0.0.1:26657"
pprof_laddr = "localhost:6060"

[p2p]
laddr = "tcp://0.0.0.0:26656"
pex = true

[grpc.privileged]
laddr = ""
"""


def test_edits_only_the_named_table_and_keeps_comments() -> None:
    out = set_values(TEXT, {("", "proxy_app"): "tcp://127.0.0.1:1", ("p2p", "laddr"): "tcp://127.0.0.1:2",
                            ("p2p", "pex"): False, ("rpc", "pprof_laddr"): "",
                            ("grpc.privileged", "laddr"): "x"})
    parsed = tomllib.loads(out)
    assert parsed["proxy_app"] == "tcp://127.0.0.1:1"
    assert parsed["rpc"]["laddr"] == "tcp://127.0.0.1:26657"  # same key, other table: untouched
    assert parsed["p2p"] == {"laddr": "tcp://127.0.0.1:2", "pex": False}
    assert parsed["grpc"]["privileged"]["laddr"] == "x"
    assert "# the RPC address" in out and out.count("\n") == TEXT.count("\n")


def test_a_missing_key_is_an_error_naming_it() -> None:
    with pytest.raises(ChainError, match=r"\[rpc\] nothere"):
        set_values(TEXT, {("rpc", "nothere"): 1}, where="config.toml")


def test_the_real_node_config_files(tmp_path: Path) -> None:
    """The keys the localnet edits exist in the files ``injectived init`` writes."""
    pytest.importorskip("injective_core")
    from gasmodel.chain.localnet import Localnet, LocalnetConfig

    net = Localnet(LocalnetConfig(home=tmp_path / "chain"))
    net.create()  # init + genesis + config edits, no node started
    app = tomllib.loads((net.home / "config" / "app.toml").read_text())
    config = tomllib.loads((net.home / "config" / "config.toml").read_text())
    ports = net.state.ports
    assert app["grpc"]["address"] == f"127.0.0.1:{ports.grpc}"
    assert app["api"]["address"] == f"tcp://127.0.0.1:{ports.api}"
    assert app["json-rpc"]["enable"] is False
    assert app["minimum-gas-prices"] == "160000000inj"
    assert config["p2p"]["laddr"] == f"tcp://127.0.0.1:{ports.p2p}"
    assert config["rpc"]["laddr"] == f"tcp://127.0.0.1:{ports.rpc}"
    assert config["rpc"]["pprof_laddr"] == ""
    assert config["consensus"]["timeout_commit"] == "300ms"
    assert len({ports.rpc, ports.p2p, ports.grpc, ports.api, ports.abci}) == 5
