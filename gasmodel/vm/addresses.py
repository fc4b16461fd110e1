"""Addresses as a wasmd chain sees them: bech32 with the profile's prefix, and their gas.

:class:`Bech32Api` implements :class:`gasmodel.vm.context.AddressApi` the way
CosmWasm/wasmd@v0.53.3:x/wasm/keeper/api.go does on top of the Cosmos SDK (v0.50
``types/address.go``, ``types/bech32``):

* ``canonicalize``: ``sdk.AccAddressFromBech32`` (bech32 decode, prefix check, address format
  check); costs ``address_canonicalize_cost`` whether or not it succeeds;
* ``humanize``: ``sdk.VerifyAddressFormat`` then bech32 encoding; costs ``address_humanize_cost``;
* ``validate``: canonicalize, then require that humanizing gives the input back ("address not
  normalized"); costs ``address_validate_cost`` on every path (wasmd returns ``costValidate``
  on failure too).

The SDK's default format check accepts 1 to 255 bytes (``address.MaxAddrLen``), not only the
profile's account/contract lengths; the profile's lengths are what the chain *derives*
(:func:`contract_address`, :func:`account_address`).
"""

from __future__ import annotations

import hashlib

import bech32
import coincurve
from Crypto.Hash import RIPEMD160, keccak

from gasmodel.costs.profile import AddressFormat
from gasmodel.costs.table import WasmdCosts

# cosmos-sdk types/address/store.go MaxAddrLen
MAX_ADDR_LEN = 255
# cosmos-sdk types/bech32 DecodeAndConvert: bech32.Decode(bech, 1023)
_BECH32_MAX_LEN = 1023
# wasmd x/wasm/types/keys.go ModuleName
WASM_MODULE_NAME = "wasm"


class AddressError(ValueError):
    """An address the chain rejects; the message is the chain's error text."""


def _verify_format(canonical: bytes) -> None:
    if len(canonical) == 0:
        raise AddressError("addresses cannot be empty: unknown address")
    if len(canonical) > MAX_ADDR_LEN:
        raise AddressError(f"address max length is {MAX_ADDR_LEN}, got {len(canonical)}: unknown address")


def bech32_encode(prefix: str, canonical: bytes) -> str:
    """bech32 (not bech32m) of ``canonical`` bytes with human-readable part ``prefix``."""
    words = bech32.convertbits(list(canonical), 8, 5)
    if words is None:  # pragma: no cover - 8->5 with padding always succeeds
        raise AddressError("cannot convert address bytes")
    return str(bech32.bech32_encode(prefix, words))


_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _bech32_decode(text: str) -> tuple[str, bytes]:
    """cosmos-sdk ``bech32.DecodeAndConvert`` (cosmos/btcutil ``bech32.Decode(bech, 1023)``, then
    ``ConvertBits(data, 5, 8, false)``), with its checks in order and its error texts."""
    raw = text.encode("utf-8", errors="surrogateescape")
    fail = "decoding bech32 failed: "
    if len(raw) < 8 or len(raw) > _BECH32_MAX_LEN:
        raise AddressError(f"{fail}invalid bech32 string length {len(raw)}")
    has_lower = has_upper = False
    for byte in raw:
        if byte < 33 or byte > 126:
            raise AddressError(f"{fail}invalid character in string: '{chr(byte)}'")
        has_lower = has_lower or 97 <= byte <= 122
        has_upper = has_upper or 65 <= byte <= 90
        if has_lower and has_upper:
            raise AddressError(f"{fail}string not all lowercase or all uppercase")
    bech = raw.decode("ascii").lower()
    one = bech.rfind("1")
    if one < 1 or one + 7 > len(bech):
        raise AddressError(f"{fail}invalid separator index {one}")
    hrp, data_part = bech[:one], bech[one + 1 :]
    decoded: list[int] = []
    for ch in data_part:
        index = _CHARSET.find(ch)
        if index < 0:
            raise AddressError(f"{fail}invalid character not part of charset: {ord(ch)}")
        decoded.append(index)
    if not bech32.bech32_verify_checksum(hrp, decoded):
        expected = "".join(_CHARSET[v] for v in bech32.bech32_create_checksum(hrp, decoded[:-6]))
        raise AddressError(f"{fail}invalid checksum (expected {expected} got {bech[-6:]})")
    return hrp, _from_words(decoded[:-6], fail)


