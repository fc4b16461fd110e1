"""The mock chain's state model: what a tx leaves behind, rollbacks, simulation, the report's sums.

Oracles: hand derivation from wasmd / Cosmos SDK semantics (a failed message keeps the ante
handler's effects - fee paid, sequence incremented - and drops its own; a simulation leaves no
trace; the fee is gas limit x gas price), and the report's own definition (gas_used is the sum
of the SDK items; the VM parts add up to the call's VM gas).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gasmodel.chaintypes import Coin
from gasmodel.compress import gzip_like_cli
from gasmodel.costs import ChainProfile, load_profile
from gasmodel.report import GasReport
from gasmodel.vm.chain import MockChain
from gasmodel.vm.engine import Engine
from gasmodel.vm.runtime import Runtime

ROOT = Path(__file__).resolve().parent.parent
COUNTER = (ROOT / "contracts" / "artifacts" / "counter.wasm").read_bytes()
BALANCE = 10**24
PRICE = 160_000_000


@pytest.fixture
def chain() -> tuple[MockChain, str, str]:
    """A chain with the counter contract instantiated by ``owner`` (count 0)."""
    mock = MockChain("injective-localnet")
    mock.add_account("owner", balance=[Coin(denom="inj", amount=BALANCE)])
    mock.add_account("other", key_type="secp256k1", balance=[Coin(denom="inj", amount=BALANCE)])
    code = mock.store_code("owner", gzip_like_cli(COUNTER)).code_id
    assert code == 1
    addr = mock.instantiate("owner", code, {"count": 0}, label="counter", admin=mock.address_of("owner"))
    assert addr.ok and addr.contract_address is not None
    return mock, mock.address_of("owner"), addr.contract_address


def _count(mock: MockChain, contract: str) -> int:
    report = mock.query(contract, {"get_count": {}})
    assert report.ok, report.error
    return int(report.result["count"])


def test_a_tx_pays_its_fee_once_and_increments_the_sequence_once(chain: tuple[MockChain, str, str]) -> None:
    mock, owner, contract = chain
    before, seq = mock.balance(owner), mock.accounts[owner].sequence
    report = mock.execute("owner", contract, {"increment": {}})  # simulated first, then delivered
    assert report.ok and report.gas_limit is not None
    assert mock.balance(owner) == before - report.gas_limit * PRICE
    assert mock.accounts[owner].sequence == seq + 1
    assert _count(mock, contract) == 1


def test_a_failed_message_keeps_the_fee_and_sequence_and_drops_its_state(
    chain: tuple[MockChain, str, str],
) -> None:
    mock, _owner, contract = chain
    mock.execute("owner", contract, {"increment": {}})
    other = mock.address_of("other")
    before, seq = mock.balance(other), mock.accounts[other].sequence
    report = mock.execute("other", contract, {"reset": {"count": 10}})  # only the owner may reset
    assert (report.ok, report.code, report.codespace) == (False, 5, "wasm")
    assert report.error is not None and report.error.endswith("execute wasm contract failed")
    assert report.gas_limit == 5_000_000  # a failed simulation: the client's fallback limit
    assert mock.balance(other) == before - 5_000_000 * PRICE
    assert mock.accounts[other].sequence == seq + 1
    assert _count(mock, contract) == 1
    assert report.events == []


def test_out_of_gas_reports_the_limit_and_rolls_back(chain: tuple[MockChain, str, str]) -> None:
    mock, _owner, contract = chain
    ok = mock.execute("owner", contract, {"increment": {}})
    assert ok.ok
    limit = ok.gas_used - 1
    report = mock.execute("owner", contract, {"increment": {}}, gas_limit=limit)
    assert (report.ok, report.outcome, report.code, report.gas_used) == (False, "out_of_gas", 11, limit)
    assert report.error is not None and f"gasWanted: {limit}, gasUsed: {limit}" in report.error
    assert _count(mock, contract) == 1


def test_a_query_changes_nothing_and_is_priced(chain: tuple[MockChain, str, str]) -> None:
    mock, owner, contract = chain
    seq = mock.accounts[owner].sequence
    report = mock.query(contract, {"get_count": {}})
    assert report.ok and report.result == {"count": 0}
    assert report.gas_used > 0 and report.calls and report.calls[0].entry_point == "query"
    assert mock.accounts[owner].sequence == seq


def test_bank_send_creates_the_recipient_and_moves_the_coins(chain: tuple[MockChain, str, str]) -> None:
    mock, owner, _ = chain
    to = "inj1qqqsyqcyq5rqwzqfpg9scrgwpugpzysnflx7rp"  # bech32 of bytes 0..19, never seen by the chain
    assert to not in mock.accounts
    before = mock.balance(owner)
    report = mock.bank_send("owner", to, [Coin(denom="inj", amount=1234)])
    assert report.ok and report.gas_limit is not None
    assert mock.balance(to) == 1234
    assert mock.balance(owner) == before - 1234 - report.gas_limit * PRICE
    assert to in mock.accounts


def _sum_of_items(report: GasReport) -> int:
    return sum(i.sdk_gas or 0 for i in report.breakdown if i.part_of is None)


def test_gas_used_is_the_sum_of_the_breakdown_and_vm_parts_add_up(chain: tuple[MockChain, str, str]) -> None:
    mock, _, contract = chain
    report = mock.execute("owner", contract, {"increment": {}}, gas_limit=400_000)
    assert report.ok
    assert report.gas_used == _sum_of_items(report)
    (call,) = report.calls
    parts = sum(i.cw_gas or 0 for i in report.breakdown if i.part_of == "wasm contract")
    assert parts == call.vm_cw_gas  # operators by category + host-call charges = the VM's own gas
    vm_item = next(i for i in report.breakdown if i.name == "wasm: vm execution")
    assert vm_item.sdk_gas == call.vm_cw_gas // mock.wasmd.gas_multiplier
    assert sum(report.categories.values()) == sum(report.histogram.values()) == call.operators
    assert report.imports == {"db_read": 1, "db_write": 1}
    assert report.unpriced == ["ante: tx size"] and not report.complete  # no tx encoder given


def test_the_report_round_trips_through_json(chain: tuple[MockChain, str, str]) -> None:
    mock, _, contract = chain
    report = mock.execute("owner", contract, {"increment": {}})
    again = GasReport.model_validate_json(report.to_json())
    assert again == report
    assert set(report.model_dump()) >= {
        "gas_used",
        "vm_cw_gas",
        "breakdown",
        "histogram",
        "functions",
        "timings",
    }


def test_two_fresh_chains_give_the_same_reports() -> None:
    def run() -> list[int]:
        mock = MockChain("injective-localnet")
        mock.add_account("a", balance=[Coin(denom="inj", amount=BALANCE)])
        code = mock.store_code("a", COUNTER).code_id
        assert code is not None
        inst = mock.instantiate("a", code, {"count": 3})
        assert inst.contract_address is not None
        return [inst.gas_used, mock.execute("a", inst.contract_address, {"increment": {}}).gas_used]

    assert run() == run()


def test_chains_sharing_compiled_contracts_keep_their_own_memory_limit() -> None:
    # Hand derivation: the counter module declares 17 pages (1.06 MiB) of initial memory, so a
    # profile with a 1 MiB instance limit refuses to instantiate it (wasmtime's limiter), whether or
    # not another chain with the default 32 MiB already compiled it into the shared cache.
    base = load_profile("injective-localnet")
    small = base.model_copy(
        update={"runtime": base.runtime.model_copy(update={"instance_memory_limit_mib": 1})}
    )
    engine, runtimes = Engine(), dict[bytes, Runtime]()

    def instantiate(profile: ChainProfile) -> GasReport:
        mock = MockChain(profile, engine=engine, runtimes=runtimes)
        mock.add_account("owner", balance=[Coin(denom="inj", amount=BALANCE)])
        code = mock.store_code("owner", COUNTER).code_id
        assert code is not None
        return mock.instantiate("owner", code, {"count": 0}, label="counter")

    assert instantiate(base).ok
    refused = instantiate(small)
    assert not refused.ok and "exceeds memory limits" in (refused.error or "")


def test_an_upload_the_chain_refuses_is_refused_with_its_text() -> None:
    mock = MockChain("injective-localnet")
    mock.add_account("a", balance=[Coin(denom="inj", amount=BALANCE)])
    no_memory = b"\0asm\x01\0\0\0"
    report = mock.store_code("a", no_memory)
    assert (report.ok, report.code, report.codespace) == (False, 2, "wasm")
    assert report.error is not None and "Wasm contract must contain exactly one memory" in report.error
    assert mock.codes == {}


def test_migrate_by_a_non_admin_is_unauthorized(chain: tuple[MockChain, str, str]) -> None:
    mock, _, contract = chain
    report = mock.migrate("other", contract, 1, {})
    assert (report.ok, report.code, report.codespace) == (False, 4, "sdk")
    assert report.error is not None and report.error.endswith("can not migrate: unauthorized")
