"""The cost table: every number that turns executed Wasm and host work into gas.

Units are explicit per section:

* ``operators``, ``locals``, ``variable``, ``host`` and ``region`` are in the table's ``unit``:
  **CW gas** (CosmWasm VM gas) for the ``cosmwasm-vm-*`` presets, wasmtime fuel for
  ``wasmtime-fuel``, executed instructions for ``uniform``.
* ``wasmd`` and ``store`` are in **SDK gas** (Cosmos SDK gas), except
  ``wasmd.gas_multiplier`` which is CW gas per SDK gas (wasmd ``FromWasmVMGas`` floors).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, field_validator, model_validator

from gasmodel.costs.opnames import check_category_names, check_opcode_names
from gasmodel.errors import ConfigError

TABLE_FORMAT_VERSION = 1


class OpcodeLike(Protocol):
    """What :meth:`CostTable.op_costs` needs of a decoder opcode (``gasmodel.wasm.opcodes.OPCODES``)."""

    @property
    def name(self) -> str: ...

    @property
    def category(self) -> str: ...


class _Model(BaseModel):
    """Frozen, strict about unknown keys (a typo is an error naming the key)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class LinearCost(_Model):
    """``max(minimum, base + per_item * n)``; a bare integer in a file means ``{base = N}``."""

    base: NonNegativeInt = 0
    per_item: NonNegativeInt = 0
    minimum: NonNegativeInt = Field(0, description="floor of the total (1.x/2.0 ed25519 batch)")

    @model_validator(mode="before")
    @classmethod
    def _from_int(cls, data: Any) -> Any:
        if isinstance(data, int) and not isinstance(data, bool):
            return {"base": data}
        return data

    def total(self, n: int = 0) -> int:
        """The cost for ``n`` items (bytes, signatures, points, pairs)."""
        return max(self.minimum, self.base + self.per_item * n)


class Ratio(_Model):
    """A fraction charged per unit with floor: ``floor(n * numerator / denominator)`` (wasmd UFraction)."""

    numerator: NonNegativeInt
    denominator: int = Field(gt=0)

    def apply(self, n: int) -> int:
        """``floor(n * numerator / denominator)``."""
        return n * self.numerator // self.denominator


