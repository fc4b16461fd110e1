"""The gas profiler: where a call's gas goes along its real call stacks, and how to show it.

:mod:`.model` turns the stacks of a profiled :class:`~gasmodel.report.GasReport`
(``estimate(..., profile=True)``) into a :class:`Profile`; :mod:`.render` writes it as a ranked
table, collapsed stacks (``flamegraph.pl``), speedscope JSON, or an SVG flame graph.
"""

from __future__ import annotations

from gasmodel.profile.model import FunctionProfile, Profile, parse_collapsed
from gasmodel.profile.render import render_collapsed, render_speedscope, render_svg, render_table

__all__ = [
    "FunctionProfile",
    "Profile",
    "parse_collapsed",
    "render_collapsed",
    "render_speedscope",
    "render_svg",
    "render_table",
]
