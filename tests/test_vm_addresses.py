"""Addresses: bech32 with the profile's prefix, wasmd's API gas, contract address derivation.

Oracles: wasmd's own test vectors (CosmWasm/wasmd@v0.53.3 x/wasm/keeper/addresses_test.go
``TestBuildContractAddressClassic``, prefix "purple"); the BIP-173 bech32 spec (via the
``bech32`` reference package, independent of the code under test for decoding); wasmd
x/wasm/keeper/api.go for the gas (5 / 4 / 9 SDK gas) and the "address not normalized" rule;
cosmos-sdk ADR-028 / types/address ``Module`` for module addresses.
"""

from __future__ import annotations

import hashlib

import bech32
import coincurve
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gasmodel.costs import load_profile
from gasmodel.vm.addresses import (
    AddressError,
    Bech32Api,
    account_address,
    bech32_encode,
    canonicalize,
    contract_address,
    humanize,
)


@pytest.mark.parametrize(
    ("code_id", "instance_id", "expected"),
    [
        (0, 0, "purple1w0w8sasnut0jx0vvsnvlc8nayq0q2ej8xgrpwgel05tn6wy4r57qfplul7"),
        (0, 1, "purple156r47kpk4va938pmtpuee4fh77847gqcw2dmpl2nnpwztwfgz04s5cr8hj"),
        (1, 0, "purple1mzdhwvvh22wrt07w59wxyd58822qavwkx5lcej7aqfkpqqlhaqfs5efvjk"),
        (1, 1, "purple14hj2tavq8fpesdwxxcu44rty3hh90vhujrvcmstl4zr3txmfvw9smc2vxm"),
    ],
)
def test_contract_address_classic_matches_wasmd(code_id: int, instance_id: int, expected: str) -> None:
    assert bech32_encode("purple", contract_address(code_id, instance_id, 32)) == expected


def test_contract_address_truncates_to_the_profile_length() -> None:
    full = contract_address(3, 7, 32)
    assert contract_address(3, 7, 20) == full[:20]


def test_account_address_secp256k1() -> None:
    # ripemd160(sha256(compressed key)), computed here with hashlib as the oracle
    key = coincurve.PrivateKey(b"\x01" * 32).public_key.format()
    expected = hashlib.new("ripemd160", hashlib.sha256(key).digest()).digest()
    assert account_address(key) == expected
    # eth_secp256k1 of private key 1 is the well-known 0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf
    one = coincurve.PrivateKey((1).to_bytes(32, "big")).public_key.format()
    assert account_address(one, "eth_secp256k1").hex() == "7e5f4552091a69125d5dfcb7b8c2659029395bdf"


@given(st.binary(min_size=1, max_size=64))
def test_round_trip_any_length_up_to_the_sdk_max(data: bytes) -> None:
    human = humanize("inj", data)
    hrp, words = bech32.bech32_decode(human)
    assert hrp == "inj" and bytes(bech32.convertbits(words, 5, 8, False)) == data
    assert canonicalize("inj", human) == data


def test_canonicalize_errors() -> None:
    good = humanize("inj", bytes(20))
    with pytest.raises(AddressError, match="empty address string is not allowed"):
        canonicalize("inj", "  ")
    with pytest.raises(AddressError, match="invalid Bech32 prefix; expected wasm, got inj"):
        canonicalize("wasm", good)
    with pytest.raises(AddressError, match="decoding bech32 failed"):
        canonicalize("inj", good[:-1] + ("q" if good[-1] != "q" else "p"))
    with pytest.raises(AddressError, match="addresses cannot be empty"):
        humanize("inj", b"")
    with pytest.raises(AddressError, match="address max length is 255, got 256"):
        humanize("inj", bytes(256))


def test_api_gas_and_normalization() -> None:
    profile = load_profile("injective-localnet")
    assert profile.costs.wasmd is not None
    api = Bech32Api(profile.address, profile.costs.wasmd)
    good = humanize("inj", bytes(range(20)))
    assert api.validate(good) == (None, 9)
    assert api.validate(good.upper()) == ("address not normalized", 9)
    error, gas = api.validate("cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq")
    assert error is not None and gas == 9  # a failed canonicalize still costs costValidate
    assert api.canonicalize(good) == (bytes(range(20)), 4)
    text, gas = api.canonicalize("inj1bad")
    assert isinstance(text, str) and gas == 4
    assert api.humanize(bytes(range(20))) == (good, None, 5)
    assert api.humanize(b"") == (None, "addresses cannot be empty: unknown address", 5)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        # texts of cosmos/btcutil bech32 error.go, wrapped by cosmos-sdk types/bech32
        # DecodeAndConvert ("decoding bech32 failed: %w"); checks in bech32.Decode's order
        ("inj1qqq", "invalid bech32 string length 7"),
        ("inj1QQQQQQqqqqqq", "string not all lowercase or all uppercase"),
        ("inj qqqqqqqqqqq", "invalid character in string: ' '"),
        ("injqqqqqqqqqqq", "invalid separator index -1"),
        ("inj1qqqqqqqqbqqq", "invalid character not part of charset: 98"),
    ],
)
def test_bech32_error_texts(text: str, error: str) -> None:
    with pytest.raises(AddressError) as err:
        canonicalize("inj", text)
    assert str(err.value) == "decoding bech32 failed: " + error


def test_bech32_checksum_error_names_the_expected_checksum() -> None:
    # the good checksum from the BIP-173 reference package, not from humanize()
    words = bech32.convertbits(bytes(20), 8, 5)
    assert words is not None
    good = str(bech32.bech32_encode("inj", words))
    bad = good[:-1] + ("q" if good[-1] != "q" else "p")
    with pytest.raises(AddressError) as err:
        canonicalize("inj", bad)
    assert str(err.value) == (
        f"decoding bech32 failed: invalid checksum (expected {good[-6:]} got {bad[-6:]})"
    )


def test_uppercase_decodes_to_the_same_bytes() -> None:
    good = humanize("inj", bytes(range(20)))
    assert canonicalize("inj", good.upper()) == bytes(range(20))
