"""The crypto behind the host imports, on public test vectors (each cited where it is used).

Sources:
* CosmWasm/cosmwasm@v2.1.6 packages/vm/src/imports.rs tests (secp256k1/r1 verify and recover);
* Wycheproof ``ecdsa_secp256k1_sha256_test.json`` / ``ecdsa_secp256r1_sha256_test.json``
  (google/wycheproof, as copied in CosmWasm/cosmwasm@v2.1.6 packages/crypto/testdata/wycheproof),
  test group 0, tcId 1-4; the whole files pass too (run once while writing this module);
* RFC 8032 section 7.1 TEST 1-3 (ed25519); ZIP 215 (small-order points are accepted);
* RFC 9380 appendix J.9.1 / J.10.1 (hash_to_curve, msg "abc");
* Ethereum consensus-spec BLS tests, as copied in CosmWasm/cosmwasm@v2.1.6
  packages/crypto/testdata/bls-tests (verify, aggregate, deserialization_G1/G2).

Oracles: the public test vectors listed below (cosmwasm's own tests, Wycheproof, RFC 8032, ZIP 215,
RFC 9380, the Ethereum consensus BLS tests) and libsodium (PyNaCl) on honest signatures.
"""

from __future__ import annotations

import contextlib
import hashlib

import nacl.signing
import pytest
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from hypothesis import given, settings
from hypothesis import strategies as st

from gasmodel.vm import crypto
from gasmodel.vm.crypto import CryptoFailure

H = bytes.fromhex


def _rs(der_hex: str) -> bytes:
    r, s = decode_dss_signature(H(der_hex))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


# --- secp256k1 ---

K1_HASH = H("5ae8317d34d1e595e3fa7247db80c0af4320cce1116de187f8f7e2e099c0d8d0")
K1_SIG = H(
    "207082eb2c3dfa0b454e0906051270ba4074ac93760ba9e7110cd9471475111151eb0dbbc9920e72146fb564f99d039802bf6ef2561446eb126ef364d21ee9c4"
)
K1_PUB = H(
    "04051c1ee2190ecfb174bfe4f90763f2b4ff7517b70a2aec1876ebcfd644c4633fb03f3cfbd94b1f376e34592d9d41ccaf640bb751b00a1fadeb0c01157769eb73"
)


def test_secp256k1_cosmwasm_vectors() -> None:
    assert crypto.secp256k1_verify(K1_HASH, K1_SIG, K1_PUB)
    assert not crypto.secp256k1_verify(hashlib.sha256(b"x").digest(), K1_SIG, K1_PUB)
    # do_secp256k1_recover_pubkey_works (gist webmaster128/130b628d83621a33579751846699ed15)
    sig = H(
        "45c0b7f8c09a9e1f1cea0c25785594427b6bf8f9f878a8af0b1abbb48e16d0920d8becd0c220f67c51217eecfd7184ef0732481c843857e6bc7fc095c4f6b788"
    )
    expected = H(
        "044a071e8a6e10aada2b8cf39fa3b5fb3400b04e99ea8ae64ceea1a977dbeaf5d5f8c8fbd10b71ab14cd561f7df8eb6da50f8a8d81ba564342244d26d1d4211595"
    )
    assert crypto.secp256k1_recover_pubkey(K1_HASH, sig, 1) == expected


WP_K1_PUB = H(
    "04782c8ed17e3b2a783b5464f33b09652a71c678e05ec51e84e2bcfc663a3de963af9acb4280b8c7f7c42f4ef9aba6245ec1ec1712fd38a0fa96418d8cd6aa6152"
)
WP_K1 = [
    (
        "",
        "3046022100f80ae4f96cdbc9d853f83d47aae225bf407d51c56b7776cd67d0dc195d99a9dc022100b303e26be1f73465315221f0b331528807a1a9b6eb068ede6eebeaaa49af8a36",
    ),
    (
        "4d7367",
        "30450220109cd8ae0374358984a8249c0a843628f2835ffad1df1a9a69aa2fe72355545c022100ac6f00daf53bd8b1e34da329359b6e08019c5b037fed79ee383ae39f85a159c6",
    ),
    (
        "313233343030",
        "3045022100d035ee1f17fdb0b2681b163e33c359932659990af77dca632012b30b27a057b302201939d9f3b2858bc13e3474cb50e6a82be44faa71940f876c1cba4c3e989202b6",
    ),
    (
        "0000000000000000000000000000000000000000",
        "304402204f053f563ad34b74fd8c9934ce59e79c2eb8e6eca0fef5b323ca67d5ac7ed23802204d4b05daa0719e773d8617dce5631c5fd6f59c9bdc748e4b55c970040af01be5",
    ),
]
WP_R1_PUB = H(
    "0404aaec73635726f213fb8a9e64da3b8632e41495a944d0045b522eba7240fad587d9315798aaa3a5ba01775787ced05eaaf7b4e09fc81d6d1aa546e8365d525d"
)
WP_R1 = [
    (
        "",
        "3045022100b292a619339f6e567a305c951c0dcbcc42d16e47f219f9e98e76e09d8770b34a02200177e60492c5a8242f76f07bfe3661bde59ec2a17ce5bd2dab2abebdf89a62e2",
    ),
    (
        "4d7367",
        "30450220530bd6b0c9af2d69ba897f6b5fb59695cfbf33afe66dbadcf5b8d2a2a6538e23022100d85e489cb7a161fd55ededcedbf4cc0c0987e3e3f0f242cae934c72caa3f43e9",
    ),
    (
        "313233343030",
        "3046022100a8ea150cb80125d7381c4c1f1da8e9de2711f9917060406a73d7904519e51388022100f3ab9fa68bd47973a73b2d40480c2ba50c22c9d76ec217257288293285449b86",
    ),
    (
        "0000000000000000000000000000000000000000",
        "3045022100986e65933ef2ed4ee5aada139f52b70539aaf63f00a91f29c69178490d57fb7102203dafedfb8da6189d372308cbf1489bbbdabf0c0217d1c0ff0f701aaa7a694b9c",
    ),
]


