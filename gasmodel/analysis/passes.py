"""Heaviest loop-free, recursion-free pass of every function, callees included.

A function's pass value is its entry cost (locals charge, function-entry fuel) plus the heaviest
path through its own control flow (:mod:`gasmodel.analysis.cfg`), where each call on the path adds
the callee's pass value (an indirect call: the largest among its possible targets). Callees are
evaluated first, in reverse topological order of the condensed call graph; a call back into the
caller's own recursive group adds 0 (recursion is not unrolled). Imports add 0 (host costs are
outside this model).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from gasmodel.analysis.blocks import MeteringBlock
from gasmodel.analysis.callgraph import indirect_targets
from gasmodel.analysis.cfg import DIRECT_CALLS, INDIRECT_CALLS, branch_labels, heaviest_pass, successors
from gasmodel.analysis.static_cost import MeteringSpec
from gasmodel.wasm import Module


@dataclass(frozen=True, slots=True)
class FunctionPass:
    """A function's heaviest pass: its cost and the functions called on it, in order."""

    cost: int
    callees: tuple[int, ...]


def function_passes(
    module: Module,
    data: bytes,
    spec: MeteringSpec,
    g: nx.DiGraph,
    blocks: Mapping[int, tuple[MeteringBlock, ...]],
    dag: nx.DiGraph | None = None,
) -> dict[int, FunctionPass]:
    """The heaviest pass of every defined function (see the module docstring).

    ``data`` are the module's bytes (branch immediates are re-read from them) and ``blocks`` the
    metering blocks of each function under ``spec``.

    Complexity: O(V + E) for the condensation, plus linear work per instruction of each body, plus
    one scan of an indirect signature's candidates per recursive group that calls through it
    (bounded by the call graph's edges). ``dag``: ``networkx.condensation(g)`` if already built.
    """
    dag = nx.condensation(g) if dag is None else dag
    group_of: dict[int, int] = dag.graph["mapping"]
    targets = indirect_targets(module)
    value: dict[int, int] = {}
    out: dict[int, FunctionPass] = {}
    best_of: dict[tuple[int, int], int | None] = {}  # (type index, group) -> best indirect target
    for c in reversed(list(nx.topological_sort(dag))):
        for f in sorted(dag.nodes[c]["members"]):
            if f < module.num_imported_functions:
                continue
            fn = module.function(f)
            ops = fn.ops
            weight = [0] * len(ops)
            if spec.charge_at_block_end:
                for b in blocks[f]:
                    weight[b.end] += b.cost
            else:
                for i, op in enumerate(ops):
                    weight[i] = spec.op_cost(op)
            chosen: dict[int, int] = {}  # instruction index -> callee on the path

            def callee_value(t: int, c: int = c) -> int:
                return 0 if group_of[t] == c else value.get(t, 0)

            direct = iter(fn.calls)
            indirect = iter(fn.indirect_type_refs)
            for i, op in enumerate(ops):
                if op in DIRECT_CALLS:
                    t = next(direct)
                    chosen[i] = t
                    weight[i] += callee_value(t)
                elif op in INDIRECT_CALLS:
                    type_index = next(indirect)
                    key = (type_index, c)
                    if key not in best_of:
                        cands = targets.get(module.types[type_index], ())
                        best_of[key] = max(cands, key=lambda t: (callee_value(t), -t)) if cands else None
                    best = best_of[key]
                    if best is not None:
                        chosen[i] = best
                        weight[i] += callee_value(best)
            succ = successors(ops, branch_labels(data, fn))
            entry = spec.locals_charge(fn.num_locals) + spec.function_entry
            p = heaviest_pass(ops, succ, weight, entry, chosen.__contains__)
            value[f] = p.cost
            out[f] = FunctionPass(p.cost, tuple(chosen[i] for i in p.calls))
    return out
