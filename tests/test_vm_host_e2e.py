"""End to end: the corpus contracts on vm-core's runtime with gasmodel's host imports.

Oracle: tests/contract_host.py (an independent wasmtime host written for the corpus) runs the
same manifest steps (contracts/manifest.json); every step's result (response, error text, query
answer) and the final storage must agree. The run also checks, per call, that the gas the host
booked is consistent with the import counts: every import call paid ``host_call_cost`` (18_000
CW gas, cosmwasm-vm v2.1.6 / v3.0.x GasConfig) and storage gas arrived as externally used gas.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from contract_host import CHAIN_ID, GENESIS_TIME_NS, SENDER, Chain, decode_address, fill, make_address

from gasmodel.costs import ChainProfile, load_profile
from gasmodel.vm.addresses import Bech32Api
from gasmodel.vm.env import Coin, Env, MessageInfo
from gasmodel.vm.host import HostOptions, make_imports
from gasmodel.vm.runtime import CallResult, Runtime
from gasmodel.vm.storage import ContractStorage

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
MANIFEST = {c["name"]: c for c in json.loads((CONTRACTS / "manifest.json").read_text())["contracts"]}
GAS_LIMIT = 500_000_000_000_000  # CW gas, far above what these calls use


class OneContract:
    """A Backend for one contract: its storage, the profile's bech32 API, no queries."""

    def __init__(self, profile: ChainProfile, address: str) -> None:
        assert profile.costs.store is not None and profile.costs.wasmd is not None
        self.storage = ContractStorage(decode_address(address), profile.costs.store)
        self.api = Bech32Api(profile.address, profile.costs.wasmd)
        self.gas_multiplier = profile.costs.wasmd.gas_multiplier

    def query_chain(self, request: bytes, gas_limit_cw: int) -> tuple[bytes, int]:
        return b'{"error":{"unsupported_request":{"kind":"test"}}}', 0


class HostRun:
    """The manifest steps on gasmodel's runtime and host."""

    def __init__(self, profile: ChainProfile, name: str) -> None:
        self.profile = profile
        self.address = make_address("contract:" + name)
        self.runtime = Runtime((CONTRACTS / MANIFEST[name]["wasm"]).read_bytes(), profile.costs)
        self.backend = OneContract(profile, self.address)
        self.height = 100
        self.results: list[CallResult] = []

    def env(self) -> bytes:
        return Env(
            chain_id=CHAIN_ID,
            height=self.height,
            time_ns=GENESIS_TIME_NS + self.height * 1_000_000_000,
            contract_address=self.address,
            transaction_index=0,
        ).to_json()

    def _call(self, export: str, args: list[bytes], readonly: bool) -> CallResult:
        imports = make_imports(self.profile, self.backend, HostOptions(readonly=readonly))
        result = self.runtime.call_entry_point(export, args, imports, GAS_LIMIT)
        self.results.append(result)
        return result

    def tx(self, export: str, sender: str, msg: Any, funds: list[dict[str, str]]) -> tuple[bool, Any]:
        self.height += 1
        info = MessageInfo(sender, tuple(Coin(f["denom"], int(f["amount"])) for f in funds))
        mark = self.backend.storage.snapshot()
        result = self._call(export, [self.env(), info.to_json(), json.dumps(msg).encode()], False)
        assert result.outcome == "ok", (result.outcome, result.message)
        assert result.result is not None
        parsed = json.loads(result.result)
        if "ok" in parsed:
            return True, parsed["ok"]
        self.backend.storage.rollback(mark)
        return False, parsed["error"]

    def query(self, msg: Any) -> tuple[bool, Any]:
        result = self._call("query", [self.env(), json.dumps(msg).encode()], True)
        assert result.outcome == "ok", (result.outcome, result.message)
        assert result.result is not None
        parsed = json.loads(result.result)
        if "ok" in parsed:
            return True, json.loads(base64.b64decode(parsed["ok"]))
        return False, parsed["error"]


@pytest.mark.parametrize("profile_name", ["injective-localnet", "upstream-wasmd"])
@pytest.mark.parametrize("name", ["counter", "token", "registry", "crypto", "workload"])
def test_manifest_steps_match_the_reference_host(name: str, profile_name: str) -> None:
    entry = MANIFEST[name]
    profile = load_profile(profile_name)
    # the reference host's accounts are bech32 "inj": give the 3.x profile that prefix too
    profile = profile.model_copy(
        update={"address": profile.address.model_copy(update={"bech32_prefix": "inj"})}
    )
    ref = Chain()
    address = ref.deploy(CONTRACTS / entry["wasm"], name)
    addresses = {name: address}
    run = HostRun(profile, name)
    assert run.address == address

    inst = fill(entry["instantiate"], addresses)
    expected = ref.instantiate(address, SENDER, inst["msg"], inst.get("funds"))
    got = run.tx("instantiate", SENDER, inst["msg"], inst.get("funds") or [])
    assert got == (expected.ok, expected.value if expected.ok else expected.error)

    for step in entry["execute"]:
        if step["expect"] == "out_of_gas":
            continue  # an endless loop: the runtime's own tests cover running out of gas
        step = fill(step, addresses)
        sender = step.get("sender", SENDER)
        funds = step.get("funds") or []
        expected = ref.execute(address, sender, step["msg"], funds)
        got = run.tx("execute", sender, step["msg"], funds)
        assert got == (expected.ok, expected.value if expected.ok else expected.error), step
        assert got[0] == (step["expect"] == "ok")

    for step in entry.get("query", []):
        step = fill(step, addresses)
        expected = ref.query(address, step["msg"])
        got = run.query(step["msg"])
        assert got == (expected.ok, expected.value if expected.ok else expected.error), step
        if step.get("answer") is not None:
            assert got[1] == step["answer"]

    assert dict(run.backend.storage.items()) == ref.contracts[address].storage

    # every import call paid the host-call cost (and crypto calls their price: secp256k1_verify
    # 96e6, recover 194e6, ed25519_verify 35e6, batch >= 24e6);
    # storage gas came back as external gas
    floor = {
        "secp256k1_verify": 96_000_000,
        "secp256k1_recover_pubkey": 194_000_000,
        "ed25519_verify": 35_000_000,
        "ed25519_batch_verify": 24_000_000,
    }
    for result in run.results:
        for import_name, stats in result.imports.items():
            assert stats.gas >= (18_000 + floor.get(import_name, 0)) * stats.calls, import_name
        if any(n.startswith("db_") for n in result.imports):
            assert result.gas_used_externally > 0
            assert result.gas_used_externally % 140_000 == 0
