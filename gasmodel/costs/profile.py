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
from gasmodel.errors import ConfigError

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


class SdkLayout(_Model):
    """What the chain's Cosmos SDK modules store and read around a tx, as byte lengths (KV gas is
    per byte), and the charges that could only be measured. SDK gas; see docs/chain-profiles.md."""

    auth_params_bytes: NonNegativeInt = Field(description="x/auth Params value (key 0x00)")
    bank_params_bytes: NonNegativeInt = Field(description="x/bank Params value (key 0x05)")
    wasm_params_bytes: NonNegativeInt = Field(description="wasm Params value (key 0x10)")
    fee_params_bytes: NonNegativeInt | None = Field(
        None, description="a fee module's params read once per tx by the ante handler (None: no such read)")
    account_encoding: Literal["injective-eth-account", "base-account"] = Field(
        description="how x/auth stores an account (the Any of EthAccount or BaseAccount)")
    fee_receiver_address_bytes: PositiveInt = Field(description="bytes of the address that receives the fee")
    fee_receiver_account_bytes: NonNegativeInt | None = Field(
        None, description="the fee receiver's module account value, read by GetModuleAccount (None: not read)"
    )
    send_has_account_check: bool = Field(
        True, description="bank sendCoin checks that the recipient account exists (1 Has)")
    balance_denom_index: bool = Field(
        True, description="each balance write also writes the (denom, address) index entry")
    transient_balances: bool = Field(
        False, description="each balance write is copied to a transient store charged at KV rates")
    send_restriction_namespace_read: bool = Field(
        False, description="a send restriction reads a per-denom key (key = 1 byte + denom) per coin sent")
    tx_counter: bool = Field(True, description="wasmd CountTXDecorator reads and writes the tx counter")
    unpriced_per_send: NonNegativeInt = Field(
        0, description="measured, not derived: gas per bank coin transfer not yet attributed to an operation")
    unpriced_per_tx: int = Field(
        0, description="measured, not derived: gas per tx not yet attributed to an operation")
    unpriced_per_simulation: int = Field(
        0, description="measured, not derived: gas a simulation charges beyond the delivered tx's charges")


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
    sdk: SdkLayout | None = Field(None, description="store layout of the SDK modules, for tx-level gas")

    def sdk_layout(self) -> SdkLayout:
        """The ``[sdk]`` section; a :class:`~gasmodel.errors.ConfigError` saying what it is for and
        what to do when the profile has none."""
        if self.sdk is None:
            raise ConfigError(
                f"profile {self.name} has no [sdk] section: the SDK side of a tx (ante handler, fee "
                "payment, the store layout of the chain's modules) is modelled only for chains it was "
                "checked against (injective-localnet); use --chain injective-localnet, or fit a profile "
                "for your chain with `gasmodel calibrate chain` (docs/calibration.md)"
            )
        return self.sdk

    @model_validator(mode="after")
    def _costs_complete(self) -> ChainProfile:
        if self.costs.wasmd is None or self.costs.store is None:
            raise ValueError("costs: a chain profile's cost table needs its wasmd and store sections")
        return self
