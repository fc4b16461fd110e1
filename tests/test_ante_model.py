"""The tx-level model (gasmodel.vm.ante + the keeper model) against gas the chain reported.

Oracle: calibration/results/sdk-gas.json, recorded on a fresh Injective localnet by
tests/sdk_gas_experiments.py (txs that differ in one variable at a time, with the chain state
before each). Bank sends, uploads and refused migrations have no VM part: the model must equal
``gas_used`` to the unit, out-of-gas txs included. Contract calls leave the VM's part, which must
not depend on what the VM does not see (key type, first tx, label, admin, funds): with the
counter contract's storage, events and response priced from its source, it is its Wasm compute."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cosmpy.protos.cosmos.auth.v1beta1.auth_pb2 import BaseAccount
from cosmpy.protos.cosmos.crypto.secp256k1.keys_pb2 import PubKey
from google.protobuf.any_pb2 import Any as ProtoAny
from hypothesis import given, settings
from hypothesis import strategies as st
from sdk_gas_experiments import RESULT, composition_problems, predict, vm_residual

from gasmodel.costs import load_profile
from gasmodel.vm import ante as A
from gasmodel.vm.wasmd import total

PROFILE = load_profile("injective-localnet")


@pytest.fixture(scope="module")
def record() -> dict[str, Any]:
    return dict(json.loads(Path(RESULT).read_text()))


def test_txs_without_vm_part_are_exact(record: dict[str, Any]) -> None:
    rows = [r for r in record["rows"] if predict(PROFILE, record, r)[1]]
    assert len(rows) >= 30
    off = [
        (r["tag"], r["signer"], r["gas_used"], vm_residual(PROFILE, record, r))
        for r in rows
        if vm_residual(PROFILE, record, r) != 0
    ]
    assert not off, off


def test_out_of_gas_point_is_exact(record: dict[str, Any]) -> None:
    rows = [r for r in record["rows"] if r["code"] == 11]
    assert len(rows) == 4  # one per signer
    assert all(vm_residual(PROFILE, record, r) == 0 for r in rows)


def test_vm_part_of_contract_calls_depends_only_on_the_call(record: dict[str, Any]) -> None:
    # with the counter's storage, events and response priced, what is left of a contract call is
    # its Wasm compute: one number per call kind whatever the key type, first or later tx, label,
    # admin or funds; a tx with sub-messages and replies is the sum of its calls' computes
    # (the echo contract's execute and reply, the counter's increment or failure)
    assert composition_problems(PROFILE, record) == []


def test_first_tx_pays_for_the_public_key(record: dict[str, Any]) -> None:
    # the same send, first vs second tx of each signer: the difference is the pubkey write and
    # longer account reads, which the model derives (no measured number involved)
    for s in record["signers"]:
        first, second = [r for r in record["rows"] if r["signer"] == s and r["tag"] == "send"][:2]
        diff = first["gas_used"] - second["gas_used"]
        model = total(predict(PROFILE, record, first)[0]) - total(predict(PROFILE, record, second)[0])
        assert diff == model and diff > 10_000


# --- account encoding: against the protobuf library (BaseAccount) and hand derivation (EthAccount)


@settings(max_examples=100, deadline=None)
@given(number=st.integers(0, 2**63), seq=st.integers(0, 2**63), with_key=st.booleans())
def test_base_account_bytes_equal_protobuf(number: int, seq: int, with_key: bool) -> None:
    addr = "inj1kcl4srpplmarwstjspjgpm2k9hp9cc0kx0jkqt"
    key = bytes([2]) + bytes(range(32))
    acct = A.Account(addr, 20, number, seq, "secp256k1", key if with_key else None)
    # type URLs from the protobuf descriptors, not from the model
    pub = ProtoAny(type_url="/" + PubKey.DESCRIPTOR.full_name, value=PubKey(key=key).SerializeToString())
    ref = BaseAccount(address=addr, pub_key=pub if with_key else None, account_number=number, sequence=seq)
    expected = ProtoAny(
        type_url="/" + BaseAccount.DESCRIPTOR.full_name, value=ref.SerializeToString()
    ).SerializeToString()
    assert A.account_bytes("base-account", acct) == expected


def test_eth_account_lengths_hand_derived() -> None:
    # Any{35-char type url, EthAccount{BaseAccount{42-char address, number}, 32-byte code hash}}:
    # 2+35 + 2 + (2 + (2+42 + 2)) + (2+32) = 121; a key adds 2 + (2+45 + 2+35) for eth_secp256k1
    # (2 + (2+31 + 2+35) for secp256k1), sequence 1 adds 2, and both lengths gain a varint byte
    addr = "inj1kcl4srpplmarwstjspjgpm2k9hp9cc0kx0jkqt"
    enc = "injective-eth-account"
    assert len(A.account_bytes(enc, A.Account(addr, 20, 5))) == 121
    assert len(A.account_bytes(enc, A.Account(addr, 20, 5, 1, "eth_secp256k1", b"\x02" * 33))) == 211
    assert len(A.account_bytes(enc, A.Account(addr, 20, 5, 1, "secp256k1", b"\x02" * 33))) == 196
    # sequence 128 takes two varint bytes
    assert len(A.account_bytes(enc, A.Account(addr, 20, 5, 128, "secp256k1", b"\x02" * 33))) == 197


def test_balance_digits_cost_what_the_model_says() -> None:
    # a recipient balance gaining a digit: one more byte read (3), written (30) and copied to the
    # transient store (30) = 63, the slope measured between 10^5, 10^20 and 10^27 balances
    sender = A.Account("inj1kcl4srpplmarwstjspjgpm2k9hp9cc0kx0jkqt", 20, 5, 3, "secp256k1", b"\x02" * 33)

    def gas(recipient_balance: int) -> int:
        return total(A.msg_send_charges(PROFILE, sender, 10**20, 20, recipient_balance, 1, "inj"))

    assert gas(10**7) - gas(10**6) == 63
    assert gas(10**27) - gas(10**20) == 7 * 63


def test_recorded_tx_sizes_equal_the_offline_sizes(record: dict[str, Any]) -> None:
    # oracle: the chain's tx_size; offline: gasmodel.chain.txsize at record time
    assert all(r["tx_size"] == r["tx_size_offline"] for r in record["rows"])


def test_vm_out_of_gas_reports_the_gas_limit() -> None:
    # oracle: the chain (calibration/results/counter.localnet.json, an execute that loops until
    # out of gas reports gas_used == its gas limit)
    from gasmodel.vm.wasmd import Charge, runtime_out_of_gas

    rec = json.loads((Path(RESULT).parent / "counter.localnet.json").read_text())
    oog = next(s for s in rec["steps"] if s["name"] == "out-of-gas")
    before = [Charge("everything before", 123_456)]
    charges = [*before, runtime_out_of_gas(oog["gas_wanted"], total(before))]
    assert total(charges) == oog["gas_used"] == oog["gas_wanted"]


def test_simulations_equal_the_model(record: dict[str, Any]) -> None:
    # oracle: the chain's Simulate of each tx (probe gas limit), recorded before it was delivered;
    # the model drops the tx counter and adds the measured unpriced_per_simulation
    from sdk_gas_experiments import simulation_problems

    assert simulation_problems(PROFILE, record) == []
