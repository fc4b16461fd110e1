"""CW2xx: every import against the VM's allow-list, classified (WASI, wasm-bindgen, TinyGo), located.

An import that the VM does not provide gets exactly one finding: CW210 (WASI), CW211
(wasm-bindgen / getrandom), CW212 (TinyGo runtime) or CW201 (anything else). Each names the
shortest call path from an entry point to a call of the import, or says no entry point calls it.
"""

from __future__ import annotations

from collections.abc import Iterator

from gasmodel.lint.abi import SIGNATURES, is_tinygo_runtime, is_wasm_bindgen, wasi_class
from gasmodel.lint.context import Context
from gasmodel.lint.model import Finding


def _calls(ctx: Context, func_index: int) -> str:
    path = ctx.facts.path(func_index)
    if not path:
        return "; no entry point calls it"
    return f"; {' -> '.join(path[:-1])} calls it" if len(path) > 1 else f"; {path[0]} is it"


def check_imports(ctx: Context) -> Iterator[Finding]:
    """CW201, CW202, CW203, CW210, CW211, CW212."""
    allowed = set(ctx.profile.imports)
    m = ctx.module
    func_index = 0
    for imp in m.imports:
        full = f"{imp.module}.{imp.name}"
        index = func_index if imp.kind == "func" else None
        if imp.kind == "func":
            func_index += 1
        where = _calls(ctx, index) if index is not None else ""
        if full not in allowed:
            wasi = wasi_class(imp.module, imp.name)
            bindgen = is_wasm_bindgen(imp.module, imp.name)
            if wasi is not None:
                code, what = "CW210", f"WASI import {full} ({wasi}: nondeterministic, unsupported)"
            elif bindgen is not None:
                code, what = "CW211", f"{bindgen} placeholder import {full} (needs a JavaScript host)"
            elif is_tinygo_runtime(imp.module, imp.name):
                code, what = "CW212", f"TinyGo runtime import {full} (unsupported)"
            else:
                code, what = "CW201", f"import {full} is not provided by cosmwasm-vm {ctx.profile.vm_version}"
            yield ctx.finding(code, what + where, function=index, offset=imp.offset)
        if imp.kind != "func":
            yield ctx.finding(
                "CW202", f"import {full} is a {imp.kind}; the VM provides only functions", offset=imp.offset
            )
        elif full in allowed and full in SIGNATURES and imp.type_index is not None:
            if not 0 <= imp.type_index < len(m.types):
                continue
            t = m.types[imp.type_index]
            want = SIGNATURES[full]
            if (t.params, t.results) != want:
                yield ctx.finding(
                    "CW203",
                    f"import {full} declared as {_sig(t.params, t.results)}; the VM provides "
                    f"{_sig(*want)}: every instantiation will fail to link",
                    function=index,
                    offset=imp.offset,
                )


def _sig(params: tuple[str, ...], results: tuple[str, ...]) -> str:
    return f"({', '.join(params)}) -> ({', '.join(results)})"
