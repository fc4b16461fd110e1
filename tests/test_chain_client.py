"""The chain client on the session localnet: both key types, uploads gzipped or not, every tx kind,
and failures recorded as results (code, log, gas) rather than raised.

Oracle: the session localnet itself (balances, events, gas_used and tx bytes as the node returns
them), and sha256 of the tx bytes for the hash the node reports.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest
import wasmtime

from gasmodel.chain.client import ChainClient
from gasmodel.chain.keys import AccountKey, KeyType, decode_bech32, derive_key
from gasmodel.chain.localnet import Localnet
from gasmodel.chain.types import Coin
from gasmodel.compress import gzip_like_cli

pytestmark = pytest.mark.localnet

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Deployed:
    client: ChainClient
    alice: AccountKey  # eth_secp256k1
    bob: AccountKey  # secp256k1
    wasm: bytes
    code_id: int
    contract: str


@pytest.fixture(scope="module")
def deployed(localnet: Localnet) -> Deployed:
    client = localnet.client()
    alice = localnet.account("alice").key()
    bob = localnet.account("bob").key()
    wasm = bytes(wasmtime.wat2wasm((DATA / "counter.wat").read_text()))
    stored = client.store_code(alice, wasm)
    assert stored.ok, stored.raw_log
    assert stored.code_id is not None
    inst = client.instantiate(alice, stored.code_id, {}, label="client-test", admin=alice.address)
    assert inst.ok, inst.raw_log
    assert inst.contract_address is not None
    return Deployed(client, alice, bob, wasm, stored.code_id, inst.contract_address)


def test_key_types_of_the_accounts(deployed: Deployed) -> None:
    assert deployed.alice.key_type is KeyType.ETH_SECP256K1
    assert deployed.bob.key_type is KeyType.SECP256K1


@pytest.mark.parametrize("sender", ["alice", "bob"])
def test_bank_send_with_each_key_type_moves_amount_and_fee(deployed: Deployed, sender: str) -> None:
    c = deployed.client
    key = getattr(deployed, sender)
    to = derive_key(f"receiver-{sender}", "secp256k1", seed="client-test").address
    before = c.balance(key.address)
    tx = c.bank_send(key, to, [Coin(denom="inj", amount=12345)])
    assert tx.ok, tx.raw_log
    assert tx.stage == "deliver_tx" and tx.height > 0 and len(tx.tx_hash) == 64
    assert 0 < tx.gas_used <= tx.gas_wanted
    assert tx.simulated_gas is not None and tx.gas_wanted == -(-tx.simulated_gas * 13 // 10)
    assert c.balance(to) == 12345
    assert before - c.balance(key.address) == 12345 + tx.gas_wanted * c.gas_price
    transfer = tx.events_of("transfer")
    assert any(e.get("recipient") == to and e.get("amount") == "12345inj" for e in transfer)
    assert tx.tx_size == len(tx.tx_bytes) and hashlib.sha256(tx.tx_bytes).hexdigest().upper() == tx.tx_hash


def test_eth_signature_costs_more_than_secp256k1(deployed: Deployed) -> None:
    """Same transfer, same state shape: the eth_secp256k1 signature check costs 21_000, secp256k1 1_000."""
    c = deployed.client
    to = derive_key("sig-cost", "secp256k1", seed="client-test").address
    one = [Coin(denom="inj", amount=1)]
    for key in (deployed.alice, deployed.bob):  # not the first tx of either account, recipient exists
        assert c.bank_send(key, to, [Coin(denom="inj", amount=10**6)]).ok
    a, b, a2, b2 = (c.bank_send(k, to, one) for k in (deployed.alice, deployed.bob) * 2)
    assert all(t.ok for t in (a, b, a2, b2))
    # the eth key's tx bytes are a little longer (10 gas/byte), and its stored public key (a longer
    # type URL) costs a few hundred gas more in account reads
    size_gas = 10 * (a.tx_size - b.tx_size)
    assert a.tx_size > b.tx_size
    assert 20_000 <= a.gas_used - b.gas_used - size_gas < 21_000
    assert (a2.gas_used, b2.gas_used) == (a.gas_used, b.gas_used)  # and exactly the same again


def test_store_gzip_or_plain(deployed: Deployed) -> None:
    c = deployed.client
    gz = c.store_code(deployed.bob, deployed.wasm, gzip=True)
    plain = c.store_code(deployed.bob, deployed.wasm, gzip=False)
    assert gz.ok and plain.ok
    checksum = hashlib.sha256(deployed.wasm).hexdigest()
    assert gz.checksum == plain.checksum == checksum  # the chain stores the uncompressed module
    assert gz.code_id is not None and plain.code_id == gz.code_id + 1
    assert len(gzip_like_cli(deployed.wasm)) < len(deployed.wasm)
    assert gz.tx_size < plain.tx_size and gz.gas_used != plain.gas_used
    assert any(e.get("code_checksum") == checksum for e in gz.events_of("store_code"))


def test_execute_query_raw_query_and_migrate(deployed: Deployed) -> None:
    c = deployed.client
    before = c.smart_query(deployed.contract, {"count": {}})
    assert before.ok and isinstance(before.data, dict)
    n = before.data["count"]
    tx = c.execute(deployed.bob, deployed.contract, {"increment": {}})
    assert tx.ok
    assert any(e.get("action") == "increment" and e.get("_contract_address") == deployed.contract
               for e in tx.events_of("wasm"))
    assert c.smart_query(deployed.contract, {"count": {}}).data == {"count": n + 1}
    raw = c.raw_query(deployed.contract, b"count")
    assert raw.ok and raw.data == n + 1 and raw.raw == str(n + 1)
    assert len(decode_bech32(deployed.contract)) == 20  # 20-byte contract addresses on this chain
    mig = c.migrate(deployed.alice, deployed.contract, deployed.code_id, {})
    assert mig.ok, mig.raw_log
    assert any(e.get("code_id") == str(deployed.code_id) for e in mig.events_of("migrate"))


def test_failures_are_results_with_code_log_and_gas(deployed: Deployed) -> None:
    c = deployed.client
    err = c.execute(deployed.bob, deployed.contract, {"fail": {}})
    assert not err.ok and err.stage == "deliver_tx"
    assert (err.code, err.codespace) == (5, "wasm") and "counter: failure requested" in err.raw_log
    assert err.simulate_error is not None and "counter: failure requested" in err.simulate_error
    assert err.gas_wanted == c.fallback_gas_limit and 0 < err.gas_used < err.gas_wanted

    oog = c.execute(deployed.bob, deployed.contract, {"loop": {}}, gas_limit=250_000)
    assert (oog.code, oog.codespace) == (11, "sdk") and "out of gas" in oog.raw_log
    assert oog.gas_wanted == 250_000 and oog.gas_used >= 250_000 and oog.height > 0

    refused = c.execute(deployed.bob, deployed.contract, {"increment": {}}, gas_limit=1_000)
    assert refused.stage == "check_tx" and refused.code == 11 and refused.height == 0
    assert "out of gas" in refused.raw_log and refused.gas_wanted == 1_000

    not_admin = c.migrate(deployed.bob, deployed.contract, deployed.code_id, {})
    assert not not_admin.ok and "unauthorized" in not_admin.raw_log

    bad = c.store_code(deployed.alice, bytes(wasmtime.wat2wasm((DATA / "no_memory.wat").read_text())))
    assert (bad.code, bad.codespace) == (2, "wasm")
    assert "Wasm contract must contain exactly one memory" in bad.raw_log

    missing = c.smart_query(derive_key("nobody", "secp256k1").address, {"count": {}})
    assert not missing.ok and missing.error and missing.data is None


def test_chain_info_is_self_describing(localnet: Localnet, deployed: Deployed) -> None:
    info = deployed.client.chain_info()
    assert info.chain_id == localnet.config.chain_id
    assert info.versions.app_name == "injective" and info.versions.app_version.startswith("v1.")
    assert info.versions.wasmvm and info.versions.wasmvm.startswith("v2.")
    assert info.versions.wasmd and info.versions.cosmos_sdk
    assert info.auth_params["tx_size_cost_per_byte"] == "10"
    assert info.auth_params["sig_verify_cost_secp256k1"] == "1000"
    assert info.wasm_params["code_upload_access"]["permission"] == "ACCESS_TYPE_EVERYBODY"
    assert info.block_params["max_gas"] == str(localnet.config.max_block_gas)
    assert info.latest_height >= localnet.config.initial_height
