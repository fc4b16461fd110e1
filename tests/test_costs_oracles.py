"""Cost-table facts whose expected values come from outside the code under test.

Oracles: the merging rule as docs/cost-tables.md states it ("bases in `extends` are merged left to
right, then your file on top"), derived by hand on small files; and the public cosmwasm source at the
tags the presets cite (cosmwasm packages/vm wasm_backend/engine.rs ``fn cost``: GAS_PER_OPERATION = 115,
accounting operators GAS_PER_OPERATION * 14; wasm_backend/metering.rs ``is_accounting``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gasmodel.costs import load_cost_table
from gasmodel.costs.load import deep_merge
from gasmodel.costs.metering import split_blocks
from gasmodel.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_later_extends_base_wins_on_a_shared_key(tmp_path: Path) -> None:
    """Named test for the mutation "the first base wins": two bases set operators.default differently.

    Hand derivation from the documented rule: left to right, so the right-most base's value stands, and a key
    only one base sets is kept from that base whatever the order.
    """
    write(tmp_path / "a.toml", 'extends = "uniform"\n[operators]\ndefault = 2\n[locals]\nper_local = 7\n')
    write(tmp_path / "b.toml", 'extends = "uniform"\n[operators]\ndefault = 5\n')
    ab = load_cost_table(write(tmp_path / "ab.toml", 'extends = ["a.toml", "b.toml"]\n'))
    ba = load_cost_table(write(tmp_path / "ba.toml", 'extends = ["b.toml", "a.toml"]\n'))
    assert ab.operators.default == 5
    assert ba.operators.default == 2
    assert ab.locals is not None and ab.locals.per_local == 7
    assert ba.locals is not None and ba.locals.per_local == 7
    # the file itself is on top of every base
    top_toml = 'extends = ["a.toml", "b.toml"]\n[operators]\ndefault = 9\n'
    top = load_cost_table(write(tmp_path / "top.toml", top_toml))
    assert top.operators.default == 9
    assert top.source == "extends a + b"  # the bases named in order


def test_deep_merge_by_hand() -> None:
    """Tables merge key by key, anything else (arrays included) replaces; inputs are not modified."""
    base = {"a": {"x": 1, "y": {"p": 1}}, "l": [1, 2], "s": 1}
    over = {"a": {"y": {"q": 2}, "z": 3}, "l": [3], "s": {"now": "table"}}
    merged = deep_merge(base, over)
    assert merged == {"a": {"x": 1, "y": {"p": 1, "q": 2}, "z": 3}, "l": [3], "s": {"now": "table"}}
    assert base == {"a": {"x": 1, "y": {"p": 1}}, "l": [1, 2], "s": 1}
    assert deep_merge(over, base) == {"a": {"y": {"q": 2, "p": 1}, "z": 3, "x": 1}, "l": [1, 2], "s": 1}


def test_extends_must_be_a_name_or_list_of_names(tmp_path: Path) -> None:
    path = write(tmp_path / "t.toml", "extends = 3\n")
    with pytest.raises(ConfigError, match=r"t\.toml: extends: must be a preset name/path or a list of them"):
        load_cost_table(path)


# cosmwasm v2.1.6 .. v3.0.9, wasm_backend/metering.rs `is_accounting` (23 operators), and the 9 of the inline
# match in engine.rs `fn cost` at v2.1.2/v2.1.3 (no `if`).
ACCOUNTING_23 = [
    *("loop", "end", "if", "else", "br", "br_table", "br_if", "call", "call_indirect", "return", "throw"),
    *("throw_ref", "rethrow", "delegate", "catch", "return_call", "return_call_indirect", "br_on_cast"),
    *("br_on_cast_fail", "call_ref", "return_call_ref", "br_on_null", "br_on_non_null"),
]
ACCOUNTING_9 = ["loop", "end", "else", "br", "br_table", "br_if", "call", "call_indirect", "return"]


@pytest.mark.parametrize(
    ("name", "accounting"),
    [
        ("cosmwasm-vm-2.1.2-2.1.3", ACCOUNTING_9),
        ("cosmwasm-vm-2.1.6-2.1.7", ACCOUNTING_23),
        ("cosmwasm-vm-3.0.9", ACCOUNTING_23),
    ],
)
def test_operator_prices_match_engine_rs(name: str, accounting: list[str]) -> None:
    """engine.rs: 115 per operator, 115 * 14 for an accounting one; nothing else is priced differently."""
    t = load_cost_table(name)
    assert sorted(t.operators.accounting) == sorted(accounting)
    for op in ("i32.add", "local.get", "memory.grow", "i64.div_u", "f32.sqrt", "unreachable", "drop"):
        assert t.cost_of(op, "any-category") == 115, op
    for op in accounting:
        assert t.cost_of(op, "control") == 115 * 14, op
    if "if" not in accounting:
        assert t.cost_of("if", "control") == 115


def test_split_blocks_by_hand() -> None:
    """Blocks end at (and include) each accounting operator; a tail without one is its own block."""
    costs = {"a": 1, "b": 10, "T": 100, "U": 1000}
    blocks = split_blocks(["a", "b", "T", "a", "U", "T", "b"], costs.__getitem__, {"T", "U"})
    assert [(b.start, b.end, b.cost, b.terminator) for b in blocks] == [
        (0, 2, 111, "T"),
        (3, 4, 1001, "U"),
        (5, 5, 100, "T"),
        (6, 6, 10, ""),
    ]
    assert split_blocks([], costs.__getitem__, {"T"}) == ()
