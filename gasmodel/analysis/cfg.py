"""Control flow inside one function and its heaviest loop-free pass.

Wasm control flow is structured, so after dropping loop back-edges (branches to a ``loop`` label)
every remaining edge goes forward in instruction order and one reverse pass finds the heaviest path
from the first instruction to the function's exit.

Where gas is charged along a path depends on the metering:

- ``charge_at_block_end`` (cosmwasm-vm): the whole metering block is charged at its accounting
  operator. Branches land just after an accounting operator (``if``/``else``/``loop``/``end`` are
  accounting in current lists), so the path sum is the metered gas. With the older lists without
  ``if`` (CWA-2024-007), a false ``if`` skips the check of the block it started in, and the path sum
  shows exactly that undercharge.
- otherwise (wasmtime fuel, instruction counts): each executed instruction is charged.

Control edges: ``if`` -> then-arm and else-arm (or past the ``end`` when there is no ``else``);
``else`` (end of the then-arm) -> past the ``end``; ``br``/``br_if``/``br_table`` to a block or if
-> past its ``end``, to the function label -> exit, to a loop -> dropped; ``return``,
``unreachable``, ``throw*`` and ``return_call*`` -> exit. Exception-handling and GC branch operators
(rejected by every CosmWasm VM) are approximated as falling through.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from gasmodel.wasm import BY_NAME, Function
from gasmodel.wasm.code import read_locals
from gasmodel.wasm.instructions import read_instruction
from gasmodel.wasm.opcodes import names_with_role
from gasmodel.wasm.reader import Reader

EXIT = -1


def _ids(*names: str) -> frozenset[int]:
    return frozenset(BY_NAME[n].id for n in names if n in BY_NAME)


OPENERS = _ids(*names_with_role("block"))
LOOP = BY_NAME["loop"].id
IF = BY_NAME["if"].id
ELSE_LIKE = _ids("else", "catch", "catch_all")
END_LIKE = _ids("end", "delegate")
BR = BY_NAME["br"].id
BR_IF = BY_NAME["br_if"].id
BR_TABLE = BY_NAME["br_table"].id
EXITS = _ids(
    "return",
    "unreachable",
    "throw",
    "rethrow",
    "throw_ref",
    "return_call",
    "return_call_indirect",
    "return_call_ref",
)
DIRECT_CALLS = _ids(*names_with_role("call"))
INDIRECT_CALLS = _ids(*names_with_role("call_indirect"))


def branch_labels(data: bytes, fn: Function) -> dict[int, tuple[int, ...]]:
    """Label depths of each ``br``/``br_if``/``br_table`` in ``fn`` (instruction index -> depths).

    Re-reads the body from the module bytes ``data``: ``Function.ops`` has no immediates.
    """
    r = Reader(data, fn.offset, fn.offset + fn.size, fn.index, fn.name)
    read_locals(r)
    out: dict[int, tuple[int, ...]] = {}
    i = 0
    end = fn.offset + fn.size
    while r.pos < end:
        op, imms = read_instruction(r)
        if op in (BR, BR_IF):
            out[i] = (int(imms[0]),)  # type: ignore[arg-type]
        elif op == BR_TABLE:
            labels = imms[0]
            assert isinstance(labels, tuple)
            out[i] = tuple(int(x) for x in labels)  # type: ignore[call-overload]
        i += 1
    return out


def successors(ops: Sequence[int], labels: Mapping[int, tuple[int, ...]]) -> list[tuple[int, ...]]:
    """Forward control successors of each instruction (``EXIT`` = leaves the function).

    Loop back-edges are left out, so every successor index is greater than its instruction's.
    """
    n = len(ops)
    end_of: dict[int, int] = {}
    else_of: dict[int, int] = {}
    opener_of_else: dict[int, int] = {}
    # label stack snapshot needed per branch: resolve after ends are known
    pending: list[tuple[int, tuple[int | None, ...]]] = []
    stack: list[int] = []
    for i, op in enumerate(ops):
        if op in OPENERS:
            stack.append(i)
        elif op in ELSE_LIKE and stack:
            else_of.setdefault(stack[-1], i)
            opener_of_else[i] = stack[-1]
        elif op in END_LIKE and stack:
            end_of[stack.pop()] = i
        if i in labels:
            # depth d names stack[-1-d]; depth == len(stack) is the function label (None)
            pending.append((i, tuple(stack[-1 - d] if d < len(stack) else None for d in labels[i])))

    def target(opener: int | None) -> int | None:
        if opener is None:
            return EXIT
        if ops[opener] == LOOP:
            return None  # back-edge, dropped
        e = end_of.get(opener)
        return EXIT if e is None or e + 1 >= n else e + 1

    branch_targets = {
        i: tuple(t for t in (target(o) for o in openers) if t is not None) for i, openers in pending
    }
    out: list[tuple[int, ...]] = []
    for i, op in enumerate(ops):
        nxt = i + 1 if i + 1 < n else EXIT
        if op in EXITS:
            succ: tuple[int, ...] = (EXIT,)
        elif op == IF:
            alt = else_of.get(i)
            e = end_of.get(i)
            other = alt + 1 if alt is not None else (e + 1 if e is not None and e + 1 < n else EXIT)
            succ = (nxt, other)
        elif op in ELSE_LIKE and i in opener_of_else:
            e = end_of.get(opener_of_else[i])
            succ = (e + 1 if e is not None and e + 1 < n else EXIT,)
        elif op in (BR, BR_TABLE):
            succ = branch_targets.get(i, ())
        elif op == BR_IF:
            succ = (nxt, *branch_targets.get(i, ()))
        else:
            succ = (nxt,)
        out.append(tuple(dict.fromkeys(succ)))
    return out


@dataclass(frozen=True, slots=True)
class Pass:
    """The heaviest loop-free pass through one function."""

    cost: int
    """Entry cost + charges along the path + the passes of the functions it calls."""
    calls: tuple[int, ...]
    """Instruction indexes of the calls on the path."""


def heaviest_pass(
    ops: Sequence[int],
    succ: Sequence[tuple[int, ...]],
    weight: Sequence[int],
    entry_cost: int = 0,
    is_call: Callable[[int], bool] = lambda _: False,
) -> Pass:
    """Longest path from instruction 0 to the exit, ``weight[i]`` charged at instruction ``i``.

    Instructions with no forward successor other than dropped back-edges end the path there
    (e.g. the ``br`` closing a loop body): the pass stops where a loop would repeat.
    """
    n = len(ops)
    best = [0] * n
    choice = [EXIT] * n
    for i in range(n - 1, -1, -1):
        b, c = 0, EXIT
        for s in succ[i]:
            if s != EXIT and best[s] > b:
                b, c = best[s], s
        best[i] = weight[i] + b
        choice[i] = c
    calls = []
    i = 0 if n else EXIT
    while i != EXIT:
        if is_call(i):
            calls.append(i)
        i = choice[i]
    return Pass(entry_cost + (best[0] if n else 0), tuple(calls))
