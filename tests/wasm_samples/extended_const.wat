(module
  (import "env" "base" (global $base i32))
  (memory 1)
  (global $end i32 (i32.add (global.get $base) (i32.mul (i32.const 16) (i32.const 4))))
  (global $wide i64 (i64.sub (i64.const 100) (i64.const 1)))
  (data (i32.add (global.get $base) (i32.const 8)) "x")
  (func $get (export "get") (result i32) (global.get $end)))
