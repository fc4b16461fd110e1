"""Offline tx sizes (gasmodel.chain.txsize) against the sizes the chain recorded for every tx step in
calibration/results, and against the client's own signed bytes.

Oracles: the tx sizes the chain recorded (calibration/results/*.localnet.json), and the length of the
client's real signed tx (cosmpy protobuf encoding, real key and signature).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gasmodel.chain import txsize
from gasmodel.chain.client import ChainClient
from gasmodel.chain.keys import KeyType, derive_key
from gasmodel.chain.types import Coin
from gasmodel.scenario.model import InstantiateStep, load_scenario

ROOT = Path(__file__).resolve().parent.parent
RESULTS = sorted(p for p in (ROOT / "calibration/results").glob("*.json")
                 if json.loads(p.read_text()).get("format") == "gasmodel-scenario-result/1")


def _coins(items: list[dict[str, Any]]) -> list[Coin]:
    return [Coin(denom=c["denom"], amount=int(c["amount"])) for c in items]


def _rebuild(result: dict[str, Any]) -> list[tuple[str, int, int]]:
    """(step name, recorded size, offline size) for every step the chain received as a tx."""
    scenario = load_scenario(ROOT / result["source"])
    accounts = {a["name"]: a for a in result["accounts"]}
    sequences: dict[str, int] = {}
    out = []
    for step in result["steps"]:
        if step.get("tx_size") is None or step.get("stage") not in ("deliver_tx", "check_tx"):
            continue
        sender, addr = step["sender"], step["sender_address"]
        action, target = step["action"], step.get("target") or ""
        if action == "store":
            msg: Any = txsize.store_msg(addr, b"\0" * step["wasm"]["uploaded_size"], gzip=False)
        elif action == "instantiate":
            spec = scenario.steps[step["index"]]
            assert isinstance(spec, InstantiateStep)
            admin = spec.admin
            if admin is not None and admin.startswith("$"):
                admin = addr if admin == "$sender" else accounts[admin[1:]]["address"]
            msg = txsize.instantiate_msg(
                addr,
                int(target.split()[-1]),
                step["msg"],
                label=spec.label or step["name"],
                admin=admin,
                funds=_coins(step["funds"]),
            )
        elif action == "execute":
            msg = txsize.execute_msg(addr, target, step["msg"], funds=_coins(step["funds"]))
        elif action == "migrate":
            contract, code = re.fullmatch(r"(\S+) -> code (\d+)", target).groups()  # type: ignore[union-attr]
            msg = txsize.migrate_msg(addr, contract, int(code), step["msg"])
        elif action == "bank_send":
            msg = txsize.send_msg(addr, target, _coins(step["funds"]))
        else:  # pragma: no cover - results hold no other tx kinds
            raise AssertionError(action)
        seq = sequences.get(sender, 0)
        size = txsize.tx_size(
            [msg],
            key_type=accounts[sender]["key_type"],
            sequence=seq,
            gas_limit=step["gas_wanted"],
            gas_price=result["localnet"]["min_gas_price"],
            denom=result["localnet"]["denom"],
        )
        out.append((step["name"], step["tx_size"], size))
        if step["stage"] == "deliver_tx":
            sequences[sender] = seq + 1
    return out


@pytest.mark.parametrize("path", RESULTS, ids=lambda p: p.name)
def test_sizes_equal_the_chains_recorded_sizes(path: Path) -> None:
    # oracle: the chain's tx_size (len of the bytes it received) in recorded scenario results
    rows = _rebuild(json.loads(path.read_text()))
    assert rows
    wrong = [r for r in rows if r[1] != r[2]]
    assert not wrong, wrong


@settings(max_examples=60, deadline=None)
@given(
    kt=st.sampled_from(list(KeyType)),
    seq=st.integers(0, 2**40),
    limit=st.integers(1, 10**12),
    memo=st.text(max_size=300),
    amount=st.integers(0, 10**30),
    number=st.integers(0, 2**40),
)
def test_size_equals_the_clients_signed_bytes(
    kt: KeyType, seq: int, limit: int, memo: str, amount: int, number: int
) -> None:
    # oracle: the client's real signed tx (real key, real signature); the account number only
    # enters the signature, not the length
    key = derive_key("sizer", kt)
    client = ChainClient.__new__(ChainClient)
    client.chain_id, client.gas_price, client.denom = "gasmodel-1", 160_000_000, "inj"
    msg = txsize.send_msg(key.address, key.address, [Coin(denom="inj", amount=amount)])
    real = client.build_tx(key, [msg], limit, memo, account=(number, seq))
    assert txsize.tx_size([msg], key_type=kt, sequence=seq, gas_limit=limit, memo=memo) == len(real)
