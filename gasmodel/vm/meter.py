"""The Cosmos SDK gas meter of one transaction, recording every charge by name for the report.

Semantics of cosmos-sdk ``store/types/gas.go`` ``basicGasMeter``: ``consume`` adds first and then
raises :class:`OutOfGas` when the total passes the limit; the gas a failed tx reports is then the
limit (``GasConsumedToLimit``). A sub-query runs on a meter of its own (:meth:`SdkGasMeter.child`)
whose consumption the parent is charged afterwards, as wasmd's ``QueryHandler.Query`` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gasmodel.report import Category, GasItem

UNLIMITED = 2**64 - 1
VM_ITEM = "wasm contract"
"""The SDK item of a contract call's VM gas (wasmd ``consumeRuntimeGas``: floor(cw / multiplier))."""


class OutOfGas(Exception):
    """The SDK gas meter passed its limit; ``descriptor`` names the charge, as the chain's log does."""

    def __init__(self, descriptor: str) -> None:
        self.descriptor = descriptor
        super().__init__(f"out of gas in location: {descriptor}")


@dataclass
class _Acc:
    category: Category
    name: str
    count: int = 0
    quantity: int | None = None
    unit: str = ""
    sdk_gas: int | None = 0
    cw_gas: int | None = None
    note: str = ""
    part_of: str | None = None


@dataclass
class SdkGasMeter:
    """An SDK gas meter with a breakdown. ``limit`` is SDK gas (``UNLIMITED`` for none)."""

    limit: int = UNLIMITED
    consumed: int = 0
    _items: dict[tuple[str, str], _Acc] = field(default_factory=dict)

    @property
    def remaining(self) -> int:
        """Gas left before the limit (0 when past it)."""
        return max(0, self.limit - self.consumed)

    @property
    def consumed_to_limit(self) -> int:
        """``GasConsumedToLimit``: what a tx reports as gas used."""
        return min(self.consumed, self.limit)

    def consume(
        self,
        sdk_gas: int,
        category: Category,
        name: str,
        *,
        quantity: int | None = None,
        unit: str = "",
        descriptor: str | None = None,
        note: str = "",
    ) -> None:
        """Charge ``sdk_gas``; :class:`OutOfGas` (``descriptor`` or ``name``) when past the limit."""
        self._record(category, name, sdk_gas, quantity, unit, note)
        self.consumed += sdk_gas
        if self.consumed > self.limit:
            raise OutOfGas(descriptor or name)

    def note_cw(
        self,
        category: Category,
        name: str,
        cw_gas: int,
        *,
        quantity: int | None = None,
        unit: str = "",
        count: int = 1,
        part_of: str = VM_ITEM,
    ) -> None:
        """Record a part of a contract call's VM gas (CW gas; charged in SDK gas once per call, as
        the item ``part_of``)."""
        acc = self._items.get((category, name))
        if acc is None:
            acc = self._items[(category, name)] = _Acc(
                category, name, unit=unit, sdk_gas=None, cw_gas=0, part_of=part_of
            )
        acc.count += count
        acc.cw_gas = (acc.cw_gas or 0) + cw_gas
        if quantity is not None:
            acc.quantity = (acc.quantity or 0) + quantity

    def note_unpriced(
        self, category: Category, name: str, *, quantity: int | None = None, unit: str = "", note: str = ""
    ) -> None:
        """Record a charge the profile cannot price (kept in the report, not counted)."""
        acc = self._items.get((category, name))
        if acc is None:
            acc = self._items[(category, name)] = _Acc(category, name, unit=unit, sdk_gas=None, note=note)
        acc.count += 1
        if quantity is not None:
            acc.quantity = (acc.quantity or 0) + quantity

    def _record(
        self, category: Category, name: str, sdk_gas: int, quantity: int | None, unit: str, note: str
    ) -> None:
        acc = self._items.get((category, name))
        if acc is None:
            acc = self._items[(category, name)] = _Acc(category, name, unit=unit, note=note)
        acc.count += 1
        acc.sdk_gas = (acc.sdk_gas or 0) + sdk_gas
        if quantity is not None:
            acc.quantity = (acc.quantity or 0) + quantity

    def child(self, limit: int) -> SdkGasMeter:
        """A fresh meter for a sub-query (its items are merged by :meth:`absorb`)."""
        return SdkGasMeter(limit=limit)

    def absorb(self, child: SdkGasMeter, category: Category, name: str, descriptor: str) -> None:
        """Charge a sub-meter's consumption here (its items move here as CW/unpriced notes)."""
        for acc in child._items.values():
            key = (acc.category, f"{name}: {acc.name}")
            mine = self._items.get(key)
            if mine is None:
                mine = self._items[key] = _Acc(
                    acc.category,
                    f"{name}: {acc.name}",
                    unit=acc.unit,
                    sdk_gas=None,
                    cw_gas=None,
                    part_of=name,
                    note=acc.note,
                )
            mine.count += acc.count
            if acc.cw_gas is not None:
                mine.cw_gas = (mine.cw_gas or 0) + acc.cw_gas
            if acc.sdk_gas is not None:
                mine.sdk_gas = (mine.sdk_gas or 0) + acc.sdk_gas
            if acc.quantity is not None:
                mine.quantity = (mine.quantity or 0) + acc.quantity
        self.consume(child.consumed, category, name, descriptor=descriptor)

    def items(self) -> list[GasItem]:
        """The breakdown, in the order charges first appeared."""
        return [
            GasItem(
                category=a.category,
                name=a.name,
                count=a.count,
                quantity=a.quantity,
                unit=a.unit,
                cw_gas=a.cw_gas,
                sdk_gas=a.sdk_gas,
                note=a.note,
                part_of=a.part_of,
            )
            for a in self._items.values()
        ]

    def unpriced(self) -> list[str]:
        """Names of the charges the profile could not price."""
        return [
            a.name
            for a in self._items.values()
            if a.sdk_gas is None and a.cw_gas is None and a.part_of is None
        ]
