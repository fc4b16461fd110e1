//! workload: bounded CPU and memory work chosen by the message, for calibrating per-operation
//! cost, plus an infinite loop for out-of-gas tests. Results go into attributes and storage so
//! the optimiser cannot drop the work.

use cwstd::{storage, Env, MessageInfo, Response, StdResult};
use serde::{Deserialize, Serialize};
use std::ptr::{read_volatile, write_volatile};

const LAST: &[u8] = b"last";
const PAGE: usize = 65536;
const MAX_LOOP: u64 = 10_000_000;
const MAX_SORT: u32 = 100_000;
const MAX_FIB: u32 = 30;
const MAX_PAGES: u32 = 256;
const MAX_DEPTH: u32 = 5_000;
const MAX_DEBUG: u32 = 1_000;

/// Written by the infinite loop on every iteration; volatile, so the loop stays.
static mut SINK: u64 = 0;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InstantiateMsg {}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum ExecuteMsg {
    Loop { n: u64 },
    Sort { n: u32 },
    Fibonacci { n: u32 },
    AllocatePages { pages: u32 },
    Recurse { depth: u32 },
    /// Calls the host's `debug` import `times` times.
    Debug { message: String, times: u32 },
    InfiniteLoop {},
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum QueryMsg {
    Last {},
    Fibonacci { n: u32 },
    Loop { n: u64 },
}

#[derive(Serialize, Deserialize)]
struct Last {
    op: String,
    n: u64,
    result: u64,
}

fn bounded(what: &str, n: u64, max: u64) -> StdResult<()> {
    if n > max {
        Err(format!("{} = {} exceeds the limit {}", what, n, max))
    } else {
        Ok(())
    }
}

/// A xorshift-mixing loop: n iterations of integer work.
fn spin(n: u64) -> u64 {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut acc: u64 = 0;
    for i in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        acc = acc.wrapping_add(x ^ i);
    }
    acc
}

/// Sorts n pseudo-random u32 and returns a position-weighted checksum.
fn sort(n: u32) -> u64 {
    let mut x: u32 = 2_463_534_242;
    let mut items: Vec<u32> = (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        })
        .collect();
    items.sort_unstable();
    items.iter().enumerate().fold(0u64, |acc, (i, &v)| acc.wrapping_add((i as u64 + 1).wrapping_mul(u64::from(v))))
}

/// Naive recursive Fibonacci: exponential calls, a function-call workload.
fn fib(n: u32) -> u64 {
    // The volatile read keeps the recursion from being turned into a loop.
    let n = unsafe { read_volatile(&n) };
    if n < 2 {
        u64::from(n)
    } else {
        fib(n - 1).wrapping_add(fib(n - 2))
    }
}

/// Grows memory by about `pages` pages and touches every page.
fn allocate_pages(pages: u32) -> u64 {
    let mut buffer: Vec<u8> = Vec::with_capacity(pages as usize * PAGE);
    let mut sum: u64 = 0;
    for p in 0..pages as usize {
        unsafe {
            write_volatile(buffer.as_mut_ptr().add(p * PAGE), p as u8);
            sum += u64::from(read_volatile(buffer.as_ptr().add(p * PAGE)));
        }
    }
    sum + buffer.capacity() as u64 / PAGE as u64
}

/// Non-tail recursion to `depth` with a stack frame that cannot be elided.
fn recurse(depth: u32) -> u64 {
    let mut frame = [0u8; 32];
    unsafe { write_volatile(&mut frame[depth as usize % 32], depth as u8) };
    if depth == 0 {
        return 1;
    }
    let below = recurse(depth - 1);
    below + u64::from(unsafe { read_volatile(&frame[depth as usize % 32]) })
}

fn infinite_loop() -> ! {
    let mut i: u64 = 0;
    loop {
        i = i.wrapping_add(1);
        unsafe { write_volatile(&mut SINK, i) };
    }
}

fn instantiate(_env: Env, _info: MessageInfo, _msg: InstantiateMsg) -> StdResult<Response> {
    let last = Last { op: "instantiate".to_string(), n: 0, result: 0 };
    storage::save(LAST, &last)?;
    Ok(Response::new().add_attribute("action", "instantiate"))
}

fn execute(_env: Env, _info: MessageInfo, msg: ExecuteMsg) -> StdResult<Response> {
    let (op, n, result) = match msg {
        ExecuteMsg::Loop { n } => {
            bounded("n", n, MAX_LOOP)?;
            ("loop", n, spin(n))
        }
        ExecuteMsg::Sort { n } => {
            bounded("n", n.into(), MAX_SORT.into())?;
            ("sort", u64::from(n), sort(n))
        }
        ExecuteMsg::Fibonacci { n } => {
            bounded("n", n.into(), MAX_FIB.into())?;
            ("fibonacci", u64::from(n), fib(n))
        }
        ExecuteMsg::AllocatePages { pages } => {
            bounded("pages", pages.into(), MAX_PAGES.into())?;
            ("allocate_pages", u64::from(pages), allocate_pages(pages))
        }
        ExecuteMsg::Recurse { depth } => {
            bounded("depth", depth.into(), MAX_DEPTH.into())?;
            ("recurse", u64::from(depth), recurse(depth))
        }
        ExecuteMsg::Debug { message, times } => {
            bounded("times", times.into(), MAX_DEBUG.into())?;
            for i in 0..times {
                cwstd::debug(&format!("{} #{}", message, i));
            }
            ("debug", u64::from(times), u64::from(times))
        }
        ExecuteMsg::InfiniteLoop {} => infinite_loop(),
    };
    let last = Last { op: op.to_string(), n, result };
    storage::save(LAST, &last)?;
    Ok(Response::new()
        .add_attribute("action", op)
        .add_attribute("n", n)
        .add_attribute("result", result))
}

fn query(_env: Env, msg: QueryMsg) -> StdResult<Vec<u8>> {
    match msg {
        QueryMsg::Last {} => {
            let last: Last = storage::load(LAST)?.ok_or("Nothing stored")?;
            cwstd::to_json(&last)
        }
        QueryMsg::Fibonacci { n } => {
            bounded("n", n.into(), MAX_FIB.into())?;
            cwstd::to_json(&serde_json::json!({ "n": n, "value": fib(n) }))
        }
        QueryMsg::Loop { n } => {
            bounded("n", n, MAX_LOOP)?;
            cwstd::to_json(&serde_json::json!({ "n": n, "result": spin(n) }))
        }
    }
}

cwstd::entry_points! {
    instantiate: instantiate,
    execute: execute,
    query: query,
}
