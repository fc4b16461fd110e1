//! counter: the smallest realistic contract (one JSON state item, owner check, one query).

use cwstd::{storage, Env, MessageInfo, Response, StdResult};
use serde::{Deserialize, Serialize};

const STATE_KEY: &[u8] = b"state";

#[derive(Serialize, Deserialize)]
struct State {
    count: i64,
    owner: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InstantiateMsg {
    count: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum ExecuteMsg {
    Increment {},
    Reset { count: i64 },
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum QueryMsg {
    GetCount {},
}

#[derive(Serialize)]
struct CountResponse {
    count: i64,
}

fn load_state() -> StdResult<State> {
    storage::load(STATE_KEY)?.ok_or_else(|| "State not found".to_string())
}

fn instantiate(_env: Env, info: MessageInfo, msg: InstantiateMsg) -> StdResult<Response> {
    let state = State { count: msg.count, owner: info.sender.clone() };
    storage::save(STATE_KEY, &state)?;
    Ok(Response::new()
        .add_attribute("method", "instantiate")
        .add_attribute("owner", info.sender)
        .add_attribute("count", msg.count))
}

fn execute(_env: Env, info: MessageInfo, msg: ExecuteMsg) -> StdResult<Response> {
    let mut state = load_state()?;
    match msg {
        ExecuteMsg::Increment {} => {
            state.count = state.count.checked_add(1).ok_or("Overflow")?;
            storage::save(STATE_KEY, &state)?;
            Ok(Response::new().add_attribute("action", "increment").add_attribute("count", state.count))
        }
        ExecuteMsg::Reset { count } => {
            if info.sender != state.owner {
                return Err("Unauthorized".to_string());
            }
            state.count = count;
            storage::save(STATE_KEY, &state)?;
            Ok(Response::new().add_attribute("action", "reset").add_attribute("count", count))
        }
    }
}

fn query(_env: Env, msg: QueryMsg) -> StdResult<Vec<u8>> {
    match msg {
        QueryMsg::GetCount {} => cwstd::to_json(&CountResponse { count: load_state()?.count }),
    }
}

cwstd::entry_points! {
    instantiate: instantiate,
    execute: execute,
    query: query,
}
