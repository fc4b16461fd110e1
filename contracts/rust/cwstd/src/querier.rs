//! Chain queries through `query_chain`.

use serde::Deserialize;
use serde_json::Value;

use crate::imports;
use crate::memory::{consume_region, ptr_of, region_of, Region};
use crate::types::{Binary, ContractResult};

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum SystemResult {
    Ok(ContractResult<Binary>),
    #[serde(rename = "error")]
    Err(Value),
}

/// Sends a raw `QueryRequest` JSON and returns the answer bytes (the decoded `Binary`).
pub fn query_raw(request: &[u8]) -> Result<Vec<u8>, String> {
    let region = region_of(request);
    let ptr = unsafe { imports::query_chain(ptr_of(&region)) };
    let answer = unsafe { consume_region(ptr as *mut Region) };
    let parsed: SystemResult =
        serde_json::from_slice(&answer).map_err(|e| format!("Cannot parse query_chain answer: {}", e))?;
    match parsed {
        SystemResult::Ok(ContractResult::Ok(data)) => Ok(data.0),
        SystemResult::Ok(ContractResult::Err(e)) => Err(format!("Querier contract error: {}", e)),
        SystemResult::Err(e) => Err(format!("Querier system error: {}", e)),
    }
}

/// `WasmQuery::Smart`: sends `msg` (JSON bytes) to `contract_addr` and returns its JSON answer.
pub fn query_wasm_smart(contract_addr: &str, msg: &[u8]) -> Result<Vec<u8>, String> {
    let request = serde_json::json!({
        "wasm": {"smart": {"contract_addr": contract_addr, "msg": Binary(msg.to_vec())}}
    });
    let bytes = serde_json::to_vec(&request).map_err(|e| e.to_string())?;
    query_raw(&bytes)
}
