"""Tests that kill mutants of gasmodel/vm/ which survived scripts/mutation.py (see
benchmarks/results/mutation-survivors.md). Oracles: named in each test's docstring
(wabt's wat2wasm pinned by tests/wabt.py, the WebAssembly specification, public sources at tags)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gasmodel.chaintypes import Coin
from gasmodel.compress import gzip_like_cli
from gasmodel.vm.chain import MockChain


def _counter_instance() -> tuple[MockChain, Any]:
    """A mock chain with the counter contract stored (gzipped) and instantiated by "owner"."""
    counter = (Path(__file__).resolve().parent.parent / "contracts/artifacts/counter.wasm").read_bytes()
    mock = MockChain("injective-localnet")
    mock.add_account("owner", balance=[Coin(denom="inj", amount=10**24)])
    code = mock.store_code("owner", gzip_like_cli(counter)).code_id
    assert code is not None
    made = mock.instantiate("owner", code, {"count": 0}, label="counter", admin=mock.address_of("owner"))
    assert made.contract_address is not None
    return mock, made


def test_sending_the_whole_balance_of_a_denom_succeeds() -> None:
    """MockChain._sub_balance 8: a send of exactly the spendable balance is allowed.

    Oracle: cosmos-sdk x/bank (v0.50, x/bank/keeper/send.go ``subUnlockedCoins``): insufficient funds
    only when the spendable balance is less than the amount (``balance.IsLT(amt)``); the fee is paid in
    another denom, so the 500 uatom here are all spendable.
    """
    mock = MockChain("injective-localnet")
    mock.add_account("owner", balance=[Coin(denom="inj", amount=10**24), Coin(denom="uatom", amount=500)])
    to = "inj1qqqsyqcyq5rqwzqfpg9scrgwpugpzysnflx7rp"  # bech32 of bytes 0..19
    report = mock.bank_send("owner", to, [Coin(denom="uatom", amount=500)])
    assert report.ok
    assert mock.balance(to, "uatom") == 500 and mock.balance(mock.address_of("owner"), "uatom") == 0


def test_a_reply_emits_the_reply_event_with_the_contract_address() -> None:
    """wasmd.call_events 23: a reply's own event is ``reply`` with ``_contract_address``.

    Oracle: wasmd's event reference (CosmWasm/wasmd@v0.53.0:EVENTS.md, "Keeper Events", "Reply": an
    event of type ``reply`` whose attribute is ``_contract_address``).
    """
    from gasmodel.vm.wasmd import CustomEvent, EventAttr, call_events

    addr = "inj1qqqsyqcyq5rqwzqfpg9scrgwpugpzysnflx7rp"
    assert call_events("reply", addr) == [CustomEvent("reply", (EventAttr("_contract_address", addr),))]


def test_execute_with_funds_moves_them_and_no_data_is_none() -> None:
    """MockChain._do_execute 18, _unb64 4: funds sent with an execute reach the contract; a response
    without data has no data.

    Oracle: wasmd v0.53.0 x/wasm/keeper/keeper.go ``execute``: the coins are transferred from the
    sender to the contract before the call; the counter contract (contracts/rust/counter/src) returns
    ``Response::new()`` with attributes only, so the message response carries no data.
    """
    mock, made = _counter_instance()
    report = mock.execute(
        "owner", made.contract_address, {"increment": {}}, funds=[Coin(denom="inj", amount=7)]
    )
    assert report.ok and report.data is None
    assert mock.balance(made.contract_address) == 7


def test_secp256r1_recovery_ids_2_and_3_use_r_plus_n() -> None:
    """crypto.secp256r1_recover_pubkey 24: recovery ids 2 and 3 recover from the point with
    x = r + n, so the four ids give four different keys, each of which verifies the signature.

    Oracle: SEC 1 v2 section 4.1.6 (public key recovery: candidate x = r + j*n, then both y parities)
    and the ``cryptography`` package's ECDSA P-256 verification of each recovered key. With r = 6 both
    x = 6 and x = 6 + n lie on the curve (found by trial; a real signature has r < p - n only with
    probability about 2^-128).
    """
    import hashlib

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, utils

    from gasmodel.vm.crypto import secp256r1_recover_pubkey

    digest = hashlib.sha256(b"gasmodel").digest()
    r, s = 6, 12345
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    keys = [secp256r1_recover_pubkey(digest, signature, j) for j in range(4)]
    assert len(set(keys)) == 4
    for key in keys:
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), key)
        der = utils.encode_dss_signature(r, s)
        public.verify(der, digest, ec.ECDSA(utils.Prehashed(hashes.SHA256())))


def test_a_compiled_module_is_stored_in_the_disk_cache_and_read_back(tmp_path: object) -> None:
    """Engine._store 20: a module compiled by one engine is written to the cache folder, and a second
    engine with the same folder loads it from there.

    Oracle: wasmtime's own ``Module.deserialize_file`` reads the stored file (a file that is not a
    serialized module raises); the module is a hand-written empty module, ``00 61 73 6d 01 00 00 00``.
    """
    from pathlib import Path

    import wasmtime

    from gasmodel.vm.engine import Engine

    folder = Path(str(tmp_path))
    wasm = b"\x00asm\x01\x00\x00\x00"
    first = Engine(disk_cache=True, cache_path=folder)
    first.module(wasm)
    (stored,) = folder.glob("*-metered.cwasm")
    wasmtime.Module.deserialize_file(first.metered, str(stored))
    second = Engine(disk_cache=True, cache_path=folder)
    assert second.module(wasm).exports == []


def test_a_query_reports_the_height_it_ran_at() -> None:
    """MockChain._report 58: a query's report carries the chain's current block height.

    Oracle: CometBFT's ABCI ``Query`` answered without a height runs at, and returns, the latest
    block height (cometbft v0.38 abci/types ``ResponseQuery.height``); the instantiate before it ran in
    the same block here.
    """
    mock, made = _counter_instance()
    report = mock.query(made.contract_address, {"get_count": {}})
    assert report.height == mock.block.height == made.height
