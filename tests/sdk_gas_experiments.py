"""Designed localnet experiments for the SDK-side gas model, and the model's prediction for each.

Each experiment is a tx that differs from another in one variable (key type, first or later tx,
memo, number of messages, balance digits, fee digits, recipient existence, label, admin, funds).
:func:`run_experiments` runs them on a localnet and records, per tx, everything the model needs
(chain state before the tx: balances, the fee receiver's balance, the signer's account number and
sequence) with what the chain reported. :func:`predict` is the model's SDK-side gas for a row:
exact for bank sends, uploads and refused migrations; for contract calls it leaves the VM's part
(see :func:`vm_residual`). Used by tests/test_ante_model.py on the recorded
calibration/results/sdk-gas.json, and by tests/test_sdk_gas_localnet.py on a fresh chain.

Regenerate the recorded file: ``python tests/sdk_gas_experiments.py`` (starts its own chain).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgSend
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as ProtoCoin

from gasmodel.chain import txsize
from gasmodel.chain.keys import KeyType, decode_bech32, derive_key
from gasmodel.chain.localnet import AccountSpec, Localnet, LocalnetConfig, running_localnet
from gasmodel.chain.types import Coin, TxResult
from gasmodel.compress import gzip_like_cli
from gasmodel.costs.profile import ChainProfile
from gasmodel.errors import ChainError
from gasmodel.scenario.runner import load_wasm
from gasmodel.vm import ante as A
from gasmodel.vm import wasmd as W

ROOT = Path(__file__).resolve().parent.parent
COUNTER = ROOT / "tests/data/counter.wat"
ECHO = ROOT / "tests/data/sdk_echo.wat"
RESULT = ROOT / "calibration/results/sdk-gas.json"
SIGNERS = {  # name -> (key type, initial balance): 21 and 28 digits
    "e20": (KeyType.ETH_SECP256K1, 10**20), "e27": (KeyType.ETH_SECP256K1, 10**27),
    "s20": (KeyType.SECP256K1, 10**20), "s27": (KeyType.SECP256K1, 10**27),
}  # fmt: skip
GAS = 400_000


def _accounts() -> list[AccountSpec]:
    return [
        AccountSpec(name="faucet"),
        *(AccountSpec(name=n, key_type=kt, balance=b) for n, (kt, b) in SIGNERS.items()),
    ]


def run_experiments(net: Localnet) -> dict[str, Any]:
    """Run the designed txs on ``net`` (fresh, accounts from :func:`localnet_config`); the record."""
    client = net.client()
    wasm = load_wasm(COUNTER)
    rows: list[dict[str, Any]] = []
    state: dict[str, Any] = {"fee_receiver": None}
    faucet = net.account("faucet").address

    def tx(
        tag: str, signer: str, msgs: list[Any], *, gas: int = GAS, memo: str = "", **extra: Any
    ) -> TxResult:
        key = net.account(signer).key()
        number, seq = client.account(key.address)
        before: dict[str, int | None] = {"payer": client.balance(key.address)}
        recv = state["fee_receiver"]
        before["fee_receiver"] = client.balance(recv) if recv else None
        for name, addr in extra.pop("watch", {}).items():
            before[name] = client.balance(addr)
        offline_size = txsize.tx_size(
            msgs,
            key_type=SIGNERS[signer][0],
            sequence=seq,
            gas_limit=gas,
            memo=memo,
            gas_price=client.gas_price,
            denom=client.denom,
        )
        # what a Simulate of the same tx (with the client's probe limit) reports, on the same state
        probe = client.max_gas_limit or 30_000_000
        sim_bytes = client.build_tx(key, msgs, probe, memo, (number, seq))
        try:
            simulated: int | None = client.simulate(sim_bytes)
        except ChainError as exc:  # a failing tx: the chain's text still says the gas used
            used = re.search(r"gas used: '(\d+)'", str(exc))
            simulated = int(used.group(1)) if used else None
        r = client.submit(key, msgs, gas_limit=gas, memo=memo)
        if recv is None:
            fee_evt = next(e for e in r.events if e.type == "coin_received")
            state["fee_receiver"] = fee_evt.get("receiver")
            # its balance before the first tx: after minus this tx's fee
            before["fee_receiver"] = client.balance(state["fee_receiver"]) - gas * client.gas_price
        rows.append(
            {
                "tag": tag,
                "signer": signer,
                "key_type": SIGNERS[signer][0].value,
                "address": key.address,
                "account_number": number,
                "sequence": seq,
                "memo": memo,
                "gas_limit": gas,
                "balances": before,
                "height": r.height,
                "code": r.code,
                "log": r.raw_log[:200],
                "tx_size": r.tx_size,
                "tx_size_offline": offline_size,
                "simulated": simulated,
                "sim_size": len(sim_bytes),
                "probe_limit": probe,
                "gas_used": r.gas_used,
                "contract": r.contract_address,
                "code_id": r.code_id,
                **extra,
            }
        )
        return r

    def send(frm: str, to: str, amount: int = 1) -> MsgSend:
        return MsgSend(
            from_address=net.account(frm).address,
            to_address=to,
            amount=[ProtoCoin(denom="inj", amount=str(amount))],
        )

    for s in SIGNERS:
        tx("send", s, [send(s, faucet)], sends=[{"to": "faucet", "amount": 1}], watch={"faucet": faucet})
        tx("send", s, [send(s, faucet)], sends=[{"to": "faucet", "amount": 1}], watch={"faucet": faucet})
        tx(
            "send-memo",
            s,
            [send(s, faucet)],
            memo="x" * 17,
            sends=[{"to": "faucet", "amount": 1}],
            watch={"faucet": faucet},
        )
        tx(
            "send-fee-digits",
            s,
            [send(s, faucet)],
            gas=10 * GAS,
            sends=[{"to": "faucet", "amount": 1}],
            watch={"faucet": faucet},
        )
        tx(
            "send-2",
            s,
            [send(s, faucet), send(s, faucet, 10**9)],
            sends=[{"to": "faucet", "amount": 1}, {"to": "faucet", "amount": 10**9}],
            watch={"faucet": faucet},
        )
        fresh = derive_key(f"fresh-{s}", KeyType.ETH_SECP256K1, "sdk-gas").address
        tx(
            "send-new-account",
            s,
            [send(s, fresh)],
            sends=[{"to": fresh, "amount": 1, "new": True}],
            watch={fresh: fresh},
        )
        rows[-1]["new_account_number"] = client.account(fresh)[0]
        tx("send-again", s, [send(s, fresh)], sends=[{"to": fresh, "amount": 1}], watch={fresh: fresh})
        # runs out of gas inside the MsgSend (eth_secp256k1 signatures cost 20_000 more)
        tx(
            "send-out-of-gas",
            s,
            [send(s, faucet)],
            gas=100_000 if SIGNERS[s][0] is KeyType.ETH_SECP256K1 else 80_000,
            sends=[{"to": "faucet", "amount": 1}],
            watch={"faucet": faucet},
        )
    client_store = tx(
        "store-gzip",
        "e27",
        [_m_store(net, "e27", wasm, True)],
        wasm_len=len(wasm),
        uploaded_len=len(gzip_like_cli(wasm)),
        gzip=True,
        checksum=hashlib.sha256(wasm).hexdigest(),
    )
    tx(
        "store-plain",
        "s27",
        [_m_store(net, "s27", wasm, False)],
        wasm_len=len(wasm),
        uploaded_len=len(wasm),
        gzip=False,
        checksum=hashlib.sha256(wasm).hexdigest(),
    )
    code = client_store.code_id
    for s, label, admin in [
        ("e27", "a", False),
        ("e27", "a" * 20, True),
        ("s27", "a", True),
        ("s20", "b" * 7, False),
    ]:
        r = tx(
            "instantiate",
            s,
            [_m_inst(net, s, code or 1, label, admin)],
            label=label,
            admin=net.account(s).address if admin else "",
            instance=len([x for x in rows if x["tag"] == "instantiate"]) + 1,
        )
        rows[-1]["contract_account_number"] = client.account(r.contract_address or "")[0]
    target = next(x for x in rows if x["tag"] == "instantiate" and x["signer"] == "e27" and x["admin"])
    for s in SIGNERS:
        for _ in range(2):
            tx(
                "execute",
                s,
                [_m_exec(net, s, target["contract"], {"increment": {}})],
                target=target["contract"],
            )
        tx(
            "execute-funds",
            s,
            [_m_exec(net, s, target["contract"], {"increment": {}}, 7)],
            target=target["contract"],
            funds=7,
            watch={"contract": target["contract"]},
        )
        tx("execute-error", s, [_m_exec(net, s, target["contract"], {"fail": {}})], target=target["contract"])
    tx("migrate", "e27", [_m_migr(net, "e27", target["contract"], 2)], target=target["contract"], new_code=2)
    tx(
        "migrate-not-admin",
        "s27",
        [_m_migr(net, "s27", target["contract"], 2)],
        target=target["contract"],
        new_code=2,
    )
    _submessage_experiments(net, client, tx, rows)
    return {
        "format": "gasmodel-sdk-gas/1",
        "chain": client.chain_info().model_dump(mode="json"),
        "fee_receiver": state["fee_receiver"],
        "faucet": faucet,
        "signers": list(SIGNERS),
        "rows": rows,
    }


def _response(messages: list[Any] | None = None, attributes: list[Any] | None = None) -> dict[str, Any]:
    return {"ok": {"messages": messages or [], "attributes": attributes or [], "events": [], "data": None}}


def _wasm_submsg(
    contract: str, msg: Any, reply_on: str = "never", gas_limit: int | None = None
) -> dict[str, Any]:
    body = base64.b64encode(json.dumps(msg, separators=(",", ":")).encode()).decode()
    return {
        "id": 1,
        "payload": "",
        "gas_limit": gas_limit,
        "reply_on": reply_on,
        "msg": {"wasm": {"execute": {"contract_addr": contract, "msg": body, "funds": []}}},
    }


def _bank_submsg(to: str, amount: int) -> dict[str, Any]:
    return {
        "id": 0,
        "payload": "",
        "gas_limit": None,
        "reply_on": "never",
        "msg": {"bank": {"send": {"to_address": to, "amount": [{"denom": "inj", "amount": str(amount)}]}}},
    }


def _submessage_experiments(net: Localnet, client: Any, tx: Any, rows: list[dict[str, Any]]) -> None:
    """The echo contract (tests/data/sdk_echo.wat) returns the response it is sent: sub-messages
    (a bank send, a counter execute with and without reply, gas-limited, failing) and attributes."""
    echo_wasm = load_wasm(ECHO)
    tx(
        "sub-store-echo",
        "e27",
        [_m_store(net, "e27", echo_wasm, True)],
        wasm_len=len(echo_wasm),
        uploaded_len=len(gzip_like_cli(echo_wasm)),
        gzip=True,
        checksum=hashlib.sha256(echo_wasm).hexdigest(),
    )
    echo_code = rows[-1]["code_id"]
    instances = len([x for x in rows if x["tag"] in ("instantiate", "sub-instantiate-echo")])
    r = tx(
        "sub-instantiate-echo",
        "e27",
        [_m_inst(net, "e27", echo_code, "echo", False)],
        label="echo",
        admin="",
        instance=instances + 1,
        code_id_used=echo_code,
    )
    echo = r.contract_address or ""
    rows[-1]["contract_account_number"] = client.account(echo)[0]
    callee = next(x for x in rows if x["tag"] == "instantiate" and x["signer"] == "s27")["contract"]
    faucet = net.account("faucet").address
    count = 0

    def call(tag: str, signer: str, response: dict[str, Any], funds: int = 0, **extra: Any) -> None:
        tx(
            tag,
            signer,
            [_m_exec(net, signer, echo, response, funds)],
            target=echo,
            response=response,
            funds=funds,
            callee=callee,
            callee_count=count,
            watch={"contract": echo, "faucet": faucet},
            **extra,
        )

    call("sub-echo", "e20", _response(), funds=1000)
    call("sub-echo", "s20", _response())
    call("sub-echo-attrs", "e20", _response(attributes=[{"key": "k", "value": "v" * 10}]))
    call("sub-echo-attrs", "s20", _response(attributes=[{"key": "k", "value": "v" * 300}]))
    call("sub-bank", "e20", _response([_bank_submsg(faucet, 1)]))
    call("sub-wasm", "s20", _response([_wasm_submsg(callee, {"increment": {}})]))
    count += 1
    call("sub-wasm-reply", "e20", _response([_wasm_submsg(callee, {"increment": {}}, "always")]))
    count += 1
    call(
        "sub-wasm-reply-limited",
        "s20",
        _response([_wasm_submsg(callee, {"increment": {}}, "always", 150_000)]),
    )
    count += 1
    call("sub-wasm-error-reply", "e20", _response([_wasm_submsg(callee, {"fail": {}}, "error")]))
    # a gas limit too low for the counter: the parent pays the whole limit, the reply sees an error
    call(
        "sub-wasm-out-of-gas-reply",
        "s20",
        _response([_wasm_submsg(callee, {"increment": {}}, "error", 30_000)]),
    )


def _m_store(net: Localnet, s: str, wasm: bytes, gz: bool) -> Any:
    from gasmodel.chain.txsize import store_msg

    return store_msg(net.account(s).address, wasm, gzip=gz)


def _m_inst(net: Localnet, s: str, code: int, label: str, admin: bool) -> Any:
    from gasmodel.chain.txsize import instantiate_msg

    addr = net.account(s).address
    return instantiate_msg(addr, code, {}, label=label, admin=addr if admin else None)


def _m_exec(net: Localnet, s: str, contract: str, msg: Any, funds: int = 0) -> Any:
    from gasmodel.chain.txsize import execute_msg

    return execute_msg(
        net.account(s).address, contract, msg, funds=[Coin(denom="inj", amount=funds)] if funds else []
    )


def _m_migr(net: Localnet, s: str, contract: str, code: int) -> Any:
    from gasmodel.chain.txsize import migrate_msg

    return migrate_msg(net.account(s).address, contract, code, {})


def localnet_config(home: Path) -> LocalnetConfig:
    """The chain the experiments expect: the signers above, default parameters."""
    return LocalnetConfig(home=home, accounts=_accounts())


# ---------------------------------------------------------------------------------------------
# The model's prediction for a recorded row


def _signer(row: dict[str, Any]) -> A.Account:
    return A.Account(
        address=row["address"],
        address_bytes=20,
        account_number=row["account_number"],
        sequence=row["sequence"],
        key_type=row["key_type"],
        pubkey=None if row["sequence"] == 0 else b"\x02" * 33,
    )


def _code(record: dict[str, Any], code_id: int) -> W.StoredCode:
    row = next(r for r in record["rows"] if "store" in r["tag"] and r["code_id"] == code_id)
    return W.StoredCode(code_id, bytes.fromhex(row["checksum"]), row["address"])


def _contract(record: dict[str, Any], address: str) -> W.StoredContract:
    row = next(
        r
        for r in record["rows"]
        if r["tag"].endswith("instantiate-echo") or r["tag"] == "instantiate"
        if r["contract"] == address
    )
    code_id = row.get("code_id_used", 1)
    entry = W.history_entry_bytes(W.HISTORY_INIT, code_id, row["height"], 0, b"{}")
    return W.StoredContract(
        decode_bech32(address),
        code_id,
        row["address"],
        row["admin"],
        row["label"],
        row["height"],
        last_history_len=len(entry),
    )


def predict(
    profile: ChainProfile, record: dict[str, Any], row: dict[str, Any], *, simulate: bool = False
) -> tuple[list[W.Charge], bool]:
    """The SDK-side charges of a recorded tx, and whether they are the whole tx (no VM part);
    ``simulate``: of the simulation of the same tx with the probe gas limit."""
    signer = _signer(row)
    limit = row["probe_limit"] if simulate else row["gas_limit"]
    fee = limit * int(record["chain"]["min_gas_price"].removesuffix("inj"))
    ante = A.ante_charges(
        profile,
        simulate=simulate,
        tx_bytes=row["sim_size"] if simulate else row["tx_size"],
        signer=signer,
        pubkey=b"\x02" * 33,
        fee_amount=fee,
        fee_denom="inj",
        payer_balance=row["balances"]["payer"],
        fee_receiver_balance=row["balances"]["fee_receiver"] or 0,
        memo=row["memo"],
    )
    out = list(ante.charges)
    acct, bal = ante.account_after, ante.payer_balance_after
    tag = row["tag"]
    if tag.startswith("send"):
        recv = dict(row["balances"])
        for s in row["sends"]:
            to = s["to"]
            key = "faucet" if to == "faucet" else to
            out += A.msg_send_charges(
                profile,
                acct,
                bal,
                20,
                recv[key],
                s["amount"],
                "inj",
                new_recipient=(
                    A.NewAccount(to, row.get("new_account_number", 0)) if s.get("new", False) else None
                ),
            )
            bal -= s["amount"]
            recv[key] += s["amount"]
        return out, True
    if tag.startswith("sub-"):
        return out + _predict_submessage(profile, record, row, acct, bal, W.total(out)), False
    if tag.startswith("store"):
        out += W.store_code_charges(
            profile,
            uploaded_len=row["uploaded_len"],
            wasm_len=row["wasm_len"],
            gzipped=row["gzip"],
            code_id=row["code_id"],
            checksum=bytes.fromhex(row["checksum"]),
            creator=row["address"],
            first_code=row["code_id"] == 1,
        )
        return out, True
    if tag == "instantiate":
        contract = row["contract"]
        before, after = W.instantiate_charges(
            profile,
            code=_code(record, 1),
            contract=decode_bech32(contract),
            creator=decode_bech32(row["address"]),
            creator_bech32=row["address"],
            admin=row["admin"],
            label=row["label"],
            msg=b"{}",
            height=row["height"],
            first_instance=row["instance"] == 1,
            new_account=A.new_account_charges(
                profile, "keeper", contract, 20, row["contract_account_number"]
            ),
        )
        return out + before + after, False
    if tag.startswith("execute"):
        funds: list[W.Charge] = []
        if tag == "execute-funds":
            funds = A.bank_send_charges(
                profile,
                A.Holder(20, bal, acct),
                A.Holder(20, row["balances"]["contract"]),
                row["funds"],
                "inj",
                group="funds",
            )
        msg = b'{"fail":{}}' if tag == "execute-error" else b'{"increment":{}}'
        out += W.execute_charges(
            profile,
            contract=_contract(record, row["target"]),
            code=_code(record, 1),
            msg=msg,
            funds_transfer=funds,
        )
        return out, False
    if tag == "migrate-not-admin":
        return out + W.not_admin_charges(profile, _contract(record, row["target"])), True
    if tag == "migrate":
        before, after = W.migrate_charges(
            profile,
            contract=_contract(record, row["target"]),
            old_code=_code(record, 1),
            new_code=_code(record, row["new_code"]),
            msg=b"{}",
            height=row["height"],
        )
        return out + before + after, False
    raise AssertionError(f"unknown experiment {tag}")


# What the counter contract (tests/data/counter.wat) does besides Wasm compute, known from its
# source: the count under key "count" as decimal digits, one attribute, a fixed JSON result.
_OK = b'{"ok":{"messages":[],"attributes":[{"key":"action","value":"%s"}],"events":[],"data":null}}'
_COUNTER_RESULTS: dict[str, tuple[str | None, bytes]] = {
    "instantiate": ("instantiate", _OK % b"instantiate"),
    "execute": ("increment", _OK % b"increment"),
    "migrate": ("migrate", _OK % b"migrate"),
    "execute-error": (None, b'{"error":"counter: failure requested"}'),
}


def counter_non_compute(profile: ChainProfile, record: dict[str, Any], row: dict[str, Any]) -> list[W.Charge]:
    """The counter's storage (KV gas on the contract's prefixed keys), events and response
    deserialization for a contract-call row: with them, the rest of the tx is Wasm compute."""
    store = profile.costs.store
    assert store is not None
    kv = W.Kv(store, "contract")
    tag = row["tag"]
    kind = "execute" if tag == "execute-funds" else tag
    action, result = _COUNTER_RESULTS[kind]
    address = row["contract"] if kind == "instantiate" else row["target"]
    key = len(W.contract_store_prefix(decode_bech32(address))) + len("count")
    out: list[W.Charge] = []
    if kind == "instantiate":
        out.append(kv.set("count", key, 1))
    elif kind == "execute":
        earlier = record["rows"][: record["rows"].index(row)]
        done = sum(
            1
            for r in earlier
            if r["tag"] in ("execute", "execute-funds") and r["code"] == 0 and r["target"] == row["target"]
        )
        out += [kv.get("count", key, len(str(done))), kv.set("count", key, len(str(done + 1)))]
    if action is not None:
        out += W.response_charges(profile, [W.EventAttr("action", action)])
    # VM gas 0 here: only the deserialization part of consumeRuntimeGas
    out += [c for c in W.runtime_charge(profile, 0, len(result)) if c.name != "wasm: vm execution"]
    return out


def _predict_submessage(
    profile: ChainProfile,
    record: dict[str, Any],
    row: dict[str, Any],
    acct: A.Account,
    bal: int,
    used_before: int,
) -> list[W.Charge]:
    """The echo experiments: the echo's execute (its result is its msg), then the dispatch of what
    it returned, then the reply; Wasm compute (the echo's, the counter's) is left out."""
    tag = row["tag"]
    if tag == "sub-store-echo":
        return W.store_code_charges(
            profile,
            uploaded_len=row["uploaded_len"],
            wasm_len=row["wasm_len"],
            gzipped=True,
            code_id=row["code_id"],
            checksum=bytes.fromhex(row["checksum"]),
            creator=row["address"],
        )
    ok_empty = len(json.dumps(_response(), separators=(",", ":")))
    if tag == "sub-instantiate-echo":
        contract = row["contract"]
        before, after = W.instantiate_charges(
            profile,
            code=_code(record, row["code_id_used"]),
            contract=decode_bech32(contract),
            creator=decode_bech32(row["address"]),
            creator_bech32=row["address"],
            admin="",
            label=row["label"],
            msg=b"{}",
            height=row["height"],
            new_account=A.new_account_charges(
                profile, "keeper", contract, 20, row["contract_account_number"]
            ),
        )
        return [*before, *W.runtime_charge(profile, 0, ok_empty)[1:], *after, *W.response_charges(profile)]
    echo = _contract(record, row["target"])
    echo_code = _code(record, echo.code_id)
    response = row["response"]
    msg = json.dumps(response, separators=(",", ":"), ensure_ascii=False).encode()
    funds: list[W.Charge] = []
    if row["funds"]:
        funds = A.bank_send_charges(
            profile,
            A.Holder(20, bal, acct),
            A.Holder(20, row["balances"]["contract"]),
            row["funds"],
            "inj",
            group="funds",
        )
    attrs = [W.EventAttr(a["key"], a["value"]) for a in response["ok"]["attributes"]]
    out = [
        *W.execute_charges(profile, contract=echo, code=echo_code, msg=msg, funds_transfer=funds),
        *W.runtime_charge(profile, 0, len(msg))[1:],
        *W.response_charges(profile, attrs),
    ]
    for sub in response["ok"]["messages"]:
        if "bank" in sub["msg"]:
            send = sub["msg"]["bank"]["send"]
            echo_acct = A.Account(row["target"], 20, _echo_account_number(record, row["target"]))
            out += A.msg_send_charges(
                profile,
                echo_acct,
                row["balances"]["contract"],
                20,
                row["balances"]["faucet"],
                int(send["amount"][0]["amount"]),
                "inj",
            )
            continue
        inner = base64.b64decode(sub["msg"]["wasm"]["execute"]["msg"])
        callee = _contract(record, row["callee"])
        fails = inner == b'{"fail":{}}'
        sub_charges = W.execute_charges(
            profile, contract=callee, code=_code(record, callee.code_id), msg=inner
        )
        key = len(W.contract_store_prefix(callee.address)) + len("count")
        kv = W.Kv(profile.costs.store, "contract")  # type: ignore[arg-type]
        count = row["callee_count"]
        if fails:
            sub_charges += W.runtime_charge(profile, 0, len(_COUNTER_RESULTS["execute-error"][1]))[1:]
        else:
            sub_charges += [
                kv.get("count", key, len(str(count))),
                kv.set("count", key, len(str(count + 1))),
                *W.runtime_charge(profile, 0, len(_COUNTER_RESULTS["execute"][1]))[1:],
                *W.response_charges(profile, [W.EventAttr("action", "increment")]),
            ]
        remaining = row["gas_limit"] - used_before - W.total(out)
        charged, ran_out = W.submessage_gas(sub_charges, sub["gas_limit"], remaining)
        out += charged
        fails = fails or ran_out
        if sub["reply_on"] == "always" or (sub["reply_on"] == "error" and fails):
            events = (
                []
                if fails
                else W.call_events("execute", row["callee"], attributes=[W.EventAttr("action", "increment")])
            )
            out += W.reply_charges(profile, echo, echo_code, error="failed" if fails else None, events=events)
            out += [*W.runtime_charge(profile, 0, ok_empty)[1:], *W.response_charges(profile)]
    return out


def _echo_account_number(record: dict[str, Any], address: str) -> int:
    row = next(r for r in record["rows"] if r["tag"] == "sub-instantiate-echo" and r["contract"] == address)
    return int(row["contract_account_number"])


def vm_residual(profile: ChainProfile, record: dict[str, Any], row: dict[str, Any]) -> int:
    """``gas_used`` minus the model: for contract calls the counter's storage, events and response
    are added (:func:`counter_non_compute`), so what is left is its Wasm compute (the floor of the
    VM's own CW gas / multiplier); 0 for txs without a VM part."""
    charges, whole = predict(profile, record, row)
    if not whole and not row["tag"].startswith("sub-"):
        charges = charges + counter_non_compute(profile, record, row)
    if row["code"] == 11:  # out of gas: the chain reports the meter at the crossing call
        used, ran_out = W.gas_used_within(charges, row["gas_limit"])
        assert ran_out
        return int(row["gas_used"]) - used
    return int(row["gas_used"]) - W.total(charges)


if __name__ == "__main__":  # pragma: no cover - recorder
    with tempfile.TemporaryDirectory() as tmp, running_localnet(localnet_config(Path(tmp) / "chain")) as net:
        rec = run_experiments(net)
    RESULT.write_text(json.dumps(rec, indent=1) + "\n")
    sys.stdout.write(f"wrote {RESULT.relative_to(ROOT)}: {len(rec['rows'])} txs\n")


def compute_by_tag(profile: ChainProfile, record: dict[str, Any]) -> dict[str, set[int]]:
    """:func:`vm_residual` of every row, grouped by experiment (``execute-funds`` with ``execute``)."""
    out: dict[str, set[int]] = {}
    for r in record["rows"]:
        out.setdefault(r["tag"].replace("-funds", ""), set()).add(vm_residual(profile, record, r))
    return out


def composition_problems(profile: ChainProfile, record: dict[str, Any]) -> list[str]:
    """What contradicts the model: a tx without VM part off by any gas, a call whose Wasm compute
    is not one number, or a sub-message tx whose compute is not the sum of its calls' computes."""
    groups = compute_by_tag(profile, record)
    problems = [f"{tag}: {sorted(v)}" for tag, v in groups.items() if len(v) != 1]
    if problems:
        return problems
    c = {tag: next(iter(v)) for tag, v in groups.items()}
    for r in record["rows"]:
        if predict(profile, record, r)[1] and vm_residual(profile, record, r) != 0:
            problems.append(f"{r['tag']} by {r['signer']}: off by {vm_residual(profile, record, r)}")
    echo, counter, fail = c["sub-echo"], c["execute"], c["execute-error"]
    reply = c["sub-wasm-reply"] - echo - counter
    expected = {
        "sub-echo-attrs": echo,
        "sub-bank": echo,
        "sub-wasm": echo + counter,
        "sub-wasm-reply-limited": echo + counter + reply,
        "sub-wasm-error-reply": echo + fail + reply,
        "sub-wasm-out-of-gas-reply": echo + reply,  # the parent pays the sub-message's whole limit
    }
    problems += [f"{t}: compute {c[t]}, expected {v}" for t, v in expected.items() if c[t] != v]
    if not (0 < echo < 20 and 0 <= reply < 20):
        problems.append(f"echo compute {echo}, reply compute {reply}: not a few SDK gas")
    return problems


def simulation_problems(profile: ChainProfile, record: dict[str, Any]) -> list[str]:
    """Rows whose simulated gas is not the model's simulation (with the same Wasm compute as the
    delivered tx: these contracts do not read ``env.transaction``, which simulations lack)."""
    problems = []
    for r in record["rows"]:
        charges, whole = predict(profile, record, r, simulate=True)
        if not whole and not r["tag"].startswith("sub-"):
            charges = charges + counter_non_compute(profile, record, r)
        compute = 0 if whole else vm_residual(profile, record, r)
        if r["simulated"] is None or r["simulated"] != W.total(charges) + compute:
            problems.append(
                f"{r['tag']} by {r['signer']}: simulated {r['simulated']}, model {W.total(charges) + compute}"
            )
    return problems
