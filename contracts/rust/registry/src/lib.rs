//! registry: a name service. Names map to records; a second, prefix-keyed index lists the names
//! of each owner (keyed by canonical address). Range queries page through both with db_scan.

use cwstd::storage::{self, composite, namespaced, prefix_range, Mode, Order};
use cwstd::{addr_canonicalize, addr_humanize, Binary, Env, Event, MessageInfo, Response, StdResult};
use serde::{Deserialize, Serialize};

cwstd::requires!(requires_iterator);

const CONFIG: &[u8] = b"config";
const NAMES: &[u8] = b"names";
const BY_OWNER: &[u8] = b"owner_names";
const DEFAULT_LIMIT: u32 = 10;
const MAX_LIMIT: u32 = 50;

#[derive(Serialize, Deserialize)]
struct Config {
    admin: String,
    min_name_length: u32,
    max_name_length: u32,
    total: u64,
}

#[derive(Serialize, Deserialize)]
struct Record {
    /// Canonical owner address.
    owner: Binary,
    value: String,
    registered_at: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InstantiateMsg {
    min_name_length: u32,
    max_name_length: u32,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum ExecuteMsg {
    Register { name: String, value: String },
    Update { name: String, value: String },
    Transfer { name: String, to: String },
    Delete { name: String },
}

/// Changes the name length bounds of an existing registry (names already stored are kept).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MigrateMsg {
    min_name_length: Option<u32>,
    max_name_length: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum QueryMsg {
    Resolve { name: String },
    List { start_after: Option<String>, limit: Option<u32>, #[serde(default)] descending: bool },
    NamesByOwner { owner: String, start_after: Option<String>, limit: Option<u32> },
    Count {},
    Config {},
}

fn name_key(name: &str) -> Vec<u8> {
    namespaced(NAMES, name.as_bytes())
}

fn owner_key(owner: &[u8], name: &str) -> Vec<u8> {
    composite(BY_OWNER, &[owner, name.as_bytes()])
}

fn load_config() -> StdResult<Config> {
    storage::load(CONFIG)?.ok_or_else(|| "Config not found".to_string())
}

fn load_record(name: &str) -> StdResult<Record> {
    storage::load(&name_key(name))?.ok_or_else(|| format!("Name not found: {}", name))
}

fn validate_name(config: &Config, name: &str) -> StdResult<()> {
    let len = name.len() as u32;
    if len < config.min_name_length || len > config.max_name_length {
        return Err(format!(
            "Name length {} outside [{}, {}]",
            len, config.min_name_length, config.max_name_length
        ));
    }
    if !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return Err(format!("Invalid character in name {:?}: use a-z, 0-9 and -", name));
    }
    Ok(())
}

fn check_bounds(min: u32, max: u32) -> StdResult<()> {
    if min == 0 || min > max || max > 64 {
        return Err(format!("Invalid name length bounds [{}, {}]", min, max));
    }
    Ok(())
}

fn instantiate(_env: Env, info: MessageInfo, msg: InstantiateMsg) -> StdResult<Response> {
    check_bounds(msg.min_name_length, msg.max_name_length)?;
    addr_canonicalize(&info.sender)?;
    let config = Config {
        admin: info.sender.clone(),
        min_name_length: msg.min_name_length,
        max_name_length: msg.max_name_length,
        total: 0,
    };
    storage::save(CONFIG, &config)?;
    Ok(Response::new().add_attribute("action", "instantiate").add_attribute("admin", info.sender))
}

fn migrate(_env: Env, msg: MigrateMsg) -> StdResult<Response> {
    let mut config = load_config()?;
    config.min_name_length = msg.min_name_length.unwrap_or(config.min_name_length);
    config.max_name_length = msg.max_name_length.unwrap_or(config.max_name_length);
    check_bounds(config.min_name_length, config.max_name_length)?;
    storage::save(CONFIG, &config)?;
    Ok(Response::new()
        .add_attribute("action", "migrate")
        .add_attribute("min_name_length", config.min_name_length)
        .add_attribute("max_name_length", config.max_name_length))
}

fn require_owner(record: &Record, sender: &[u8]) -> StdResult<()> {
    if record.owner.0 != sender {
        return Err("Unauthorized: only the owner can do this".to_string());
    }
    Ok(())
}

fn execute(env: Env, info: MessageInfo, msg: ExecuteMsg) -> StdResult<Response> {
    let sender = addr_canonicalize(&info.sender)?;
    let mut config = load_config()?;
    match msg {
        ExecuteMsg::Register { name, value } => {
            validate_name(&config, &name)?;
            if storage::get(&name_key(&name)).is_some() {
                return Err(format!("Name already taken: {}", name));
            }
            let record = Record { owner: Binary(sender.clone()), value, registered_at: env.block.height };
            storage::save(&name_key(&name), &record)?;
            storage::set(&owner_key(&sender, &name), &env.block.height.to_be_bytes());
            config.total += 1;
            storage::save(CONFIG, &config)?;
            Ok(Response::new()
                .add_attribute("action", "register")
                .add_attribute("name", &name)
                .add_attribute("owner", &info.sender)
                .add_event(Event::new("name_registered").add_attribute("name", name)))
        }
        ExecuteMsg::Update { name, value } => {
            let mut record = load_record(&name)?;
            require_owner(&record, &sender)?;
            record.value = value;
            storage::save(&name_key(&name), &record)?;
            Ok(Response::new().add_attribute("action", "update").add_attribute("name", name))
        }
        ExecuteMsg::Transfer { name, to } => {
            let mut record = load_record(&name)?;
            require_owner(&record, &sender)?;
            let new_owner = addr_canonicalize(&to)?;
            storage::remove(&owner_key(&sender, &name));
            storage::set(&owner_key(&new_owner, &name), &env.block.height.to_be_bytes());
            record.owner = Binary(new_owner);
            storage::save(&name_key(&name), &record)?;
            Ok(Response::new()
                .add_attribute("action", "transfer")
                .add_attribute("name", &name)
                .add_attribute("to", &to)
                .add_event(Event::new("name_transferred").add_attribute("name", name).add_attribute("to", to)))
        }
        ExecuteMsg::Delete { name } => {
            let record = load_record(&name)?;
            let admin = addr_canonicalize(&config.admin)?;
            if record.owner.0 != sender && admin != sender {
                return Err("Unauthorized: only the owner or the admin can delete".to_string());
            }
            storage::remove(&name_key(&name));
            storage::remove(&owner_key(&record.owner.0, &name));
            config.total -= 1;
            storage::save(CONFIG, &config)?;
            Ok(Response::new().add_attribute("action", "delete").add_attribute("name", name))
        }
    }
}

fn page_limit(limit: Option<u32>) -> usize {
    limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize
}

fn utf8(bytes: &[u8]) -> StdResult<String> {
    String::from_utf8(bytes.to_vec()).map_err(|_| "Corrupt key: not UTF-8".to_string())
}

fn record_json(name: &str, record: &Record) -> StdResult<serde_json::Value> {
    Ok(serde_json::json!({
        "name": name,
        "owner": addr_humanize(&record.owner.0)?,
        "value": record.value,
    }))
}

fn query(_env: Env, msg: QueryMsg) -> StdResult<Vec<u8>> {
    match msg {
        QueryMsg::Resolve { name } => {
            let record = match storage::load::<Record>(&name_key(&name))? {
                Some(r) => Some(record_json(&name, &r)?),
                None => None,
            };
            cwstd::to_json(&serde_json::json!({ "record": record }))
        }
        QueryMsg::List { start_after, limit, descending } => {
            let prefix = namespaced(NAMES, b"");
            let order = if descending { Order::Descending } else { Order::Ascending };
            let iter = prefix_range(&prefix, start_after.as_deref().map(str::as_bytes), order, Mode::Pairs);
            let mut names = Vec::new();
            for (key, value) in iter.take(page_limit(limit)) {
                let record: Record = cwstd::from_json(&value)?;
                names.push(record_json(&utf8(&key[prefix.len()..])?, &record)?);
            }
            cwstd::to_json(&serde_json::json!({ "names": names }))
        }
        QueryMsg::NamesByOwner { owner, start_after, limit } => {
            let canonical = addr_canonicalize(&owner)?;
            let prefix = composite(BY_OWNER, &[&canonical, b""]);
            let iter = prefix_range(&prefix, start_after.as_deref().map(str::as_bytes), Order::Ascending, Mode::Keys);
            let names = iter
                .take(page_limit(limit))
                .map(|(key, _)| utf8(&key[prefix.len()..]))
                .collect::<StdResult<Vec<String>>>()?;
            cwstd::to_json(&serde_json::json!({ "owner": owner, "names": names }))
        }
        QueryMsg::Count {} => {
            // A full scan over the values (db_next_value), each parsed, cross-checked with the total.
            let prefix = namespaced(NAMES, b"");
            let mut count: u64 = 0;
            for (_, value) in prefix_range(&prefix, None, Order::Ascending, Mode::Values) {
                cwstd::from_json::<Record>(&value)?;
                count += 1;
            }
            let config = load_config()?;
            if count != config.total {
                return Err(format!("Inconsistent state: {} records, total {}", count, config.total));
            }
            cwstd::to_json(&serde_json::json!({ "count": count }))
        }
        QueryMsg::Config {} => {
            let c = load_config()?;
            cwstd::to_json(&serde_json::json!({
                "admin": c.admin, "min_name_length": c.min_name_length, "max_name_length": c.max_name_length
            }))
        }
    }
}

cwstd::entry_points! {
    instantiate: instantiate,
    execute: execute,
    migrate: migrate,
    query: query,
}
