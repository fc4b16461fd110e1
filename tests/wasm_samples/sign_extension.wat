(module
  (func $ext (export "ext") (param i32 i64) (result i64)
    local.get 0 i32.extend8_s local.get 0 i32.extend16_s i32.add drop
    local.get 1 i64.extend8_s local.get 1 i64.extend16_s i64.add local.get 1 i64.extend32_s i64.add))
