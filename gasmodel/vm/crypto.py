"""The cryptography behind the crypto imports, with cosmwasm-crypto's results and error codes.

Each function takes the raw bytes a contract passed and either returns the result cosmwasm-crypto
returns, or raises :class:`CryptoFailure` with the numeric code cosmwasm-vm hands back to the
contract (``CryptoError::code()``, CosmWasm/cosmwasm@v2.1.6:packages/crypto/src/errors.rs). The
checks run in cosmwasm-crypto's order, so the same malformed input gives the same code.

Libraries: coincurve (libsecp256k1) for secp256k1; ``cryptography`` (OpenSSL) for secp256r1
verification, with public-key recovery computed here on the curve (RFC 6979 / SEC 1 4.1.6);
ed25519 is verified here with ZIP 215 rules (what ed25519-zebra, cosmwasm's library, accepts),
and cross-checked against PyNaCl in the tests; BLS12-381 through py_ecc (points, pairing and the
RFC 9380 hash-to-curve suites ``*_XMD:SHA-256_SSWU_RO_``).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Sequence
from typing import Any

import coincurve
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils

# CryptoError::code() (packages/crypto/src/errors.rs)
INVALID_HASH_FORMAT = 3
INVALID_SIGNATURE_FORMAT = 4
INVALID_PUBKEY_FORMAT = 5
INVALID_RECOVERY_PARAM = 6
BATCH_ERR = 7
INVALID_POINT = 8
UNKNOWN_HASH_FUNCTION = 9
GENERIC_ERR = 10
PAIRING_NOT_MULTIPLE_G1 = 11
PAIRING_NOT_MULTIPLE_G2 = 12
PAIRING_UNEQUAL_POINT_AMOUNT = 13
AGGREGATION_EMPTY = 14
AGGREGATION_NOT_MULTIPLE = 15

MESSAGE_HASH_MAX_LEN = 32
ECDSA_SIGNATURE_LEN = 64
ECDSA_PUBKEY_MAX_LEN = 65
EDDSA_PUBKEY_LEN = 32
BLS12_381_G1_POINT_LEN = 48
BLS12_381_G2_POINT_LEN = 96


class CryptoFailure(Exception):
    """cosmwasm-crypto returned an error; ``code`` is what the import returns to the contract."""

    def __init__(self, code: int, message: str) -> None:
        self.code = code
        super().__init__(f"crypto error {code}: {message}")


# --- ECDSA (secp256k1, secp256r1) -------------------------------------------------------------


class _Curve:
    """Short Weierstrass curve y^2 = x^3 + a x + b over F_p with p = 3 mod 4, order n."""

    def __init__(self, p: int, a: int, b: int, n: int, gx: int, gy: int) -> None:
        self.p, self.a, self.b, self.n = p, a, b, n
        self.g = (gx, gy)

    def add(self, p1: tuple[int, int] | None, p2: tuple[int, int] | None) -> tuple[int, int] | None:
        if p1 is None:
            return p2
        if p2 is None:
            return p1
        p = self.p
        if p1[0] == p2[0]:
            if (p1[1] + p2[1]) % p == 0:
                return None
            lam = (3 * p1[0] * p1[0] + self.a) * pow(2 * p1[1], -1, p) % p
        else:
            lam = (p2[1] - p1[1]) * pow(p2[0] - p1[0], -1, p) % p
        x3 = (lam * lam - p1[0] - p2[0]) % p
        return (x3, (lam * (p1[0] - x3) - p1[1]) % p)

    def mul(self, k: int, point: tuple[int, int] | None) -> tuple[int, int] | None:
        result: tuple[int, int] | None = None
        addend = point
        while k:
            if k & 1:
                result = self.add(result, addend)
            addend = self.add(addend, addend)
            k >>= 1
        return result

    def lift_x(self, x: int, odd: bool) -> tuple[int, int] | None:
        p = self.p
        if x >= p:
            return None
        rhs = (x * x * x + self.a * x + self.b) % p
        y = pow(rhs, (p + 1) // 4, p)
        if y * y % p != rhs:
            return None
        if (y & 1) != int(odd):
            y = (p - y) % p
        return (x, y)


_P256 = _Curve(
    p=0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF,
    a=-3,
    b=0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B,
    n=0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    gx=0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
    gy=0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5,
)
_K256_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def _read_ecdsa(message_hash: bytes, signature: bytes) -> None:
    if len(message_hash) != 32:
        raise CryptoFailure(INVALID_HASH_FORMAT, "Invalid hash format")
    if len(signature) != ECDSA_SIGNATURE_LEN:
        raise CryptoFailure(INVALID_SIGNATURE_FORMAT, "Invalid signature format")


def _check_pubkey(public_key: bytes) -> None:
    first = public_key[:1]
    ok = (first in (b"\x02", b"\x03") and len(public_key) == 33) or (
        first == b"\x04" and len(public_key) == 65
    )
    if not ok:
        raise CryptoFailure(INVALID_PUBKEY_FORMAT, "Invalid public key format")


def _scalars(signature: bytes, n: int) -> tuple[int, int]:
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:], "big")
    if not (0 < r < n and 0 < s < n):
        raise CryptoFailure(GENERIC_ERR, "signature error")
    return r, s


def _der(r: int, s: int) -> bytes:
    return utils.encode_dss_signature(r, s)


def secp256k1_verify(message_hash: bytes, signature: bytes, public_key: bytes) -> bool:
    """cosmwasm-crypto ``secp256k1_verify``: high-S signatures are normalized, then verified."""
    _read_ecdsa(message_hash, signature)
    _check_pubkey(public_key)
    r, s = _scalars(signature, _K256_N)
    if s > _K256_N // 2:
        s = _K256_N - s
    try:
        key = coincurve.PublicKey(public_key)
    except ValueError as exc:
        raise CryptoFailure(GENERIC_ERR, f"invalid public key: {exc}") from None
    return bool(key.verify(_der(r, s), message_hash, hasher=None))


def secp256k1_recover_pubkey(message_hash: bytes, signature: bytes, recovery_param: int) -> bytes:
    """cosmwasm-crypto ``secp256k1_recover_pubkey``: the uncompressed (65 byte) public key."""
    _read_ecdsa(message_hash, signature)
    if recovery_param not in (0, 1):
        raise CryptoFailure(INVALID_RECOVERY_PARAM, "Invalid recovery parameter")
    r, s = _scalars(signature, _K256_N)
    odd = recovery_param == 1
    if s > _K256_N // 2:  # normalize_s flips the parity of R
        s, odd = _K256_N - s, not odd
    compact = r.to_bytes(32, "big") + s.to_bytes(32, "big") + bytes([int(odd)])
    try:
        key = coincurve.PublicKey.from_signature_and_message(compact, message_hash, hasher=None)
    except ValueError as exc:
        raise CryptoFailure(GENERIC_ERR, f"recovery failed: {exc}") from None
    return bytes(key.format(compressed=False))


def secp256r1_verify(message_hash: bytes, signature: bytes, public_key: bytes) -> bool:
    """cosmwasm-crypto ``secp256r1_verify`` (p256): high-S normalized, then verified."""
    _read_ecdsa(message_hash, signature)
    _check_pubkey(public_key)
    n = _P256.n
    r, s = _scalars(signature, n)
    if s > n // 2:
        s = n - s
    try:
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public_key)
    except ValueError as exc:
        raise CryptoFailure(GENERIC_ERR, f"invalid public key: {exc}") from None
    try:
        key.verify(_der(r, s), message_hash, ec.ECDSA(utils.Prehashed(hashes.SHA256())))
    except InvalidSignature:
        return False
    return True


def secp256r1_recover_pubkey(message_hash: bytes, signature: bytes, recovery_param: int) -> bytes:
    """cosmwasm-crypto ``secp256r1_recover_pubkey`` (p256 ``recover_from_digest``; ids 0-3).

    No S normalization here (as in cosmwasm-crypto); the recovered key must verify the
    signature (p256 checks this too)."""
    _read_ecdsa(message_hash, signature)
    if not 0 <= recovery_param <= 3:
        raise CryptoFailure(INVALID_RECOVERY_PARAM, "Invalid recovery parameter")
    c = _P256
    r, s = _scalars(signature, c.n)
    x = r + c.n if recovery_param & 2 else r
    big_r = c.lift_x(x, bool(recovery_param & 1))
    if big_r is None:
        raise CryptoFailure(GENERIC_ERR, "signature error")
    z = int.from_bytes(message_hash, "big") % c.n
    r_inv = pow(r, -1, c.n)
    q = c.add(c.mul((-z * r_inv) % c.n, c.g), c.mul((s * r_inv) % c.n, big_r))
    if q is None:
        raise CryptoFailure(GENERIC_ERR, "signature error")
    encoded = b"\x04" + q[0].to_bytes(32, "big") + q[1].to_bytes(32, "big")
    if not secp256r1_verify(message_hash, signature, encoded):
        raise CryptoFailure(GENERIC_ERR, "signature error")
    return encoded


# --- ed25519 (ZIP 215, as ed25519-zebra) ------------------------------------------------------

_ED_P = 2**255 - 19
_ED_L = 2**252 + 27742317777372353535851937790883648493
_ED_D = -121665 * pow(121666, -1, _ED_P) % _ED_P
_ED_SQRT_M1 = pow(2, (_ED_P - 1) // 4, _ED_P)
_EdPoint = tuple[int, int, int, int]  # extended coordinates (X, Y, Z, T)
_ED_IDENTITY: _EdPoint = (0, 1, 1, 0)


def _ed_add(p1: _EdPoint, p2: _EdPoint) -> _EdPoint:
    p = _ED_P
    a = (p1[1] - p1[0]) * (p2[1] - p2[0]) % p
    b = (p1[1] + p1[0]) * (p2[1] + p2[0]) % p
    c = 2 * p1[3] * p2[3] * _ED_D % p
    d = 2 * p1[2] * p2[2] % p
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % p, g * h % p, f * g % p, e * h % p)


def _ed_mul(k: int, point: _EdPoint) -> _EdPoint:
    result = _ED_IDENTITY
    while k:
        if k & 1:
            result = _ed_add(result, point)
        point = _ed_add(point, point)
        k >>= 1
    return result


def _ed_neg(point: _EdPoint) -> _EdPoint:
    return ((-point[0]) % _ED_P, point[1], point[2], (-point[3]) % _ED_P)


def _ed_is_identity(point: _EdPoint) -> bool:
    return point[0] % _ED_P == 0 and (point[1] - point[2]) % _ED_P == 0


def _ed_decompress(data: bytes) -> _EdPoint | None:
    """curve25519-dalek ``decompress``: y taken mod p (non-canonical accepted, ZIP 215)."""
    p = _ED_P
    raw = int.from_bytes(data, "little")
    sign = raw >> 255
    y = (raw & ((1 << 255) - 1)) % p
    u = (y * y - 1) % p
    v = (_ED_D * y * y + 1) % p
    x = u * pow(v, 3, p) * pow(u * pow(v, 7, p), (p - 5) // 8, p) % p
    if (v * x * x - u) % p != 0:
        x = x * _ED_SQRT_M1 % p
        if (v * x * x - u) % p != 0:
            return None
    if (x & 1) != sign:
        x = (p - x) % p
    return (x, y, 1, x * y % p)


_ED_BASE = _ed_decompress(bytes.fromhex("5866666666666666666666666666666666666666666666666666666666666666"))


def _ed25519_zip215(message: bytes, signature: bytes, public_key: bytes) -> bool:
    assert _ED_BASE is not None
    s = int.from_bytes(signature[32:], "little")
    if s >= _ED_L:
        return False
    a = _ed_decompress(public_key)
    r = _ed_decompress(signature[:32])
    if a is None or r is None:
        return False
    k = int.from_bytes(hashlib.sha512(signature[:32] + public_key + message).digest(), "little")
    check = _ed_add(_ed_add(_ed_mul(s, _ED_BASE), _ed_neg(r)), _ed_neg(_ed_mul(k % _ED_L, a)))
    return _ed_is_identity(_ed_mul(8, check))


def ed25519_verify(message: bytes, signature: bytes, public_key: bytes) -> bool:
    """cosmwasm-crypto ``ed25519_verify`` (ed25519-zebra: ZIP 215 rules, cofactored check)."""
    if len(signature) != 64:
        raise CryptoFailure(INVALID_SIGNATURE_FORMAT, "Invalid signature format")
    if len(public_key) != EDDSA_PUBKEY_LEN:
        raise CryptoFailure(INVALID_PUBKEY_FORMAT, "Invalid public key format")
    return _ed25519_zip215(message, signature, public_key)


def ed25519_batch_verify(
    messages: Sequence[bytes], signatures: Sequence[bytes], public_keys: Sequence[bytes]
) -> bool:
    """cosmwasm-crypto ``ed25519_batch_verify``: one message or one key may be shared by all.

    zebra's batch check accepts exactly when every cofactored single check does (up to a
    probability of 2^-128); an empty batch is valid."""
    n_msg, n_sig, n_key = len(messages), len(signatures), len(public_keys)
    msgs, keys = list(messages), list(public_keys)
    if n_msg == n_sig == n_key:
        pass
    elif n_msg == 1 and n_sig == n_key:
        msgs = msgs * n_sig
    elif n_key == 1 and n_msg == n_sig:
        keys = keys * n_msg
    else:
        raise CryptoFailure(BATCH_ERR, "Mismatched / erroneous number of messages / signatures / public keys")
    for sig, key in zip(signatures, keys, strict=True):
        if len(sig) != 64:
            raise CryptoFailure(INVALID_SIGNATURE_FORMAT, "Invalid signature format")
        if len(key) != EDDSA_PUBKEY_LEN:
            raise CryptoFailure(INVALID_PUBKEY_FORMAT, "Invalid public key format")
    return all(_ed25519_zip215(m, sig, key) for m, sig, key in zip(msgs, signatures, keys, strict=True))


# --- BLS12-381 (py_ecc) -----------------------------------------------------------------------


def _bls() -> tuple[Any, Any]:
    limit = sys.getrecursionlimit()  # importing py_ecc raises the interpreter's limit: undo that
    try:
        from py_ecc import optimized_bls12_381 as curve
        from py_ecc.bls import point_compression as pc
    finally:
        sys.setrecursionlimit(limit)
    return curve, pc


def _in_subgroup(curve: Any, point: Any) -> bool:
    return bool(curve.is_inf(curve.multiply(point, curve.curve_order)))


def _g1_from_fixed(data: bytes) -> Any:
    """arkworks ``deserialize_compressed``: zcash flags, on the curve, in the subgroup."""
    curve, pc = _bls()
    try:
        point = pc.decompress_G1(int.from_bytes(data, "big"))
    except ValueError:
        raise CryptoFailure(INVALID_POINT, "Invalid point") from None
    if not _in_subgroup(curve, point):
        raise CryptoFailure(INVALID_POINT, "Invalid point")
    return point


def _g2_from_fixed(data: bytes) -> Any:
    curve, pc = _bls()
    try:
        point = pc.decompress_G2((int.from_bytes(data[:48], "big"), int.from_bytes(data[48:], "big")))
    except ValueError:
        raise CryptoFailure(INVALID_POINT, "Invalid point") from None
    if not _in_subgroup(curve, point):
        raise CryptoFailure(INVALID_POINT, "Invalid point")
    return point


def _g1_bytes(point: Any) -> bytes:
    _, pc = _bls()
    return int(pc.compress_G1(point)).to_bytes(48, "big")


def _g2_bytes(point: Any) -> bytes:
    _, pc = _bls()
    z1, z2 = pc.compress_G2(point)
    return int(z1).to_bytes(48, "big") + int(z2).to_bytes(48, "big")


def _aggregate(
    data: bytes, size: int, decode: Callable[[bytes], Any], encode: Callable[[Any], bytes]
) -> bytes:
    curve, _ = _bls()
    if not data:
        raise CryptoFailure(AGGREGATION_EMPTY, "List of points is empty")
    if len(data) % size:
        raise CryptoFailure(
            AGGREGATION_NOT_MULTIPLE,
            f"List is not a multiple of {size}. Remainder: {len(data) % size}",
        )
    points = [decode(data[i : i + size]) for i in range(0, len(data), size)]
    total = points[0]
    for point in points[1:]:
        total = curve.add(total, point)
    return encode(total)


def bls12_381_aggregate_g1(points: bytes) -> bytes:
    """Sum of compressed G1 points (48 bytes each), compressed."""
    return _aggregate(points, BLS12_381_G1_POINT_LEN, _g1_from_fixed, _g1_bytes)


def bls12_381_aggregate_g2(points: bytes) -> bytes:
    """Sum of compressed G2 points (96 bytes each), compressed."""
    return _aggregate(points, BLS12_381_G2_POINT_LEN, _g2_from_fixed, _g2_bytes)


def bls12_381_pairing_equality(ps: bytes, qs: bytes, r: bytes, s: bytes) -> bool:
    """``e(p1, q1) * ... * e(pn, qn) == e(r, s)``."""
    curve, _ = _bls()
    g1, g2 = BLS12_381_G1_POINT_LEN, BLS12_381_G2_POINT_LEN
    if len(ps) % g1:
        raise CryptoFailure(PAIRING_NOT_MULTIPLE_G1, f"Remainder: {len(ps) % g1}")
    if len(qs) % g2:
        raise CryptoFailure(PAIRING_NOT_MULTIPLE_G2, f"Remainder: {len(qs) % g2}")
    if len(ps) // g1 != len(qs) // g2:
        raise CryptoFailure(PAIRING_UNEQUAL_POINT_AMOUNT, "Unequal point amount")
    left = [_g1_from_fixed(ps[i : i + g1]) for i in range(0, len(ps), g1)]
    right = [_g2_from_fixed(qs[i : i + g2]) for i in range(0, len(qs), g2)]
    if len(r) != g1 or len(s) != g2:
        raise CryptoFailure(INVALID_POINT, "Invalid input length for point")
    left.append(curve.neg(_g1_from_fixed(r)))
    right.append(_g2_from_fixed(s))
    product = curve.FQ12.one()
    for p_point, q_point in zip(left, right, strict=True):
        if curve.is_inf(p_point) or curve.is_inf(q_point):
            continue
        product = product * curve.pairing(q_point, p_point, final_exponentiate=False)
    return bool(curve.final_exponentiate(product) == curve.FQ12.one())


_MAX_DST = 255
_OVERSIZE_DST_PREFIX = b"H2C-OVERSIZE-DST-"


def _hash_to(group: str, hash_function: int, msg: bytes, dst: bytes) -> bytes:
    if hash_function != 0:
        raise CryptoFailure(UNKNOWN_HASH_FUNCTION, "Unknown hash function")
    if len(dst) > _MAX_DST:
        # RFC 9380 section 5.3.3, as ark-ff 0.4 ExpanderXmd::construct_dst_prime does
        dst = hashlib.sha256(_OVERSIZE_DST_PREFIX + dst).digest()
    _bls()
    from py_ecc.bls import hash_to_curve as h2c

    sha256: Any = hashlib.sha256
    if group == "g1":
        return _g1_bytes(h2c.hash_to_G1(msg, dst, sha256))
    return _g2_bytes(h2c.hash_to_G2(msg, dst, sha256))


def bls12_381_hash_to_g1(hash_function: int, msg: bytes, dst: bytes) -> bytes:
    """RFC 9380 ``BLS12381G1_XMD:SHA-256_SSWU_RO_`` with the contract's DST (hash_function 0)."""
    return _hash_to("g1", hash_function, msg, dst)


def bls12_381_hash_to_g2(hash_function: int, msg: bytes, dst: bytes) -> bytes:
    """RFC 9380 ``BLS12381G2_XMD:SHA-256_SSWU_RO_`` with the contract's DST (hash_function 0)."""
    return _hash_to("g2", hash_function, msg, dst)
