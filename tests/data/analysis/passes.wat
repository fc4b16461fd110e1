;; Loop-free functions whose every control path is taken by some input in 0..255:
;; the heaviest loop-free pass must equal the most fuel wasmtime measures over those inputs.
(module
  (memory 1)
  (func $g (param i32) (result i32)
    ;; bits 0..1 of the argument choose an arm of a br_table; arm 2 is the heaviest
    block
      block
        block
          local.get 0
          i32.const 3
          i32.and
          br_table 0 1 2 0
        end
        local.get 0
        i32.const 7
        i32.mul
        return
      end
      local.get 0
      i32.const 1
      i32.add
      i32.const 2
      i32.mul
      i32.const 3
      i32.xor
      i32.const 5
      i32.shl
      return
    end
    i32.const 0)
  (func (export "f") (param i32) (result i32)
    (local i32)
    ;; bit 0: if/else with arms of different weight
    local.get 0
    i32.const 1
    i32.and
    if (result i32)
      local.get 0
      i32.const 3
      i32.mul
      i32.const 1
      i32.add
    else
      i32.const 9
    end
    local.set 1
    ;; bit 1: an early exit out of a block skips work
    block
      local.get 0
      i32.const 2
      i32.and
      br_if 0
      local.get 1
      i32.const 11
      i32.add
      i32.const 13
      i32.mul
      local.set 1
    end
    ;; bit 2: if without else, calling $g with bits 3..4
    local.get 0
    i32.const 4
    i32.and
    if
      local.get 0
      i32.const 3
      i32.shr_u
      call $g
      local.get 1
      i32.add
      local.set 1
    end
    ;; bit 5: return early, or store and continue
    local.get 0
    i32.const 32
    i32.and
    if
      local.get 1
      return
    end
    i32.const 0
    local.get 1
    i32.store
    ;; bit 6: trap path (charged up to the trap only)
    local.get 0
    i32.const 64
    i32.and
    if
      unreachable
    end
    local.get 1)
  (func (export "h") (param i32) (result i32)
    ;; a loop: the pass stops at the back-edge, so it is bounded by one iteration
    (local i32)
    loop
      local.get 1
      i32.const 1
      i32.add
      local.tee 1
      local.get 0
      i32.lt_u
      br_if 0
    end
    local.get 1)
)
