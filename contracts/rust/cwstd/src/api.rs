//! Address and crypto functions the host implements, plus `debug`.

use crate::imports;
use crate::memory::{alloc, consume_region, encode_sections, ptr_of, region_of, Region};

const CANONICAL_BUFFER: usize = 64;
const HUMAN_BUFFER: usize = 90;

fn take_string(ptr: u32) -> String {
    let bytes = unsafe { consume_region(ptr as *mut Region) };
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Checks that `human` is a valid, normalized address on this chain.
pub fn addr_validate(human: &str) -> Result<(), String> {
    let source = region_of(human.as_bytes());
    let ret = unsafe { imports::addr_validate(ptr_of(&source)) };
    if ret == 0 {
        Ok(())
    } else {
        Err(format!("Invalid address {:?}: {}", human, take_string(ret)))
    }
}

/// The canonical (binary) form of an address.
pub fn addr_canonicalize(human: &str) -> Result<Vec<u8>, String> {
    let source = region_of(human.as_bytes());
    let destination = alloc(CANONICAL_BUFFER);
    let ret = unsafe { imports::addr_canonicalize(ptr_of(&source), destination as u32) };
    let canonical = unsafe { consume_region(destination) };
    if ret == 0 {
        Ok(canonical)
    } else {
        Err(format!("Cannot canonicalize {:?}: {}", human, take_string(ret)))
    }
}

/// The human (bech32) form of a canonical address.
pub fn addr_humanize(canonical: &[u8]) -> Result<String, String> {
    let source = region_of(canonical);
    let destination = alloc(HUMAN_BUFFER);
    let ret = unsafe { imports::addr_humanize(ptr_of(&source), destination as u32) };
    let human = unsafe { consume_region(destination) };
    if ret == 0 {
        String::from_utf8(human).map_err(|_| "addr_humanize returned invalid UTF-8".to_string())
    } else {
        Err(format!("Cannot humanize address: {}", take_string(ret)))
    }
}

fn verification(code: u32, what: &str) -> Result<bool, String> {
    match code {
        0 => Ok(true),
        1 => Ok(false),
        other => Err(format!("{} failed with error code {}", what, other)),
    }
}

/// secp256k1 ECDSA verification of a 32-byte hash; signature is 64 bytes r||s.
pub fn secp256k1_verify(hash: &[u8], signature: &[u8], public_key: &[u8]) -> Result<bool, String> {
    let (h, s, p) = (region_of(hash), region_of(signature), region_of(public_key));
    let code = unsafe { imports::secp256k1_verify(ptr_of(&h), ptr_of(&s), ptr_of(&p)) };
    verification(code, "secp256k1_verify")
}

/// Recovers the 65-byte uncompressed public key that signed `hash`.
pub fn secp256k1_recover_pubkey(hash: &[u8], signature: &[u8], recovery_param: u8) -> Result<Vec<u8>, String> {
    let (h, s) = (region_of(hash), region_of(signature));
    let result = unsafe { imports::secp256k1_recover_pubkey(ptr_of(&h), ptr_of(&s), u32::from(recovery_param)) };
    let error_code = (result >> 32) as u32;
    let pubkey_ptr = result as u32;
    if error_code == 0 {
        Ok(unsafe { consume_region(pubkey_ptr as *mut Region) })
    } else {
        Err(format!("secp256k1_recover_pubkey failed with error code {}", error_code))
    }
}

/// Ed25519 verification of an arbitrary message.
pub fn ed25519_verify(message: &[u8], signature: &[u8], public_key: &[u8]) -> Result<bool, String> {
    let (m, s, p) = (region_of(message), region_of(signature), region_of(public_key));
    let code = unsafe { imports::ed25519_verify(ptr_of(&m), ptr_of(&s), ptr_of(&p)) };
    verification(code, "ed25519_verify")
}

/// Ed25519 batch verification; each list is passed as encoded sections.
pub fn ed25519_batch_verify(messages: &[&[u8]], signatures: &[&[u8]], public_keys: &[&[u8]]) -> Result<bool, String> {
    let m = encode_sections(messages);
    let s = encode_sections(signatures);
    let p = encode_sections(public_keys);
    let (mr, sr, pr) = (region_of(&m), region_of(&s), region_of(&p));
    let code = unsafe { imports::ed25519_batch_verify(ptr_of(&mr), ptr_of(&sr), ptr_of(&pr)) };
    verification(code, "ed25519_batch_verify")
}

/// Prints a debug message on the host (ignored by chains that do not log it).
pub fn debug(message: &str) {
    let region = region_of(message.as_bytes());
    unsafe { imports::debug(ptr_of(&region)) }
}
