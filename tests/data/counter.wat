;; A minimal CosmWasm counter contract, hand-written against the VM's ABI (interface_version_8).
;; Every entry point takes Region pointers (offset, capacity, length: 3 x u32 LE) to JSON and
;; returns a Region pointer to a JSON ContractResult.
;;   instantiate(env, info, msg)  stores count = 0                      -> ok, attribute action=instantiate
;;   execute(env, info, msg)      by the first key of msg (its 3rd byte):
;;       {"increment":{}}  count += 1                                    -> ok, attribute action=increment
;;       {"fail":{}}       contract error "counter: failure requested"
;;       {"loop":{}}       loops forever (runs out of gas)
;;       anything else     contract error "counter: unknown message"
;;   migrate(env, msg)            leaves state as is                     -> ok, attribute action=migrate
;;   query(env, msg)              {"count":N} as base64 in {"ok":"..."}
;; The count is stored under key "count" as decimal digits. No bulk-memory or other post-MVP
;; instructions are used (the VM's gatekeeper rejects them).
(module
  (import "env" "db_read" (func $db_read (param i32) (result i32)))
  (import "env" "db_write" (func $db_write (param i32 i32)))

  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 8192))

  (data (i32.const 256) "count")
  (data (i32.const 512) "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
  (data (i32.const 600) "{\"count\":")
  (data (i32.const 620) "{\"ok\":\"")
  (data (i32.const 1024) "{\"ok\":{\"messages\":[],\"attributes\":[{\"key\":\"action\",\"value\":\"instantiate\"}],\"events\":[],\"data\":null}}")
  (data (i32.const 1280) "{\"ok\":{\"messages\":[],\"attributes\":[{\"key\":\"action\",\"value\":\"increment\"}],\"events\":[],\"data\":null}}")
  (data (i32.const 1536) "{\"ok\":{\"messages\":[],\"attributes\":[{\"key\":\"action\",\"value\":\"migrate\"}],\"events\":[],\"data\":null}}")
  (data (i32.const 1792) "{\"error\":\"counter: failure requested\"}")
  (data (i32.const 1856) "{\"error\":\"counter: unknown message\"}")

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

  ;; A Region over bytes already in memory.
  (func $region (param $off i32) (param $len i32) (result i32)
    (local $r i32)
    (local.set $r (call $alloc (i32.const 0)))
    (i32.store (local.get $r) (local.get $off))
    (i32.store offset=4 (local.get $r) (local.get $len))
    (i32.store offset=8 (local.get $r) (local.get $len))
    (local.get $r))

  (func $copy (param $dst i32) (param $src i32) (param $len i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $len)))
        (i32.store8 (local.get $dst) (i32.load8_u (local.get $src)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 1)))
        (local.set $src (i32.add (local.get $src) (i32.const 1)))
        (local.set $len (i32.sub (local.get $len) (i32.const 1)))
        (br $next))))

  (func $key (result i32) (call $region (i32.const 256) (i32.const 5)))

  (func $read_count (result i64)
    (local $p i32) (local $i i32) (local $end i32) (local $n i64)
    (local.set $p (call $db_read (call $key)))
    (if (i32.eqz (local.get $p)) (then (return (i64.const 0))))
    (local.set $i (i32.load (local.get $p)))
    (local.set $end (i32.add (local.get $i) (i32.load offset=8 (local.get $p))))
    (block $done
      (loop $digit
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $n
          (i64.add (i64.mul (local.get $n) (i64.const 10))
                   (i64.sub (i64.extend_i32_u (i32.load8_u (local.get $i))) (i64.const 48))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $digit)))
    (local.get $n))

  ;; Write n in decimal at dst; returns the number of bytes written.
  (func $fmt (param $n i64) (param $dst i32) (result i32)
    (local $p i32) (local $len i32)
    (local.set $p (i32.const 4064))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.wrap_i64 (i64.rem_u (local.get $n) (i64.const 10))) (i32.const 48)))
      (local.set $n (i64.div_u (local.get $n) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $n) (i64.const 0))))
    (local.set $len (i32.sub (i32.const 4064) (local.get $p)))
    (call $copy (local.get $dst) (local.get $p) (local.get $len))
    (local.get $len))

  (func $write_count (param $n i64)
    (local $buf i32)
    (local.set $buf (call $alloc (i32.const 24)))
    (i32.store offset=8 (local.get $buf) (call $fmt (local.get $n) (i32.load (local.get $buf))))
    (call $db_write (call $key) (local.get $buf)))

  (func $b64char (param $dst i32) (param $sextet i32)
    (i32.store8 (local.get $dst) (i32.load8_u (i32.add (i32.const 512) (i32.and (local.get $sextet) (i32.const 63))))))

  ;; Base64 of len bytes at src, written at dst; returns the number of bytes written.
  (func $b64 (param $src i32) (param $len i32) (param $dst i32) (result i32)
    (local $i i32) (local $o i32) (local $b i32) (local $rem i32)
    (block $tail
      (loop $triple
        (br_if $tail (i32.gt_u (i32.add (local.get $i) (i32.const 3)) (local.get $len)))
        (local.set $b
          (i32.or (i32.or
            (i32.shl (i32.load8_u (i32.add (local.get $src) (local.get $i))) (i32.const 16))
            (i32.shl (i32.load8_u offset=1 (i32.add (local.get $src) (local.get $i))) (i32.const 8)))
            (i32.load8_u offset=2 (i32.add (local.get $src) (local.get $i)))))
        (call $b64char (i32.add (local.get $dst) (local.get $o)) (i32.shr_u (local.get $b) (i32.const 18)))
        (call $b64char (i32.add (local.get $dst) (i32.add (local.get $o) (i32.const 1))) (i32.shr_u (local.get $b) (i32.const 12)))
        (call $b64char (i32.add (local.get $dst) (i32.add (local.get $o) (i32.const 2))) (i32.shr_u (local.get $b) (i32.const 6)))
        (call $b64char (i32.add (local.get $dst) (i32.add (local.get $o) (i32.const 3))) (local.get $b))
        (local.set $i (i32.add (local.get $i) (i32.const 3)))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $triple)))
    (local.set $rem (i32.sub (local.get $len) (local.get $i)))
    (if (i32.eqz (local.get $rem)) (then (return (local.get $o))))
    (local.set $b (i32.shl (i32.load8_u (i32.add (local.get $src) (local.get $i))) (i32.const 16)))
    (if (i32.eq (local.get $rem) (i32.const 2))
      (then (local.set $b (i32.or (local.get $b)
              (i32.shl (i32.load8_u offset=1 (i32.add (local.get $src) (local.get $i))) (i32.const 8))))))
    (call $b64char (i32.add (local.get $dst) (local.get $o)) (i32.shr_u (local.get $b) (i32.const 18)))
    (call $b64char (i32.add (local.get $dst) (i32.add (local.get $o) (i32.const 1))) (i32.shr_u (local.get $b) (i32.const 12)))
    (i32.store8 offset=3 (i32.add (local.get $dst) (local.get $o)) (i32.const 61))
    (if (i32.eq (local.get $rem) (i32.const 2))
      (then (call $b64char (i32.add (local.get $dst) (i32.add (local.get $o) (i32.const 2)))
                           (i32.shr_u (local.get $b) (i32.const 6))))
      (else (i32.store8 offset=2 (i32.add (local.get $dst) (local.get $o)) (i32.const 61))))
    (i32.add (local.get $o) (i32.const 4)))

  (func (export "instantiate") (param $env i32) (param $info i32) (param $msg i32) (result i32)
    (call $write_count (i64.const 0))
    (call $region (i32.const 1024) (i32.const 100)))

  (func (export "execute") (param $env i32) (param $info i32) (param $msg i32) (result i32)
    (local $c i32)
    (if (i32.lt_u (i32.load offset=8 (local.get $msg)) (i32.const 3))
      (then (return (call $region (i32.const 1856) (i32.const 36)))))
    (local.set $c (i32.load8_u offset=2 (i32.load (local.get $msg))))
    (if (i32.eq (local.get $c) (i32.const 105))      ;; 'i': increment
      (then
        (call $write_count (i64.add (call $read_count) (i64.const 1)))
        (return (call $region (i32.const 1280) (i32.const 98)))))
    (if (i32.eq (local.get $c) (i32.const 102))      ;; 'f': fail
      (then (return (call $region (i32.const 1792) (i32.const 38)))))
    (if (i32.eq (local.get $c) (i32.const 108))      ;; 'l': loop until out of gas
      (then (loop $forever (br $forever))))
    (call $region (i32.const 1856) (i32.const 36)))

  (func (export "migrate") (param $env i32) (param $msg i32) (result i32)
    (call $region (i32.const 1536) (i32.const 96)))

  (func (export "query") (param $env i32) (param $msg i32) (result i32)
    (local $len i32) (local $out i32) (local $dst i32) (local $n i32)
    ;; {"count":N} at 4096
    (call $copy (i32.const 4096) (i32.const 600) (i32.const 9))
    (local.set $len (i32.add (i32.const 9) (call $fmt (call $read_count) (i32.const 4105))))
    (i32.store8 (i32.add (i32.const 4096) (local.get $len)) (i32.const 125))
    (local.set $len (i32.add (local.get $len) (i32.const 1)))
    ;; {"ok":"<base64>"}
    (local.set $out (call $alloc (i32.add (i32.const 16) (i32.mul (local.get $len) (i32.const 2)))))
    (local.set $dst (i32.load (local.get $out)))
    (call $copy (local.get $dst) (i32.const 620) (i32.const 7))
    (local.set $n (call $b64 (i32.const 4096) (local.get $len) (i32.add (local.get $dst) (i32.const 7))))
    (local.set $n (i32.add (local.get $n) (i32.const 7)))
    (i32.store8 (i32.add (local.get $dst) (local.get $n)) (i32.const 34))
    (i32.store8 offset=1 (i32.add (local.get $dst) (local.get $n)) (i32.const 125))
    (i32.store offset=8 (local.get $out) (i32.add (local.get $n) (i32.const 2)))
    (local.get $out))
)
