"""gasmodel.wasm"""
