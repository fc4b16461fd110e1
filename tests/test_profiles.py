"""Chain profiles: the shipped ones pin the chain's versions and numbers, and users can extend them.

Oracles: the versions in the Injective localnet's binary (injectived's Go build info: wasmd fork
v0.53.3-inj.3, wasmvm v2.1.5 whose libwasmvm was built from the cosmwasm v2.1.6 release commit) and
the preset ranges derived by hand from them; the limits the chain showed (2,048,000 bytes stored, one
more refused); hand-written override files whose merged result is written out in each test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gasmodel.costs import (
    compose_cost_table,
    load_cost_table,
    load_profile,
    profile_names,
)
from gasmodel.errors import ConfigError


def test_shipped_profiles() -> None:
    assert profile_names() == [
        "injective-localnet",
        "upstream-1.5",
        "upstream-2.0",
        "upstream-2.1",
        "upstream-2.2",
        "upstream-3.0",
        "upstream-wasmd",
    ]


def test_injective_localnet_matches_the_reference() -> None:
    p = load_profile("injective-localnet")
    assert (p.wasmd_version, p.wasmvm_version, p.vm_version) == ("0.53.3-inj.3", "2.1.5", "2.1.6")
    # the presets covering those versions, by hand: 2.1.6 lies in 2.1.6-2.1.7, the fork of wasmd
    # 0.53.3 in 0.51.0-0.53.4 (not looked up with find_*_preset, which tests/test_presets.py checks)
    assert (p.vm_preset, p.wasmd_preset) == ("cosmwasm-vm-2.1.6-2.1.7", "wasmd-0.51-0.53")
    assert p.costs == compose_cost_table(
        p.vm_preset, p.wasmd_preset, name="injective-localnet costs"
    ).model_copy(update={"source": p.costs.source})
    assert set(p.capabilities) == {
        "iterator", "staking", "injective",
        "cosmwasm_1_1", "cosmwasm_1_2", "cosmwasm_1_3", "cosmwasm_1_4", "cosmwasm_2_0", "cosmwasm_2_1",
    }  # fmt: skip
    assert "stargate" not in p.capabilities and "cosmwasm_2_2" not in p.capabilities
    assert (p.address.bech32_prefix, p.address.account_length, p.address.contract_length) == ("inj", 20, 20)
    assert p.ante.tx_size_cost_per_byte == 10
    assert p.ante.sig_verify_cost == {"eth_secp256k1": 21_000, "secp256k1": 1_000}
    assert p.max_wasm_size == 2_048_000  # the chain stored 2,048,000 bytes and refused one more (localnet)
    assert p.costs.wasmd is not None and p.costs.wasmd.gas_multiplier == 140_000
    assert p.costs.host.call == 18_000  # cosmwasm 2.1.6 has host-call gas
    assert p.costs.region.write is None
    lim = p.limits
    assert (lim.max_functions, lim.max_function_params, lim.max_total_function_params) == (
        20_000,
        100,
        10_000,
    )
    assert (lim.max_function_results, lim.max_imports, lim.table_size, lim.memory_pages) == (
        1,
        100,
        2_500,
        512,
    )
    assert lim.max_function_locals is None
    assert len(p.imports) == 24 and "env.secp256r1_verify" in p.imports
    assert p.features.allows("floats") and p.features.allows("sign_extension")
    assert not p.features.allows("bulk_memory") and not p.features.allows("reference_types")


def test_upstream_wasmd() -> None:
    p = load_profile("upstream-wasmd")
    assert (p.vm_preset, p.wasmd_version) == ("cosmwasm-vm-3.0.0-3.0.8", "0.70.3")
    assert p.wasmd_preset == "wasmd-0.70"  # covers 0.70.0-0.70.3
    assert p.costs.region.write is not None and p.costs.locals is None
    assert p.costs.wasmd is not None and p.costs.wasmd.pin_code_cost == 500_000
    assert "cosmwasm_2_2" in p.capabilities and "cosmwasm_3_0" not in p.capabilities
    assert p.address.contract_length == 32
    assert "reference_types" in p.features.validator and not p.features.allows("reference_types")


def test_user_profile_extends_and_overrides_costs(tmp_path: Path) -> None:
    path = tmp_path / "fork.toml"
    path.write_text(
        """
extends = "injective-localnet"
name = "my-fork"
[costs.wasmd]
instance_cost = 50_000
[costs.host]
call = 20_000
[ante]
sig_verify_cost = { secp256k1 = 1_500 }
""",
        encoding="utf-8",
    )
    p = load_profile(path)
    base = load_profile("injective-localnet")
    assert p.name == "my-fork"
    assert p.costs.wasmd is not None and base.costs.wasmd is not None
    assert p.costs.wasmd.instance_cost == 50_000
    assert p.costs.wasmd.instance_cost_discount == base.costs.wasmd.instance_cost_discount
    assert p.costs.host.call == 20_000
    assert p.costs.host.secp256k1_verify == base.costs.host.secp256k1_verify
    assert p.ante.sig_verify_cost == {"eth_secp256k1": 21_000, "secp256k1": 1_500}  # tables merge by key
    assert p.capabilities == base.capabilities


def test_profile_can_swap_the_vm_preset(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('extends = "upstream-wasmd"\nvm_preset = "cosmwasm-3.0.9"\n', encoding="utf-8")
    p = load_profile(path)
    assert p.costs.locals == load_cost_table("cosmwasm-vm-3.0.9").locals


def test_profile_cost_error_names_the_costs_path(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'extends = "injective-localnet"\n[costs.host.secp256k1_verify]\nbase = "x"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError) as err:
        load_profile(path)
    assert str(err.value).startswith(f"{path}: invalid chain profile: costs.host.secp256k1_verify.base:")


def test_profile_field_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('extends = "injective-localnet"\n[features]\noperators = ["float"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"features\.operators: unknown Wasm feature\(s\): float"):
        load_profile(path)


def test_unknown_profile_name() -> None:
    with pytest.raises(ConfigError, match="unknown chain profile 'injective-localnt'"):
        load_profile("injective-localnt")
