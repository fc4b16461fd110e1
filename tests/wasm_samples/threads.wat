(module
  (memory 1 1 shared)
  (func $atomics (export "atomics") (param i32) (result i32)
    (drop (i32.atomic.rmw.add (local.get 0) (i32.const 1)))
    (drop (i64.atomic.rmw32.cmpxchg_u offset=8 (local.get 0) (i64.const 1) (i64.const 2)))
    (i32.atomic.store8 (local.get 0) (i32.const 3))
    atomic.fence
    (drop (memory.atomic.notify (local.get 0) (i32.const 1)))
    (drop (memory.atomic.wait32 (local.get 0) (i32.const 0) (i64.const -1)))
    (i32.atomic.load (local.get 0))))
