"""Facts about imports a contract may carry: the VM's import signatures and known foreign shapes.

Signatures: the guest-side declarations of cosmwasm-std (``packages/std/src/imports.rs``; all
pointers are u32 Region pointers, i32 in Wasm), https://github.com/CosmWasm/cosmwasm/blob/v2.1.6/
packages/std/src/imports.rs. WASI classes follow the function names of
https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/witx/wasi_snapshot_preview1.witx.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

_I = "i32"

# "env.<name>" -> (params, results)
SIGNATURES: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = MappingProxyType(
    {
        "env.abort": ((_I,), ()),
        "env.db_read": ((_I,), (_I,)),
        "env.db_write": ((_I, _I), ()),
        "env.db_remove": ((_I,), ()),
        "env.addr_validate": ((_I,), (_I,)),
        "env.addr_canonicalize": ((_I, _I), (_I,)),
        "env.addr_humanize": ((_I, _I), (_I,)),
        "env.bls12_381_aggregate_g1": ((_I, _I), (_I,)),
        "env.bls12_381_aggregate_g2": ((_I, _I), (_I,)),
        "env.bls12_381_pairing_equality": ((_I, _I, _I, _I), (_I,)),
        "env.bls12_381_hash_to_g1": ((_I, _I, _I, _I), (_I,)),
        "env.bls12_381_hash_to_g2": ((_I, _I, _I, _I), (_I,)),
        "env.secp256k1_verify": ((_I, _I, _I), (_I,)),
        "env.secp256k1_recover_pubkey": ((_I, _I, _I), ("i64",)),
        "env.secp256r1_verify": ((_I, _I, _I), (_I,)),
        "env.secp256r1_recover_pubkey": ((_I, _I, _I), ("i64",)),
        "env.ed25519_verify": ((_I, _I, _I), (_I,)),
        "env.ed25519_batch_verify": ((_I, _I, _I), (_I,)),
        "env.debug": ((_I,), ()),
        "env.query_chain": ((_I,), (_I,)),
        "env.db_scan": ((_I, _I, _I), (_I,)),
        "env.db_next": ((_I,), (_I,)),
        "env.db_next_key": ((_I,), (_I,)),
        "env.db_next_value": ((_I,), (_I,)),
    }
)

# WASI preview1 function -> what it reaches outside the contract.
_WASI_CLASSES: dict[str, tuple[str, ...]] = {
    "clock": ("clock_time_get", "clock_res_get"),
    "random": ("random_get",),
    "environment": ("environ_get", "environ_sizes_get", "args_get", "args_sizes_get"),
    "process": ("proc_exit", "proc_raise", "sched_yield", "poll_oneoff"),
    "sockets": ("sock_accept", "sock_recv", "sock_send", "sock_shutdown"),
}
WASI_CLASS: Mapping[str, str] = MappingProxyType(
    {name: cls for cls, names in _WASI_CLASSES.items() for name in names}
)
WASI_MODULES = ("wasi_snapshot_preview1", "wasi_unstable", "wasi")


def wasi_class(module: str, name: str) -> str | None:
    """The WASI class of an import (clock, random, environment, files, process, sockets) or None."""
    if not module.startswith(WASI_MODULES):
        return None
    if name in WASI_CLASS:
        return WASI_CLASS[name]
    if name.startswith(("fd_", "path_")):
        return "files"
    return "other"


def is_wasm_bindgen(module: str, name: str) -> str | None:
    """``"getrandom"`` / ``"wasm-bindgen"`` for wasm-bindgen placeholder imports, else None."""
    if not (module.startswith("__wbindgen") or name.startswith(("__wbindgen", "__wbg_"))):
        return None
    low = name.lower()
    if "random" in low or "crypto" in low:
        return "getrandom"
    return "wasm-bindgen"


def is_tinygo_runtime(module: str, name: str) -> bool:
    """TinyGo's runtime imports: ``env.syscall*``, ``env.runtime.*`` / ``runtime.*``, ``gojs.*``."""
    if module == "gojs" or module.startswith("runtime"):
        return True
    return module == "env" and (
        name.startswith(("syscall", "runtime.", "syscall/js.")) or name == "io_get_stdout"
    )
