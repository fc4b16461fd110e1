"""From the call log of a profiled run to its calling-context tree: gas per real call stack.

A run of a module instrumented in profiling mode (:func:`gasmodel.vm.instrument.instrument` with
``profile=True``) leaves a log of events, each with the gas left at that moment: a function was
entered (its index; imports are logged by the host), the function on top returned
(:data:`~gasmodel.vm.instrument.LOG_RETURN`), a host charge used gas externally
(:data:`~gasmodel.vm.instrument.LOG_EXTERNAL`). Between two events only the function on top of
the stack runs, so the gas left dropped by exactly what was charged to it: Wasm gas of its own
metering blocks, or a host charge when the top is an import. Externally used gas is not VM gas
and is taken out again. The tree's node 0 is the call itself (the host's work outside any import:
the argument and result Regions); every other node is one calling context, a path of function
indexes from the entry point, so recursion makes deeper nodes and nothing is counted twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from gasmodel.errors import GasmodelError
from gasmodel.vm.instrument import LOG_EXTERNAL, LOG_RETURN

__all__ = ["OUT_OF_GAS", "CallTree", "call_tree"]

OUT_OF_GAS = -2
"""``func`` of the node that holds, in a call that ran out of gas, the gas the failing charge did
not get to use (the chain counts the whole limit as used)."""


@dataclass(frozen=True, eq=False)
class CallTree:
    """Calling contexts of one call. Node ``i`` has ``parent[i]`` (-1 for the root, node 0),
    ``func[i]`` (a function index, -1 for the root), ``self_gas[i]`` (gas charged while it was on
    top: Wasm gas for defined functions, host charges for imports and the root) and ``calls[i]``
    (how often that context was entered). ``externally_used`` is the gas the host reported as used
    outside the VM (not in any node)."""

    parent: tuple[int, ...]
    func: tuple[int, ...]
    self_gas: tuple[int, ...]
    calls: tuple[int, ...]
    num_imported_functions: int
    externally_used: int

    def __len__(self) -> int:
        return len(self.parent)

    def is_host(self, node: int) -> bool:
        """Whether the node is an import (host work) or the root."""
        return self.func[node] < self.num_imported_functions

    def path(self, node: int) -> tuple[int, ...]:
        """The function indexes from the entry point down to ``node`` (the root's is empty)."""
        out: list[int] = []
        while node > 0:
            out.append(self.func[node])
            node = self.parent[node]
        return tuple(reversed(out))

    def paths(self) -> Iterator[tuple[int, tuple[int, ...]]]:
        """Every node with its path, parents before children."""
        cache: dict[int, tuple[int, ...]] = {0: ()}
        for i in range(1, len(self.parent)):
            cache[i] = (*cache[self.parent[i]], self.func[i])
        for i in range(len(self.parent)):
            yield i, cache[i]

    @property
    def total(self) -> int:
        """All gas charged in the call (Wasm and host): the sum of every node's self gas."""
        return sum(self.self_gas)

    @property
    def wasm_gas(self) -> int:
        """The gas of the Wasm code (defined functions' nodes)."""
        return sum(g for i, g in enumerate(self.self_gas) if not self.is_host(i))

    def inclusive(self) -> dict[int, int]:
        """Per function index: the gas of every context with the function on its path, each
        context once (recursion does not count twice): the subtree totals of the outermost
        contexts of each function."""
        n = len(self.parent)
        subtotal = list(self.self_gas)
        children: list[list[int]] = [[] for _ in range(n)]
        for i in range(n - 1, 0, -1):
            subtotal[self.parent[i]] += subtotal[i]
            children[self.parent[i]].append(i)
        out: dict[int, int] = {}
        on_path: dict[int, int] = {}
        # depth-first: a node is entered (index >= 0), then left (~index) after its subtree
        todo: list[int] = []
        for c in reversed(children[0]):
            todo += [~c, c]
        while todo:
            node = todo.pop()
            if node < 0:
                f = self.func[~node]
                on_path[f] -= 1
                continue
            f = self.func[node]
            if not on_path.get(f):
                out[f] = out.get(f, 0) + subtotal[node]
            on_path[f] = on_path.get(f, 0) + 1
            for c in reversed(children[node]):
                todo += [~c, c]
        return out


def call_tree(
    log: npt.NDArray[np.int64],
    gas_start: int,
    gas_end: int,
    num_imported_functions: int,
    *,
    out_of_gas: bool = False,
) -> CallTree:
    """The calling-context tree of a run whose log (``n x 2``: event, gas left) started with
    ``gas_start`` gas left and ended with ``gas_end`` (the meter's value, before an exhausted call
    is reported as 0). ``out_of_gas``: the run ran out of gas; the ``gas_end`` it did not use goes
    to an :data:`OUT_OF_GAS` node above the function that was running, so that the tree adds up to
    what the VM reports as used."""
    parent = [-1]
    func = [-1]
    self_gas = [0]
    calls = [1]
    children: dict[int, int] = {}  # (parent << 32 | function) -> node
    stack = [0]
    top = 0
    last = gas_start
    external = 0
    for event, value in log.tolist():
        if event >= 0:
            self_gas[top] += last - value
            last = value
            key = top << 32 | event
            node = children.get(key)
            if node is None:
                node = children[key] = len(parent)
                parent.append(top)
                func.append(event)
                self_gas.append(0)
                calls.append(0)
            calls[node] += 1
            stack.append(node)
            top = node
        elif event == LOG_RETURN:
            self_gas[top] += last - value
            last = value
            if len(stack) == 1:
                raise GasmodelError("call log: a return with no function entered")
            stack.pop()
            top = stack[-1]
        elif event == LOG_EXTERNAL:
            self_gas[top] -= value
            external += value
        else:
            raise GasmodelError(f"call log: unknown event {event}")
    self_gas[top] += last - gas_end
    if out_of_gas and gas_end:
        parent.append(top)
        func.append(OUT_OF_GAS)
        self_gas.append(gas_end)
        calls.append(1)
    return CallTree(
        tuple(parent), tuple(func), tuple(self_gas), tuple(calls), num_imported_functions, external
    )
