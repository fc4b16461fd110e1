"""A profile: gas per call stack (frames from the contract call down), and per function.

Stacks come from :attr:`gasmodel.report.GasReport.stacks` (one per calling context of each
contract call of a tx). A frame is a function's readable name, ``host: <import>`` for the host's
charges during an import, or the call itself (``"<label> <entry point>"``: the host's Region
work outside any import). Self gas summed over the stacks is the VM gas of the calls.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gasmodel.errors import GasmodelError
from gasmodel.report import GasReport

__all__ = ["FunctionProfile", "Profile", "Stack", "parse_collapsed"]

Stack = tuple[tuple[str, ...], int, int]
"""``(frames, self gas, calls)``."""


@dataclass(frozen=True, slots=True)
class FunctionProfile:
    """One frame name over all its stacks: self gas (while on top), inclusive gas (every stack it
    is on, each stack once: recursion does not count twice) and entries."""

    name: str
    self_gas: int
    inclusive_gas: int
    calls: int

    @property
    def is_host(self) -> bool:
        """Whether the line is host work (an import's charges)."""
        return self.name.startswith("host: ")


@dataclass(frozen=True)
class Profile:
    """Gas per call stack of one action (CW gas: the VM's unit)."""

    title: str
    stacks: tuple[Stack, ...]
    unit: str = "CW gas"

    @classmethod
    def from_report(cls, report: GasReport, title: str | None = None) -> Profile:
        """The profile of a report made with ``profile=True``; GasmodelError when it has no stacks."""
        if not report.stacks:
            raise GasmodelError(
                f"the {report.action} report has no call stacks: estimate it with profile=True "
                "(only contract calls have stacks)"
            )
        name = title or f"{report.action} {report.target or ''}".strip()
        return cls(name, tuple((tuple(s.stack), s.self_cw_gas, s.calls) for s in report.stacks))

    @property
    def total(self) -> int:
        """All the gas of the stacks: the VM gas of the calls."""
        return sum(g for _, g, _ in self.stacks)

    def functions(self) -> list[FunctionProfile]:
        """Every frame name, by self gas (then inclusive gas, then name)."""
        self_gas: dict[str, int] = {}
        incl: dict[str, int] = {}
        calls: dict[str, int] = {}
        for frames, gas, n in self.stacks:
            top = frames[-1]
            self_gas[top] = self_gas.get(top, 0) + gas
            calls[top] = calls.get(top, 0) + n
            for f in set(frames):
                incl[f] = incl.get(f, 0) + gas
        out = [FunctionProfile(f, self_gas.get(f, 0), incl[f], calls.get(f, 0)) for f in incl]
        out.sort(key=lambda p: (-p.self_gas, -p.inclusive_gas, p.name))
        return out

    def merged(self) -> dict[tuple[str, ...], int]:
        """Self gas per distinct frame path (paths that differ only in function indexes merge)."""
        out: dict[tuple[str, ...], int] = {}
        for frames, gas, _ in self.stacks:
            out[frames] = out.get(frames, 0) + gas
        return out


def parse_collapsed(text: str | Iterable[str]) -> dict[tuple[str, ...], int]:
    """Collapsed stacks (``flamegraph.pl``'s input: ``a;b;c 123`` per line, the count after the last
    space) as ``{frames: count}``; GasmodelError naming the line when one does not parse."""
    lines = text.splitlines() if isinstance(text, str) else list(text)
    out: dict[tuple[str, ...], int] = {}
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line.strip():
            continue
        stack, sep, count = line.rpartition(" ")
        if not sep or not stack or not count.isdigit():
            raise GasmodelError(
                f"collapsed stacks, line {number}: not 'frame;frame;... COUNT': {line[:80]!r}"
            )
        frames = tuple(stack.split(";"))
        out[frames] = out.get(frames, 0) + int(count)
    return out
