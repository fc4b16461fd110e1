"""Resolve the costs an analysis uses: a cost table (per-operator) and a chain profile (upload, limits)."""

from __future__ import annotations

from dataclasses import dataclass

from gasmodel.analysis.static_cost import MeteringSpec
from gasmodel.costs import ChainProfile, CostTable, WasmdCosts, load_cost_table, load_profile
from gasmodel.wasm.opcodes import OPCODES

DEFAULT_CHAIN = "injective-localnet"


@dataclass(frozen=True, slots=True)
class Pricing:
    """The table that prices operators, the chain around it, and the wasmd register used for upload."""

    table: CostTable
    profile: ChainProfile
    wasmd: WasmdCosts | None

    @property
    def label(self) -> str:
        """Human name: ``table`` or ``table on chain``."""
        if self.table.name == self.profile.costs.name:
            p = self.profile
            return f"chain profile {p.name}: {p.vm_preset} + {p.wasmd_preset}"
        return f"{self.table.name} (chain {self.profile.name})"


def resolve_pricing(preset: str | None = None, chain: str | None = None) -> Pricing:
    """Load the chain profile (default :data:`DEFAULT_CHAIN`) and, if given, a preset overriding its table.

    The preset prices operators; wasmd costs (multiplier, compile, uncompress) come from the preset
    when it has a ``wasmd`` section, else from the chain profile.
    """
    profile = load_profile(chain or DEFAULT_CHAIN)
    table = load_cost_table(preset) if preset else profile.costs
    return Pricing(table=table, profile=profile, wasmd=table.wasmd or profile.costs.wasmd)


def metering_spec(table: CostTable) -> MeteringSpec:
    """The per-opcode-id cost vector and accounting set of ``table``, for the decoder's opcodes."""
    costs = table.op_costs(OPCODES)
    flags = table.accounting_flags(OPCODES)
    names = [op.name for op in OPCODES]
    return MeteringSpec(
        op_cost=costs.__getitem__,
        accounting=frozenset(i for i, f in enumerate(flags) if f),
        op_name=names.__getitem__,
        locals_charge=table.locals_charge,
        unit=table.unit,
        charge_at_block_end=table.unit == "cw_gas",
        function_entry=table.variable.function_entry,
    )


def static_prices(table: CostTable) -> tuple[object, ...]:
    """Everything of ``table`` that static figures depend on: the unit, each operator's cost, the
    block-ending (accounting) operators, the locals charge and the per-call entry charge. Two tables
    with equal values give equal static figures on every module."""
    locals_rule = table.locals.model_dump_json() if table.locals is not None else None
    return (
        table.unit,
        tuple(table.op_costs(OPCODES)),
        tuple(table.accounting_flags(OPCODES)),
        locals_rule,
        table.variable.function_entry,
    )


def same_static_prices(pricing: Pricing) -> list[str]:
    """The shipped chain profiles whose cost table prices operators exactly as ``pricing.table``
    does (see :func:`static_prices`), so that their static figures are the same; sorted by name."""
    from gasmodel.costs import list_presets

    mine = static_prices(pricing.table)
    names = [p.name for p in list_presets() if p.kind == "chain-profile"]
    return sorted(n for n in names if static_prices(load_profile(n).costs) == mine)
