//! token: a cw20-style fungible token (cw20 JSON shapes): balances, allowances, mint with cap,
//! burn, send with a receive sub-message, paginated account/allowance listings via iterators.

use cwstd::storage::{self, composite, namespaced, prefix_range, Mode, Order};
use cwstd::{
    addr_validate, Binary, CosmosMsg, Env, Event, MessageInfo, ReplyOn, Response, StdResult, SubMsg,
    Uint128, WasmMsg,
};
use serde::{Deserialize, Serialize};

cwstd::requires!(requires_iterator);

const TOKEN_INFO: &[u8] = b"token_info";
const BALANCE: &[u8] = b"balance";
const ALLOWANCE: &[u8] = b"allowance";
const DEFAULT_LIMIT: u32 = 10;
const MAX_LIMIT: u32 = 30;

#[derive(Serialize, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct MinterData {
    minter: String,
    cap: Option<Uint128>,
}

#[derive(Serialize, Deserialize)]
struct TokenInfo {
    name: String,
    symbol: String,
    decimals: u8,
    total_supply: Uint128,
    mint: Option<MinterData>,
}

#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Expiration {
    AtHeight(u64),
    AtTime(cwstd::types::Uint64),
    Never {},
}

impl Default for Expiration {
    fn default() -> Self {
        Expiration::Never {}
    }
}

impl Expiration {
    fn is_expired(&self, env: &Env) -> bool {
        match self {
            Expiration::AtHeight(h) => env.block.height >= *h,
            Expiration::AtTime(t) => env.block.time.0 >= t.0,
            Expiration::Never {} => false,
        }
    }
}