def _from_words(words: list[int], fail: str) -> bytes:
    """btcutil ``ConvertBits(data, 5, 8, false)``."""
    out = bytearray()
    acc = bits = 0
    for word in words:
        acc = (acc << 5) | word
        bits += 5
        while bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 0xFF)
    if bits > 4 or (acc & ((1 << bits) - 1)) != 0:
        raise AddressError(f"{fail}invalid incomplete group")
    return bytes(out)


def canonicalize(prefix: str, human: str) -> bytes:
    """``sdk.AccAddressFromBech32`` for a chain whose account prefix is ``prefix``."""
    if human.strip() == "":
        raise AddressError("empty address string is not allowed")
    hrp, data = _bech32_decode(human)
    if hrp != prefix:
        raise AddressError(f"invalid Bech32 prefix; expected {prefix}, got {hrp}")
    _verify_format(data)
    return data


def humanize(prefix: str, canonical: bytes) -> str:
    """``sdk.VerifyAddressFormat`` then ``AccAddress.String()``."""
    _verify_format(canonical)
    return bech32_encode(prefix, canonical)


class Bech32Api:
    """The chain's address API with wasmd's gas (SDK gas, from the cost table's wasmd section)."""

    def __init__(self, address: AddressFormat, wasmd: WasmdCosts) -> None:
        self._prefix = address.bech32_prefix
        self._wasmd = wasmd

    @property
    def prefix(self) -> str:
        """The bech32 human-readable part."""
        return self._prefix

    def canonicalize(self, human: str) -> tuple[bytes | str, int]:
        """(canonical bytes, or the chain's error text; sdk gas)."""
        cost = self._wasmd.address_canonicalize_cost
        try:
            return canonicalize(self._prefix, human), cost
        except AddressError as exc:
            return str(exc), cost

    def humanize(self, canonical: bytes) -> tuple[str | None, str | None, int]:
        """(human address or None, error text or None, sdk gas)."""
        cost = self._wasmd.address_humanize_cost
        try:
            return humanize(self._prefix, canonical), None, cost
        except AddressError as exc:
            return None, str(exc), cost

    def validate(self, human: str) -> tuple[str | None, int]:
        """(error text or None, sdk gas)."""
        cost = self._wasmd.address_validate_cost
        try:
            canonical = canonicalize(self._prefix, human)
        except AddressError as exc:
            return str(exc), cost
        if bech32_encode(self._prefix, canonical) != human:
            return "address not normalized", cost
        return None, cost


def module_address(module: str, key: bytes) -> bytes:
    """cosmos-sdk ``address.Module(module, key)`` with one derivation key (32 bytes):
    ``sha256(sha256("module") || module || 0x00 || key)``."""
    type_hash = hashlib.sha256(b"module").digest()
    return hashlib.sha256(type_hash + module.encode() + b"\x00" + key).digest()


def contract_address(code_id: int, instance_id: int, length: int) -> bytes:
    """wasmd ``BuildContractAddressClassic(codeID, instanceID)`` truncated to ``length`` bytes
    (the profile's ``address.contract_length``; wasmd's ``ContractAddrLen`` is 32).

    ``instance_id`` is the chain's global instance sequence (the first contract gets 1)."""
    contract_id = code_id.to_bytes(8, "big") + instance_id.to_bytes(8, "big")
    return module_address(WASM_MODULE_NAME, contract_id)[:length]


def account_address(public_key: bytes, key_type: str = "secp256k1") -> bytes:
    """The account address of a public key.

    ``secp256k1`` (cosmos-sdk): ``ripemd160(sha256(compressed key))``, 20 bytes;
    ``eth_secp256k1`` (Ethermint/Injective): the last 20 bytes of ``keccak256`` of the
    uncompressed key without its 0x04 byte."""
    if key_type == "secp256k1":
        if len(public_key) != 33:
            raise AddressError("a secp256k1 account key is 33 bytes (compressed)")
        return bytes(RIPEMD160.new(hashlib.sha256(public_key).digest()).digest())
    if key_type == "eth_secp256k1":
        uncompressed = coincurve.PublicKey(public_key).format(compressed=False)
        return bytes(keccak.new(data=uncompressed[1:], digest_bits=256).digest())[-20:]
    raise AddressError(f"unknown key type {key_type!r} (secp256k1, eth_secp256k1)")