@pytest.mark.parametrize(("msg", "der"), WP_K1)
def test_secp256k1_wycheproof(msg: str, der: str) -> None:
    digest = hashlib.sha256(H(msg)).digest()
    sig = _rs(der)
    assert crypto.secp256k1_verify(digest, sig, WP_K1_PUB)  # high S (tcId 1, 2) normalized
    recovered = []
    for rp in (0, 1):
        with contextlib.suppress(CryptoFailure):
            recovered.append(crypto.secp256k1_recover_pubkey(digest, sig, rp))
    assert WP_K1_PUB in recovered
    tampered = sig[:63] + bytes([sig[63] ^ 1])
    assert not crypto.secp256k1_verify(digest, tampered, WP_K1_PUB)


@pytest.mark.parametrize(("msg", "der"), WP_R1)
def test_secp256r1_wycheproof(msg: str, der: str) -> None:
    digest = hashlib.sha256(H(msg)).digest()
    sig = _rs(der)
    assert crypto.secp256r1_verify(digest, sig, WP_R1_PUB)
    recovered = []
    for rp in (0, 1):
        with contextlib.suppress(CryptoFailure):
            recovered.append(crypto.secp256r1_recover_pubkey(digest, sig, rp))
    assert WP_R1_PUB in recovered
    assert not crypto.secp256r1_verify(hashlib.sha256(b"other").digest(), sig, WP_R1_PUB)


def test_secp256r1_cosmwasm_vectors() -> None:
    digest = H("b804cf88af0c2eff8bbbfb3660ebb3294138e9d3ebd458884e19818061dacff0")
    sig = H(
        "35fb60f5ca0f3ca08542fb3cc641c8263a2cab7a90ee6a5e1583fac2bb6f6bd1ee59d81bc9db1055cc0ed97b159d8784af04e98511d0a9a407b99bb292572e96"
    )
    pub = H(
        "0474ccd8a62fba0e667c50929a53f78c21b8ff0c3c737b0b40b1750b2302b0bde829074e21f3a0ef88b9efdf10d06aa4c295cc1671f758ca0e4cd108803d0f2614"
    )
    assert crypto.secp256r1_verify(digest, sig, pub)
    # do_secp256r1_recover_pubkey_works
    digest = H("12135386c09e0bf6fd5c454a95bcfe9b3edb25c71e455c73a212405694b29002")
    sig = H(
        "b53ce4da1aa7c0dc77a1896ab716b921499aed78df725b1504aba1597ba0c64bd7c246dc7ad0e67700c373edcfdd1c0a0495fc954549ad579df6ed1438840851"
    )
    expected = H(
        "040a7dbb8bf50cb605eb2268b081f26d6b08e012f952c4b70a5a1e6e7d46af98bbf26dd7d799930062480849962ccf5004edcfd307c044f4e8f667c9baa834eeae"
    )
    assert crypto.secp256r1_recover_pubkey(digest, sig, 0) == expected


def _code(fn: object, *args: object) -> int:
    with pytest.raises(CryptoFailure) as err:
        fn(*args)  # type: ignore[operator]
    return err.value.code


