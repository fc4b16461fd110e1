"""Running contracts: instrumentation, the CosmWasm host on wasmtime, the mock chain."""
