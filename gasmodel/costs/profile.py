"""The chain profile: a cost table plus what a chain accepts and charges around a contract call.

Gas units: ``costs`` as described in :mod:`gasmodel.costs.table`; ``ante`` is SDK gas.
"""

from __future__ import annotations

from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    PositiveInt,
    field_validator,
    model_validator,
)

from gasmodel.costs.table import CostTable

# Wasm feature names used by ``features.validator`` / ``features.operators`` (wasmparser's
# WasmFeatures names, plus "floats" for the Gatekeeper's allow_floats switch).
WASM_FEATURES: frozenset[str] = frozenset(
    {
        "mutable_global",
        "saturating_float_to_int",
        "sign_extension",
        "multi_value",
        "floats",
        "reference_types",
        "bulk_memory",
        "simd",
        "relaxed_simd",
        "threads",
        "shared_everything_threads",
        "tail_call",
        "multi_memory",
        "exceptions",
        "memory64",
        "extended_const",
        "function_references",
        "gc",
        "memory_control",
        "component_model",
    }
)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StaticLimits(_Model):
    """Static checks at upload (cosmwasm-vm ``compatibility.rs`` / ``WasmLimits``); ``None`` = not checked."""

    memory_pages: PositiveInt = Field(512, description="max initial memory pages; the max must be unset")
    table_size: NonNegativeInt | None = 2500
    max_imports: NonNegativeInt | None = 100
    max_functions: NonNegativeInt | None = None
    max_function_params: NonNegativeInt | None = None
    max_total_function_params: NonNegativeInt | None = None
    max_function_results: NonNegativeInt | None = None
    max_function_locals: NonNegativeInt | None = None
    max_total_function_locals: NonNegativeInt | None = None


class WasmFeatures(_Model):
    """Which Wasm proposals are accepted: by the validator (parse) and by the Gatekeeper (operators).

    An operator is accepted only if both accept its proposal; MVP integer/control/memory
    operators are always accepted.
    """

    validator: tuple[str, ...]
    operators: tuple[str, ...]

    @field_validator("validator", "operators")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - WASM_FEATURES)
        if unknown:
            raise ValueError(f"unknown Wasm feature(s): {', '.join(unknown)}")
        return value

    def allows(self, feature: str) -> bool:
        """Whether operators of ``feature`` pass both validation and the Gatekeeper."""
        return feature in self.validator and feature in self.operators


class AddressFormat(_Model):
    """Bech32 addresses on the chain."""

    bech32_prefix: str = Field(min_length=1)
    account_length: PositiveInt = Field(description="bytes of an account address")
    contract_length: PositiveInt = Field(description="bytes of a contract address")


class AnteCosts(_Model):
    """Tx-level (ante handler) charges, SDK gas."""

    tx_size_cost_per_byte: NonNegativeInt
    sig_verify_cost: dict[str, NonNegativeInt] = Field(description="by key type, e.g. secp256k1")
    fee_payment_note: str = ""


class RuntimeLimits(_Model):
    """Limits at run time (wasmd keeper and app.toml defaults)."""

    query_gas_limit: NonNegativeInt = Field(3_000_000, description="SDK gas for a smart query")
    max_call_depth: PositiveInt = 100
    max_query_stack_size: PositiveInt = 10
    instance_memory_limit_mib: PositiveInt = 32


class VmChecks(_Model):
    """Store-time checks that differ between VM generations (cosmwasm-vm ``check_wasm``)."""

    parser: Literal["wasmparser", "parity-wasm"] = Field(
        "wasmparser", description="parity-wasm before cosmwasm-vm 1.4 (no body validation, no sign-ext < 1.3)"
    )
    migrate_version_section: bool = Field(
        False, description="a cw_migrate_version custom section must hold a UTF-8 u64 (2.1+)"
    )


class ChainProfile(_Model):
    """A chain: versions, its resolved cost table, static limits, features and tx-level costs."""

    version: Literal[1] = 1
    kind: Literal["chain-profile"] = "chain-profile"
    name: str
    description: str = ""
    source: str
    cites: tuple[str, ...] = ()
    chain: str = Field(description="what chain this describes, in words")
    wasmd_version: str
    wasmvm_version: str
    vm_version: str = Field(description="the cosmwasm-vm version libwasmvm was built from")
    vm_preset: str
    wasmd_preset: str
    costs: CostTable = Field(description="vm_preset + wasmd_preset + the file's [costs] overrides")
    capabilities: tuple[str, ...]
    limits: StaticLimits
    features: WasmFeatures
    imports: tuple[str, ...] = Field(description="supported imports, 'module.name'")
    required_exports: tuple[str, ...]
    interface_versions: tuple[str, ...]
    max_wasm_size: PositiveInt = Field(description="bytes (uncompressed) accepted by MsgStoreCode")
    max_proposal_wasm_size: PositiveInt | None = None
    max_wasm_size_source: str = Field("", description="where max_wasm_size comes from (chain or source)")
    max_upload_size: PositiveInt | None = Field(
        None, description="bytes of MsgStoreCode's wasm_byte_code as sent (gzipped or not); None: same"
    )
    checks: VmChecks = VmChecks()
    address: AddressFormat
    ante: AnteCosts
    runtime: RuntimeLimits = RuntimeLimits()

    @model_validator(mode="after")
    def _costs_complete(self) -> ChainProfile:
        if self.costs.wasmd is None or self.costs.store is None:
            raise ValueError("costs: a chain profile's cost table needs its wasmd and store sections")
        return self
