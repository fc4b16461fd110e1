"""The mock chain's message and query handling, driven by an echo contract (hand-written WAT).

The contract's ``execute`` and ``sudo`` return their message verbatim as the ``ContractResult``,
so a test makes the VM hand the chain any response (bank sends, sub-messages with a gas limit,
attributes); its ``query`` passes its message to ``query_chain`` and answers ``{}``. Oracles:
wasmd's rules as written in CosmWasm/wasmd@v0.53.3 ``x/wasm/keeper`` (who pays, what is reverted,
what a reply carries), hand derivation of balances, and - for the bank send from a contract - the
chain itself (``pytest -m localnet``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import wasmtime

from gasmodel.chaintypes import Coin
from gasmodel.scenario import scenario_from_data
from gasmodel.scenario.compare import compare_results
from gasmodel.scenario.offline import run_offline
from gasmodel.vm.chain import MockChain

ECHO_WAT = r"""
(module
  (import "env" "query_chain" (func $query_chain (param i32) (result i32)))
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 8192))
  (data (i32.const 1024) "{\22ok\22:{\22messages\22:[],\22attributes\22:[],\22events\22:[],\22data\22:null}}")
  (data (i32.const 2048) "{\22ok\22:\22e30=\22}")
  (func (export "interface_version_8"))
  (func $alloc (export "allocate") (param $size i32) (result i32)
    (local $r i32)
    (local.set $r (global.get $heap))
    (global.set $heap (i32.and (i32.add (i32.add (i32.add (local.get $r) (i32.const 12)) (local.get $size))
                               (i32.const 7)) (i32.const -8)))
    (block $enough
      (loop $grow
        (br_if $enough (i32.le_u (global.get $heap) (i32.shl (memory.size) (i32.const 16))))
        (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))
        (br $grow)))
    (i32.store (local.get $r) (i32.add (local.get $r) (i32.const 12)))
    (i32.store offset=4 (local.get $r) (local.get $size))
    (i32.store offset=8 (local.get $r) (i32.const 0))
    (local.get $r))
  (func (export "deallocate") (param i32))
  (func $region (param $ptr i32) (param $len i32) (result i32)
    (local $r i32)
    (local.set $r (call $alloc (i32.const 0)))
    (i32.store (local.get $r) (local.get $ptr))
    (i32.store offset=4 (local.get $r) (local.get $len))
    (i32.store offset=8 (local.get $r) (local.get $len))
    (local.get $r))
  (func (export "instantiate") (param i32 i32 i32) (result i32)
    (call $region (i32.const 1024) (i32.const 62)))
  (func (export "execute") (param i32 i32 i32) (result i32) (local.get 2))
  (func (export "sudo") (param i32 i32) (result i32) (local.get 1))
  (func (export "reply") (param i32 i32) (result i32)
    (call $region (i32.const 1024) (i32.const 62)))
  (func (export "query") (param i32 i32) (result i32)
    (drop (call $query_chain (local.get 1)))
    (call $region (i32.const 2048) (i32.const 13))))