def test_ecdsa_error_codes_in_cosmwasm_order() -> None:
    # packages/crypto/src/errors.rs codes; checks in secp256k1.rs order: hash, sig, pubkey
    assert _code(crypto.secp256k1_verify, K1_HASH[:31], K1_SIG[:10], b"") == 3
    assert _code(crypto.secp256k1_verify, K1_HASH, K1_SIG[:63], b"") == 4
    assert _code(crypto.secp256k1_verify, K1_HASH, K1_SIG, K1_PUB[:64]) == 5
    assert _code(crypto.secp256k1_verify, K1_HASH, bytes(64), K1_PUB) == 10  # r = s = 0
    off_curve = b"\x04" + bytes(63) + b"\x07"
    assert _code(crypto.secp256k1_verify, K1_HASH, K1_SIG, off_curve) == 10
    assert _code(crypto.secp256k1_recover_pubkey, K1_HASH, K1_SIG, 2) == 6
    assert _code(crypto.secp256r1_recover_pubkey, K1_HASH, K1_SIG, 4) == 6


# --- ed25519 ---

# RFC 8032 section 7.1, TEST 1, 2, 3 (public key, message, signature)
RFC8032 = [
    (
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    ),
    (
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    ),
    (
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
    ),
]


@pytest.mark.parametrize(("pub", "msg", "sig"), RFC8032)
def test_ed25519_rfc8032(pub: str, msg: str, sig: str) -> None:
    assert crypto.ed25519_verify(H(msg), H(sig), H(pub))
    assert not crypto.ed25519_verify(H(msg) + b"!", H(sig), H(pub))


def test_ed25519_batch_rfc8032() -> None:
    pubs = [H(p) for p, _, _ in RFC8032]
    msgs = [H(m) for _, m, _ in RFC8032]
    sigs = [H(s) for _, _, s in RFC8032]
    assert crypto.ed25519_batch_verify(msgs, sigs, pubs)
    assert not crypto.ed25519_batch_verify(msgs[::-1], sigs, pubs)
    assert crypto.ed25519_batch_verify([], [], [])
    # one message for all (signatures of the same message by two keys)
    k1, k2 = nacl.signing.SigningKey(b"\x01" * 32), nacl.signing.SigningKey(b"\x02" * 32)
    s1, s2 = k1.sign(b"m").signature, k2.sign(b"m").signature
    assert crypto.ed25519_batch_verify([b"m"], [s1, s2], [bytes(k1.verify_key), bytes(k2.verify_key)])
    assert _code(crypto.ed25519_batch_verify, msgs[:2], sigs, pubs[:2]) == 7
    assert _code(crypto.ed25519_batch_verify, msgs, [sigs[0][:63], *sigs[1:]], pubs) == 4


def test_ed25519_zip215_accepts_small_order_keys() -> None:
    # ZIP 215: A = identity (y = 1), R = identity, S = 0 satisfies [8][S]B = [8]R + [8][k]A.
    # libsodium (PyNaCl) rejects this; ed25519-zebra (cosmwasm) accepts it.
    identity = (1).to_bytes(32, "little")
    assert crypto.ed25519_verify(b"any", identity + bytes(32), identity)
    # S >= l is rejected (ZIP 215 requires canonical S)
    big_s = (2**253).to_bytes(32, "little")
    assert not crypto.ed25519_verify(b"any", identity + big_s, identity)


