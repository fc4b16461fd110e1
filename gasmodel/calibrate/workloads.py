"""Small WAT workloads with different opcode mixes, for timing wasmtime per opcode class.

Each workload is one exported function ``run(n: i32) -> i32`` looping ``n`` times over a body of
``repeat`` copies of one or two snippets; each snippet leaves the stack as it found it and leans
on one opcode class (integer arithmetic, 64-bit division, floats, memory, locals, calls, branches,
conversions, select). The loop's own operators (a counter, a compare, a branch) are the same in
every workload, so per-class times come out of a fit over workloads of different mixes, using
the exact per-opcode counts of an instrumented run of the same module.
"""

from __future__ import annotations

from dataclasses import dataclass

SNIPPETS: dict[str, str] = {
    "int": "local.get $a i32.const 7 i32.mul i32.const 3 i32.xor i32.const 1 i32.add local.set $a",
    "int64-div": "local.get $b i64.const 3 i64.div_u i64.const 12345 i64.add local.set $b",
    "float": "local.get $f f64.const 1.0000001 f64.mul f64.const 0.5 f64.add local.set $f",
    "memory": "local.get $c i32.const 4092 i32.and local.get $a i32.store "
    "local.get $a i32.const 4092 i32.and i32.load local.get $c i32.add local.set $c",
    "locals": "local.get $a local.set $c local.get $c local.set $a",
    "call": "local.get $a call $id local.set $a",
    "branch": "block local.get $a i32.eqz br_if 0 end",
    "conversion": "local.get $a i64.extend_i32_u i32.wrap_i64 local.set $a",
    "select": "local.get $a local.get $c local.get $a select local.set $c",
}


@dataclass(frozen=True)
class Workload:
    """A named module: ``run(n)`` loops ``n`` times over its body."""

    name: str
    wat: str


def workload(name: str, parts: tuple[tuple[str, int], ...]) -> Workload:
    """A workload whose loop body holds ``count`` copies of each named snippet."""
    body = "\n      ".join(SNIPPETS[s] for s, count in parts for _ in range(count))
    wat = f"""(module
  (memory 1)
  (func $id (param i32) (result i32) local.get 0)
  (func (export "run") (param $n i32) (result i32)
    (local $a i32) (local $b i64) (local $c i32) (local $f f64)
    i32.const 1 local.set $a
    i64.const 1 local.set $b
    f64.const 1 local.set $f
    loop $top
      {body}
      local.get $n i32.const 1 i32.sub local.tee $n
      br_if $top
    end
    local.get $a))
"""
    return Workload(name, wat)


def standard_workloads() -> list[Workload]:
    """Each snippet alone at 1, 4 and 16 copies per iteration, and each pair of snippets."""
    out = [workload("empty", ())]
    names = list(SNIPPETS)
    for s in names:
        for k in (1, 4, 16):
            out.append(workload(f"{s}x{k}", ((s, k),)))
    for i, s in enumerate(names):
        for t in names[i + 1 :]:
            out.append(workload(f"{s}+{t}", ((s, 4), (t, 4))))
    return out
