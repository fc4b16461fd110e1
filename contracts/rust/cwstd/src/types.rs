//! JSON types of the CosmWasm 2.x interface (same wire format as cosmwasm-std).

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

use crate::encoding::{base64_decode, base64_encode};

/// Bytes, serialized as a base64 string.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Binary(pub Vec<u8>);

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64_encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Binary;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("base64-encoded string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Binary, E> {
                base64_decode(v).map(Binary).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

/// A u128 serialized as a decimal string (like cosmwasm-std's `Uint128`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Uint128(pub u128);

impl fmt::Display for Uint128 {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Uint128 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

impl<'de> Deserialize<'de> for Uint128 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Uint128;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("string-encoded integer")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Uint128, E> {
                v.parse::<u128>()
                    .map(Uint128)
                    .map_err(|e| E::custom(format!("Parsing u128: {}", e)))
            }
        }
        d.deserialize_str(V)
    }
}

/// A u64 serialized as a decimal string (cosmwasm-std's `Uint64`, used by `Timestamp`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Uint64(pub u64);

impl Serialize for Uint64 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

impl<'de> Deserialize<'de> for Uint64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse::<u64>()
            .map(Uint64)
            .map_err(|e| de::Error::custom(format!("Parsing u64: {}", e)))
    }
}

/// Block information in `Env`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct BlockInfo {
    pub height: u64,
    /// Nanoseconds since the Unix epoch.
    pub time: Uint64,
    pub chain_id: String,
}

/// Transaction information in `Env` (the hash added in 3.0 is ignored if present).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct TransactionInfo {
    pub index: u32,
}

/// This contract's address.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ContractInfo {
    pub address: String,
}

/// The environment passed to every entry point.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Env {
    pub block: BlockInfo,
    pub transaction: Option<TransactionInfo>,
    pub contract: ContractInfo,
}

/// A coin: denomination and amount.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Coin {
    pub denom: String,
    pub amount: Uint128,
}

/// Sender and funds of an instantiate/execute call.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct MessageInfo {
    pub sender: String,
    pub funds: Vec<Coin>,
}

/// A key/value attribute.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    pub key: String,
    pub value: String,
}

/// A custom event (wasmd prefixes its type with `wasm-`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Event {
    #[serde(rename = "type")]
    pub ty: String,
    pub attributes: Vec<Attribute>,
}

impl Event {
    /// A new event of the given type with no attributes.
    pub fn new(ty: &str) -> Self {
        Event { ty: ty.to_string(), attributes: Vec::new() }
    }

    /// Adds an attribute.
    pub fn add_attribute(mut self, key: &str, value: impl ToString) -> Self {
        self.attributes.push(Attribute { key: key.to_string(), value: value.to_string() });
        self
    }
}

/// Messages to the wasm module.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum WasmMsg {
    Execute { contract_addr: String, msg: Binary, funds: Vec<Coin> },
}

/// Messages to the bank module.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BankMsg {
    Send { to_address: String, amount: Vec<Coin> },
}

/// The subset of `CosmosMsg` these contracts send.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CosmosMsg {
    Bank(BankMsg),
    Wasm(WasmMsg),
}

/// When the VM calls `reply` for a sub-message.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReplyOn {
    Always,
    Error,
    Success,
    Never,
}

/// A message dispatched after this call, optionally answered through `reply`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct SubMsg {
    pub id: u64,
    pub payload: Binary,
    pub msg: CosmosMsg,
    pub gas_limit: Option<u64>,
    pub reply_on: ReplyOn,
}

/// The result of instantiate/execute/migrate/reply.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct Response {
    pub messages: Vec<SubMsg>,
    pub attributes: Vec<Attribute>,
    pub events: Vec<Event>,
    pub data: Option<Binary>,
}

impl Response {
    /// An empty response.
    pub fn new() -> Self {
        Response::default()
    }

    /// Adds an attribute to the `wasm` event.
    pub fn add_attribute(mut self, key: &str, value: impl ToString) -> Self {
        self.attributes.push(Attribute { key: key.to_string(), value: value.to_string() });
        self
    }

    /// Adds a custom event.
    pub fn add_event(mut self, event: Event) -> Self {
        self.events.push(event);
        self
    }

    /// Adds a sub-message.
    pub fn add_submessage(mut self, msg: SubMsg) -> Self {
        self.messages.push(msg);
        self
    }

    /// Sets the data field.
    pub fn set_data(mut self, data: Vec<u8>) -> Self {
        self.data = Some(Binary(data));
        self
    }
}

/// One message response of a sub-message (2.x).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct MsgResponse {
    pub type_url: String,
    pub value: Binary,
}

/// A successful sub-message's result.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct SubMsgResponse {
    pub events: Vec<Event>,
    #[serde(default)]
    pub data: Option<Binary>,
    #[serde(default)]
    pub msg_responses: Vec<MsgResponse>,
}

/// Outcome of a sub-message as passed to `reply`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SubMsgResult {
    Ok(SubMsgResponse),
    #[serde(rename = "error")]
    Err(String),
}

/// The argument of the `reply` entry point.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub id: u64,
    #[serde(default)]
    pub payload: Binary,
    #[serde(default)]
    pub gas_used: u64,
    pub result: SubMsgResult,
}

/// `{"ok": ...}` or `{"error": "..."}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ContractResult<T> {
    Ok(T),
    #[serde(rename = "error")]
    Err(String),
}
