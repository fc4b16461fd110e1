use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt::Write;

#[derive(Debug, Clone, PartialEq)]
pub enum Json { Null, Bool(bool), Num(f64), Str(String), Arr(Vec<Json>), Obj(BTreeMap<String, Json>) }

struct P<'a> { s: &'a [u8], i: usize }
impl<'a> P<'a> {
    fn ws(&mut self) { while self.i < self.s.len() && (self.s[self.i] as char).is_whitespace() { self.i += 1; } }
    fn parse(&mut self) -> Result<Json, String> {
        self.ws();
        match self.s.get(self.i) {
            None => Err("eof".into()),
            Some(b'n') => { self.i += 4; Ok(Json::Null) }
            Some(b't') => { self.i += 4; Ok(Json::Bool(true)) }
            Some(b'f') => { self.i += 5; Ok(Json::Bool(false)) }
            Some(b'"') => self.string().map(Json::Str),
            Some(b'[') => { self.i += 1; let mut v = Vec::new(); loop { self.ws(); if self.s.get(self.i) == Some(&b']') { self.i += 1; break; } v.push(self.parse()?); self.ws(); if self.s.get(self.i) == Some(&b',') { self.i += 1; } } Ok(Json::Arr(v)) }
            Some(b'{') => { self.i += 1; let mut m = BTreeMap::new(); loop { self.ws(); if self.s.get(self.i) == Some(&b'}') { self.i += 1; break; } let k = self.string()?; self.ws(); self.i += 1; let v = self.parse()?; m.insert(k, v); self.ws(); if self.s.get(self.i) == Some(&b',') { self.i += 1; } } Ok(Json::Obj(m)) }
            Some(_) => { let st = self.i; while self.i < self.s.len() && b"-+.eE0123456789".contains(&self.s[self.i]) { self.i += 1; } std::str::from_utf8(&self.s[st..self.i]).map_err(|e| e.to_string())?.parse::<f64>().map(Json::Num).map_err(|e| format!("{e:?}")) }
        }
    }
    fn string(&mut self) -> Result<String, String> { self.i += 1; let st = self.i; while self.i < self.s.len() && self.s[self.i] != b'"' { self.i += 1; } let r = String::from_utf8(self.s[st..self.i].to_vec()).map_err(|e| e.to_string()); self.i += 1; r }
}

fn dump(j: &Json, out: &mut String) {
    match j {
        Json::Null => out.push_str("null"), Json::Bool(b) => write!(out, "{}", b).unwrap(),
        Json::Num(n) => write!(out, "{:.3}", n).unwrap(), Json::Str(s) => write!(out, "{:?}", s).unwrap(),
        Json::Arr(v) => { out.push('['); for (i, x) in v.iter().enumerate() { if i > 0 { out.push(','); } dump(x, out); } out.push(']'); }
        Json::Obj(m) => { out.push('{'); for (i, (k, x)) in m.iter().enumerate() { if i > 0 { out.push(','); } write!(out, "{:?}:", k).unwrap(); dump(x, out); } out.push('}'); }
    }
}

#[no_mangle]
pub extern "C" fn alloc(n: usize) -> *mut u8 { let mut v = Vec::<u8>::with_capacity(n); let p = v.as_mut_ptr(); std::mem::forget(v); p }

#[no_mangle]
pub extern "C" fn process(p: *const u8, n: usize) -> u64 {
    let s = unsafe { std::slice::from_raw_parts(p, n) };
    let mut parser = P { s, i: 0 };
    let j = match parser.parse() { Ok(j) => j, Err(e) => return e.len() as u64 };
    let mut out = String::new(); dump(&j, &mut out);
    let mut h: HashMap<String, u64> = HashMap::new();
    for w in out.split(|c: char| !c.is_alphanumeric()) { *h.entry(w.to_lowercase()).or_default() += 1; }
    let mut v: Vec<_> = h.into_iter().collect(); v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut q: VecDeque<u64> = v.iter().map(|x| x.1).collect(); q.rotate_left(1);
    let x: u128 = q.iter().map(|&x| (x as u128) * 0x1234_5678_9abc_def0u128).sum();
    let f = v.iter().map(|x| (x.1 as f64).sqrt().ln_1p()).fold(0.0, f64::max);
    (x >> 3) as u64 ^ f.to_bits() ^ (format!("{:e}{:x}{:#?}", f, x, v.get(0)).len() as u64)
}