#[derive(Serialize, Deserialize, Default)]
struct Allowance {
    allowance: Uint128,
    expires: Expiration,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cw20Coin {
    address: String,
    amount: Uint128,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InstantiateMsg {
    name: String,
    symbol: String,
    decimals: u8,
    initial_balances: Vec<Cw20Coin>,
    mint: Option<MinterData>,
    /// Accepted for cw20 compatibility, not stored.
    #[serde(default, rename = "marketing")]
    _marketing: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum ExecuteMsg {
    Transfer { recipient: String, amount: Uint128 },
    Burn { amount: Uint128 },
    Send { contract: String, amount: Uint128, msg: Binary },
    Mint { recipient: String, amount: Uint128 },
    IncreaseAllowance { spender: String, amount: Uint128, expires: Option<Expiration> },
    DecreaseAllowance { spender: String, amount: Uint128, expires: Option<Expiration> },
    TransferFrom { owner: String, recipient: String, amount: Uint128 },
    BurnFrom { owner: String, amount: Uint128 },
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum QueryMsg {
    Balance { address: String },
    TokenInfo {},
    Minter {},
    Allowance { owner: String, spender: String },
    AllAllowances { owner: String, start_after: Option<String>, limit: Option<u32> },
    AllAccounts { start_after: Option<String>, limit: Option<u32> },
}

#[derive(Serialize)]
struct Cw20ReceiveMsg {
    sender: String,
    amount: Uint128,
    msg: Binary,
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum ReceiverExecuteMsg {
    Receive(Cw20ReceiveMsg),
}

fn balance_key(addr: &str) -> Vec<u8> {
    namespaced(BALANCE, addr.as_bytes())
}

fn allowance_key(owner: &str, spender: &str) -> Vec<u8> {
    composite(ALLOWANCE, &[owner.as_bytes(), spender.as_bytes()])
}

fn load_info() -> StdResult<TokenInfo> {
    storage::load(TOKEN_INFO)?.ok_or_else(|| "Token info not found".to_string())
}

fn balance_of(addr: &str) -> StdResult<u128> {
    Ok(storage::load::<Uint128>(&balance_key(addr))?.unwrap_or_default().0)
}

fn set_balance(addr: &str, amount: u128) -> StdResult<()> {
    storage::save(&balance_key(addr), &Uint128(amount))
}

fn add_balance(addr: &str, amount: u128) -> StdResult<()> {
    let new = balance_of(addr)?.checked_add(amount).ok_or("Overflow: balance exceeds u128")?;
    set_balance(addr, new)
}

fn sub_balance(addr: &str, amount: u128) -> StdResult<()> {
    let current = balance_of(addr)?;
    let new = current
        .checked_sub(amount)
        .ok_or_else(|| format!("Insufficient funds: balance {}, required {}", current, amount))?;
    set_balance(addr, new)
}

fn nonzero(amount: Uint128) -> StdResult<u128> {
    if amount.0 == 0 {
        Err("Invalid zero amount".to_string())
    } else {
        Ok(amount.0)
    }
}

fn validate_info(msg: &InstantiateMsg) -> StdResult<()> {
    if msg.name.len() < 3 || msg.name.len() > 50 {
        return Err("Name is not in the expected format (3-50 UTF-8 bytes)".to_string());
    }
    let symbol_ok = msg.symbol.len() >= 3
        && msg.symbol.len() <= 12
        && msg.symbol.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-');
    if !symbol_ok {
        return Err("Ticker symbol is not in expected format [a-zA-Z\\-]{3,12}".to_string());
    }
    if msg.decimals > 18 {
        return Err("Decimals must not exceed 18".to_string());
    }
    Ok(())
}

fn instantiate(_env: Env, _info: MessageInfo, msg: InstantiateMsg) -> StdResult<Response> {
    validate_info(&msg)?;
    let mut total: u128 = 0;
    let mut seen: Vec<&str> = Vec::new();
    for coin in &msg.initial_balances {
        addr_validate(&coin.address)?;
        if seen.contains(&coin.address.as_str()) {
            return Err("Duplicate initial balance addresses".to_string());
        }
        seen.push(&coin.address);
        set_balance(&coin.address, coin.amount.0)?;
        total = total.checked_add(coin.amount.0).ok_or("Overflow: total supply exceeds u128")?;
    }
    if let Some(mint) = &msg.mint {
        addr_validate(&mint.minter)?;
        if let Some(cap) = mint.cap {
            if total > cap.0 {
                return Err("Initial supply greater than cap".to_string());
            }
        }
    }
    let info = TokenInfo {
        name: msg.name,
        symbol: msg.symbol,
        decimals: msg.decimals,
        total_supply: Uint128(total),
        mint: msg.mint,
    };
    storage::save(TOKEN_INFO, &info)?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("symbol", &info.symbol)
        .add_attribute("total_supply", info.total_supply))
}

/// A custom event; an empty `from`/`to` (mint/burn) is left out, as chains reject empty values.
fn transfer_event(kind: &str, from: &str, to: &str, amount: u128) -> Event {
    let mut event = Event::new(&format!("token_{}", kind));
    if !from.is_empty() {
        event = event.add_attribute("from", from);
    }
    if !to.is_empty() {
        event = event.add_attribute("to", to);
    }
    event.add_attribute("amount", amount)
}

fn deduct_allowance(env: &Env, owner: &str, spender: &str, amount: u128) -> StdResult<()> {
    let key = allowance_key(owner, spender);
    let mut allowance: Allowance = storage::load(&key)?.ok_or("No allowance for this account")?;
    if allowance.expires.is_expired(env) {
        return Err("Allowance is expired".to_string());
    }
    allowance.allowance.0 = allowance
        .allowance
        .0
        .checked_sub(amount)
        .ok_or_else(|| format!("Insufficient allowance: {} < {}", allowance.allowance.0, amount))?;
    storage::save(&key, &allowance)
}

fn execute(env: Env, info: MessageInfo, msg: ExecuteMsg) -> StdResult<Response> {
    let sender = info.sender;
    match msg {
        ExecuteMsg::Transfer { recipient, amount } => {
            let amount = nonzero(amount)?;
            addr_validate(&recipient)?;
            sub_balance(&sender, amount)?;
            add_balance(&recipient, amount)?;
            Ok(Response::new()
                .add_attribute("action", "transfer")
                .add_attribute("from", &sender)
                .add_attribute("to", &recipient)
                .add_attribute("amount", amount)
                .add_event(transfer_event("transfer", &sender, &recipient, amount)))
        }
        ExecuteMsg::Burn { amount } => burn(&sender, nonzero(amount)?, "burn", &sender),
        ExecuteMsg::BurnFrom { owner, amount } => {
            let amount = nonzero(amount)?;
            addr_validate(&owner)?;
            deduct_allowance(&env, &owner, &sender, amount)?;
            burn(&owner, amount, "burn_from", &sender)
        }
        ExecuteMsg::Send { contract, amount, msg } => {
            let amount = nonzero(amount)?;
            addr_validate(&contract)?;
            sub_balance(&sender, amount)?;
            add_balance(&contract, amount)?;
            let receive = ReceiverExecuteMsg::Receive(Cw20ReceiveMsg { sender: sender.clone(), amount: Uint128(amount), msg });
            let sub = SubMsg {
                id: 0,
                payload: Binary::default(),
                msg: CosmosMsg::Wasm(WasmMsg::Execute {
                    contract_addr: contract.clone(),
                    msg: Binary(cwstd::to_json(&receive)?),
                    funds: vec![],
                }),
                gas_limit: None,
                reply_on: ReplyOn::Never,
            };
            Ok(Response::new()
                .add_attribute("action", "send")
                .add_attribute("from", &sender)
                .add_attribute("to", &contract)
                .add_attribute("amount", amount)
                .add_submessage(sub))
        }
        ExecuteMsg::Mint { recipient, amount } => {
            let amount = nonzero(amount)?;
            addr_validate(&recipient)?;
            let mut token = load_info()?;
            let mint = token.mint.clone().ok_or("Unauthorized: minting is disabled")?;
            if mint.minter != sender {
                return Err("Unauthorized".to_string());
            }
            token.total_supply.0 = token.total_supply.0.checked_add(amount).ok_or("Overflow: total supply")?;
            if let Some(cap) = mint.cap {
                if token.total_supply.0 > cap.0 {
                    return Err("Minting cannot exceed the cap".to_string());
                }
            }
            storage::save(TOKEN_INFO, &token)?;
            add_balance(&recipient, amount)?;
            Ok(Response::new()
                .add_attribute("action", "mint")
                .add_attribute("to", &recipient)
                .add_attribute("amount", amount)
                .add_event(transfer_event("mint", "", &recipient, amount)))
        }
        ExecuteMsg::IncreaseAllowance { spender, amount, expires } => {
            change_allowance(&env, &sender, &spender, amount, expires, true)
        }
        ExecuteMsg::DecreaseAllowance { spender, amount, expires } => {
            change_allowance(&env, &sender, &spender, amount, expires, false)
        }
        ExecuteMsg::TransferFrom { owner, recipient, amount } => {
            let amount = nonzero(amount)?;
            addr_validate(&owner)?;
            addr_validate(&recipient)?;
            deduct_allowance(&env, &owner, &sender, amount)?;
            sub_balance(&owner, amount)?;
            add_balance(&recipient, amount)?;
            Ok(Response::new()
                .add_attribute("action", "transfer_from")
                .add_attribute("from", &owner)
                .add_attribute("to", &recipient)
                .add_attribute("by", &sender)
                .add_attribute("amount", amount)
                .add_event(transfer_event("transfer", &owner, &recipient, amount)))
        }
    }
}

fn burn(owner: &str, amount: u128, action: &str, by: &str) -> StdResult<Response> {
    sub_balance(owner, amount)?;
    let mut token = load_info()?;
    token.total_supply.0 -= amount;
    storage::save(TOKEN_INFO, &token)?;
    Ok(Response::new()
        .add_attribute("action", action)
        .add_attribute("from", owner)
        .add_attribute("by", by)
        .add_attribute("amount", amount)
        .add_event(transfer_event("burn", owner, "", amount)))
}

fn change_allowance(
    env: &Env,
    owner: &str,
    spender: &str,
    amount: Uint128,
    expires: Option<Expiration>,
    increase: bool,
) -> StdResult<Response> {
    addr_validate(spender)?;
    if spender == owner {
        return Err("Cannot set allowance to own account".to_string());
    }
    let key = allowance_key(owner, spender);
    let mut allowance: Allowance = storage::load(&key)?.unwrap_or_default();
    if let Some(exp) = expires {
        if exp.is_expired(env) {
            return Err("Invalid expiration value".to_string());
        }
        allowance.expires = exp;
    }
    if increase {
        allowance.allowance.0 = allowance.allowance.0.checked_add(amount.0).ok_or("Overflow: allowance")?;
        storage::save(&key, &allowance)?;
    } else if amount.0 >= allowance.allowance.0 {
        allowance.allowance.0 = 0;
        storage::remove(&key);
    } else {
        allowance.allowance.0 -= amount.0;
        storage::save(&key, &allowance)?;
    }
    Ok(Response::new()
        .add_attribute("action", if increase { "increase_allowance" } else { "decrease_allowance" })
        .add_attribute("owner", owner)
        .add_attribute("spender", spender)
        .add_attribute("amount", amount)
        .add_attribute("allowance", allowance.allowance))
}

fn page_limit(limit: Option<u32>) -> usize {
    limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize
}

fn utf8(bytes: Vec<u8>) -> StdResult<String> {
    String::from_utf8(bytes).map_err(|_| "Corrupt key: not UTF-8".to_string())
}

fn query(env: Env, msg: QueryMsg) -> StdResult<Vec<u8>> {
    match msg {
        QueryMsg::Balance { address } => {
            addr_validate(&address)?;
            cwstd::to_json(&serde_json::json!({ "balance": Uint128(balance_of(&address)?) }))
        }
        QueryMsg::TokenInfo {} => {
            let t = load_info()?;
            cwstd::to_json(&serde_json::json!({
                "name": t.name, "symbol": t.symbol, "decimals": t.decimals, "total_supply": t.total_supply
            }))
        }
        QueryMsg::Minter {} => cwstd::to_json(&load_info()?.mint),
        QueryMsg::Allowance { owner, spender } => {
            addr_validate(&owner)?;
            addr_validate(&spender)?;
            let mut a: Allowance = storage::load(&allowance_key(&owner, &spender))?.unwrap_or_default();
            if a.expires.is_expired(&env) {
                a.allowance = Uint128(0);
            }
            cwstd::to_json(&a)
        }
        QueryMsg::AllAllowances { owner, start_after, limit } => {
            addr_validate(&owner)?;
            let prefix = composite(ALLOWANCE, &[owner.as_bytes(), b""]);
            let mut out = Vec::new();
            let iter = prefix_range(&prefix, start_after.as_deref().map(str::as_bytes), Order::Ascending, Mode::Pairs);
            for (key, value) in iter.take(page_limit(limit)) {
                let a: Allowance = cwstd::from_json(&value)?;
                let spender = utf8(key[prefix.len()..].to_vec())?;
                out.push(serde_json::json!({"spender": spender, "allowance": a.allowance, "expires": a.expires}));
            }
            cwstd::to_json(&serde_json::json!({ "allowances": out }))
        }
        QueryMsg::AllAccounts { start_after, limit } => {
            let prefix = namespaced(BALANCE, b"");
            let iter = prefix_range(&prefix, start_after.as_deref().map(str::as_bytes), Order::Ascending, Mode::Keys);
            let accounts = iter
                .take(page_limit(limit))
                .map(|(key, _)| utf8(key[prefix.len()..].to_vec()))
                .collect::<StdResult<Vec<String>>>()?;
            cwstd::to_json(&serde_json::json!({ "accounts": accounts }))
        }
    }
}

cwstd::entry_points! {
    instantiate: instantiate,
    execute: execute,
    query: query,
}
