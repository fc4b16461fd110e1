"""A warm offline estimate of a token transfer vs a localnet ``simulate`` of the same tx.

Run: ``python benchmarks/bench_estimate.py [--repeat N] [--no-localnet]``. Times are the best of
``--repeat`` runs (wall clock, milliseconds):

- ``mock execute``: one ``MockChain.execute`` of a cw20-style transfer with a fixed gas limit
  (one metered VM run plus the SDK-side pricing); the chain is warm (module compiled, instrumented);
- ``mock execute + simulate``: the same without a gas limit (simulated first, as the client does);
- ``estimate()``: the whole ``gasmodel.estimate`` call (upload, instantiate, transfer) warm;
- ``localnet simulate``: gRPC ``Simulate`` of the signed transfer tx on a fresh localnet
  (needs ``pip install 'gasmodel[localnet]'``).

Prints each time and the localnet time as a multiple of each offline one (ratio > 1: offline faster).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from _common import ROOT, best_ms

import gasmodel
from gasmodel.chaintypes import Coin
from gasmodel.vm.chain import MockChain

TOKEN = ROOT / "contracts" / "artifacts" / "token.wasm"
RECIPIENT = "inj1qqqsyqcyq5rqwzqfpg9scrgwpugpzysnflx7rp"


def init_msg(owner: str) -> dict[str, Any]:
    return {
        "name": "Gas Token",
        "symbol": "GAS",
        "decimals": 6,
        "mint": None,
        "initial_balances": [{"address": owner, "amount": "1000000000"}],
    }


TRANSFER = {"transfer": {"recipient": RECIPIENT, "amount": "1"}}


def offline(repeat: int) -> dict[str, float]:
    chain = MockChain("injective-localnet")
    owner = chain.add_account("owner", balance=[Coin(denom="inj", amount=10**24)])
    code = chain.store_code("owner", TOKEN.read_bytes()).code_id
    assert code is not None
    contract = chain.instantiate("owner", code, init_msg(owner)).contract_address
    assert contract is not None
    out = {
        "mock execute": best_ms(
            lambda: chain.execute("owner", contract, TRANSFER, gas_limit=400_000), repeat
        ),
        "mock execute + simulate": best_ms(lambda: chain.execute("owner", contract, TRANSFER), repeat),
        "estimate()": best_ms(
            lambda: gasmodel.estimate(TOKEN, instantiate=init_msg("$sender"), execute=TRANSFER), repeat
        ),
    }
    return out


def localnet(repeat: int) -> float | None:
    try:
        import injective_core  # noqa: F401
    except ImportError:
        return None
    from cosmpy.protos.cosmwasm.wasm.v1 import tx_pb2 as wasm_tx

    from gasmodel.chain.localnet import Localnet, LocalnetConfig
    from gasmodel.chain.txsize import encode_json_msg

    with tempfile.TemporaryDirectory(prefix="gasmodel-bench-") as tmp:
        net = Localnet(LocalnetConfig(home=Path(tmp) / "chain"))
        net.up(owned=True)
        try:
            key = net.account("alice").key()
            with net.client() as client:
                code = client.store_code(key, TOKEN.read_bytes()).code_id
                assert code is not None
                inst = client.instantiate(key, code, init_msg(key.address), label="token")
                assert inst.contract_address is not None
                msg = wasm_tx.MsgExecuteContract(
                    sender=key.address, contract=inst.contract_address, msg=encode_json_msg(TRANSFER)
                )
                tx = client.build_tx(key, [msg], 400_000)
                return best_ms(lambda: client.simulate(tx), repeat)
        finally:
            net.down(remove=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-localnet", action="store_true")
    args = parser.parse_args()
    times = offline(args.repeat)
    chain_ms = None if args.no_localnet else localnet(args.repeat)
    for name, ms in times.items():
        ratio = f"   localnet simulate / this = {chain_ms / ms:6.2f}" if chain_ms else ""
        print(f"{name:26} {ms:9.2f} ms{ratio}")
    if chain_ms is not None:
        print(f"{'localnet simulate':26} {chain_ms:9.2f} ms")
    else:
        print("localnet simulate: skipped (no injective-core, or --no-localnet)")


if __name__ == "__main__":
    main()
