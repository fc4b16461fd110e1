"""What the rules read: the decoded module, its call graph, the shortest paths from entry points.

:class:`ModuleFacts` is computed once per module and shared by every chain profile (``--chain
all``); :class:`Context` adds one profile and makes located :class:`~gasmodel.lint.model.Finding`
objects. Paths reuse :mod:`gasmodel.analysis` (entry points, export roles, indirect-call targets,
display names); lint runs no contract.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from gasmodel.analysis.callgraph import entry_points, func_label, indirect_targets
from gasmodel.costs.profile import ChainProfile
from gasmodel.errors import WasmDecodeError
from gasmodel.lint.model import Finding
from gasmodel.lint.rules import Severity, rule
from gasmodel.wasm import Function, Module, decode
from gasmodel.wasm.stream import Instr, instructions

# Order in which exported entry points are tried as the start of a path (ties in length go to
# the earlier one): the calls a user makes first, then the rest.
_ENTRY_ORDER = ("instantiate", "execute", "query", "migrate", "sudo", "reply")
_ROLE_ORDER = {"entry": 1, "other": 2, "memory": 3, "marker": 4, "start": 0}


@dataclass
class ModuleFacts:
    """Profile-independent facts about one module (decoded once)."""

    data: bytes
    module: Module | None
    decode_error: WasmDecodeError | None
    callees: dict[int, tuple[int, ...]] = field(default_factory=dict)
    parent: dict[int, int | None] = field(default_factory=dict)
    root_name: dict[int, str] = field(default_factory=dict)
    _labels: dict[int, str] = field(default_factory=dict)
    _streams: dict[int, list[Instr]] = field(default_factory=dict)

    @classmethod
    def of(cls, data: bytes) -> ModuleFacts:
        """Decode ``data`` (a decode error is kept, not raised) and index calls and paths."""
        try:
            module = decode(data)
        except WasmDecodeError as exc:
            return cls(data, None, exc)
        facts = cls(data, module, None)
        facts._index_calls()
        facts._shortest_paths()
        return facts

    # ------------------------------------------------------------------ graph
    def _index_calls(self) -> None:
        m = self.module
        assert m is not None
        n = m.num_functions
        try:
            targets = indirect_targets(m)
        except (IndexError, KeyError, ValueError):
            targets = {}
        for fn in m.functions:
            out = {c for c in fn.calls if 0 <= c < n}
            for t in set(fn.indirect_type_refs):
                if 0 <= t < len(m.types):
                    out.update(targets.get(m.types[t], ()))
            self.callees[fn.index] = tuple(sorted(out))

    def _shortest_paths(self) -> None:
        m = self.module
        assert m is not None
        roots = sorted(
            (e for e in entry_points(m) if 0 <= e.index < m.num_functions),
            key=lambda e: (
                _ROLE_ORDER.get(e.role, 5),
                _ENTRY_ORDER.index(e.name) if e.name in _ENTRY_ORDER else len(_ENTRY_ORDER),
                e.name,
            ),
        )
        queue: deque[int] = deque()
        for e in roots:
            if e.index not in self.parent:
                self.parent[e.index] = None
                self.root_name[e.index] = e.name if e.role != "start" else "(start)"
                queue.append(e.index)
        while queue:
            cur = queue.popleft()
            for nxt in self.callees.get(cur, ()):
                if nxt not in self.parent:
                    self.parent[nxt] = cur
                    queue.append(nxt)

    def reachable(self, index: int) -> bool:
        """Whether an exported entry point (or the start function) reaches function ``index``."""
        return index in self.parent

    def label(self, index: int) -> str:
        """The demangled display name of function ``index`` (``module.field`` for imports)."""
        if index not in self._labels:
            assert self.module is not None
            self._labels[index] = func_label(self.module, index)
        return self._labels[index]

    def path(self, index: int) -> tuple[str, ...]:
        """Shortest call path from an exported entry point to ``index`` (empty if unreachable)."""
        if index not in self.parent:
            return ()
        chain: list[int] = []
        cur: int | None = index
        while cur is not None:
            chain.append(cur)
            cur = self.parent[cur]
        chain.reverse()
        out = [self.root_name[chain[0]]]
        out.extend(f"f{i} {self.label(i)}" for i in chain[1:])
        return tuple(out)

    def instrs(self, fn: Function) -> list[Instr]:
        """The exact instruction stream of ``fn`` (offsets), cached."""
        if fn.index not in self._streams:
            self._streams[fn.index] = instructions(self.data, fn)
        return self._streams[fn.index]

    def function_at(self, offset: int) -> Function | None:
        """The defined function whose body holds byte ``offset``."""
        if self.module is None:
            return None
        for fn in self.module.functions:
            if fn.offset <= offset < fn.offset + fn.size:
                return fn
        return None

    def recursive_groups(self) -> list[tuple[int, ...]]:
        """Strongly connected components with a cycle (self-recursion included), sorted."""
        index: dict[int, int] = {}
        low: dict[int, int] = {}
        on_stack: set[int] = set()
        stack: list[int] = []
        out: list[tuple[int, ...]] = []
        counter = 0
        for start in sorted(self.callees):
            if start in index:
                continue
            work: list[tuple[int, int]] = [(start, 0)]
            while work:
                v, i = work.pop()
                if i == 0:
                    index[v] = low[v] = counter
                    counter += 1
                    stack.append(v)
                    on_stack.add(v)
                succ = self.callees.get(v, ())
                if i < len(succ):
                    work.append((v, i + 1))
                    w = succ[i]
                    if w not in self.callees:
                        continue  # an import: no outgoing calls
                    if w not in index:
                        work.append((w, 0))
                    elif w in on_stack:
                        low[v] = min(low[v], index[w])
                    continue
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1 or v in self.callees.get(v, ()):
                        out.append(tuple(sorted(comp)))
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[v])
        return sorted(out)


@dataclass
class Context:
    """One module under one chain profile: the facts, the profile and a finding factory."""

    facts: ModuleFacts
    profile: ChainProfile
    all_profiles: tuple[ChainProfile, ...] = ()

    @property
    def module(self) -> Module:
        """The decoded module (rules run only on decodable modules)."""
        assert self.facts.module is not None
        return self.facts.module

    def finding(
        self,
        code: str,
        message: str,
        *,
        function: int | None = None,
        offset: int | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding of rule ``code``, located at ``function`` / ``offset`` with its path."""
        sev = severity or rule(code).severity
        if function is None:
            return Finding(code=code, severity=sev, message=message, offset=offset)
        reachable = self.facts.reachable(function)
        if not reachable:
            message += " (only in code no entry point reaches)"
        return Finding(
            code=code,
            severity=sev,
            message=message,
            function=function,
            function_name=self.facts.label(function),
            offset=offset,
            path=self.facts.path(function),
            reachable=reachable,
        )

    def via(self, function: int) -> str:
        """`` via execute -> f12 foo`` for a message, or ``""`` when unreachable."""
        p = self.facts.path(function)
        return f" via {' -> '.join(p)}" if p else ""

    def others_enforcing(self, limit: str, value: int) -> list[str]:
        """Names of the other known profiles whose ``limits.<limit>`` refuses ``value``."""
        out = []
        for p in self.all_profiles:
            bound = getattr(p.limits, limit)
            if p.name != self.profile.name and bound is not None and value > bound:
                out.append(f"{p.name} ({bound})")
        return out


def profiles_named(names: Iterable[str]) -> tuple[ChainProfile, ...]:
    """Load chain profiles by name or path."""
    from gasmodel.costs.load import load_profile

    return tuple(load_profile(n) for n in names)
