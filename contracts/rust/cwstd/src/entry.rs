//! Entry-point glue: Region arguments in, `ContractResult` JSON Region out.

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::any::type_name;

use crate::imports;
use crate::memory::{consume_region, ptr_of, region_of, release_buffer, Region};
use crate::types::{Binary, ContractResult, Env, MessageInfo, Reply, Response};

/// Parses JSON, naming the target type in the error (like cosmwasm-std's `from_json`).
pub fn from_json<T: DeserializeOwned>(data: &[u8]) -> Result<T, String> {
    serde_json::from_slice(data).map_err(|e| format!("Error parsing into type {}: {}", short_name::<T>(), e))
}

/// Serializes to JSON bytes.
pub fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>, String> {
    serde_json::to_vec(value).map_err(|e| format!("Error serializing type {}: {}", short_name::<T>(), e))
}

fn short_name<T>() -> &'static str {
    let full = type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
}

/// Sends panic messages to the host's `abort` import instead of trapping silently.
fn install_panic_handler() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        let region = region_of(message.as_bytes());
        unsafe { imports::abort(ptr_of(&region)) };
    }));
}

fn take(ptr: u32) -> Vec<u8> {
    unsafe { consume_region(ptr as *mut Region) }
}

fn finish<T: Serialize>(result: Result<T, String>) -> u32 {
    let wrapped = match result {
        Ok(value) => ContractResult::Ok(value),
        Err(error) => ContractResult::Err(error),
    };
    let bytes = serde_json::to_vec(&wrapped).unwrap_or_else(|e| {
        format!("{{\"error\":\"cannot serialize result: {}\"}}", e).into_bytes()
    });
    release_buffer(bytes) as u32
}

/// The `instantiate` / `execute` wrapper: (env, info, msg) -> ContractResult<Response>.
pub fn do_call<M: DeserializeOwned>(
    f: fn(Env, MessageInfo, M) -> Result<Response, String>,
    env_ptr: u32,
    info_ptr: u32,
    msg_ptr: u32,
) -> u32 {
    install_panic_handler();
    let (env, info, msg) = (take(env_ptr), take(info_ptr), take(msg_ptr));
    let result = (|| f(from_json(&env)?, from_json(&info)?, from_json(&msg)?))();
    finish(result)
}

/// Glue for `instantiate`.
pub fn do_instantiate<M: DeserializeOwned>(
    f: fn(Env, MessageInfo, M) -> Result<Response, String>,
    env_ptr: u32,
    info_ptr: u32,
    msg_ptr: u32,
) -> u32 {
    do_call(f, env_ptr, info_ptr, msg_ptr)
}

/// Glue for `execute`.
pub fn do_execute<M: DeserializeOwned>(
    f: fn(Env, MessageInfo, M) -> Result<Response, String>,
    env_ptr: u32,
    info_ptr: u32,
    msg_ptr: u32,
) -> u32 {
    do_call(f, env_ptr, info_ptr, msg_ptr)
}

/// Glue for `migrate` (env, msg) -> ContractResult<Response>.
pub fn do_migrate<M: DeserializeOwned>(f: fn(Env, M) -> Result<Response, String>, env_ptr: u32, msg_ptr: u32) -> u32 {
    install_panic_handler();
    let (env, msg) = (take(env_ptr), take(msg_ptr));
    finish((|| f(from_json(&env)?, from_json(&msg)?))())
}

/// Glue for `reply` (env, Reply) -> ContractResult<Response>.
pub fn do_reply(f: fn(Env, Reply) -> Result<Response, String>, env_ptr: u32, reply_ptr: u32) -> u32 {
    install_panic_handler();
    let (env, reply) = (take(env_ptr), take(reply_ptr));
    finish((|| f(from_json(&env)?, from_json(&reply)?))())
}

/// Glue for `query` (env, msg) -> ContractResult<Binary>; `f` returns the answer's JSON bytes.
pub fn do_query<M: DeserializeOwned>(f: fn(Env, M) -> Result<Vec<u8>, String>, env_ptr: u32, msg_ptr: u32) -> u32 {
    install_panic_handler();
    let (env, msg) = (take(env_ptr), take(msg_ptr));
    finish((|| f(from_json(&env)?, from_json(&msg)?).map(Binary))())
}
