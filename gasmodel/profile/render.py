"""A profile as text: a ranked table, collapsed stacks, speedscope JSON (and the SVG, :mod:`.svg`)."""

from __future__ import annotations

import json

from gasmodel.profile.model import Profile
from gasmodel.profile.svg import render_svg

__all__ = ["SPEEDSCOPE_SCHEMA", "render_collapsed", "render_speedscope", "render_svg", "render_table"]

SPEEDSCOPE_SCHEMA = "https://www.speedscope.app/file-format-schema.json"
"""speedscope's file format (jlfwong/speedscope, src/lib/file-format-spec.ts)."""


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "  -  "


def render_table(profile: Profile, *, top: int | None = 25) -> str:
    """Functions ranked by self gas: self, inclusive (share of the total), calls, name."""
    total = profile.total
    rows = profile.functions()
    shown = rows if top is None else rows[:top]
    lines = [
        f"{profile.title}: {total:,} {profile.unit} in {len(profile.stacks)} call stacks",
        f"{'self':>14} {'':>6} {'inclusive':>14} {'':>6} {'calls':>7}  function",
    ]
    for r in shown:
        lines.append(
            f"{r.self_gas:>14,} {_pct(r.self_gas, total)} {r.inclusive_gas:>14,} "
            f"{_pct(r.inclusive_gas, total)} {r.calls:>7,}  {r.name}"
        )
    if len(shown) < len(rows):
        rest = sum(r.self_gas for r in rows[len(shown) :])
        more = len(rows) - len(shown)
        lines.append(f"{rest:>14,} {_pct(rest, total)} {'':>14} {'':>6} {'':>7}  ({more} more)")
    return "\n".join(lines) + "\n"


def render_collapsed(profile: Profile) -> str:
    """Collapsed stacks for ``flamegraph.pl`` / inferno / speedscope: ``a;b;c GAS`` per line, one
    line per distinct path with gas (sorted); the counts sum to the profile's total."""
    merged = profile.merged()
    return "".join(f"{';'.join(frames)} {gas}\n" for frames, gas in sorted(merged.items()) if gas)


def render_speedscope(profile: Profile) -> str:
    """speedscope's JSON (a ``sampled`` profile: one sample per call stack, weighted by its gas)."""
    frames: list[dict[str, str]] = []
    index: dict[str, int] = {}
    samples: list[list[int]] = []
    weights: list[int] = []
    for path, gas in sorted(profile.merged().items()):
        if not gas:
            continue
        ids = []
        for f in path:
            i = index.get(f)
            if i is None:
                i = index[f] = len(frames)
                frames.append({"name": f})
            ids.append(i)
        samples.append(ids)
        weights.append(gas)
    doc = {
        "$schema": SPEEDSCOPE_SCHEMA,
        "shared": {"frames": frames},
        "profiles": [
            {
                "type": "sampled",
                "name": f"{profile.title} ({profile.unit})",
                "unit": "none",
                "startValue": 0,
                "endValue": sum(weights),
                "samples": samples,
                "weights": weights,
            }
        ],
        "name": profile.title,
        "activeProfileIndex": 0,
        "exporter": "gasmodel",
    }
    return json.dumps(doc, separators=(",", ":")) + "\n"
