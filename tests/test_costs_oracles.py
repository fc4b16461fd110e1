"""Cost-table facts whose expected values come from outside the code under test.

Oracles: the merging rule as docs/cost-tables.md states it ("bases in `extends` are merged left to
right, then your file on top"), derived by hand on small files; and the public cosmwasm source at the
tags the presets cite (cosmwasm packages/vm wasm_backend/engine.rs ``fn cost``: GAS_PER_OPERATION = 115,
accounting operators GAS_PER_OPERATION * 14; wasm_backend/metering.rs ``is_accounting``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gasmodel.costs import load_cost_table, load_profile, load_wasmd_preset
from gasmodel.costs.load import (
    compose_cost_table,
    cost_table_from_dict,
    deep_merge,
    find_wasmd_preset,
    list_presets,
    preset_names,
    profile_from_dict,
    profile_names,
)
from gasmodel.costs.metering import split_blocks
from gasmodel.costs.opnames import check_category_names, check_opcode_names
from gasmodel.costs.table import LinearCost, RegionCosts
from gasmodel.errors import ConfigError
from gasmodel.wasm.opcodes import OPCODES


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


# ---------------------------------------------------------------------------- loader messages, by hand
# Each expected message is written out from the loader's documented contract (a ConfigError that names the
# file and the field path); the values are worked out by hand from the small files the tests write.


def test_read_file_errors_name_the_file(tmp_path: Path) -> None:
    yaml = write(tmp_path / "t.yaml", "x: 1\n")
    with pytest.raises(ConfigError) as err:
        load_cost_table(yaml)
    assert str(err.value) == f"{yaml}: unsupported file type '.yaml'; use .toml or .json"
    bare = write(tmp_path / "t", "x = 1\n")
    with pytest.raises(ConfigError) as err:
        load_cost_table(bare)
    assert str(err.value) == f"{bare}: unsupported file type '(none)'; use .toml or .json"
    missing = tmp_path / "missing.toml"
    with pytest.raises(ConfigError) as err:
        load_cost_table(missing)
    assert str(err.value) == f"{missing}: cannot read: No such file or directory"
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'name = "caf\xe9"\n')
    with pytest.raises(ConfigError) as err:
        load_cost_table(latin)
    assert str(err.value) == f"{latin}: not UTF-8 text"


def test_non_ascii_utf8_file_reads(tmp_path: Path) -> None:
    t = load_cost_table(write(tmp_path / "u.toml", 'extends = "uniform"\ndescription = "µ-gas ≤ 1"\n'))
    assert t.description == "µ-gas ≤ 1"


def test_extends_errors_by_hand(tmp_path: Path) -> None:
    write(tmp_path / "a.toml", 'extends = "b.toml"\n')
    write(tmp_path / "b.toml", 'extends = "a.toml"\n')
    with pytest.raises(ConfigError) as err:
        load_cost_table(tmp_path / "a.toml")
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    assert str(err.value) == f"{a}: extends: cycle ({a} -> {b} -> {a})"
    for i in range(20):
        write(tmp_path / f"d{i}.toml", f'extends = "d{i + 1}.toml"\n' if i < 19 else 'extends = "uniform"\n')
    with pytest.raises(ConfigError) as err:
        load_cost_table(tmp_path / "d0.toml")
    assert str(err.value) == f"{tmp_path / 'd17.toml'}: extends: nested more than 16 deep"
    # 16 levels of files are fine
    assert (
        load_cost_table(tmp_path / "d4.toml").operators.default
        == load_cost_table("uniform").operators.default
    )
    mixed = write(tmp_path / "m.toml", 'extends = ["uniform", 3]\n')
    with pytest.raises(ConfigError) as err:
        load_cost_table(mixed)
    assert str(err.value) == f"{mixed}: extends: must be a preset name/path or a list of them"


def test_a_base_without_kind_is_a_cost_table(tmp_path: Path) -> None:
    write(tmp_path / "base.toml", 'name = "b"\nsource = "mine"\n[operators]\ndefault = 4\n')
    t = load_cost_table(write(tmp_path / "top.toml", 'extends = "base.toml"\n'))
    assert t.kind == "cost-table" and t.operators.default == 4 and t.name == "top"
    assert t.source == "extends b"


def test_a_wasmd_preset_alone_is_not_a_cost_table(tmp_path: Path) -> None:
    path = write(tmp_path / "w.toml", 'extends = "wasmd-0.70"\n')
    with pytest.raises(ConfigError) as err:
        load_cost_table(path)
    assert str(err.value) == (
        f"{path}: is a wasmd register preset, not a cost table; combine it with a VM preset: "
        'extends = ["cosmwasm-vm-...", "w"]'
    )


def test_validation_messages_by_hand(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        cost_table_from_dict({"name": "x", "source": "s"})
    assert str(err.value) == "<dict>: invalid cost table: operators: Field required"
    with pytest.raises(ConfigError) as err:
        cost_table_from_dict({"name": "x", "source": "s", "operators": {"default": "a" * 58}})
    got = repr("a" * 58)  # 60 characters: shown whole
    assert str(err.value) == (
        f"<dict>: invalid cost table: operators.default: Input should be a valid integer, unable to parse "
        f"string as an integer (got {got})"
    )
    with pytest.raises(ConfigError) as err:
        cost_table_from_dict({"name": "x", "source": "s", "operators": {"default": "a" * 59}})
    assert str(err.value).endswith(f"(got {repr('a' * 59)[:57]}...)")
    bad_host = {f"h{i}": 1 for i in range(10)}
    with pytest.raises(ConfigError) as err:
        cost_table_from_dict({"name": "x", "source": "s", "operators": {"default": 1}, "host": bad_host})
    parts = str(err.value).removeprefix("<dict>: invalid cost table: ").split("; ")
    assert parts[:8] == [f"host.h{i}: Extra inputs are not permitted" for i in range(8)]
    assert parts[8:] == ["... and 2 more"]
    with pytest.raises(ConfigError) as err:
        cost_table_from_dict(
            {"name": "x", "source": "s", "operators": {"default": 1}, "host": bad_host | {}}, "o"
        )
    assert str(err.value).startswith("o: invalid cost table: host.h0: ")
    with pytest.raises(ConfigError) as err:
        compose_cost_table("cosmwasm-vm-3.0.9", "wasmd-0.70", {"operators": {"default": -1}}, name="n")
    assert str(err.value) == (
        "cost table 'n': invalid cost table: operators.default: "
        "Input should be greater than or equal to 0 (got -1)"
    )
    eight = {f"h{i}": 1 for i in range(8)}
    with pytest.raises(ConfigError) as err:
        cost_table_from_dict({"name": "x", "source": "s", "operators": {"default": 1}, "host": eight})
    assert "more" not in str(err.value) and str(err.value).count("; ") == 7


def test_top_level_error_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        cost_table_from_dict(
            {"name": "x", "source": "s", "operators": {"default": 1}, "version": 1, "unit": 5}
        )
    assert str(err.value).startswith("<dict>: invalid cost table: unit: ")


def test_wasmd_preset_from_a_file(tmp_path: Path) -> None:
    path = write(tmp_path / "w.toml", 'extends = "wasmd-0.70"\n[wasmd]\ninstance_cost = 1\n')
    w = load_wasmd_preset(path)
    base = load_wasmd_preset("wasmd-0.70")
    assert w.wasmd.instance_cost == 1
    assert w.wasmd.model_dump(exclude={"instance_cost"}) == base.wasmd.model_dump(exclude={"instance_cost"})
    bad = write(tmp_path / "b.toml", 'extends = "wasmd-0.70"\n[wasmd]\ninstance_cost = -1\n')
    with pytest.raises(ConfigError) as err:
        load_wasmd_preset(bad)
    assert str(err.value) == (
        f"{bad}: invalid wasmd preset: wasmd.instance_cost: "
        "Input should be greater than or equal to 0 (got -1)"
    )
    with pytest.raises(ConfigError) as err:
        find_wasmd_preset("9.9.9")
    assert str(err.value) == "no wasmd preset covers version '9.9.9'"


def test_preset_names_in_natural_order() -> None:
    names = preset_names()
    assert names.index("cosmwasm-vm-1.5.6-1.5.7") < names.index("cosmwasm-vm-1.5.10-1.5.11")
    assert names.index("cosmwasm-vm-2.1.2-2.1.3") < names.index("cosmwasm-vm-2.1.6-2.1.7")
    assert names.index("wasmd-0.20-0.28") < names.index("wasmd-0.29-0.50") < names.index("wasmd-0.70")
    # natural order: upstream-1.5 before upstream-2.0 ... upstream-3.0, then upstream-wasmd
    assert profile_names() == ["injective-localnet", "upstream-1.5", "upstream-2.0", "upstream-2.1",
                               "upstream-2.2", "upstream-3.0", "upstream-wasmd"]


# ---------------------------------------------------------------------------- chain profiles, by hand


def test_profile_name_errors() -> None:
    with pytest.raises(ConfigError) as err:
        load_profile("injective-localnt")
    assert str(err.value) == (
        "unknown chain profile 'injective-localnt' (did you mean 'injective-localnet'?); "
        "`gasmodel presets` lists them"
    )
    with pytest.raises(ConfigError) as err:
        load_profile("zzz")
    assert str(err.value) == "unknown chain profile 'zzz'; `gasmodel presets` lists them"


def test_profile_extends_relative_file_and_drops_identity(tmp_path: Path) -> None:
    write(
        tmp_path / "base.toml",
        'extends = "injective-localnet"\nname = "base"\ndescription = "d"\ncites = ["c"]\n'
        "max_wasm_size = 5\n",
    )
    (tmp_path / "sub").mkdir()
    p = load_profile(write(tmp_path / "sub" / "top.toml", 'extends = "../base.toml"\n'))
    assert p.max_wasm_size == 5  # inherited through two levels
    assert p.name == "top" and p.description != "d" and "c" not in p.cites
    assert p.source == "extends base"
    assert p.costs.name == "top costs"
    p2 = load_profile(tmp_path / "base.toml")
    assert p2.costs.name == "base costs" and p2.source == "extends injective-localnet"


def test_profile_errors_by_hand(tmp_path: Path) -> None:
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    write(a, 'extends = "b.toml"\n')
    write(b, 'extends = "a.toml"\n')
    with pytest.raises(ConfigError) as err:
        load_profile(a)
    assert str(err.value) == f"{a}: extends: cycle or too deep ({a} -> {b} -> {a})"
    two = write(tmp_path / "two.toml", 'extends = ["injective-localnet", "upstream-wasmd"]\n')
    with pytest.raises(ConfigError) as err:
        load_profile(two)
    assert str(err.value) == f"{two}: extends: a chain profile extends one profile (a name or path)"
    for i in range(18):
        nxt = f'extends = "p{i + 1}.toml"\n' if i < 17 else 'extends = "injective-localnet"\n'
        write(tmp_path / f"p{i}.toml", nxt)
    with pytest.raises(ConfigError, match=r"p17\.toml: extends: cycle or too deep"):
        load_profile(tmp_path / "p0.toml")
    assert load_profile(tmp_path / "p2.toml").name == "p2"  # 16 levels below p2: fine
    with pytest.raises(ConfigError) as err:
        profile_from_dict({"costs": 3})
    assert str(err.value) == "<dict>: invalid chain profile: costs: must be a table of overrides"
    with pytest.raises(ConfigError) as err:
        profile_from_dict({"costs": {"extends": "x"}})
    assert str(err.value) == "<dict>: costs.extends: not allowed; set vm_preset and wasmd_preset instead"
    with pytest.raises(ConfigError) as err:
        profile_from_dict({"vm_preset": "cosmwasm-vm-3.0.9"})
    assert str(err.value) == "<dict>: invalid chain profile: wasmd_preset: a preset name is required"
    with pytest.raises(ConfigError) as err:
        profile_from_dict({})
    assert (
        str(err.value) == "<dict>: invalid chain profile: vm_preset, wasmd_preset: a preset name is required"
    )
    with pytest.raises(ConfigError) as err:
        profile_from_dict({"vm_preset": "cosmwasm-vm-3.0.9", "wasmd_preset": "cosmwasm-vm-3.0.9"})
    assert str(err.value) == "<dict>: costs: wasmd_preset 'cosmwasm-vm-3.0.9' gave no wasmd/store section"
    bad = {
        "vm_preset": "cosmwasm-vm-3.0.9",
        "wasmd_preset": "wasmd-0.70",
        "costs": {"operators": {"default": -1}},
    }
    with pytest.raises(ConfigError) as err:
        profile_from_dict(bad)
    assert str(err.value) == (
        "<dict>: invalid chain profile: costs.operators.default: "
        "Input should be greater than or equal to 0 (got -1)"
    )
    bad["costs"] = {"operators": {"default": -1}, "locals": {"per_local": -2}}
    with pytest.raises(ConfigError) as err:
        profile_from_dict(bad)
    assert str(err.value).count("; costs.") == 1
    good = {"vm_preset": "cosmwasm-vm-3.0.9", "wasmd_preset": "wasmd-0.70"}
    with pytest.raises(ConfigError) as err:
        profile_from_dict(good)  # costs resolve; the profile itself lacks its own fields
    assert str(err.value).startswith("<dict>: invalid chain profile: ")


# ---------------------------------------------------------------------------- cost-table arithmetic, by hand


def test_cost_table_arithmetic_by_hand() -> None:
    assert LinearCost(base=5, per_item=3).total() == 5
    assert LinearCost(base=5, per_item=3, minimum=20).total(4) == 20
    assert RegionCosts().write_cost(10) == 0
    assert RegionCosts(write=LinearCost(base=2, per_item=3)).write_cost(10) == 32
    t3 = load_cost_table("cosmwasm-vm-3.0.9")
    assert t3.cost_of("call", "call") == 1610 and t3.cost_of("i32.add", "numeric-int") == 115
    fuel = load_cost_table("wasmtime-fuel")
    assert [
        fuel.cost_of(n, c) for n, c in (("nop", "control"), ("drop", "parametric"), ("i32.add", "x"))
    ] == [
        0,
        0,
        1,
    ]
    ids = {op.name: i for i, op in enumerate(OPCODES)}
    costs = fuel.op_costs(OPCODES)
    assert costs[ids["nop"]] == 0 and costs[ids["local.get"]] == 1
    assert load_cost_table("cosmwasm-vm-2.1.6-2.1.7").locals_charge(100) == 0  # no locals charge before 2.2
    assert t3.locals_charge(29) == 0 and t3.locals_charge(31) == 2 * 115
    w = load_wasmd_preset("wasmd-0.70").wasmd
    assert w.uncompress_cost(1000) == 150  # 15/100 per gzipped byte, floor
    assert w.uncompress_cost(7) == 1
    old = load_wasmd_preset("wasmd-0.20-0.28").wasmd
    assert old.uncompress_cost_per_byte is None and old.uncompress_cost(1000) == 0


def test_opcode_name_hints() -> None:
    assert check_opcode_names(["i32.addd", "local.get"]) == [
        "unknown opcode 'i32.addd' (did you mean 'i32.add'?)"
    ]
    assert check_opcode_names(["zzzzzzzzzzzz"]) == ["unknown opcode 'zzzzzzzzzzzz'"]
    assert check_category_names(["contrl"]) == ["unknown opcode category 'contrl' (did you mean 'control'?)"]


def test_preset_references_by_version_and_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Name forms the loader documents: a version-style wasmd name picks the covering preset; a reference
    with a slash, a backslash or a .toml/.json suffix is a path (relative to the cwd when given alone)."""
    assert load_wasmd_preset("wasmd-0.53.3").name == "wasmd-0.51-0.53"  # covers 0.51.0..0.53.4
    with pytest.raises(ConfigError) as err:
        load_cost_table("wasmd-9.9.9")
    assert str(err.value) == (
        "unknown preset 'wasmd-9.9.9': no wasmd preset covers version '9.9.9'; `gasmodel presets` lists them"
    )
    with pytest.raises(ConfigError) as err:
        load_cost_table("zzzzzz")
    assert str(err.value) == "unknown preset 'zzzzzz'; `gasmodel presets` lists them"
    with pytest.raises(ConfigError, match=r"cannot read"):
        load_cost_table("sub\\x.toml")
    write(tmp_path / "base.json", '{"extends": "uniform", "operators": {"default": 6}}')
    assert load_cost_table(write(tmp_path / "top.toml", 'extends = "base.json"\n')).operators.default == 6
    monkeypatch.chdir(tmp_path)
    assert load_cost_table("base.json").operators.default == 6  # a bare file name, relative to the cwd
    with pytest.raises(ConfigError) as err:
        cost_table_from_dict({"kind": "wasmd"})
    assert str(err.value).endswith('extends = ["cosmwasm-vm-...", "wasmd-..."]')


