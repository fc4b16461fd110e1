//! Contract storage through `db_*` imports, with namespaced keys and range iteration.

use crate::imports;
use crate::memory::{consume_region, decode_sections2, ptr_of, region_of, Region};

/// Iteration order for `db_scan` (1 = ascending, 2 = descending).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    Ascending = 1,
    Descending = 2,
}

/// Reads a value; `None` if the key is absent.
pub fn get(key: &[u8]) -> Option<Vec<u8>> {
    let key_region = region_of(key);
    let ptr = unsafe { imports::db_read(ptr_of(&key_region)) };
    if ptr == 0 {
        None
    } else {
        Some(unsafe { consume_region(ptr as *mut Region) })
    }
}

/// Writes a value.
pub fn set(key: &[u8], value: &[u8]) {
    let key_region = region_of(key);
    let value_region = region_of(value);
    unsafe { imports::db_write(ptr_of(&key_region), ptr_of(&value_region)) }
}

/// Deletes a key (no-op if absent).
pub fn remove(key: &[u8]) {
    let key_region = region_of(key);
    unsafe { imports::db_remove(ptr_of(&key_region)) }
}

/// `len(namespace) as u16 BE || namespace || key`, the layout cw-storage-plus uses for maps.
pub fn namespaced(namespace: &[u8], key: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(2 + namespace.len() + key.len());
    out.extend_from_slice(&(namespace.len() as u16).to_be_bytes());
    out.extend_from_slice(namespace);
    out.extend_from_slice(key);
    out
}

/// A composite key: every part but the last is length-prefixed, so prefixes do not collide.
pub fn composite(namespace: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut key = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        if i + 1 < parts.len() {
            key.extend_from_slice(&(part.len() as u16).to_be_bytes());
        }
        key.extend_from_slice(part);
    }
    namespaced(namespace, &key)
}

/// The smallest key greater than every key starting with `prefix` (None if there is none).
pub fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 255 {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

/// What each `next` call of a `Range` returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// key and value (`db_next`)
    Pairs,
    /// keys only (`db_next_key`)
    Keys,
    /// values only (`db_next_value`)
    Values,
}

/// An open host iterator over `[start, end)`.
pub struct Range {
    id: u32,
    mode: Mode,
}

/// Opens an iterator over `[start, end)`; `None` bounds are open.
pub fn range(start: Option<&[u8]>, end: Option<&[u8]>, order: Order, mode: Mode) -> Range {
    let start_region = start.map(region_of);
    let end_region = end.map(region_of);
    let start_ptr = start_region.as_ref().map(|r| ptr_of(r)).unwrap_or(0);
    let end_ptr = end_region.as_ref().map(|r| ptr_of(r)).unwrap_or(0);
    let id = unsafe { imports::db_scan(start_ptr, end_ptr, order as i32) };
    Range { id, mode }
}

/// Iterates the keys under `prefix` (exclusive of `start_after`), with the prefix stripped.
pub fn prefix_range(prefix: &[u8], start_after: Option<&[u8]>, order: Order, mode: Mode) -> Range {
    let lower_owned;
    let upper_owned = prefix_end(prefix);
    let mut lower: &[u8] = prefix;
    let mut upper: Option<&[u8]> = upper_owned.as_deref();
    let bound_owned;
    if let Some(after) = start_after {
        let mut bound = prefix.to_vec();
        bound.extend_from_slice(after);
        match order {
            Order::Ascending => {
                bound.push(0);
                lower_owned = bound;
                lower = &lower_owned;
            }
            Order::Descending => {
                bound_owned = bound;
                upper = Some(&bound_owned);
            }
        }
    }
    range(Some(lower), upper, order, mode)
}

impl Iterator for Range {
    /// (key, value); the unused part is empty in `Keys`/`Values` mode.
    type Item = (Vec<u8>, Vec<u8>);

    fn next(&mut self) -> Option<Self::Item> {
        match self.mode {
            Mode::Pairs => {
                let ptr = unsafe { imports::db_next(self.id) };
                assert!(ptr != 0, "db_next returned null");
                let data = unsafe { consume_region(ptr as *mut Region) };
                let (key, value) = decode_sections2(&data);
                if key.is_empty() {
                    None
                } else {
                    Some((key, value))
                }
            }
            Mode::Keys => {
                let ptr = unsafe { imports::db_next_key(self.id) };
                if ptr == 0 {
                    None
                } else {
                    Some((unsafe { consume_region(ptr as *mut Region) }, Vec::new()))
                }
            }
            Mode::Values => {
                let ptr = unsafe { imports::db_next_value(self.id) };
                if ptr == 0 {
                    None
                } else {
                    Some((Vec::new(), unsafe { consume_region(ptr as *mut Region) }))
                }
            }
        }
    }
}

/// Reads and parses a JSON value.
pub fn load<T: serde::de::DeserializeOwned>(key: &[u8]) -> Result<Option<T>, String> {
    match get(key) {
        None => Ok(None),
        Some(bytes) => crate::entry::from_json(&bytes).map(Some),
    }
}

/// Serializes a value as JSON and writes it.
pub fn save<T: serde::Serialize>(key: &[u8], value: &T) -> Result<(), String> {
    set(key, &crate::entry::to_json(value)?);
    Ok(())
}
