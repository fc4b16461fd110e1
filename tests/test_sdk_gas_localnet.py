"""The SDK-side gas model judged by a fresh localnet.

Run: ``python -m pytest -m localnet tests/test_sdk_gas_localnet.py``.

The designed experiments of tests/sdk_gas_experiments.py run on a chain of their own. Oracle: the
chain's ``gas_used``, its tx sizes and its stored accounts and contract infos. Txs with no VM part
(bank sends, uploads, a refused migration, out-of-gas sends) must equal the model to the unit; for
contract calls, ``gas_used`` minus the model (and the counter's storage, events and response) is
the Wasm compute, which must be one number per kind of call whatever the signer, key type, first or
later tx, label, admin or funds. The per-step table is written to the test's tmp folder.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from cosmpy.protos.cosmos.auth.v1beta1.query_pb2 import QueryAccountRequest
from cosmpy.protos.cosmwasm.wasm.v1 import query_pb2 as wasm_query
from sdk_gas_experiments import (
    composition_problems,
    localnet_config,
    predict,
    run_experiments,
    simulation_problems,
    vm_residual,
)

from gasmodel.chain.localnet import running_localnet
from gasmodel.costs import load_profile
from gasmodel.vm import ante as A
from gasmodel.vm import wasmd as W

pytestmark = pytest.mark.localnet
PROFILE = load_profile("injective-localnet")


@pytest.fixture(scope="module")
def experiment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], Any]]:
    pytest.importorskip("injective_core", reason="the localnet needs pip install 'gasmodel[localnet]'")
    home = tmp_path_factory.mktemp("sdk-gas") / "chain"
    with running_localnet(localnet_config(home), remove=True) as net:
        record = run_experiments(net)
        table = [
            {
                "tag": r["tag"],
                "signer": r["signer"],
                "sequence": r["sequence"],
                "gas_used": r["gas_used"],
                "model": r["gas_used"] - vm_residual(PROFILE, record, r),
                "vm_compute": vm_residual(PROFILE, record, r),
            }
            for r in record["rows"]
        ]
        (home.parent / "sdk-gas-steps.json").write_text(json.dumps(table, indent=1))
        yield record, net


def test_txs_without_vm_part_equal_the_model(experiment: tuple[dict[str, Any], Any]) -> None:
    record, _ = experiment
    exact = [r for r in record["rows"] if predict(PROFILE, record, r)[1]]
    assert len(exact) >= 30 and sum(r["code"] == 11 for r in exact) == 4
    off = [
        (r["tag"], r["signer"], r["gas_used"], vm_residual(PROFILE, record, r))
        for r in exact
        if vm_residual(PROFILE, record, r) != 0
    ]
    assert not off, off


def test_contract_calls_leave_one_compute_number_per_call(experiment: tuple[dict[str, Any], Any]) -> None:
    # sub-messages (bank send, wasm execute, gas-limited, failing) and replies included
    record, _ = experiment
    assert composition_problems(PROFILE, record) == []


def test_offline_tx_sizes_equal_the_chains(experiment: tuple[dict[str, Any], Any]) -> None:
    record, _ = experiment
    assert all(r["tx_size"] == r["tx_size_offline"] for r in record["rows"])


def test_stored_accounts_and_contract_info_are_byte_exact(experiment: tuple[dict[str, Any], Any]) -> None:
    record, net = experiment
    client = net.client()
    for name in record["signers"]:
        info = net.account(name)
        key = info.key()
        number, seq = client.account(key.address)
        stored = client._ledger.auth.Account(
            QueryAccountRequest(address=key.address)
        ).account.SerializeToString()
        ours = A.account_bytes(
            PROFILE.sdk.account_encoding if PROFILE.sdk else "",
            A.Account(key.address, 20, number, seq, key.key_type.value, key.public_key_compressed),
        )
        assert ours == stored, name
    for row in (r for r in record["rows"] if r["tag"] == "instantiate"):
        resp = client._ledger.wasm.ContractInfo(wasm_query.QueryContractInfoRequest(address=row["contract"]))
        chain = resp.contract_info
        ours = W.contract_info_bytes(chain.code_id, row["address"], row["admin"], row["label"], row["height"])
        assert ours == chain.SerializeToString()


def test_simulations_equal_the_model(experiment: tuple[dict[str, Any], Any]) -> None:
    record, _ = experiment
    assert simulation_problems(PROFILE, record) == []
