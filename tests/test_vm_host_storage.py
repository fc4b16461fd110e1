"""ContractStorage: ordering, gas on the prefixed key, rollback.

Oracles: a plain sorted dict (hypothesis) for contents and iteration order; cosmos-sdk v0.50
gaskv (store/gaskv/store.go) and KVGasConfig written out by hand for gas: Get 1000 + 3*(k+v),
Set 2000 + 30*(k+v), Delete 1000, seek 30 + 3*(k+v) (30 alone over an empty range); k includes
0x03 + the 20-byte contract address (CosmWasm/wasmd@v0.53.3 x/wasm/types/keys.go).
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gasmodel.costs import load_profile
from gasmodel.vm.storage import ContractStorage, contract_store_prefix

COSTS = load_profile("injective-localnet").costs.store
assert COSTS is not None
ADDR = bytes(20)
P = 21


def test_prefix() -> None:
    assert contract_store_prefix(b"\xaa\xbb") == b"\x03\xaa\xbb"


def test_gas_on_the_prefixed_key() -> None:
    s = ContractStorage(ADDR, COSTS)
    assert s.set(b"key", b"value") == 2000 + 30 * (P + 3 + 5)
    assert s.get(b"key") == (b"value", 1000 + 3 * (P + 3 + 5))
    assert s.get(b"no") == (None, 1000 + 3 * (P + 2))
    assert s.remove(b"key") == 1000
    assert s.remove(b"key") == 1000
    _, gas = s.scan(None, None, True)
    assert gas == 30
    s.set(b"a", b"bc")
    _, gas = s.scan(None, None, True)
    assert gas == 30 + 3 * (P + 1 + 2)
    assert s.next_gas(b"a", b"bc") == 30 + 3 * (P + 3)


def test_rollback() -> None:
    s = ContractStorage(ADDR, COSTS)
    s.set(b"a", b"1")
    mark = s.snapshot()
    s.set(b"a", b"2")
    s.set(b"b", b"3")
    s.remove(b"a")
    s.rollback(mark)
    assert s.items() == [(b"a", b"1")]


keys = st.binary(min_size=0, max_size=4)


@given(
    st.dictionaries(keys, st.binary(max_size=3), max_size=20),
    st.one_of(st.none(), keys),
    st.one_of(st.none(), keys),
    st.booleans(),
)
def test_scan_matches_a_sorted_dict(
    data: dict[bytes, bytes], start: bytes | None, end: bytes | None, asc: bool
) -> None:
    s = ContractStorage(ADDR, COSTS)
    for k, v in data.items():
        s.set(k, v)
    expected = sorted(
        (kv for kv in data.items() if (start is None or kv[0] >= start) and (end is None or kv[0] < end)),
        reverse=not asc,
    )
    it, gas = s.scan(start, end, asc)
    assert list(it) == expected
    first = expected[0] if expected else None
    assert gas == (30 if first is None else 30 + 3 * (P + len(first[0]) + len(first[1])))


def test_iterator_sees_writes_made_during_iteration() -> None:
    s = ContractStorage(ADDR, COSTS)
    for k in (b"a", b"c", b"e"):
        s.set(k, b"")
    it, _ = s.scan(None, None, True)
    assert next(it)[0] == b"a"
    s.set(b"b", b"")
    s.remove(b"c")
    assert [k for k, _ in it] == [b"b", b"e"]
