(module
  (memory 1)
  (func $simd (export "simd") (param i32) (result i32)
    (local v128)
    (v128.load offset=16 align=4 (local.get 0))
    (v128.const i32x4 1 2 3 4)
    i32x4.add
    (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (local.get 1) (v128.const i64x2 7 8))
    v128.xor
    local.tee 1
    (v128.load16_lane 3 (local.get 0) (local.get 1))
    (local.get 1)
    i8x16.relaxed_laneselect
    (local.get 1)
    i16x8.relaxed_dot_i8x16_i7x16_s
    f64x2.promote_low_f32x4
    i32x4.extract_lane 2
    (v128.store8_lane 15 (local.get 0) (local.get 1))
    (i64x2.replace_lane 1 (local.get 1) (i64.const 9))
    v128.any_true
    i32.add))
