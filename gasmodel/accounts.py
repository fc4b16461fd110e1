"""Account keys without a chain client: deterministic private keys, public keys and addresses.

Both the localnet (which funds these accounts at genesis) and the mock chain derive a scenario's
accounts here, so the two give the same addresses. Injective's ``eth_secp256k1`` addresses are the
last 20 bytes of keccak256 of the uncompressed public key; Cosmos ``secp256k1`` addresses are
ripemd160(sha256(compressed public key)). Both are bech32 with the chain's prefix.
"""

from __future__ import annotations

import hashlib

import bech32
import ecdsa
from Crypto.Hash import keccak

from gasmodel.chaintypes import KeyType
from gasmodel.errors import ConfigError

# Public-key ``Any`` type URLs by key type (injective-core crypto/ethsecp256k1, cosmos-sdk crypto/keys)
PUBKEY_TYPE_URLS: dict[str, str] = {
    KeyType.ETH_SECP256K1: "/injective.crypto.v1beta1.ethsecp256k1.PubKey",
    KeyType.SECP256K1: "/cosmos.crypto.secp256k1.PubKey",
    "ed25519": "/cosmos.crypto.ed25519.PubKey",
}
# The ``Any`` type URLs x/auth stores accounts under (injective-core types/account.go, cosmos-sdk x/auth)
ETH_ACCOUNT_TYPE_URL = "/injective.types.v1beta1.EthAccount"
BASE_ACCOUNT_TYPE_URL = "/cosmos.auth.v1beta1.BaseAccount"


def keccak256(data: bytes) -> bytes:
    """Keccak-256 (the Ethereum hash, not SHA3-256) of ``data``."""
    h = keccak.new(digest_bits=256)
    h.update(data)
    return h.digest()


def ripemd160(data: bytes) -> bytes:
    """RIPEMD-160 of ``data`` (hashlib, or pycryptodome where OpenSSL 3 lacks it)."""
    try:
        h = hashlib.new("ripemd160")
    except ValueError:  # OpenSSL 3 without the legacy provider
        from Crypto.Hash import RIPEMD160

        return bytes(RIPEMD160.new(data).digest())
    h.update(data)
    return h.digest()


def bech32_address(raw: bytes, prefix: str = "inj") -> str:
    """The bech32 string of raw address bytes."""
    data = bech32.convertbits(raw, 8, 5, True)
    if data is None:  # pragma: no cover - convertbits only fails on bad input widths
        raise ConfigError("cannot encode address")
    return str(bech32.bech32_encode(prefix, data))


def derive_private_key(name: str, key_type: KeyType | str, seed: str = "gasmodel") -> bytes:
    """A deterministic secp256k1 private key for a named account (local test chains only: the key
    is derived from public strings)."""
    kt = KeyType(key_type)
    counter = 0
    order = ecdsa.SECP256k1.order
    while True:
        digest = hashlib.sha256(f"{seed}\x00{kt.value}\x00{name}\x00{counter}".encode()).digest()
        if 0 < int.from_bytes(digest, "big") < order:
            return digest
        counter += 1  # pragma: no cover - probability about 2**-128


def public_key_compressed(private_key: bytes) -> bytes:
    """The 33-byte compressed public key of a secp256k1 private key."""
    sk = ecdsa.SigningKey.from_string(private_key, curve=ecdsa.SECP256k1)
    return bytes(sk.get_verifying_key().to_string("compressed"))


def address_bytes(private_key: bytes, key_type: KeyType | str) -> bytes:
    """The 20-byte account address of a key of this type."""
    sk = ecdsa.SigningKey.from_string(private_key, curve=ecdsa.SECP256k1)
    vk = sk.get_verifying_key()
    if KeyType(key_type) is KeyType.ETH_SECP256K1:
        return keccak256(bytes(vk.to_string("raw")))[-20:]
    return ripemd160(hashlib.sha256(bytes(vk.to_string("compressed"))).digest())
