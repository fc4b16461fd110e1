//! A small, self-contained implementation of the CosmWasm contract ABI (interface_version_8).
//!
//! It does in our own code what `cosmwasm-std` does for a contract: Regions and the
//! `allocate`/`deallocate` exports, the `env` imports, JSON types for Env/MessageInfo/Response/
//! SubMsg/Reply, storage with iterators, the address and crypto APIs, chain queries and the glue
//! that turns entry-point calls into `ContractResult` JSON.

pub mod api;
pub mod encoding;
pub mod entry;
pub mod imports;
pub mod memory;
pub mod querier;
pub mod storage;
pub mod types;

pub use api::{
    addr_canonicalize, addr_humanize, addr_validate, debug, ed25519_batch_verify, ed25519_verify,
    secp256k1_recover_pubkey, secp256k1_verify,
};
pub use encoding::{base64_decode, base64_encode, hex_decode, hex_encode};
pub use entry::{do_execute, do_instantiate, do_migrate, do_query, do_reply, from_json, to_json};
pub use querier::query_wasm_smart;
pub use storage::Order;
pub use types::{
    Attribute, Binary, Coin, CosmosMsg, Env, Event, MessageInfo, Reply, ReplyOn, Response, SubMsg,
    SubMsgResult, Uint128, WasmMsg,
};

/// Result type used by contract logic: errors are plain strings put into `{"error": ...}`.
pub type StdResult<T> = Result<T, String>;

/// The interface marker every CosmWasm 1.x/2.x contract exports.
#[no_mangle]
pub extern "C" fn interface_version_8() {}

/// Declares `requires_<capability>` marker exports, e.g. `requires!(requires_iterator);`.
#[macro_export]
macro_rules! requires {
    ($($name:ident),* $(,)?) => {
        $(
            #[no_mangle]
            pub extern "C" fn $name() {}
        )*
    };
}

/// Declares the contract's entry-point exports, as cosmwasm-std's `#[entry_point]` does, e.g.
/// `entry_points! { instantiate: instantiate, execute: execute, query: query }`. Each key is the
/// export (`instantiate`, `execute`, `migrate`, `reply`, `query`), each value the handler.
#[macro_export]
macro_rules! entry_points {
    ($($kind:ident : $handler:path),* $(,)?) => {
        $( $crate::entry_point!($kind, $handler); )*
    };
}

/// One entry-point export; see [`entry_points!`].
#[macro_export]
macro_rules! entry_point {
    (instantiate, $h:path) => {
        #[export_name = "instantiate"]
        extern "C" fn instantiate_export(env: u32, info: u32, msg: u32) -> u32 {
            $crate::do_instantiate($h, env, info, msg)
        }
    };
    (execute, $h:path) => {
        #[export_name = "execute"]
        extern "C" fn execute_export(env: u32, info: u32, msg: u32) -> u32 {
            $crate::do_execute($h, env, info, msg)
        }
    };
    (migrate, $h:path) => {
        #[export_name = "migrate"]
        extern "C" fn migrate_export(env: u32, msg: u32) -> u32 {
            $crate::do_migrate($h, env, msg)
        }
    };
    (reply, $h:path) => {
        #[export_name = "reply"]
        extern "C" fn reply_export(env: u32, reply_msg: u32) -> u32 {
            $crate::do_reply($h, env, reply_msg)
        }
    };
    (query, $h:path) => {
        #[export_name = "query"]
        extern "C" fn query_export(env: u32, msg: u32) -> u32 {
            $crate::do_query($h, env, msg)
        }
    };
}
