"""Env / MessageInfo / MigrateInfo / Reply JSON as wasmvm's Go side writes it.

Oracle: Go ``encoding/json`` behaviour of wasmvm's types (CosmWasm/wasmvm@v2.1.5 and @v3.0.2
types/env.go, types/types.go, types/submessages.go, types/msg.go), written out by hand here:
field order as declared, ``omitempty`` fields absent when empty, ``Array`` as ``[]`` when empty,
``Uint64`` as a string, ``[]byte`` as standard base64, HTML characters escaped.
"""

from __future__ import annotations

from gasmodel.vm.env import (
    Coin,
    Env,
    Event,
    MessageInfo,
    MigrateInfo,
    MsgResponse,
    Reply,
    SubMsgResult,
    go_json_string,
)


def test_env_bytes() -> None:
    env = Env(
        chain_id="injective-777",
        height=12345,
        time_ns=1571797419879305533,
        contract_address="inj1abc",
        transaction_index=3,
    )
    assert env.to_json() == (
        b'{"block":{"height":12345,"time":"1571797419879305533","chain_id":"injective-777"},'
        b'"transaction":{"index":3},"contract":{"address":"inj1abc"}}'
    )


def test_env_without_transaction_and_with_hash() -> None:
    env = Env("c", 1, 2, "a", transaction_index=None)
    assert env.to_json() == (
        b'{"block":{"height":1,"time":"2","chain_id":"c"},"transaction":null,"contract":{"address":"a"}}'
    )
    env = Env("c", 1, 2, "a", transaction_index=0, transaction_hash=b"\x00\x01")
    assert b'"transaction":{"index":0,"hash":"AAE="}' in env.to_json()


def test_message_info() -> None:
    assert MessageInfo("inj1x").to_json() == b'{"sender":"inj1x","funds":[]}'
    info = MessageInfo("inj1x", (Coin("inj", 10**18), Coin("peggy0x", 5)))
    assert info.to_json() == (
        b'{"sender":"inj1x","funds":[{"denom":"inj","amount":"1000000000000000000"},'
        b'{"denom":"peggy0x","amount":"5"}]}'
    )


def test_migrate_info() -> None:
    assert MigrateInfo("a").to_json() == b'{"sender":"a","old_migrate_version":null}'
    assert MigrateInfo("a", 7).to_json() == b'{"sender":"a","old_migrate_version":7}'


def test_reply_ok_and_error() -> None:
    ok = Reply(
        id=1,
        gas_used=55,
        result=SubMsgResult(
            events=(Event("wasm", (("k", "v"),)),),
            data=b"hi",
            msg_responses=(MsgResponse("/x.y", b"\x01"),),
        ),
    )
    assert ok.to_json() == (
        b'{"gas_used":55,"id":1,"result":{"ok":{"events":[{"type":"wasm","attributes":'
        b'[{"key":"k","value":"v"}]}],"data":"aGk=","msg_responses":[{"type_url":"/x.y",'
        b'"value":"AQ=="}]}}}'
    )
    err = Reply(id=2, result=SubMsgResult(error="boom"), payload=b"p")
    assert err.to_json() == b'{"gas_used":0,"id":2,"result":{"error":"boom"},"payload":"cA=="}'
    empty = Reply(id=3, result=SubMsgResult())
    assert empty.to_json() == b'{"gas_used":0,"id":3,"result":{"ok":{"events":[],"msg_responses":[]}}}'


def test_go_string_escaping() -> None:
    # Go: <, >, & and U+2028/2029 as \u escapes; \b and \f as \u0008 / \u000c; non-ASCII raw
    assert go_json_string('a<b>&"\\\n\t\b\f\u2028é') == (
        '"a\\u003cb\\u003e\\u0026\\"\\\\\\n\\t\\u0008\\u000c\\u2028é"'
    )