def test_identity_keys_are_the_files_own(tmp_path: Path) -> None:
    write(tmp_path / "base.toml", 'extends = "uniform"\nname = "b"\nsource = "base numbers"\n')
    t = load_cost_table(
        write(tmp_path / "t.toml", 'extends = "base.toml"\nsource = "mine"\nkind = "cost-table"\n')
    )
    assert t.source == "mine" and t.kind == "cost-table"


def test_list_presets_kinds_and_order() -> None:
    infos = list_presets()
    kinds = {i.name: i.kind for i in infos}
    assert {kinds[n] for n in profile_names()} == {"chain-profile"}
    assert kinds["cosmwasm-vm-3.0.9"] == "cost-table" and kinds["wasmd-0.70"] == "wasmd"
    names = [i.name for i in infos]
    assert names.index("cosmwasm-vm-1.5.6-1.5.7") < names.index("cosmwasm-vm-1.5.10-1.5.11")
    assert names[-7:] == ["injective-localnet", "upstream-1.5", "upstream-2.0", "upstream-2.1",
                          "upstream-2.2", "upstream-3.0", "upstream-wasmd"]  # presets first, then profiles


def test_more_reference_forms_by_hand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two-part versions mean patch 0; a reference with a slash or backslash and no suffix is still a path."""
    assert find_wasmd_preset("0.70") == "wasmd-0.70"  # covers 0.70.0..0.70.3
    for ref in ("sub/base", "sub\\base"):
        with pytest.raises(ConfigError) as err:
            load_cost_table(ref)
        assert str(err.value) == f"{ref}: unsupported file type '(none)'; use .toml or .json"


def test_own_kind_is_kept(tmp_path: Path) -> None:
    """A file that says kind = "cost-table" over a wasmd preset is a cost table (missing its operators), not
    a wasmd preset."""
    path = write(tmp_path / "t.toml", 'extends = "wasmd-0.70"\nkind = "cost-table"\nsource = "s"\n')
    with pytest.raises(ConfigError) as err:
        load_cost_table(path)
    assert str(err.value) == f"{path}: invalid cost table: operators: Field required"


def test_profile_names_and_relative_presets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "base.toml", 'extends = "injective-localnet"\nmax_wasm_size = 7\n')  # no name
    p = load_profile(write(tmp_path / "top.toml", 'extends = "base.toml"\nname = "top"\n'))
    assert p.source == "extends base.toml" and p.max_wasm_size == 7
    write(tmp_path / "vm.toml", 'extends = "cosmwasm-vm-3.0.9"\n[operators]\ndefault = 116\n')
    prof = write(tmp_path / "p.toml", 'extends = "injective-localnet"\nname = "p"\nvm_preset = "vm.toml"\n')
    monkeypatch.chdir("/")
    assert load_profile(prof).costs.operators.default == 116  # vm_preset relative to the profile's folder


def test_category_prices_reach_the_opcode_vector() -> None:
    t = cost_table_from_dict(
        {"extends": "uniform", "name": "c", "operators": {"default": 1, "by_category": {"numeric-int": 3}}}
    )
    costs = t.op_costs(OPCODES)
    ids = {op.name: op.id for op in OPCODES}
    assert costs[ids["i32.add"]] == 3 and costs[ids["local.get"]] == 1


def test_list_presets_descriptions() -> None:
    info = {i.name: i for i in list_presets()}
    assert info["cosmwasm-vm-3.0.9"].description == (
        "cosmwasm-vm 3.0.9: as 3.0.0 plus the locals charge (115 per local above 29)"
    )
    assert info["cosmwasm-vm-3.0.9"].covers == ("3.0.9",)
    assert info["upstream-wasmd"].description.startswith("Upstream wasmd v0.70.3")
