(module
  (memory 1)
  (table 4 funcref)
  (data $d "hello")
  (elem $e func $bulk)
  (func $bulk (export "bulk") (param i32)
    (memory.copy (local.get 0) (i32.const 0) (i32.const 5))
    (memory.fill (local.get 0) (i32.const 0) (i32.const 5))
    (memory.init $d (local.get 0) (i32.const 0) (i32.const 5))
    data.drop $d
    (table.init $e (i32.const 0) (i32.const 0) (i32.const 1))
    elem.drop $e
    (table.copy (i32.const 1) (i32.const 0) (i32.const 1))))
