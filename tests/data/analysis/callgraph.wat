;; Fixture for gasmodel.analysis: a CosmWasm-shaped module with known call-graph facts.
;; Reachable from exports: execute, query, instantiate, allocate, deallocate, helper, leaf,
;;   fact (self-recursive), even/odd (mutual recursion), ind_a/ind_b (indirect, same signature,
;;   ind_b declared with a structurally equal but distinct type), env.db_read (import).
;; Unreachable: dead_root -> dead_leaf; tbl_other (in the table, but no call_indirect of its type).
(module
  (type $t_ii (func (param i32) (result i32)))
  (type $t_ii_dup (func (param i32) (result i32)))
  (type $t_v (func))
  (import "env" "db_read" (func $db_read (param i32) (result i32)))
  (import "env" "debug" (func $debug (param i32)))
  (memory (export "memory") 17)
  (table 4 4 funcref)
  (elem (i32.const 0) $ind_a $ind_b $tbl_other)

  (func $helper (param i32) (result i32)
    local.get 0
    call $leaf
    call $db_read)
  (func $leaf (param i32) (result i32)
    local.get 0
    i32.const 1
    i32.add)
  (func $fact (param i32) (result i32)
    local.get 0
    i32.eqz
    if (result i32)
      i32.const 1
    else
      local.get 0
      local.get 0
      i32.const 1
      i32.sub
      call $fact
      i32.mul
    end)
  (func $even (param i32) (result i32)
    local.get 0
    i32.eqz
    if (result i32)
      i32.const 1
    else
      local.get 0
      i32.const 1
      i32.sub
      call $odd
    end)
  (func $odd (param i32) (result i32)
    local.get 0
    i32.eqz
    if (result i32)
      i32.const 0
    else
      local.get 0
      i32.const 1
      i32.sub
      call $even
    end)
  (func $ind_a (type $t_ii) (param i32) (result i32)
    local.get 0)
  (func $ind_b (type $t_ii_dup) (param i32) (result i32)
    local.get 0
    i32.const 2
    i32.mul)
  (func $tbl_other (type $t_v))
  (func $dead_root (param i32) (result i32)
    local.get 0
    call $dead_leaf)
  (func $dead_leaf (param i32) (result i32)
    local.get 0
    call $debug
    i32.const 0)
  (func $many_locals (param i32) (result i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32
           i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    local.get 0)

  (func (export "instantiate") (param i32 i32 i32) (result i32)
    local.get 2
    call $helper)
  (func (export "execute") (param i32 i32 i32) (result i32)
    (local i32)
    local.get 2
    call $fact
    local.set 3
    block
      loop
        local.get 3
        i32.eqz
        br_if 1
        local.get 3
        i32.const 1
        i32.sub
        local.set 3
        br 0
      end
    end
    local.get 2
    call $even
    call $many_locals)
  (func (export "query") (param i32 i32) (result i32)
    local.get 1
    local.get 0
    call_indirect (type $t_ii))
  (func (export "allocate") (param i32) (result i32)
    local.get 0)
  (func (export "deallocate") (param i32))
  (func (export "interface_version_8"))
)
