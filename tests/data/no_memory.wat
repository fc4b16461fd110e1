;; A module the chain must reject at upload: the CosmWasm ABI needs exactly one memory.
(module
  (func (export "interface_version_8"))
  (func (export "allocate") (param i32) (result i32) (i32.const 0))
  (func (export "deallocate") (param i32)))
