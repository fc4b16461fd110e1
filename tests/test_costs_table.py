"""The CostTable model: pricing rules, vectors over the decoder's opcode table, validation.

Oracles: hand arithmetic on small tables written in each test, and the public numbers the presets
cite (CosmWasm/cosmwasm@v2.1.6 packages/vm/src/wasm_backend/engine.rs: 115 per operator, 115 * 14
for an accounting one; cosmos-sdk store/types/gas.go KVGasConfig: 1000 + 3/byte read, 2000 + 30/byte
write).
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from gasmodel.costs import (
    CATEGORIES,
    LinearCost,
    OperatorCosts,
    Ratio,
    RegionCosts,
    StoreCosts,
    cost_table_from_dict,
    load_cost_table,
    load_profile,
)
from gasmodel.errors import ConfigError
from gasmodel.wasm.opcodes import BY_NAME, OPCODES


def test_linear_cost_total_minimum_and_int_shorthand() -> None:
    c = LinearCost(base=24_000_000, per_item=21_000_000)
    assert [c.total(n) for n in (0, 1, 3)] == [24_000_000, 45_000_000, 87_000_000]
    floored = LinearCost(per_item=31_500_000, minimum=63_000_000)
    assert [floored.total(n) for n in (1, 2, 3)] == [63_000_000, 63_000_000, 94_500_000]
    assert LinearCost.model_validate(96_000_000) == LinearCost(base=96_000_000, per_item=0)
    with pytest.raises(ValidationError):
        LinearCost.model_validate(True)


def test_ratio_floors() -> None:
    r = Ratio(numerator=15, denominator=100)
    assert [r.apply(n) for n in (0, 6, 7, 100, 1_000_001)] == [0, 0, 1, 15, 150_000]


def test_operator_price_precedence() -> None:
    ops = OperatorCosts(
        default=10,
        accounting=("call", "br"),
        accounting_cost=100,
        by_category={"call": 50, "numeric-int": 20},
        by_opcode={"br": 7, "i32.add": 3},
    )
    assert ops.cost_of("br", "control") == 7  # by_opcode beats accounting
    assert ops.cost_of("call", "call") == 100  # accounting beats category
    assert ops.cost_of("call_indirect", "call") == 50  # category
    assert ops.cost_of("i32.add", "numeric-int") == 3
    assert ops.cost_of("i32.sub", "numeric-int") == 20
    assert ops.cost_of("local.get", "variable") == 10


def test_op_cost_vector_over_the_decoder_table() -> None:
    t = load_cost_table("cosmwasm-vm-2.1.6-2.1.7")
    costs = t.op_costs(OPCODES)
    flags = t.accounting_flags(OPCODES)
    assert len(costs) == len(flags) == len(OPCODES)
    ids = {name: BY_NAME[name].id for name in ("if", "i32.add", "block", "nop", "br_table", "return_call")}
    assert costs[ids["if"]] == 1_610 and flags[ids["if"]]
    assert costs[ids["return_call"]] == 1_610 and flags[ids["return_call"]]
    assert costs[ids["i32.add"]] == 115 and not flags[ids["i32.add"]]
    assert costs[ids["block"]] == 115 and not flags[ids["block"]]
    assert costs[ids["nop"]] == 115
    assert sum(flags) == len([n for n in t.operators.accounting if n in BY_NAME])
    # without `if` in 2.1.2-2.1.3
    old = load_cost_table("cosmwasm-vm-2.1.2-2.1.3")
    assert old.op_costs(OPCODES)[ids["if"]] == 115
    assert not old.accounting_flags(OPCODES)[ids["if"]]
    assert old.op_costs(OPCODES)[ids["br_table"]] == 1_610


def test_wasmtime_fuel_vector_has_zero_cost_control() -> None:
    costs = load_cost_table("wasmtime-fuel").op_costs(OPCODES)
    zero = {op.name for op in OPCODES if costs[op.id] == 0}
    assert zero == {"nop", "drop", "block", "loop", "unreachable", "return", "else", "end"}


def test_decoder_categories_are_the_known_ones() -> None:
    assert {op.category for op in OPCODES} <= CATEGORIES


def test_typo_in_opcode_name_is_named_with_a_suggestion() -> None:
    data = {"name": "mine", "source": "test", "operators": {"default": 1, "by_opcode": {"i32.addd": 2}}}
    with pytest.raises(ConfigError) as err:
        cost_table_from_dict(data, "mine.toml")
    msg = str(err.value)
    assert msg.startswith("mine.toml: invalid cost table: operators.by_opcode:")
    assert "unknown opcode 'i32.addd' (did you mean 'i32.add'?)" in msg


def test_typo_in_accounting_and_category_names() -> None:
    data = {
        "name": "mine",
        "source": "test",
        "operators": {"default": 1, "accounting": ["br_iff"], "by_category": {"numeric_int": 3}},
    }
    with pytest.raises(ConfigError) as err:
        cost_table_from_dict(data, "mine.toml")
    msg = str(err.value)
    assert "operators.accounting: unknown opcode 'br_iff'" in msg
    assert "operators.by_category: unknown opcode category 'numeric_int' (did you mean 'numeric-int'?)" in msg


def test_operators_beyond_the_decoder_are_accepted_but_unpriced() -> None:
    ops = OperatorCosts(default=1, accounting=("br_on_cast",), accounting_cost=9)
    assert "br_on_cast" not in BY_NAME
    assert ops.cost_of("br_on_cast", "control") == 9


def test_duplicate_accounting_operator_rejected() -> None:
    with pytest.raises(ValidationError, match="listed more than once: br"):
        OperatorCosts(default=1, accounting=("br", "br"))


def test_region_read_threshold_is_inclusive() -> None:
    r = RegionCosts(
        read_small=LinearCost(base=200_000, per_item=115),
        read_large=LinearCost(per_item=520),
        read_threshold_bytes=10,
    )
    assert r.read_cost(10) == 200_000 + 1_150
    assert r.read_cost(11) == 11 * 520
    assert r.write_cost(100) == 0
    assert RegionCosts().read_cost(5) == 0


def test_store_costs_follow_gaskv() -> None:
    s = load_profile("injective-localnet").costs.store
    assert s is not None
    # key 1 + 20 (prefix + contract address) + 5 user bytes, value 10 bytes
    assert s.read(26, 10) == 1_000 + 3 * 36
    assert s.write(26, 10) == 2_000 + 30 * 36
    assert s.iter_step(26, 10) == 30 + 3 * 36
    old = StoreCosts(**{**s.model_dump(), "charges_key_bytes": False})
    assert old.write(26, 10) == 2_000 + 30 * 10


def test_wasmd_conversions_floor() -> None:
    t = load_profile("injective-localnet").costs
    assert t.wasmd is not None
    assert t.to_sdk(139_999) == 0
    assert t.to_sdk(140_000 * 7 + 139_999) == 7
    assert t.wasmd.to_cw(3) == 420_000
    assert t.wasmd.setup_cost(discounted=False) == 60_000
    assert t.wasmd.setup_cost(discounted=True) == 2_000
    assert t.wasmd.compile_cost(1000) == 3_000
    assert t.wasmd.uncompress_cost(1000) == 150


def test_to_sdk_without_wasmd_section_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="no wasmd section"):
        load_cost_table("uniform").to_sdk(10)


def test_models_are_frozen() -> None:
    t = load_cost_table("uniform")
    with pytest.raises(ValidationError):
        t.operators.default = 5  # type: ignore[misc]


def test_opcode_and_category_names_are_the_decoders() -> None:
    from gasmodel.wasm.opcodes import BY_NAME, CATEGORIES

    table = load_cost_table("cosmwasm-vm-2.1.6-2.1.7")
    for name in table.operators.accounting:
        assert name in BY_NAME or name in {"br_on_cast", "br_on_cast_fail"}
    with pytest.raises(ValidationError, match="'I32 Add'"):
        OperatorCosts(default=1, by_opcode={"I32 Add": 2})
    with pytest.raises(ValidationError, match="did you mean 'memory'"):
        OperatorCosts(default=1, by_category={"memroy": 2})
    assert set(CATEGORIES) == {
        c for c in CATEGORIES if OperatorCosts(default=1, by_category={c: 2}).cost_of("x", c) == 2
    }
