"""The cosmwasm-vm metering rule, written from the public source for tests to use as an oracle.

Nothing here comes from gasmodel: CosmWasm/cosmwasm packages/vm/src/wasm_backend/engine.rs ``fn cost``
(GAS_PER_OPERATION = 115; an accounting operator costs GAS_PER_OPERATION * 14) and
wasm_backend/metering.rs (the middleware adds each operator's cost to the running block and, at an
accounting operator, charges the block and starts a new one). ``is_accounting`` lists 23 operators from
v2.1.6 on (v2.1.6, v2.2.x, v3.0.x tags); at v2.1.2/v2.1.3 the inline match in ``fn cost`` has 9, without
``if``.
"""

from __future__ import annotations

GAS_PER_OPERATION = 115
ACCOUNTING_9 = frozenset(
    {"loop", "end", "else", "br", "br_table", "br_if", "call", "call_indirect", "return"}
)
ACCOUNTING_23 = ACCOUNTING_9 | {
    *("if", "throw", "throw_ref", "rethrow", "delegate", "catch", "return_call", "return_call_indirect"),
    *("br_on_cast", "br_on_cast_fail", "call_ref", "return_call_ref", "br_on_null", "br_on_non_null"),
}
METERING_RULE = {
    "cosmwasm-vm-2.1.2-2.1.3": ACCOUNTING_9,
    "cosmwasm-vm-2.1.6-2.1.7": ACCOUNTING_23,
    "cosmwasm-vm-3.0.9": ACCOUNTING_23,
}


def metering_blocks(names: list[str], accounting: frozenset[str]) -> list[tuple[int, int, int]]:
    """(first, last, cost) of each block the cosmwasm-vm middleware charges over the operator ``names``."""
    blocks: list[tuple[int, int, int]] = []
    first, acc = 0, 0
    for i, name in enumerate(names):
        acc += GAS_PER_OPERATION * 14 if name in accounting else GAS_PER_OPERATION
        if name in accounting:
            blocks.append((first, i, acc))
            first, acc = i + 1, 0
    if first < len(names):
        blocks.append((first, len(names) - 1, acc))
    return blocks
