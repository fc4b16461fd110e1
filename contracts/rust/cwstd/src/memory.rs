//! Regions: the (offset, capacity, length) descriptors through which host and contract pass bytes.

use std::mem;

/// A view of a buffer in linear memory: three little-endian u32 (wasm32 is little-endian).
#[repr(C)]
pub struct Region {
    /// Address of the first byte.
    pub offset: u32,
    /// Bytes available at `offset`.
    pub capacity: u32,
    /// Bytes in use.
    pub length: u32,
}

const _: () = assert!(mem::size_of::<Region>() == 12);

/// Allocates a buffer of `size` bytes and returns a pointer to a new Region describing it.
#[no_mangle]
pub extern "C" fn allocate(size: usize) -> u32 {
    alloc(size) as u32
}

/// Frees a Region created by `allocate` (or returned to the host) together with its buffer.
#[no_mangle]
pub extern "C" fn deallocate(pointer: u32) {
    // SAFETY: the host only passes pointers obtained from `allocate` or from our results.
    let _ = unsafe { consume_region(pointer as *mut Region) };
}

/// Allocates an empty buffer with the given capacity and returns its Region.
pub fn alloc(size: usize) -> *mut Region {
    release_buffer(Vec::with_capacity(size))
}

/// Gives a buffer away: returns a heap Region the receiver must free with `deallocate`.
pub fn release_buffer(buffer: Vec<u8>) -> *mut Region {
    let mut buffer = mem::ManuallyDrop::new(buffer);
    let region = Box::new(Region {
        offset: buffer.as_mut_ptr() as u32,
        capacity: buffer.capacity() as u32,
        length: buffer.len() as u32,
    });
    Box::into_raw(region)
}

/// Takes ownership of a Region and its buffer (the inverse of `release_buffer`).
///
/// # Safety
/// `ptr` must come from `release_buffer`/`allocate` and must not be used afterwards.
pub unsafe fn consume_region(ptr: *mut Region) -> Vec<u8> {
    assert!(!ptr.is_null(), "Region pointer is null");
    let region = Box::from_raw(ptr);
    let start = region.offset as *mut u8;
    assert!(!start.is_null(), "Region starts at null pointer");
    assert!(region.length <= region.capacity, "Region length exceeds capacity");
    Vec::from_raw_parts(start, region.length as usize, region.capacity as usize)
}

/// A Region borrowing `data` for the duration of a host call (the host only reads it).
pub fn region_of(data: &[u8]) -> Box<Region> {
    Box::new(Region {
        offset: data.as_ptr() as u32,
        capacity: data.len() as u32,
        length: data.len() as u32,
    })
}

/// The address of a borrowed Region, as passed to imports.
pub fn ptr_of(region: &Region) -> u32 {
    region as *const Region as u32
}

/// Joins byte sections as `section || len(section) as u32 BE` (cosmwasm's `encode_sections`).
pub fn encode_sections(sections: &[&[u8]]) -> Vec<u8> {
    let total: usize = sections.iter().map(|s| s.len() + 4).sum();
    let mut out = Vec::with_capacity(total);
    for section in sections {
        out.extend_from_slice(section);
        out.extend_from_slice(&(section.len() as u32).to_be_bytes());
    }
    out
}

/// Splits `key || len BE || value || len BE` into (key, value).
pub fn decode_sections2(data: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let (rest, value) = split_tail(data);
    let (_, key) = split_tail(rest);
    (key.to_vec(), value.to_vec())
}

fn split_tail(data: &[u8]) -> (&[u8], &[u8]) {
    let n = data.len();
    assert!(n >= 4, "section too short");
    let len = u32::from_be_bytes([data[n - 4], data[n - 3], data[n - 2], data[n - 1]]) as usize;
    assert!(len + 4 <= n, "section length out of range");
    (&data[..n - 4 - len], &data[n - 4 - len..n - 4])
}
