(module
  (func $sat (export "sat") (param f32 f64) (result i64)
    local.get 0 i32.trunc_sat_f32_s local.get 0 i32.trunc_sat_f32_u i32.add
    local.get 1 i32.trunc_sat_f64_s i32.add local.get 1 i32.trunc_sat_f64_u i32.add drop
    local.get 0 i64.trunc_sat_f32_s local.get 0 i64.trunc_sat_f32_u i64.add
    local.get 1 i64.trunc_sat_f64_s i64.add local.get 1 i64.trunc_sat_f64_u i64.add))
