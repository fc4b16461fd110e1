//! The `env` functions a CosmWasm VM provides. Every pointer argument is a Region pointer.

#[link(wasm_import_module = "env")]
extern "C" {
    pub fn abort(source_ptr: u32);
    pub fn db_read(key: u32) -> u32;
    pub fn db_write(key: u32, value: u32);
    pub fn db_remove(key: u32);
    pub fn db_scan(start_ptr: u32, end_ptr: u32, order: i32) -> u32;
    pub fn db_next(iterator_id: u32) -> u32;
    pub fn db_next_key(iterator_id: u32) -> u32;
    pub fn db_next_value(iterator_id: u32) -> u32;
    pub fn addr_validate(source_ptr: u32) -> u32;
    pub fn addr_canonicalize(source_ptr: u32, destination_ptr: u32) -> u32;
    pub fn addr_humanize(source_ptr: u32, destination_ptr: u32) -> u32;
    pub fn secp256k1_verify(message_hash_ptr: u32, signature_ptr: u32, public_key_ptr: u32) -> u32;
    pub fn secp256k1_recover_pubkey(message_hash_ptr: u32, signature_ptr: u32, recovery_param: u32) -> u64;
    pub fn ed25519_verify(message_ptr: u32, signature_ptr: u32, public_key_ptr: u32) -> u32;
    pub fn ed25519_batch_verify(messages_ptr: u32, signatures_ptr: u32, public_keys_ptr: u32) -> u32;
    pub fn debug(source_ptr: u32);
    pub fn query_chain(request: u32) -> u32;
}
