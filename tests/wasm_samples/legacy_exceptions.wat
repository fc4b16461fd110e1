(module
  (tag $e (param i32))
  (func $thrower (param i32) (throw $e (local.get 0)))
  (func $legacy (export "legacy") (param i32) (result i32)
    try (result i32)
      local.get 0
      call $thrower
      i32.const 0
    catch $e
      i32.const 1
      i32.add
    catch_all
      i32.const 2
    end
    try
      try
        local.get 0
        call $thrower
      delegate 0
    catch $e
      drop
    catch_all
      rethrow 0
    end))
