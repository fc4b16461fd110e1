//! caller: contract-to-contract traffic. Sends wasm `execute` sub-messages and records every
//! `reply`, queries other contracts through `query_chain` (WasmQuery::Smart), emits custom events.

use cwstd::storage::{self, namespaced, prefix_range, Mode, Order};
use cwstd::{
    query_wasm_smart, Binary, Coin, CosmosMsg, Env, Event, MessageInfo, Reply, ReplyOn, Response, StdResult,
    SubMsg, SubMsgResult, WasmMsg,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

cwstd::requires!(requires_iterator);

const CONFIG: &[u8] = b"config";
const REPLIES: &[u8] = b"replies";
const LAST_QUERY: &[u8] = b"last_query";
const MAX_CALLS: u32 = 20;
const MAX_EVENTS: u32 = 50;
const MAX_ATTRIBUTES: u32 = 20;

#[derive(Serialize, Deserialize, Default)]
struct Config {
    owner: String,
    calls: u64,
    replies: u64,
}

#[derive(Serialize, Deserialize)]
struct ReplyRecord {
    id: u64,
    ok: bool,
    error: Option<String>,
    events: u64,
    data: Option<Binary>,
    payload: Binary,
    gas_used: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InstantiateMsg {}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum ExecuteMsg {
    /// One wasm execute sub-message; `msg` is any JSON, sent base64-encoded.
    Call {
        contract_addr: String,
        msg: Value,
        id: u64,
        reply_on: ReplyOn,
        #[serde(default)]
        funds: Vec<Coin>,
    },
    /// `count` identical sub-messages with ids 1..=count.
    CallMany { contract_addr: String, msg: Value, count: u32, reply_on: ReplyOn },
    /// Smart-queries another contract and stores the answer.
    QueryAndStore { contract_addr: String, msg: Value },
    /// Emits `events` custom events with `attributes` attributes each.
    Emit { events: u32, attributes: u32 },
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum QueryMsg {
    SmartQuery { contract_addr: String, msg: Value },
    Replies { start_after: Option<u64>, limit: Option<u32> },
    Stats {},
    LastQuery {},
}

fn load_config() -> StdResult<Config> {
    storage::load(CONFIG)?.ok_or_else(|| "Config not found".to_string())
}

fn sub_msg(contract_addr: &str, msg: &Value, id: u64, reply_on: ReplyOn, funds: Vec<Coin>) -> StdResult<SubMsg> {
    cwstd::addr_validate(contract_addr)?;
    Ok(SubMsg {
        id,
        payload: Binary(id.to_be_bytes().to_vec()),
        msg: CosmosMsg::Wasm(WasmMsg::Execute {
            contract_addr: contract_addr.to_string(),
            msg: Binary(cwstd::to_json(msg)?),
            funds,
        }),
        gas_limit: None,
        reply_on,
    })
}

fn instantiate(_env: Env, info: MessageInfo, _msg: InstantiateMsg) -> StdResult<Response> {
    storage::save(CONFIG, &Config { owner: info.sender.clone(), calls: 0, replies: 0 })?;
    Ok(Response::new().add_attribute("action", "instantiate").add_attribute("owner", info.sender))
}

fn execute(env: Env, _info: MessageInfo, msg: ExecuteMsg) -> StdResult<Response> {
    let mut config = load_config()?;
    match msg {
        ExecuteMsg::Call { contract_addr, msg, id, reply_on, funds } => {
            let sub = sub_msg(&contract_addr, &msg, id, reply_on, funds)?;
            config.calls += 1;
            storage::save(CONFIG, &config)?;
            Ok(Response::new()
                .add_attribute("action", "call")
                .add_attribute("target", &contract_addr)
                .add_attribute("id", id)
                .add_submessage(sub))
        }
        ExecuteMsg::CallMany { contract_addr, msg, count, reply_on } => {
            if count == 0 || count > MAX_CALLS {
                return Err(format!("count must be in 1..={}", MAX_CALLS));
            }
            let mut response = Response::new().add_attribute("action", "call_many").add_attribute("count", count);
            for id in 1..=u64::from(count) {
                response = response.add_submessage(sub_msg(&contract_addr, &msg, id, reply_on, vec![])?);
            }
            config.calls += u64::from(count);
            storage::save(CONFIG, &config)?;
            Ok(response)
        }
        ExecuteMsg::QueryAndStore { contract_addr, msg } => {
            let answer = query_wasm_smart(&contract_addr, &cwstd::to_json(&msg)?)?;
            let parsed: Value = cwstd::from_json(&answer)?;
            storage::set(LAST_QUERY, &answer);
            Ok(Response::new()
                .add_attribute("action", "query_and_store")
                .add_attribute("answer", parsed.to_string())
                .add_attribute("height", env.block.height))
        }
        ExecuteMsg::Emit { events, attributes } => {
            if events > MAX_EVENTS || attributes > MAX_ATTRIBUTES {
                return Err(format!("At most {} events of {} attributes", MAX_EVENTS, MAX_ATTRIBUTES));
            }
            let mut response = Response::new().add_attribute("action", "emit");
            for e in 0..events {
                let mut event = Event::new("caller_custom").add_attribute("index", e);
                for a in 0..attributes {
                    event = event.add_attribute(&format!("key{}", a), format!("value-{}-{}", e, a));
                }
                response = response.add_event(event);
            }
            Ok(response)
        }
    }
}

fn reply(_env: Env, reply: Reply) -> StdResult<Response> {
    let mut config = load_config()?;
    let (ok, error, events, data) = match reply.result {
        SubMsgResult::Ok(r) => (true, None, r.events.len() as u64, r.data),
        SubMsgResult::Err(e) => (false, Some(e), 0, None),
    };
    let record = ReplyRecord { id: reply.id, ok, error, events, data, payload: reply.payload, gas_used: reply.gas_used };
    storage::save(&namespaced(REPLIES, &reply.id.to_be_bytes()), &record)?;
    config.replies += 1;
    storage::save(CONFIG, &config)?;
    Ok(Response::new()
        .add_attribute("action", "reply")
        .add_attribute("id", reply.id)
        .add_event(Event::new("reply_handled").add_attribute("id", reply.id).add_attribute("ok", ok)))
}

fn query(_env: Env, msg: QueryMsg) -> StdResult<Vec<u8>> {
    match msg {
        QueryMsg::SmartQuery { contract_addr, msg } => query_wasm_smart(&contract_addr, &cwstd::to_json(&msg)?),
        QueryMsg::Replies { start_after, limit } => {
            let prefix = namespaced(REPLIES, b"");
            let after = start_after.map(u64::to_be_bytes);
            let iter = prefix_range(&prefix, after.as_ref().map(|a| &a[..]), Order::Ascending, Mode::Pairs);
            let mut replies = Vec::new();
            for (_, value) in iter.take(limit.unwrap_or(10).min(30) as usize) {
                replies.push(cwstd::from_json::<ReplyRecord>(&value)?);
            }
            cwstd::to_json(&serde_json::json!({ "replies": replies }))
        }
        QueryMsg::Stats {} => {
            let c = load_config()?;
            cwstd::to_json(&serde_json::json!({ "owner": c.owner, "calls": c.calls, "replies": c.replies }))
        }
        QueryMsg::LastQuery {} => {
            let answer: Option<Value> = storage::load(LAST_QUERY)?;
            cwstd::to_json(&serde_json::json!({ "answer": answer }))
        }
    }
}

cwstd::entry_points! {
    instantiate: instantiate,
    execute: execute,
    reply: reply,
    query: query,
}
