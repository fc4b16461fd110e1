"""The keeper-side model (gasmodel.vm.wasmd): encoders against the protobuf library, charges against
hand derivations from wasmd v0.53.3 and against gas the chain reported (calibration/results).

Oracles: the protobuf library (cosmpy's generated wasmd types) for the encoders; hand derivations
from CosmWasm/wasmd@v0.53.3 (x/wasm/types/gas_register.go, x/wasm/keeper) for the charges; the gas
the Injective localnet reported (calibration/results/) for whole transactions.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from cosmpy.protos.cosmwasm.wasm.v1 import types_pb2 as wasm_types
from hypothesis import given, settings
from hypothesis import strategies as st

from gasmodel.chain.keys import bech32_address
from gasmodel.costs import load_profile
from gasmodel.vm import wasmd as W

ROOT = Path(__file__).resolve().parent.parent
PROFILE = load_profile("injective-localnet")
ADDR = "inj1s68vdnc9uekdh4ts70s8ne0yevq20728y5mrxf"

labels = st.text(min_size=0, max_size=200)
addresses = st.sampled_from(["", ADDR, "inj1rt2jg90w3eqaf4u5qdclxm4vvhyu0vhfurv0wd", "wasm1" + "q" * 58])
u64 = st.integers(min_value=0, max_value=2**64 - 1)


# --- encoders: the bytes the chain stores, checked against the protobuf library (independent encoder)


@settings(max_examples=200, deadline=None)
@given(code_id=u64, creator=addresses, admin=addresses, label=labels, height=u64, index=u64)
def test_contract_info_bytes_equal_protobuf(
    code_id: int, creator: str, admin: str, label: str, height: int, index: int
) -> None:
    ours = W.contract_info_bytes(code_id, creator, admin, label, height, index)
    pos = wasm_types.AbsoluteTxPosition(block_height=height, tx_index=index)
    ref = wasm_types.ContractInfo(
        code_id=code_id, creator=creator, admin=admin, label=label, created=pos if (height or index) else None
    )
    assert ours == ref.SerializeToString()


@settings(max_examples=100, deadline=None)
@given(
    checksum=st.binary(min_size=32, max_size=32),
    creator=addresses,
    perm=st.sampled_from([1, 3, 4]),
    extra=st.lists(addresses.filter(bool), max_size=3),
)
def test_code_info_bytes_equal_protobuf(checksum: bytes, creator: str, perm: int, extra: list[str]) -> None:
    ours = W.code_info_bytes(checksum, creator, perm, extra)
    ref = wasm_types.CodeInfo(
        code_hash=checksum,
        creator=creator,
        instantiate_config=wasm_types.AccessConfig(permission=perm, addresses=extra),
    )
    assert ours == ref.SerializeToString()


@settings(max_examples=100, deadline=None)
@given(op=st.sampled_from([1, 2]), code_id=u64, height=u64, index=u64, msg=st.binary(max_size=300))
def test_history_entry_bytes_equal_protobuf(
    op: int, code_id: int, height: int, index: int, msg: bytes
) -> None:
    ours = W.history_entry_bytes(op, code_id, height, index, msg)
    pos = wasm_types.AbsoluteTxPosition(block_height=height, tx_index=index)
    ref = wasm_types.ContractCodeHistoryEntry(
        operation=op, code_id=code_id, msg=msg, updated=pos if (height or index) else None
    )
    assert ours == ref.SerializeToString()


def test_wasm_params_bytes_equal_protobuf_and_profile() -> None:
    ref = wasm_types.Params(
        code_upload_access=wasm_types.AccessConfig(permission=3), instantiate_default_permission=3
    ).SerializeToString()
    assert W.wasm_params_bytes() == ref
    # the profile's number is the length of the default params (both Everybody on the localnet)
    assert PROFILE.sdk is not None and PROFILE.sdk.wasm_params_bytes == len(ref)


def test_classic_contract_address_is_the_chains() -> None:
    # oracle: the chain; the first instantiate of code 1 on a fresh localnet (calibration/results)
    steps = json.loads((ROOT / "calibration/results/counter.localnet.json").read_text())["steps"]
    first = next(s for s in steps if s["action"] == "instantiate")
    assert bech32_address(W.classic_contract_address(1, 1, 20)) == first["contract_address"]


def test_keys_have_wasmd_layout() -> None:
    # hand derivation from wasmd v0.53.3 x/wasm/types/keys.go
    c = bytes(range(20))
    assert W.code_key(1) == b"\x01" + (1).to_bytes(8, "big")
    assert W.contract_key(c) == b"\x02" + c
    assert W.history_key(c, 2) == b"\x05" + c + (2).to_bytes(8, "big")
    assert len(W.contract_by_code_key(1, 5, 0, c)) == 1 + 8 + 16 + 20
    assert len(W.contract_by_creator_key(c, 5, 0, c)) == 1 + 1 + 20 + 16 + 20
    assert W.SEQUENCE_CODE_ID_KEY == b"\x04lastCodeId"
    assert W.SEQUENCE_INSTANCE_ID_KEY == b"\x04lastContractId"


# --- gas: hand derivations (SDK KVGasConfig: read 1000 + 3/B, write 2000 + 30/B, has/delete 1000)


def test_store_code_charges_hand_derived() -> None:
    checksum = hashlib.sha256(b"x").digest()
    charges = W.store_code_charges(
        PROFILE, uploaded_len=1200, wasm_len=2000, gzipped=True, code_id=7, checksum=checksum, creator=ADDR
    )
    by = {c.name: c.gas for c in charges}
    assert [c.gas for c in charges if c.name == "keeper: wasm params read"] == [1000 + 3 * (1 + 6)] * 2
    assert by["keeper: uncompress"] == 1200 * 15 // 100
    assert by["wasm: compile"] == 3 * 2000
    assert [c.gas for c in charges if c.name == "keeper: code id sequence read"] == [1000 + 3 * (11 + 8)]
    assert by["keeper: code id sequence write"] == 2000 + 30 * (11 + 8)
    # CodeInfo: 0a 20 <32> 12 2a <42> 2a 02 08 03 = 82 bytes under a 9-byte key
    assert by["keeper: code info write"] == 2000 + 30 * (9 + 82)


def test_setup_cost_pinned_and_not() -> None:
    assert W.setup_cost(PROFILE, "execute", 100).gas == 60_000
    assert W.setup_cost(PROFILE, "execute", 100, pinned=True).gas == 2_000


def test_runtime_charge_floors_the_vm_part_only() -> None:
    # 1 SDK gas = 140_000 CW gas; the response costs 1 SDK gas per byte (wasmvm DeserializeResponse)
    items = W.runtime_charge(PROFILE, 140_000 * 5 + 139_999, result_len=73)
    assert [(c.name, c.gas) for c in items] == [
        ("wasm: vm execution", 5),
        ("wasm: response deserialization", 73),
    ]
    assert [c.gas for c in W.runtime_charge(PROFILE, 139_999, None)] == [0]


def test_event_costs_share_the_free_tier() -> None:
    a = W.EventAttr
    # 2 attributes of 60 bytes: 120 bytes, 100 free -> 20 + 2 x 10
    assert W.event_costs(PROFILE, [a("k" * 10, "v" * 50), a("k" * 10, "v" * 50)]) == 20 + 20
    # attributes use 90 of the free tier; the custom event's 30 bytes use the last 10 free:
    # 20 per event + 6 bytes of type + 20 bytes over + 10 per attribute; the first pays 10 x 1 attribute
    ev = W.CustomEvent("custom", (a("x" * 10, "y" * 20),))
    assert W.event_costs(PROFILE, [a("k" * 40, "v" * 50)], [ev]) == 10 + 20 + 6 + 20 + 10
    assert W.event_costs(PROFILE) == 0


def test_reply_costs() -> None:
    a = W.EventAttr
    ev = W.CustomEvent("wasm", (a("action", "x" * 200),))
    # discounted setup 2000, event type 4 bytes, attribute 206 bytes - 100 free + 10
    assert W.reply_costs(PROFILE, events=[ev]).gas == 2000 + 4 + 106 + 10
    assert W.reply_costs(PROFILE, error="boom", events=[ev]).gas == 2000


def test_gas_used_within_stops_at_the_crossing_call() -> None:
    charges = [W.Charge("a", 3000, (1000, 2000)), W.Charge("b", 500)]
    assert W.gas_used_within(charges, 2500) == (3000, True)
    assert W.gas_used_within(charges, 999) == (1000, True)
    assert W.gas_used_within(charges, 10_000) == (3500, False)


def test_missing_sdk_section_is_named() -> None:
    from gasmodel.errors import ConfigError

    # a profile without an [sdk] section, made so here (not a skip if a shipped one gains one)
    upstream = load_profile("upstream-wasmd").model_copy(update={"sdk": None})
    with pytest.raises(ConfigError, match="no \\[sdk\\] section"):
        W.params_read(upstream)


# --- sub-messages and replies (hand derivation from wasmd v0.53.3 msg_dispatcher.go / events.go)


def test_call_events_of_an_execute_with_attributes_and_a_custom_event() -> None:
    a = W.EventAttr
    evs = W.call_events(
        "execute", ADDR, attributes=[a(" action ", " go ")], events=[W.CustomEvent("moved", (a("to", "x"),))]
    )
    assert [e.type for e in evs] == ["execute", "wasm", "wasm-moved"]
    assert evs[1].attributes == (a("_contract_address", ADDR), a("action", "go"))
    # a reply to it pays: 2000 + type bytes (7 + 4 + 10) + attributes: 4 attrs of
    # _contract_address (17 + 42) x 3 + action/go (8) + to/x (3) = 188 bytes, 88 over the free tier
    assert W.reply_costs(PROFILE, events=evs).gas == 2000 + 21 + 88 + 10 * 5


def test_limited_submessage_charges_the_parent_once_or_the_whole_limit() -> None:
    sub = [W.Charge("a", 3000, (1000, 2000)), W.Charge("b", 500)]
    assert W.submessage_gas(sub, None, 10_000) == (sub, False)
    assert W.submessage_gas(sub, 20_000, 10_000) == (sub, False)  # limit not below what remains
    assert W.submessage_gas(sub, 5_000, 10_000) == ([W.Charge("keeper: limited sub-message", 3500)], False)
    assert W.submessage_gas(sub, 2_000, 10_000) == ([W.Charge("keeper: sub-message out of gas", 2000)], True)
