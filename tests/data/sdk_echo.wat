;; echo: a CosmWasm contract whose execute returns its message verbatim as the ContractResult, so a
;; test can make the VM hand wasmd any response (sub-messages, attributes, events) at a Wasm cost
;; that does not depend on it: execute returns the Region of its msg argument. instantiate and
;; reply return an empty ok response. Hand-written against the VM's ABI (interface_version_8).
(module
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 8192))

  (data (i32.const 1024) "{\"ok\":{\"messages\":[],\"attributes\":[],\"events\":[],\"data\":null}}")

  (func (export "interface_version_8"))

  ;; allocate(size) -> Region*: a bump allocator; the Region header is followed by its buffer.
  (func $alloc (export "allocate") (param $size i32) (result i32)
    (local $r i32)
    (local.set $r (global.get $heap))
    (global.set $heap
      (i32.and
        (i32.add (i32.add (i32.add (local.get $r) (i32.const 12)) (local.get $size)) (i32.const 7))
        (i32.const -8)))
    (block $enough
      (loop $grow
        (br_if $enough (i32.le_u (global.get $heap) (i32.shl (memory.size) (i32.const 16))))
        (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))
        (br $grow)))
    (i32.store (local.get $r) (i32.add (local.get $r) (i32.const 12)))
    (i32.store offset=4 (local.get $r) (local.get $size))
    (i32.store offset=8 (local.get $r) (i32.const 0))
    (local.get $r))

  (func (export "deallocate") (param $ptr i32))

  (func $empty_ok (result i32)
    (local $r i32)
    (local.set $r (call $alloc (i32.const 0)))
    (i32.store (local.get $r) (i32.const 1024))
    (i32.store offset=4 (local.get $r) (i32.const 62))
    (i32.store offset=8 (local.get $r) (i32.const 62))
    (local.get $r))

  (func (export "instantiate") (param $env i32) (param $info i32) (param $msg i32) (result i32)
    (call $empty_ok))

  (func (export "execute") (param $env i32) (param $info i32) (param $msg i32) (result i32)
    (local.get $msg))

  (func (export "reply") (param $env i32) (param $reply i32) (result i32)
    (call $empty_ok))
)