class OperatorCosts(_Model):
    """Price of each executed operator (table unit).

    Precedence, most specific first: ``by_opcode``, then ``accounting_cost`` for operators in
    ``accounting``, then ``by_category``, then ``default``.
    """

    default: NonNegativeInt
    accounting: tuple[str, ...] = Field(
        (),
        description="accounting operators: where the metering check is injected (basic-block ends)",
    )
    accounting_cost: NonNegativeInt | None = Field(
        None, description="price of an accounting operator; None = priced like any other"
    )
    by_category: dict[str, NonNegativeInt] = Field(default_factory=dict)
    by_opcode: dict[str, NonNegativeInt] = Field(default_factory=dict)

    @field_validator("accounting", "by_opcode")
    @classmethod
    def _known_opcodes(cls, value: Any) -> Any:
        problems = check_opcode_names(list(value))
        if problems:
            raise ValueError("; ".join(problems))
        return value

    @field_validator("accounting")
    @classmethod
    def _no_duplicates(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        dupes = sorted({n for n in value if value.count(n) > 1})
        if dupes:
            raise ValueError(f"listed more than once: {', '.join(dupes)}")
        return value

    @field_validator("by_category")
    @classmethod
    def _known_categories(cls, value: dict[str, int]) -> dict[str, int]:
        problems = check_category_names(value)
        if problems:
            raise ValueError("; ".join(problems))
        return value

    def cost_of(self, name: str, category: str) -> int:
        """The price of one execution of operator ``name`` (of decoder category ``category``)."""
        if name in self.by_opcode:
            return self.by_opcode[name]
        if self.accounting_cost is not None and name in self.accounting:
            return self.accounting_cost
        return self.by_category.get(category, self.default)


class LocalsCharge(_Model):
    """Per-call charge for a function's locals (cosmwasm-vm 2.2.9 / 2.3.4 / 3.0.9), table unit.

    ``charged = max(0, locals - (threshold - 1))``; cost ``per_local * charged``, added at
    function entry. ``locals`` is the count cosmwasm-vm keeps in ``ParsedWasm.func_locals``.
    """

    threshold: int = Field(30, ge=1)
    per_local: NonNegativeInt

    def charge(self, locals_count: int) -> int:
        """The charge for one call of a function with ``locals_count`` locals."""
        return self.per_local * max(0, locals_count - (self.threshold - 1))


class VariableCosts(_Model):
    """Costs that depend on a runtime operand or on calls, on top of the per-operator price."""

    function_entry: NonNegativeInt = Field(0, description="per executed function entry (wasmtime: 1)")
    memory_grow_per_page: NonNegativeInt = 0
    memory_copy_per_byte: NonNegativeInt = 0
    memory_fill_per_byte: NonNegativeInt = 0
    memory_init_per_byte: NonNegativeInt = 0
    table_copy_per_element: NonNegativeInt = 0
    table_fill_per_element: NonNegativeInt = 0
    table_init_per_element: NonNegativeInt = 0
    table_grow_per_element: NonNegativeInt = 0


class HostCosts(_Model):
    """VM-side charges of host (import) calls, CW gas (cosmwasm-vm ``GasConfig``).

    ``None`` means the import does not exist in that VM (or the table does not price it).
    ``n`` for :meth:`LinearCost.total`: signatures (ed25519 batch), points (BLS aggregate),
    pairs (pairing equality; ``k = len(ps)/48 + 1``), bytes (``string_from_bytes``).
    """

    call: NonNegativeInt = Field(0, description="host_call_cost, paid by every import call")
    string_from_bytes: LinearCost | None = Field(
        None, description="per byte; addr_validate, addr_canonicalize, abort"
    )
    secp256k1_verify: LinearCost | None = None
    secp256k1_recover_pubkey: LinearCost | None = None
    secp256r1_verify: LinearCost | None = None
    secp256r1_recover_pubkey: LinearCost | None = None
    ed25519_verify: LinearCost | None = None
    ed25519_batch_verify: LinearCost | None = None
    ed25519_batch_verify_one_pubkey: LinearCost | None = None
    bls12_381_aggregate_g1: LinearCost | None = None
    bls12_381_aggregate_g2: LinearCost | None = None
    bls12_381_pairing_equality: LinearCost | None = None
    bls12_381_hash_to_g1: LinearCost | None = None
    bls12_381_hash_to_g2: LinearCost | None = None


class RegionCosts(_Model):
    """Copying between contract memory and the host, CW gas per Region (``n`` = bytes).

    ``read_small`` applies up to ``read_threshold_bytes`` inclusive, ``read_large`` above;
    ``None`` = not charged. Reads are charged before the length check.
    """

    read_threshold_bytes: NonNegativeInt = 8_000_000
    read_small: LinearCost | None = None
    read_large: LinearCost | None = None
    write: LinearCost | None = None

    def read_cost(self, length: int) -> int:
        """CW gas for reading a Region of ``length`` bytes."""
        cost = self.read_small if length <= self.read_threshold_bytes else self.read_large
        return 0 if cost is None else cost.total(length)

    def write_cost(self, length: int) -> int:
        """CW gas for writing ``length`` bytes into a Region."""
        return 0 if self.write is None else self.write.total(length)


class WasmdCosts(_Model):
    """wasmd's gas register and related charges, SDK gas unless the field says otherwise."""

    gas_multiplier: int = Field(gt=0, description="CW gas per SDK gas; SDK = floor(CW / multiplier)")
    instance_cost: NonNegativeInt = Field(description="SetupContractCost, not discounted")
    instance_cost_discount: NonNegativeInt = Field(
        description="SetupContractCost when discounted (pinned; ≤v0.50 this is 0)"
    )
    discount_when_loaded_in_tx: bool = Field(
        description="discount also when the checksum already ran in the same tx (v0.51+)"
    )
    compile_cost_per_byte: NonNegativeInt
    compile_charged_by: Literal["wasmd", "wasmvm"]
    uncompress_cost_per_byte: Ratio | None = Field(None, description="per gzipped byte; None before v0.29")
    contract_message_data_cost_per_byte: NonNegativeInt = 0
    event_attribute_data_cost_per_byte: NonNegativeInt
    event_attribute_data_free_tier: NonNegativeInt
    per_attribute_cost: NonNegativeInt
    per_custom_event_cost: NonNegativeInt
    reply_cost: NonNegativeInt = Field(description="fixed part of ReplyCosts (discounted setup cost)")
    pin_code_cost: NonNegativeInt | None = None
    unpin_code_cost: NonNegativeInt | None = None
    response_deserialization_cost_per_byte: NonNegativeInt = Field(
        description="per byte of the contract's result, wasmvm DeserializeResponse"
    )
    address_humanize_cost: NonNegativeInt
    address_canonicalize_cost: NonNegativeInt
    address_validate_cost: NonNegativeInt
    any_msg_base_cost: NonNegativeInt | None = None
    any_msg_per_kib_cost: NonNegativeInt | None = None

    def to_sdk(self, cw_gas: int) -> int:
        """CW gas to SDK gas, floor division (wasmd ``FromWasmVMGas``)."""
        return cw_gas // self.gas_multiplier

    def to_cw(self, sdk_gas: int) -> int:
        """SDK gas to CW gas (wasmd ``ToWasmVMGas``)."""
        return sdk_gas * self.gas_multiplier

    def setup_cost(self, discounted: bool) -> int:
        """SDK gas charged before every contract call (instantiate/execute/query/...)."""
        return self.instance_cost_discount if discounted else self.instance_cost

    def compile_cost(self, wasm_len: int) -> int:
        """SDK gas for compiling an uncompressed module of ``wasm_len`` bytes."""
        return self.compile_cost_per_byte * wasm_len

    def uncompress_cost(self, gzipped_len: int) -> int:
        """SDK gas for uncompressing a gzipped upload of ``gzipped_len`` bytes."""
        u = self.uncompress_cost_per_byte
        return 0 if u is None else u.apply(gzipped_len)


class StoreCosts(_Model):
    """Cosmos SDK ``KVGasConfig`` as charged by ``gaskv``, SDK gas.

    The key the store sees includes wasmd's prefix (``0x03`` + contract address bytes).
    """

    has: NonNegativeInt
    delete: NonNegativeInt
    read_flat: NonNegativeInt
    read_per_byte: NonNegativeInt
    write_flat: NonNegativeInt
    write_per_byte: NonNegativeInt
    iter_next_flat: NonNegativeInt
    charges_key_bytes: bool = Field(True, description="False for old (tm-db era) SDKs: value bytes only")

    def _bytes(self, key_len: int, value_len: int) -> int:
        return (key_len if self.charges_key_bytes else 0) + value_len

    def read(self, key_len: int, value_len: int) -> int:
        """SDK gas of a ``Get`` returning ``value_len`` bytes (0 when not found)."""
        return self.read_flat + self.read_per_byte * self._bytes(key_len, value_len)

    def write(self, key_len: int, value_len: int) -> int:
        """SDK gas of a ``Set``."""
        return self.write_flat + self.write_per_byte * self._bytes(key_len, value_len)

    def iter_step(self, key_len: int, value_len: int) -> int:
        """SDK gas of an iterator seek/``Next`` landing on a valid item."""
        return self.iter_next_flat + self.read_per_byte * self._bytes(key_len, value_len)


class CostTable(_Model):
    """A complete cost table (see the module docstring for units)."""

    version: Literal[1] = Field(1, description="the table file format version")
    kind: Literal["cost-table"] = "cost-table"
    name: str
    description: str = ""
    unit: Literal["cw_gas", "wasmtime_fuel", "instructions"] = "cw_gas"
    source: str = Field(description="where the numbers come from, in words")
    cites: tuple[str, ...] = Field((), description="repository@tag:path or URLs of the sources")
    covers: tuple[str, ...] = Field((), description="versions with exactly these numbers ('A..B' ranges)")
    operators: OperatorCosts
    locals: LocalsCharge | None = None
    variable: VariableCosts = VariableCosts()
    host: HostCosts = HostCosts()
    region: RegionCosts = RegionCosts()
    wasmd: WasmdCosts | None = None
    store: StoreCosts | None = None

    def cost_of(self, name: str, category: str) -> int:
        """The price of one execution of opcode ``name`` (table unit)."""
        return self.operators.cost_of(name, category)

    def op_costs(self, opcodes: Sequence[OpcodeLike]) -> list[int]:
        """Price per opcode id: element ``i`` prices ``opcodes[i]`` (e.g. the decoder's ``OPCODES``)."""
        ops = self.operators
        return [ops.cost_of(op.name, op.category) for op in opcodes]

    def accounting_flags(self, opcodes: Sequence[OpcodeLike]) -> list[bool]:
        """Per opcode id: is it an accounting operator (ends a metering block)?"""
        acc = frozenset(self.operators.accounting)
        return [op.name in acc for op in opcodes]

    def locals_charge(self, locals_count: int) -> int:
        """Per-call locals charge of a function (0 when the table has none)."""
        return 0 if self.locals is None else self.locals.charge(locals_count)

    def to_sdk(self, cw_gas: int) -> int:
        """CW gas to SDK gas with this table's wasmd multiplier (floor)."""
        if self.wasmd is None:
            raise ConfigError(f"cost table {self.name!r} has no wasmd section (no CW→SDK multiplier)")
        return self.wasmd.to_sdk(cw_gas)


class WasmdPreset(_Model):
    """A wasmd register preset file: the ``wasmd`` and ``store`` sections of a cost table."""

    version: Literal[1] = 1
    kind: Literal["wasmd"]
    name: str
    description: str = ""
    source: str
    cites: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()
    wasmd: WasmdCosts
    store: StoreCosts
