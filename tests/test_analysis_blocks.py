"""Metering-block splitting (a pure function over operator sequences).

Oracle: hand-split operator sequences per the cosmwasm-vm metering rule (packages/vm/src/wasm_backend/
metering.rs at the tags the presets cite), each expected block written out in the test.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gasmodel.analysis.blocks import split_blocks

ACCOUNTING = frozenset(
    {"loop", "end", "if", "else", "br", "br_if", "br_table", "call", "call_indirect", "return"}
)
PLAIN = ["local.get", "i32.const", "i32.add", "block", "nop", "drop", "i64.load"]


def two_tier(op: str) -> int:
    return 1610 if op in ACCOUNTING else 115


def test_block_ends_at_accounting_op_including_its_cost() -> None:
    ops = ["local.get", "i32.const", "i32.add", "call", "block", "local.get", "br_if", "end", "end"]
    blocks = split_blocks(ops, two_tier, ACCOUNTING)
    assert [(b.start, b.end, b.terminator) for b in blocks] == [
        (0, 3, "call"),
        (4, 6, "br_if"),
        (7, 7, "end"),
        (8, 8, "end"),
    ]
    assert blocks[0].cost == 3 * 115 + 1610
    # `block` is not accounting: it is priced like any plain op and does not split.
    assert blocks[1].cost == 115 + 115 + 1610
    assert blocks[2].num_ops == 1


def test_if_splits_only_when_in_the_accounting_set() -> None:
    ops = ["local.get", "if", "i32.const", "else", "i32.const", "end", "end"]
    with_if = split_blocks(ops, two_tier, ACCOUNTING)
    without_if = split_blocks(ops, two_tier, ACCOUNTING - {"if"})
    assert len(with_if) == len(without_if) + 1
    assert sum(b.cost for b in with_if) == sum(b.cost for b in without_if)


def test_trailing_ops_without_terminator_form_a_last_block() -> None:
    blocks = split_blocks(["nop", "nop"], two_tier, ACCOUNTING)
    assert len(blocks) == 1
    assert blocks[0].terminator == ""
    assert blocks[0].cost == 230


@given(st.lists(st.sampled_from(sorted(ACCOUNTING) + PLAIN), max_size=60))
def test_blocks_partition_the_body(ops: list[str]) -> None:
    blocks = split_blocks(ops, two_tier, ACCOUNTING)
    assert sum(b.cost for b in blocks) == sum(two_tier(o) for o in ops)
    covered = [i for b in blocks for i in range(b.start, b.end + 1)]
    assert covered == list(range(len(ops)))
    for b in blocks:
        inner = ops[b.start : b.end]
        assert not any(o in ACCOUNTING for o in inner)
        if b.terminator:
            assert ops[b.end] == b.terminator
