(module
  (type $pair (func (param i32) (result i32 i32)))
  (func $swap (export "swap") (param i32 i32) (result i32 i32)
    local.get 1 local.get 0)
  (func $blocks (export "blocks") (param i32) (result i32)
    local.get 0
    block (type $pair)
      i32.const 2
    end
    i32.add
    i32.const 1 i32.const 2
    call $swap
    i32.sub
    i32.add))