"""

RECIPIENT = "inj1qqqsyqcyq5rqwzqfpg9scrgwpugpzysnflx7rp"  # never seen by the chain before
BALANCE = 10**24


def _ok(
    messages: list[dict[str, Any]] | None = None, attributes: dict[str, str] | None = None
) -> dict[str, Any]:
    return {
        "ok": {
            "messages": messages or [],
            "attributes": [{"key": k, "value": v} for k, v in (attributes or {}).items()],
            "events": [],
            "data": None,
        }
    }


def _bank_send(
    to: str, amount: int, *, reply_on: str = "never", gas_limit: int | None = None, msg_id: int = 0
) -> dict[str, Any]:
    return {
        "id": msg_id,
        "payload": "",
        "gas_limit": gas_limit,
        "reply_on": reply_on,
        "msg": {"bank": {"send": {"to_address": to, "amount": [{"denom": "inj", "amount": str(amount)}]}}},
    }


@pytest.fixture
def echo() -> tuple[MockChain, str]:
    mock = MockChain("injective-localnet")
    mock.add_account("owner", balance=[Coin(denom="inj", amount=BALANCE)])
    code = mock.store_code("owner", bytes(wasmtime.wat2wasm(ECHO_WAT))).code_id
    assert code is not None
    inst = mock.instantiate("owner", code, {}, funds=[Coin(denom="inj", amount=1000)])
    assert inst.ok and inst.contract_address is not None, inst.error
    return mock, inst.contract_address


def test_a_contract_bank_send_moves_its_coins_and_creates_the_recipient(echo: tuple[MockChain, str]) -> None:
    mock, contract = echo
    report = mock.execute("owner", contract, _ok([_bank_send(RECIPIENT, 5)]))
    assert report.ok, report.error
    assert (mock.balance(contract), mock.balance(RECIPIENT)) == (995, 5)
    assert RECIPIENT in mock.accounts
    assert any(e.type == "transfer" and e.get("recipient") == RECIPIENT for e in report.events)
    assert any(i.category == "bank" for i in report.breakdown)


def test_a_failed_sub_message_is_reverted_and_its_reply_gets_the_redacted_error(
    echo: tuple[MockChain, str],
) -> None:
    mock, contract = echo
    # the contract has 1000inj: the second send fails (insufficient funds), reply_on error catches it
    report = mock.execute(
        "owner",
        contract,
        _ok([_bank_send(RECIPIENT, 600, msg_id=1), _bank_send(RECIPIENT, 600, reply_on="error", msg_id=2)]),
    )
    assert report.ok, report.error
    assert (mock.balance(contract), mock.balance(RECIPIENT)) == (400, 600)
    (reply,) = [c for c in report.calls if c.entry_point == "reply"]
    assert reply.outcome == "ok"
    # without a reply the whole tx fails and nothing moves
    failed = mock.execute("owner", contract, _ok([_bank_send(RECIPIENT, 600)]))
    assert (failed.ok, failed.code) == (False, 5)
    assert "insufficient funds" in (failed.error or "")
    assert (mock.balance(contract), mock.balance(RECIPIENT)) == (400, 600)


def test_a_sub_message_gas_limit_caps_what_it_may_spend(echo: tuple[MockChain, str]) -> None:
    mock, contract = echo
    # a limit far below a bank send's gas: the sub-message runs out, is charged its whole limit
    report = mock.execute(
        "owner", contract, _ok([_bank_send(RECIPIENT, 1, gas_limit=1000, reply_on="always")])
    )
    assert report.ok, report.error
    assert mock.balance(RECIPIENT) == 0
    item = next(i for i in report.breakdown if i.name == "sub-message gas limit")
    assert item.sdk_gas == 1000


def test_sudo_runs_without_a_tx(echo: tuple[MockChain, str]) -> None:
    mock, contract = echo
    owner = mock.address_of("owner")
    seq = mock.accounts[owner].sequence
    report = mock.sudo(contract, _ok(attributes={"action": "sudo"}))
    assert report.ok and report.action == "sudo"
    assert [e.type for e in report.events] == ["sudo", "wasm"]
    assert not any(i.category == "tx" for i in report.breakdown)  # no ante handler
    assert mock.accounts[owner].sequence == seq


def test_query_chain_bank_and_wasm_queries_are_charged_to_the_caller(echo: tuple[MockChain, str]) -> None:
    mock, contract = echo
    bank = mock.query(contract, {"bank": {"balance": {"address": contract, "denom": "inj"}}})
    info = mock.query(contract, {"wasm": {"contract_info": {"contract_addr": contract}}})
    assert bank.ok and info.ok and bank.result == info.result == {}
    for report in (bank, info):
        sub = next(i for i in report.breakdown if i.name == "contract sub-query")
        assert sub.sdk_gas is not None and sub.sdk_gas > 0
        assert report.gas_used == sum(i.sdk_gas or 0 for i in report.breakdown if i.part_of is None)


@pytest.mark.localnet
def test_a_contract_bank_send_costs_what_the_chain_charges(tmp_path: Path) -> None:
    pytest.importorskip("injective_core", reason="the localnet needs pip install 'gasmodel[localnet]'")
    from gasmodel.scenario.localnet import run_on_fresh_localnet

    (tmp_path / "echo.wat").write_text(ECHO_WAT)
    data = {
        "name": "echo",
        "accounts": [{"name": "owner"}, {"name": "other", "key_type": "secp256k1"}],
        "steps": [
            {"name": "store", "action": "store", "wasm": "echo.wat"},
            {"name": "echo", "action": "instantiate", "code_id": "$code:store", "funds": "1000inj"},
            {
                "name": "send",
                "action": "execute",
                "contract": "$contract:echo",
                "msg": _ok([_bank_send(RECIPIENT, 5)], {"action": "send"}),
            },
            {
                "name": "send-again",
                "action": "execute",
                "sender": "other",
                "contract": "$contract:echo",
                "msg": _ok([_bank_send(RECIPIENT, 7, reply_on="always", msg_id=3)]),
            },
            {
                "name": "fail-caught",
                "action": "execute",
                "contract": "$contract:echo",
                "msg": _ok([_bank_send(RECIPIENT, 10**6, reply_on="error", msg_id=4)]),
            },
            {
                "name": "balance",
                "action": "query",
                "contract": "$contract:echo",
                "msg": {"bank": {"balance": {"address": RECIPIENT, "denom": "inj"}}},
            },
        ],
    }
    (tmp_path / "echo.json").write_text(json.dumps(data))
    scenario = scenario_from_data(data, tmp_path, str(tmp_path / "echo.json"))
    chain = run_on_fresh_localnet(scenario, tmp_path / "chain")
    offline = run_offline(scenario)
    rows = compare_results(offline, chain)
    assert all(r.exact for r in rows), [(r.name, r.model, r.chain) for r in rows]
