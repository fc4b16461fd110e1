"""Key derivation and signing for both key types, against known vectors (no chain needed).

Oracles: the well-known addresses of private key 1 (Ethereum 0x7E5F...5Bdf, Bitcoin hash160
751e...3bd6), Keccak-256's published empty-input digest, the ``ecdsa`` package for signature
verification, and the ``bech32`` reference package (BIP-173) for the address text.
"""

from __future__ import annotations

import hashlib

import ecdsa
import pytest

from gasmodel.chain.keys import (
    AccountKey,
    KeyType,
    bech32_address,
    decode_bech32,
    derive_key,
    keccak256,
)
from gasmodel.errors import ConfigError

PRIV_ONE = (1).to_bytes(32, "big")


def test_keccak256_is_keccak_not_sha3() -> None:
    assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    assert keccak256(b"").hex() != hashlib.sha3_256(b"").hexdigest()


def test_eth_address_of_private_key_one() -> None:
    # The Ethereum address of private key 1 is 0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf.
    key = AccountKey(name="one", key_type=KeyType.ETH_SECP256K1, private_key=PRIV_ONE)
    assert key.address_bytes.hex() == "7e5f4552091a69125d5dfcb7b8c2659029395bdf"
    # the bech32 text as the BIP-173 reference package writes it, decoded by ours
    expected = _reference_bech32("inj", key.address_bytes)
    assert key.address == expected
    assert decode_bech32(expected) == key.address_bytes


def _reference_bech32(hrp: str, data: bytes) -> str:
    """``data`` as bech32 text, written by the ``bech32`` reference package (BIP-173)."""
    import bech32

    words = bech32.convertbits(data, 8, 5)
    assert words is not None
    return str(bech32.bech32_encode(hrp, words))


def test_cosmos_address_of_private_key_one() -> None:
    # hash160 of the compressed generator point (Bitcoin's address of private key 1).
    key = AccountKey(name="one", key_type=KeyType.SECP256K1, private_key=PRIV_ONE)
    assert key.address_bytes.hex() == "751e76e8199196d454941c45d1b3a323f1433bd6"
    assert key.public_key_compressed.hex() == (
        "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")


@pytest.mark.parametrize(("key_type", "digest"), [
    (KeyType.ETH_SECP256K1, keccak256),
    (KeyType.SECP256K1, lambda m: hashlib.sha256(m).digest()),
])
def test_signature_verifies_over_the_right_hash_with_low_s(key_type: KeyType, digest: object) -> None:
    key = derive_key("signer", key_type)
    message = b"sign doc bytes"
    sig = key.sign(message)
    assert len(sig) == 64
    vk = ecdsa.VerifyingKey.from_string(key.public_key_compressed, curve=ecdsa.SECP256k1)
    assert vk.verify_digest(sig, digest(message))  # type: ignore[operator]
    s = int.from_bytes(sig[32:], "big")
    assert s <= ecdsa.SECP256k1.order // 2
    assert sig == key.sign(message)  # deterministic (RFC 6979)


def test_public_key_any_type_urls() -> None:
    eth = derive_key("a", KeyType.ETH_SECP256K1).public_key_any()
    cosmos = derive_key("a", KeyType.SECP256K1).public_key_any()
    # the proto names of the two PubKey messages (injective-core proto/injective/crypto/v1beta1/
    # ethsecp256k1/keys.proto, cosmos-sdk proto/cosmos/crypto/secp256k1/keys.proto)
    assert eth.type_url == "/injective.crypto.v1beta1.ethsecp256k1.PubKey"
    assert cosmos.type_url == "/cosmos.crypto.secp256k1.PubKey"
    # field 1 (tag 0x0a), length 33, the compressed key
    assert eth.value[:2] == b"\x0a\x21" and len(eth.value) == 35


def test_derive_key_is_deterministic_and_separates_names_types_and_seeds() -> None:
    a = derive_key("alice", "eth_secp256k1")
    assert a == derive_key("alice", KeyType.ETH_SECP256K1)
    others = {derive_key("bob", "eth_secp256k1").address, derive_key("alice", "secp256k1").address,
              derive_key("alice", "eth_secp256k1", seed="other").address}
    assert a.address not in others and len(others) == 3


def test_bech32_round_trip_and_bad_input() -> None:
    import bech32  # oracle: the BIP-173 reference package, in both directions

    raw = bytes(range(20))
    hrp, words = bech32.bech32_decode(bech32_address(raw))
    assert hrp == "inj" and words is not None
    assert bytes(bech32.convertbits(words, 5, 8, False) or []) == raw
    assert decode_bech32(_reference_bech32("inj", raw)) == raw
    with pytest.raises(ConfigError, match="not a bech32 address"):
        decode_bech32("inj1notanaddress")