@settings(max_examples=25, deadline=None)
@given(seed=st.binary(min_size=32, max_size=32), msg=st.binary(max_size=200), flip=st.integers(0, 511))
def test_ed25519_agrees_with_libsodium_on_honest_signatures(seed: bytes, msg: bytes, flip: int) -> None:
    # Oracle: PyNaCl (libsodium). On honestly generated keys and signatures ZIP 215 and RFC 8032
    # agree; flipping one signature bit must make both reject.
    key = nacl.signing.SigningKey(seed)
    sig = key.sign(msg).signature
    pub = bytes(key.verify_key)
    assert crypto.ed25519_verify(msg, sig, pub)
    bad = bytearray(sig)
    bad[flip // 8] ^= 1 << (flip % 8)
    try:
        key.verify_key.verify(msg, bytes(bad))
        nacl_ok = True
    except nacl.exceptions.BadSignatureError:
        nacl_ok = False
    assert crypto.ed25519_verify(msg, bytes(bad), pub) == nacl_ok


# --- BLS12-381 ---

G1_GEN = H("97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb")


def test_hash_to_g1_rfc9380() -> None:
    point = crypto.bls12_381_hash_to_g1(0, b"abc", b"QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_")
    # RFC 9380 J.9.1 msg "abc": P.x, compressed with the sign flag of P.y
    x = int.from_bytes(point, "big") & ((1 << 381) - 1)
    assert (
        x
        == 0x03567BC5EF9C690C2AB2ECDF6A96EF1C139CC0B2F284DCA0A9A7943388A49A3AEE664BA5379A7655D3C68900BE2F6903
    )


def test_hash_to_g2_rfc9380() -> None:
    point = crypto.bls12_381_hash_to_g2(0, b"abc", b"QUUX-V01-CS02-with-BLS12381G2_XMD:SHA-256_SSWU_RO_")
    # RFC 9380 J.10.1 msg "abc": P.x = x0 + I * x1; compressed: x1 (with flags) then x0
    x1 = int.from_bytes(point[:48], "big") & ((1 << 381) - 1)
    x0 = int.from_bytes(point[48:], "big")
    assert (
        x0
        == 0x02C2D18E033B960562AAE3CAB37A27CE00D80CCD5BA4B7FE0E7A210245129DBEC7780CCC7954725F4168AFF2787776E6
    )
    assert (
        x1
        == 0x139CDDBCCDC5E91B9623EFD38C49F81A6F83F175E80B06FC374DE9EB4B41DFE4CA3A230ED250FBE3A2ACF73A41177FD8
    )


def test_hash_unknown_function_and_long_dst() -> None:
    assert _code(crypto.bls12_381_hash_to_g1, 1, b"", b"d") == 9
    # RFC 9380 section 5.3.3: a DST over 255 bytes is replaced by H("H2C-OVERSIZE-DST-" || DST)
    long_dst = b"d" * 256
    short = hashlib.sha256(b"H2C-OVERSIZE-DST-" + long_dst).digest()
    assert crypto.bls12_381_hash_to_g1(0, b"m", long_dst) == crypto.bls12_381_hash_to_g1(0, b"m", short)


def test_aggregate_g2_eth_vector() -> None:
    sigs = [
        "91347bccf740d859038fcdcaf233eeceb2a436bcaaee9b2aa3bfb70efe29dfb2677562ccbea1c8e061fb9971b0753c240622fab78489ce96768259fc01360346da5b9f579e5da0d941e4c6ba18a0e64906082375394f337fa1af2b7127b0d121",
        "9674e2228034527f4c083206032b020310face156d4a4685e2fcaec2f6f3665aa635d90347b6ce124eb879266b1e801d185de36a0a289b85e9039662634f2eea1e02e670bc7ab849d006a70b2f93b84597558a05b879c8d445f387a5d5b653df",
        "ae82747ddeefe4fd64cf9cedb9b04ae3e8a43420cd255e3c7cd06a8d88b7c7f8638543719981c5d16fa3527c468c25f0026704a6951bde891360c7e8d12ddee0559004ccdbe6046b55bae1b257ee97f7cdb955773d7cf29adf3ccbb9975e4eb9",
    ]
    out = crypto.bls12_381_aggregate_g2(b"".join(H(s) for s in sigs))
    assert out.hex() == (
        "9712c3edd73a209c742b8250759db12549b3eaf43b5ca61376d9f30e2747dbcf842d8b2ac0901d2a093713e20284a7670fcf6954e9ab93de991bb9b313e664785a075fc285806fa5224c82bde146561b446ccfc706a64b8579513cfc4ff1d930"
    )


def test_aggregate_errors() -> None:
    assert _code(crypto.bls12_381_aggregate_g1, b"") == 14
    assert _code(crypto.bls12_381_aggregate_g1, G1_GEN + b"\x00") == 15
    # deserialization_G1/deserialization_fails_not_in_G1.json
    not_in_g1 = H(
        "8123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    )
    assert _code(crypto.bls12_381_aggregate_g1, not_in_g1) == 8
    not_in_g2 = not_in_g1 + H(
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    )
    assert _code(crypto.bls12_381_aggregate_g2, not_in_g2) == 8


def test_pairing_equality_verifies_an_eth_signature() -> None:
    # bls-tests/verify/verify_valid_case_195246ee3bd3b6ec.json: e(pk, H(m)) == e(G1, sig)
    pk = H("b53d21a4cfd562c469cc81514d4ce5a6b577d8403d32a394dc265dd190b47fa9f829fdd7963afdf972e5e77854051f6f")
    msg = H("ab" * 32)
    sig = H(
        "ae82747ddeefe4fd64cf9cedb9b04ae3e8a43420cd255e3c7cd06a8d88b7c7f8638543719981c5d16fa3527c468c25f0026704a6951bde891360c7e8d12ddee0559004ccdbe6046b55bae1b257ee97f7cdb955773d7cf29adf3ccbb9975e4eb9"
    )
    hashed = crypto.bls12_381_hash_to_g2(0, msg, b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_")
    assert crypto.bls12_381_pairing_equality(pk, hashed, G1_GEN, sig)
    other = crypto.bls12_381_hash_to_g2(0, b"other", b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_")
    assert not crypto.bls12_381_pairing_equality(pk, other, G1_GEN, sig)


def test_pairing_equality_errors() -> None:
    assert _code(crypto.bls12_381_pairing_equality, b"\x00", b"", G1_GEN, b"") == 11
    assert _code(crypto.bls12_381_pairing_equality, b"", b"\x00", G1_GEN, b"") == 12
    assert _code(crypto.bls12_381_pairing_equality, G1_GEN, b"", G1_GEN, b"") == 13
