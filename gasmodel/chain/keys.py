"""Signing keys for the Injective localnet: cosmpy's secp256k1 keys plus Injective's eth_secp256k1.

Injective's default key type (``eth_secp256k1``, coin type 60) signs keccak256 of the SignDoc
bytes, derives the address from keccak256 of the uncompressed public key, and sends its public
key as ``/injective.crypto.v1beta1.ethsecp256k1.PubKey``. Plain Cosmos ``secp256k1`` keys sign
sha256 and use ripemd160(sha256(pubkey)). Both encode addresses in bech32 with prefix ``inj``.
"""

from __future__ import annotations

from dataclasses import dataclass

import bech32
from cosmpy.crypto.address import Address
from cosmpy.crypto.keypairs import PrivateKey
from cosmpy.protos.cosmos.crypto.secp256k1.keys_pb2 import PubKey as ProtoPubKey
from google.protobuf.any_pb2 import Any as ProtoAny

from gasmodel.accounts import (
    PUBKEY_TYPE_URLS,
    address_bytes,
    bech32_address,
    derive_private_key,
    keccak256,
    public_key_compressed,
)
from gasmodel.chaintypes import KeyType
from gasmodel.errors import ConfigError

BECH32_PREFIX = "inj"

__all__ = [
    "BECH32_PREFIX",
    "AccountKey",
    "EthPrivateKey",
    "KeyType",
    "bech32_address",
    "decode_bech32",
    "derive_key",
    "keccak256",
]


def decode_bech32(address: str) -> bytes:
    """The raw bytes of a bech32 address; :class:`ConfigError` if it is not one."""
    _, data = bech32.bech32_decode(address)
    if data is None:
        raise ConfigError(f"not a bech32 address: {address!r}")
    raw = bech32.convertbits(data, 5, 8, False)
    if raw is None:
        raise ConfigError(f"not a bech32 address: {address!r}")
    return bytes(raw)


class EthPrivateKey(PrivateKey):  # type: ignore[misc]
    """A cosmpy private key that signs like Injective's eth_secp256k1 (keccak256 digest, low-S r||s)."""

    def sign(self, message: bytes, deterministic: bool = True, canonicalise: bool = True) -> bytes:
        """Sign keccak256(message); 64 bytes r||s with low S."""
        signature: bytes = self.sign_digest(keccak256(message), deterministic=deterministic,
                                            canonicalise=canonicalise)
        return signature


@dataclass(frozen=True)
class AccountKey:
    """A named key: its type, private key and the address and public key derived from it."""

    name: str
    key_type: KeyType
    private_key: bytes

    @property
    def signer(self) -> PrivateKey:
        """The cosmpy signer for this key."""
        if self.key_type is KeyType.ETH_SECP256K1:
            return EthPrivateKey(self.private_key)
        return PrivateKey(self.private_key)

    @property
    def public_key_compressed(self) -> bytes:
        """The 33-byte compressed public key."""
        return public_key_compressed(self.private_key)

    @property
    def address_bytes(self) -> bytes:
        """The 20-byte account address."""
        return address_bytes(self.private_key, self.key_type)

    @property
    def address(self) -> str:
        """The bech32 ``inj1...`` address."""
        return bech32_address(self.address_bytes)

    @property
    def cosmpy_address(self) -> Address:
        """The address as a cosmpy :class:`Address`."""
        return Address(self.address_bytes, prefix=BECH32_PREFIX)

    def public_key_any(self) -> ProtoAny:
        """The public key as the ``Any`` the chain expects in a SignerInfo."""
        # Both PubKey messages hold the 33-byte compressed key in field 1.
        return ProtoAny(type_url=PUBKEY_TYPE_URLS[self.key_type],
                        value=ProtoPubKey(key=self.public_key_compressed).SerializeToString())

    def sign(self, sign_doc: bytes) -> bytes:
        """Sign the SignDoc bytes as the chain verifies them for this key type."""
        signature: bytes = self.signer.sign(sign_doc, deterministic=True, canonicalise=True)
        return signature


def derive_key(name: str, key_type: KeyType | str, seed: str = "gasmodel") -> AccountKey:
    """A deterministic key for a named account: the same name, type and seed give the same key.

    For local test chains only: the key is derived from public strings.
    """
    kt = KeyType(key_type)
    return AccountKey(name=name, key_type=kt, private_key=derive_private_key(name, kt, seed))
