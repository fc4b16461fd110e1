"""Run the project's Rust contracts in the wasmtime host: manifest examples, state, errors, fuel.

Oracle: each contract's Rust source and the manifest's hand-written examples (expected
responses); wasmtime's own fuel meter and trap codes for the fuel cases.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from pathlib import Path
from typing import Any

import nacl.signing
import pytest
import wasmtime
from contract_host import OTHER, SENDER, Chain, Outcome, compile_module, fill, make_address
from ecdsa import SECP256k1, SigningKey
from ecdsa.util import sigencode_string

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
MANIFEST = json.loads((CONTRACTS / "manifest.json").read_text())
BY_NAME = {c["name"]: c for c in MANIFEST["contracts"]}
M64 = (1 << 64) - 1


def deploy(chain: Chain, name: str, addresses: dict[str, str]) -> str:
    """Stores and instantiates a manifest contract (and what it depends on)."""
    entry = BY_NAME[name]
    for dep in entry.get("depends_on", []):
        if dep not in addresses:
            deploy(chain, dep, addresses)
    address = chain.deploy(CONTRACTS / entry["wasm"], name)
    addresses[name] = address
    outcome = chain.instantiate(address, SENDER, fill(entry["instantiate"]["msg"], addresses))
    assert outcome.ok, outcome.error
    return address


def sender_of(step: dict[str, Any]) -> str:
    return OTHER if step.get("sender") == "$other" else SENDER


@pytest.fixture()
def chain() -> Chain:
    return Chain()


def test_manifest_lists_every_artifact() -> None:
    names = {c["name"] for c in MANIFEST["contracts"]}
    assert names == {"counter", "token", "registry", "workload", "crypto", "caller"}
    for entry in MANIFEST["contracts"]:
        wasm = CONTRACTS / entry["wasm"]
        assert wasm.stat().st_size == entry["size"], entry["name"]
        assert (CONTRACTS / entry["source"] / "src" / "lib.rs").is_file()
        module = compile_module(wasm.read_bytes())
        exports = {e.name for e in module.exports}
        assert {"allocate", "deallocate", "interface_version_8"} <= exports
        assert set(entry["entry_points"]) <= exports
        caps = sorted(e.removeprefix("requires_") for e in exports if e.startswith("requires_"))
        assert caps == sorted(entry["capabilities"]), entry["name"]
        assert all(i.module == "env" for i in module.imports)


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_manifest_examples_run(chain: Chain, name: str) -> None:
    """Every execute meets its expectation in order; every deterministic query answer matches."""
    addresses: dict[str, str] = {}
    address = deploy(chain, name, addresses)
    for step in BY_NAME[name]["execute"]:
        msg = fill(step["msg"], addresses)
        funds = step.get("funds")
        if step["expect"] == "out_of_gas":
            small = Chain(fuel_limit=20_000_000)
            small.contracts = chain.contracts
            with pytest.raises(wasmtime.Trap) as trap:
                small.execute(address, sender_of(step), msg, funds)
            assert trap.value.trap_code == wasmtime.TrapCode.OUT_OF_FUEL
            continue
        outcome = chain.execute(address, sender_of(step), msg, funds)
        assert outcome.ok == (step["expect"] == "ok"), (step, outcome.error)
        if not outcome.ok:
            assert outcome.error
    for step in BY_NAME[name]["query"]:
        outcome = chain.query(address, fill(step["msg"], addresses))
        assert outcome.ok == (step["expect"] == "ok"), (step, outcome.error)
        if "answer" in step:
            assert outcome.value == fill(step["answer"], addresses), step["msg"]


BAD_MESSAGES = [b'{"increment":', b"\xff\xfe", b"[1, 2, 3]", b'"text"', b'{"no_such_message":{}}']


@pytest.mark.parametrize("name", sorted(BY_NAME))
@pytest.mark.parametrize("bad", BAD_MESSAGES)
def test_malformed_messages_give_error_results(chain: Chain, name: str, bad: bytes) -> None:
    """Bad JSON is an {"error": ...} result from every entry point, never a trap."""
    addresses: dict[str, str] = {}
    address = deploy(chain, name, addresses)
    fresh = chain.deploy(CONTRACTS / BY_NAME[name]["wasm"], name + "-fresh")
    for outcome in (
        chain.instantiate(fresh, SENDER, bad),
        chain.execute(address, SENDER, bad),
        chain.query(address, bad),
    ):
        assert not outcome.ok
        assert outcome.error is not None and "Error parsing into type" in outcome.error
        assert json.loads(outcome.raw) == {"error": outcome.error}


# ---- counter -------------------------------------------------------------------------------


def test_counter_state(chain: Chain) -> None:
    address = deploy(chain, "counter", {})
    assert chain.query(address, {"get_count": {}}).value == {"count": 0}
    for expected in (1, 2, 3):
        outcome = chain.execute(address, OTHER, {"increment": {}})
        assert {"key": "count", "value": str(expected)} in outcome.value["attributes"]
    denied = chain.execute(address, OTHER, {"reset": {"count": 100}})
    assert denied.error == "Unauthorized"
    assert chain.query(address, {"get_count": {}}).value == {"count": 3}
    assert chain.execute(address, SENDER, {"reset": {"count": -5}}).ok
    assert chain.query(address, {"get_count": {}}).value == {"count": -5}


def test_fuel_is_deterministic(chain: Chain) -> None:
    """The same call on the same state (same-length env) costs the same fuel, every time."""
    address = deploy(chain, "counter", {})
    fuels = []
    for _ in range(3):
        fuels.append(chain.execute(address, SENDER, {"increment": {}}).fuel)
        assert chain.execute(address, SENDER, {"reset": {"count": 0}}).ok
    assert len(set(fuels)) == 1 and fuels[0] > 10_000


def test_response_json_shape(chain: Chain) -> None:
    address = deploy(chain, "counter", {})
    outcome = chain.execute(address, SENDER, {"increment": {}})
    body = json.loads(outcome.raw)["ok"]
    assert list(body) == ["messages", "attributes", "events", "data"]
    assert body["data"] is None


def test_query_cannot_write(chain: Chain) -> None:
    """A query runs read-only: the answer comes from storage, and nothing changes it."""
    address = deploy(chain, "counter", {})
    before = dict(chain.contracts[address].storage)
    assert chain.query(address, {"get_count": {}}).ok
    assert chain.contracts[address].storage == before


# ---- token ---------------------------------------------------------------------------------


def token_balance(chain: Chain, address: str, who: str) -> int:
    return int(chain.query(address, {"balance": {"address": who}}).value["balance"])


def test_token_transfers_keep_supply(chain: Chain) -> None:
    address = deploy(chain, "token", {})
    recipients = [make_address(f"holder{i}") for i in range(25)]
    for i, who in enumerate(recipients):
        outcome = chain.execute(address, SENDER, {"transfer": {"recipient": who, "amount": str(100 + i)}})
        assert outcome.ok, outcome.error
        event = outcome.value["events"][0]
        assert event["type"] == "token_transfer"
        assert {"key": "to", "value": who} in event["attributes"]
    balances = {who: token_balance(chain, address, who) for who in [SENDER, *recipients]}
    assert balances[recipients[7]] == 107
    supply = int(chain.query(address, {"token_info": {}}).value["total_supply"])
    assert sum(balances.values()) == supply == 1_000_000


def test_token_all_accounts_pagination(chain: Chain) -> None:
    address = deploy(chain, "token", {})
    recipients = [make_address(f"acct{i}") for i in range(35)]
    for who in recipients:
        assert chain.execute(address, SENDER, {"transfer": {"recipient": who, "amount": "1"}}).ok
    seen: list[str] = []
    start_after = None
    while True:
        page = chain.query(address, {"all_accounts": {"start_after": start_after, "limit": 10}}).value
        if not page["accounts"]:
            break
        assert len(page["accounts"]) <= 10
        seen += page["accounts"]
        start_after = page["accounts"][-1]
    assert seen == sorted([SENDER, *recipients])
    capped = chain.query(address, {"all_accounts": {"start_after": None, "limit": 1000}}).value
    assert capped["accounts"] == seen[:30]  # the contract caps a page at 30


def test_token_failures_do_not_change_state(chain: Chain) -> None:
    address = deploy(chain, "token", {})
    before = dict(chain.contracts[address].storage)
    cases = [
        ({"transfer": {"recipient": OTHER, "amount": "1000001"}}, "Insufficient funds"),
        ({"transfer": {"recipient": "cosmos1xyz", "amount": "1"}}, "Invalid address"),
        ({"transfer_from": {"owner": OTHER, "recipient": SENDER, "amount": "1"}}, "No allowance"),
        ({"burn": {"amount": "0"}}, "Invalid zero amount"),
        ({"increase_allowance": {"spender": SENDER, "amount": "5", "expires": None}}, "own account"),
    ]
    for msg, text in cases:
        outcome = chain.execute(address, SENDER, msg)
        assert not outcome.ok and outcome.error is not None and text in outcome.error, outcome.error
    assert chain.contracts[address].storage == before


def test_token_allowance_expiry(chain: Chain) -> None:
    address = deploy(chain, "token", {})
    expires = {"at_height": chain.height + 3}
    msg = {"increase_allowance": {"spender": OTHER, "amount": "50", "expires": expires}}
    assert chain.execute(address, SENDER, msg).ok
    spend = {"transfer_from": {"owner": SENDER, "recipient": OTHER, "amount": "10"}}
    assert chain.execute(address, OTHER, spend).ok
    assert chain.execute(address, OTHER, spend).error == "Allowance is expired"
    allowance = chain.query(address, {"allowance": {"owner": SENDER, "spender": OTHER}}).value
    assert allowance == {"allowance": "0", "expires": expires}


def test_token_send_dispatches_receive_and_reverts_on_failure(chain: Chain) -> None:
    addresses: dict[str, str] = {}
    address = deploy(chain, "token", addresses)
    counter = deploy(chain, "counter", addresses)
    before = dict(chain.contracts[address].storage)
    outcome = chain.execute(address, SENDER, {"send": {"contract": counter, "amount": "5", "msg": "e30="}})
    assert not outcome.ok  # the counter has no `receive`, so the whole send is rolled back
    assert "unknown variant `receive`" in (outcome.error or "")
    assert chain.contracts[address].storage == before


# ---- registry ------------------------------------------------------------------------------


def test_registry_pagination_and_index(chain: Chain) -> None:
    address = deploy(chain, "registry", {})
    names = [f"name-{i:02d}" for i in range(17)]
    for i, name in enumerate(names):
        owner = SENDER if i % 2 == 0 else OTHER
        assert chain.execute(address, owner, {"register": {"name": name, "value": str(i)}}).ok
    listed: list[str] = []
    after = None
    while True:
        page = chain.query(address, {"list": {"start_after": after, "limit": 5}}).value["names"]
        if not page:
            break
        listed += [r["name"] for r in page]
        after = page[-1]["name"]
    assert listed == names
    descending = chain.query(address, {"list": {"start_after": "name-10", "limit": 3, "descending": True}})
    assert [r["name"] for r in descending.value["names"]] == ["name-09", "name-08", "name-07"]
    by_other = chain.query(address, {"names_by_owner": {"owner": OTHER, "start_after": None, "limit": 50}})
    assert by_other.value["names"] == names[1::2]
    assert chain.execute(address, OTHER, {"transfer": {"name": "name-01", "to": SENDER}}).ok
    assert chain.execute(address, SENDER, {"delete": {"name": "name-00"}}).ok
    mine = chain.query(address, {"names_by_owner": {"owner": SENDER, "start_after": "name-01", "limit": 3}})
    assert mine.value["names"] == ["name-02", "name-04", "name-06"]
    assert chain.query(address, {"count": {}}).value == {"count": 16}
    assert chain.query(address, {"resolve": {"name": "name-01"}}).value["record"]["owner"] == SENDER
    # the deleted name left nothing behind in either map
    assert not any(b"name-00" in key for key in chain.contracts[address].storage)


def test_registry_bad_owner_address(chain: Chain) -> None:
    address = deploy(chain, "registry", {})
    assert chain.execute(address, SENDER, {"register": {"name": "abc", "value": "1"}}).ok
    outcome = chain.execute(address, SENDER, {"transfer": {"name": "abc", "to": "INJ1NOTVALID"}})
    assert not outcome.ok and "Cannot canonicalize" in (outcome.error or "")


def test_registry_migrate_changes_bounds(chain: Chain) -> None:
    address = deploy(chain, "registry", {})
    assert chain.execute(address, SENDER, {"register": {"name": "abcd", "value": "1"}}).ok
    assert chain.migrate(address, {"min_name_length": 5, "max_name_length": None}).ok
    config = chain.query(address, {"config": {}}).value
    assert (config["min_name_length"], config["max_name_length"]) == (5, 32)
    short = chain.execute(address, SENDER, {"register": {"name": "wxyz", "value": "2"}})
    assert "outside [5, 32]" in (short.error or "")
    bad = chain.migrate(address, {"min_name_length": 40, "max_name_length": None})
    assert bad.error == "Invalid name length bounds [40, 32]"
    assert chain.query(address, {"resolve": {"name": "abcd"}}).value["record"]["value"] == "1"
    assert not chain.migrate(address, b"{").ok


# ---- workload ------------------------------------------------------------------------------


def spin(n: int) -> int:
    x, acc = 0x9E3779B97F4A7C15, 0
    for i in range(n):
        x ^= (x << 13) & M64
        x ^= x >> 7
        x ^= (x << 17) & M64
        acc = (acc + (x ^ i)) & M64
    return acc


def sort_checksum(n: int) -> int:
    x, items = 2463534242, []
    for _ in range(n):
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        items.append(x)
    return sum((i + 1) * v for i, v in enumerate(sorted(items))) & M64


def fib(n: int) -> int:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def result_of(outcome: Outcome) -> int:
    assert outcome.ok, outcome.error
    return int(next(a["value"] for a in outcome.value["attributes"] if a["key"] == "result"))


def test_workload_results_and_fuel_scale(chain: Chain) -> None:
    address = deploy(chain, "workload", {})
    small = chain.execute(address, SENDER, {"loop": {"n": 1000}})
    large = chain.execute(address, SENDER, {"loop": {"n": 10000}})
    assert result_of(small) == spin(1000) and result_of(large) == spin(10000)
    per_iteration = (large.fuel - small.fuel) / 9000
    assert 5 < per_iteration < 50  # a real loop, not folded away
    assert result_of(chain.execute(address, SENDER, {"sort": {"n": 500}})) == sort_checksum(500)
    fib20 = chain.execute(address, SENDER, {"fibonacci": {"n": 20}})
    assert result_of(fib20) == fib(20)
    assert fib20.fuel > 21891 * 5  # fib(20) makes 21891 calls
    assert chain.query(address, {"last": {}}).value == {"op": "fibonacci", "n": 20, "result": 6765}


def test_workload_memory_and_recursion(chain: Chain) -> None:
    address = deploy(chain, "workload", {})
    pages = chain.execute(address, SENDER, {"allocate_pages": {"pages": 64}})
    assert result_of(pages) == sum(range(64)) + 64
    assert result_of(chain.execute(address, SENDER, {"recurse": {"depth": 5000}})) == 1 + sum(
        d % 256 for d in range(1, 5001)
    )
    too_many = chain.execute(address, SENDER, {"allocate_pages": {"pages": 1000}})
    assert "exceeds the limit" in (too_many.error or "")


def test_workload_debug_reaches_host(chain: Chain) -> None:
    address = deploy(chain, "workload", {})
    outcome = chain.execute(address, SENDER, {"debug": {"message": "ping", "times": 3}})
    assert outcome.debug == ["ping #0", "ping #1", "ping #2"]


def test_infinite_loop_runs_out_of_fuel() -> None:
    chain = Chain(fuel_limit=50_000_000)
    address = deploy(chain, "workload", {})
    before = dict(chain.contracts[address].storage)
    started = time.monotonic()
    with pytest.raises(wasmtime.Trap) as trap:
        chain.execute(address, SENDER, {"infinite_loop": {}})
    assert trap.value.trap_code == wasmtime.TrapCode.OUT_OF_FUEL
    assert time.monotonic() - started < 20
    assert chain.contracts[address].storage == before


# ---- crypto --------------------------------------------------------------------------------


@pytest.mark.parametrize("length", [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000])
def test_crypto_sha256_matches_hashlib(chain: Chain, length: int) -> None:
    address = deploy(chain, "crypto", {})
    data = bytes((i * 7 + length) % 256 for i in range(length))
    b64 = base64.b64encode(data).decode()
    answer = chain.query(address, {"sha256": {"data": b64, "rounds": 3}}).value
    expected = hashlib.sha256(hashlib.sha256(hashlib.sha256(data).digest()).digest()).hexdigest()
    assert answer == {"hash": expected}


def test_crypto_fresh_signatures(chain: Chain) -> None:
    """Signatures made here (not from the manifest) verify; tampered ones do not."""
    address = deploy(chain, "crypto", {})
    key = SigningKey.from_string(hashlib.sha256(b"another key").digest(), curve=SECP256k1)
    message = b"fresh message"
    digest = hashlib.sha256(message).digest()
    sig = key.sign_digest_deterministic(digest, hashfunc=hashlib.sha256, sigencode=sigencode_string)
    pk = key.get_verifying_key().to_string("compressed").hex()
    verify = {"verify_secp256k1": {"message": base64.b64encode(message).decode(), "signature": sig.hex(),
                                   "public_key": pk}}
    assert chain.query(address, verify).value == {"verifies": True}
    tampered = json.loads(json.dumps(verify))
    tampered["verify_secp256k1"]["message"] = base64.b64encode(b"fresh messagE").decode()
    assert chain.query(address, tampered).value == {"verifies": False}
    recovered = {
        chain.query(address, {"recover_pubkey": {"message_hash": digest.hex(), "signature": sig.hex(),
                                                  "recovery_param": p}}).value["public_key"]
        for p in (0, 1)
    }
    assert key.get_verifying_key().to_string("uncompressed").hex() in recovered
    assert len(recovered) == 2
    ed = nacl.signing.SigningKey(hashlib.sha256(b"ed key").digest())
    signed = ed.sign(b"ed message")
    batch = {"verify_ed25519_batch": {
        "messages": [base64.b64encode(b"ed message").decode()],
        "signatures": [base64.b64encode(signed.signature).decode()] * 2,
        "public_keys": [base64.b64encode(bytes(ed.verify_key)).decode()] * 2,
    }}
    assert chain.query(address, batch).value == {"verifies": True}


def test_crypto_bad_inputs_are_errors(chain: Chain) -> None:
    address = deploy(chain, "crypto", {})
    short_hash = {"recover_pubkey": {"message_hash": "00" * 31, "signature": "11" * 64, "recovery_param": 0}}
    assert "error code 3" in (chain.query(address, short_hash).error or "")
    bad_hex = {"verify_secp256k1": {"message": "", "signature": "zz", "public_key": "02"}}
    assert "Invalid hex" in (chain.query(address, bad_hex).error or "")
    mismatched = {"verify_ed25519_batch": {"messages": ["AA==", "AA=="], "signatures": ["AA=="] * 3,
                                           "public_keys": ["AA=="] * 3}}
    assert "error code 7" in (chain.query(address, mismatched).error or "")
    before = dict(chain.contracts[address].storage)
    invalid = {"verify_ed25519": {"message": "AA==", "signature": base64.b64encode(bytes(64)).decode(),
                                  "public_key": base64.b64encode(bytes(32)).decode()}}
    assert chain.execute(address, SENDER, invalid).error == "Signature verification failed"
    assert chain.contracts[address].storage == before


# ---- caller --------------------------------------------------------------------------------


def count_of(chain: Chain, counter: str) -> int:
    return int(chain.query(counter, {"get_count": {}}).value["count"])


def test_caller_submessages_and_replies(chain: Chain) -> None:
    addresses: dict[str, str] = {}
    caller = deploy(chain, "caller", addresses)
    counter = addresses["counter"]
    call = {"call": {"contract_addr": counter, "msg": {"increment": {}}, "id": 7, "reply_on": "always"}}
    outcome = chain.execute(caller, SENDER, call)
    assert outcome.ok, outcome.error
    sub = outcome.value["messages"][0]
    assert sub["reply_on"] == "always" and sub["gas_limit"] is None
    assert json.loads(base64.b64decode(sub["msg"]["wasm"]["execute"]["msg"])) == {"increment": {}}
    assert count_of(chain, counter) == 1
    replies = chain.query(caller, {"replies": {"start_after": None, "limit": None}}).value["replies"]
    assert [(r["id"], r["ok"]) for r in replies] == [(7, True)]
    assert base64.b64decode(replies[0]["payload"]) == (7).to_bytes(8, "big")

    reset = {"reset": {"count": 9}}
    caught = {"call": {"contract_addr": counter, "msg": reset, "id": 8, "reply_on": "error"}}
    assert chain.execute(caller, SENDER, caught).ok
    replies = chain.query(caller, {"replies": {"start_after": 7, "limit": None}}).value["replies"]
    assert [(r["id"], r["ok"], r["error"]) for r in replies] == [(8, False, "Unauthorized")]
    assert count_of(chain, counter) == 1

    before = {a: dict(c.storage) for a, c in chain.contracts.items()}
    uncaught = {"call": {"contract_addr": counter, "msg": {"reset": {"count": 9}}, "id": 9,
                         "reply_on": "success"}}
    assert chain.execute(caller, SENDER, uncaught).error == "Unauthorized"
    assert {a: c.storage for a, c in chain.contracts.items()} == before

    many = {"call_many": {"contract_addr": counter, "msg": {"increment": {}}, "count": 4,
                          "reply_on": "never"}}
    assert chain.execute(caller, SENDER, many).ok
    assert count_of(chain, counter) == 5
    assert chain.query(caller, {"stats": {}}).value == {"owner": SENDER, "calls": 6, "replies": 2}


def test_caller_queries_other_contracts(chain: Chain) -> None:
    addresses: dict[str, str] = {}
    caller = deploy(chain, "caller", addresses)
    counter = addresses["counter"]
    chain.execute(counter, SENDER, {"reset": {"count": 41}})
    smart = {"smart_query": {"contract_addr": counter, "msg": {"get_count": {}}}}
    assert chain.query(caller, smart).value == {"count": 41}
    assert chain.execute(caller, SENDER, {"query_and_store": {"contract_addr": counter,
                                                              "msg": {"get_count": {}}}}).ok
    assert chain.query(caller, {"last_query": {}}).value == {"answer": {"count": 41}}
    missing = {"smart_query": {"contract_addr": make_address("nobody"), "msg": {"get_count": {}}}}
    assert "no_such_contract" in (chain.query(caller, missing).error or "")
    wrong = {"smart_query": {"contract_addr": counter, "msg": {"nope": {}}}}
    assert "Querier contract error" in (chain.query(caller, wrong).error or "")


def test_caller_custom_events(chain: Chain) -> None:
    caller = deploy(chain, "caller", {})
    outcome = chain.execute(caller, SENDER, {"emit": {"events": 4, "attributes": 3}})
    events = outcome.value["events"]
    assert [e["type"] for e in events] == ["caller_custom"] * 4
    assert events[2]["attributes"][3] == {"key": "key2", "value": "value-2-2"}


def test_readme_sizes_match_the_manifest_and_the_artifacts() -> None:
    """contracts/README.md's table, manifest.json and the committed .wasm agree on every size."""
    import re

    readme = (CONTRACTS / "README.md").read_text()
    for entry in json.loads((CONTRACTS / "manifest.json").read_text())["contracts"]:
        actual = (CONTRACTS / entry["wasm"]).stat().st_size
        assert entry["size"] == actual, entry["name"]
        row = re.search(rf"^\| \[{entry['name']}\]\([^)]*\) \| Rust \| ([\d ]+) \|", readme, re.M)
        assert row, f"no README row for {entry['name']}"
        assert int(row.group(1).replace(" ", "")) == actual, entry["name"]
