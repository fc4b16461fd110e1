//! crypto: signature verification through the host's crypto imports (secp256k1 verify and
//! recover, ed25519 single and batch) and SHA-256 computed inside the contract.

mod sha256;

use cwstd::{
    ed25519_batch_verify, ed25519_verify, hex_decode, hex_encode, secp256k1_recover_pubkey, secp256k1_verify,
    storage, Binary, Env, MessageInfo, Response, StdResult,
};
use serde::{Deserialize, Serialize};
use sha256::sha256;

const STATS: &[u8] = b"stats";
const MAX_ROUNDS: u32 = 10_000;
const MAX_BATCH: usize = 64;

#[derive(Serialize, Deserialize, Default)]
struct Stats {
    verified: u64,
    recovered: u64,
    hashed: u64,
    last_hash: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InstantiateMsg {}

/// Messages shared by execute (which fails on a bad signature and records stats) and query.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum CryptoMsg {
    /// Cosmos-style: SHA-256 of `message` (base64) in the contract, then secp256k1 (hex sig/key).
    VerifySecp256k1 { message: Binary, signature: String, public_key: String },
    /// Ed25519 with base64 message, signature and key.
    VerifyEd25519 { message: Binary, signature: Binary, public_key: Binary },
    VerifyEd25519Batch { messages: Vec<Binary>, signatures: Vec<Binary>, public_keys: Vec<Binary> },
    /// Hex 32-byte hash and 64-byte signature; answers the 65-byte uncompressed key (hex).
    RecoverPubkey { message_hash: String, signature: String, recovery_param: u8 },
    /// SHA-256 applied `rounds` times (at least once) to base64 `data`.
    Sha256 { data: Binary, rounds: u32 },
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum StatsQuery {
    Stats {},
}

/// `{"stats":{}}` or any `CryptoMsg`.
#[derive(Deserialize)]
#[serde(untagged)]
enum QueryMsg {
    Stats(StatsQuery),
    Crypto(CryptoMsg),
}

enum Outcome {
    Verified(bool),
    PublicKey(Vec<u8>),
    Hash([u8; 32]),
}

fn hex_arg(name: &str, text: &str) -> StdResult<Vec<u8>> {
    hex_decode(text).map_err(|e| format!("{}: {}", name, e))
}

fn run(msg: CryptoMsg) -> StdResult<Outcome> {
    match msg {
        CryptoMsg::VerifySecp256k1 { message, signature, public_key } => {
            let hash = sha256(&message.0);
            let ok = secp256k1_verify(&hash, &hex_arg("signature", &signature)?, &hex_arg("public_key", &public_key)?)?;
            Ok(Outcome::Verified(ok))
        }
        CryptoMsg::VerifyEd25519 { message, signature, public_key } => {
            Ok(Outcome::Verified(ed25519_verify(&message.0, &signature.0, &public_key.0)?))
        }
        CryptoMsg::VerifyEd25519Batch { messages, signatures, public_keys } => {
            if messages.len().max(signatures.len()).max(public_keys.len()) > MAX_BATCH {
                return Err(format!("Batch larger than {}", MAX_BATCH));
            }
            let m: Vec<&[u8]> = messages.iter().map(|b| b.0.as_slice()).collect();
            let s: Vec<&[u8]> = signatures.iter().map(|b| b.0.as_slice()).collect();
            let p: Vec<&[u8]> = public_keys.iter().map(|b| b.0.as_slice()).collect();
            Ok(Outcome::Verified(ed25519_batch_verify(&m, &s, &p)?))
        }
        CryptoMsg::RecoverPubkey { message_hash, signature, recovery_param } => {
            let key = secp256k1_recover_pubkey(
                &hex_arg("message_hash", &message_hash)?,
                &hex_arg("signature", &signature)?,
                recovery_param,
            )?;
            Ok(Outcome::PublicKey(key))
        }
        CryptoMsg::Sha256 { data, rounds } => {
            if rounds == 0 || rounds > MAX_ROUNDS {
                return Err(format!("rounds must be in 1..={}", MAX_ROUNDS));
            }
            let mut hash = sha256(&data.0);
            for _ in 1..rounds {
                hash = sha256(&hash);
            }
            Ok(Outcome::Hash(hash))
        }
    }
}

fn instantiate(_env: Env, _info: MessageInfo, _msg: InstantiateMsg) -> StdResult<Response> {
    storage::save(STATS, &Stats::default())?;
    Ok(Response::new().add_attribute("action", "instantiate"))
}

fn execute(_env: Env, _info: MessageInfo, msg: CryptoMsg) -> StdResult<Response> {
    let mut stats: Stats = storage::load(STATS)?.unwrap_or_default();
    let response = match run(msg)? {
        Outcome::Verified(false) => return Err("Signature verification failed".to_string()),
        Outcome::Verified(true) => {
            stats.verified += 1;
            Response::new().add_attribute("action", "verify").add_attribute("verified", "true")
        }
        Outcome::PublicKey(key) => {
            stats.recovered += 1;
            Response::new().add_attribute("action", "recover_pubkey").add_attribute("public_key", hex_encode(&key))
        }
        Outcome::Hash(hash) => {
            stats.hashed += 1;
            stats.last_hash = hex_encode(&hash);
            Response::new().add_attribute("action", "sha256").add_attribute("hash", &stats.last_hash).set_data(hash.to_vec())
        }
    };
    storage::save(STATS, &stats)?;
    Ok(response)
}

fn query(_env: Env, msg: QueryMsg) -> StdResult<Vec<u8>> {
    match msg {
        QueryMsg::Stats(StatsQuery::Stats {}) => cwstd::to_json(&storage::load::<Stats>(STATS)?.unwrap_or_default()),
        QueryMsg::Crypto(msg) => match run(msg)? {
            Outcome::Verified(ok) => cwstd::to_json(&serde_json::json!({ "verifies": ok })),
            Outcome::PublicKey(key) => cwstd::to_json(&serde_json::json!({ "public_key": hex_encode(&key) })),
            Outcome::Hash(hash) => cwstd::to_json(&serde_json::json!({ "hash": hex_encode(&hash) })),
        },
    }
}

cwstd::entry_points! {
    instantiate: instantiate,
    execute: execute,
    query: query,
}
