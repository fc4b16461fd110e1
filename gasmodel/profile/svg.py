"""An SVG flame graph written directly: no tool, no script, opens in any browser.

Layout as ``flamegraph.pl`` draws it: the calls at the bottom, callees stacked above, each frame as
wide as its inclusive gas; frames of one path merge, children sorted by name. Every rectangle has a
``<title>`` (hover: name, gas, share). Host work (``host: ...``) is blue, Wasm functions warm.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from gasmodel.profile.model import Profile

__all__ = ["render_svg"]

_FRAME_H = 16
_FONT = 11
_CHAR_W = 6.6  # average glyph width of the font at _FONT px (monospace-ish estimate)
_PAD = 10
_HEAD = 34


@dataclass
class _Node:
    name: str
    total: int = 0
    children: dict[str, _Node] = field(default_factory=dict)


def _tree(profile: Profile) -> _Node:
    root = _Node("all")
    for frames, gas in profile.merged().items():
        if not gas:
            continue
        root.total += gas
        node = root
        for f in frames:
            child = node.children.get(f)
            if child is None:
                child = node.children[f] = _Node(f)
            child.total += gas
            node = child
    return root


def _depth(node: _Node) -> int:
    return 1 + max((_depth(c) for c in node.children.values()), default=0)


def _color(name: str) -> str:
    h = hashlib.sha256(name.encode()).digest()
    if name.startswith("host: "):
        return f"rgb({80 + h[0] % 50},{130 + h[1] % 50},{200 + h[2] % 55})"
    return f"rgb({205 + h[0] % 50},{90 + h[1] % 130},{h[2] % 55})"


def render_svg(profile: Profile, *, width: int = 1200, min_width: float = 0.5) -> str:
    """The flame graph of ``profile`` as a standalone SVG document (frames narrower than
    ``min_width`` pixels are left out; their gas stays in their parent's width)."""
    root = _tree(profile)
    total = root.total
    depth = _depth(root)
    height = _HEAD + depth * _FRAME_H + _PAD * 2
    scale = (width - 2 * _PAD) / total if total else 0.0
    out = [
        '<?xml version="1.0" standalone="no"?>',
        f'<svg version="1.1" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f8f8f8"/>',
        f'<text x="{width / 2:.1f}" y="20" font-size="15" font-family="Verdana,sans-serif" '
        f'text-anchor="middle">{escape(profile.title)}: {total:,} {escape(profile.unit)}</text>',
        f'<g font-family="Verdana,sans-serif" font-size="{_FONT}">',
    ]

    def draw(node: _Node, x: float, level: int) -> None:
        w = node.total * scale
        if w < min_width:
            return
        y = height - _PAD - (level + 1) * _FRAME_H
        share = 100 * node.total / total if total else 0.0
        label = f"{node.name} ({node.total:,} {profile.unit}, {share:.2f}%)"
        out.append(f"<g><title>{escape(label)}</title>")
        out.append(
            f'<rect x="{x:.2f}" y="{y}" width="{w:.2f}" height="{_FRAME_H - 1}" '
            f'fill="{_color(node.name)}" rx="2" ry="2"/>'
        )
        chars = int((w - 6) / _CHAR_W)
        if chars >= 3:
            text = node.name if len(node.name) <= chars else node.name[: chars - 2] + ".."
            out.append(f'<text x="{x + 3:.2f}" y="{y + _FRAME_H - 4}">{escape(text)}</text>')
        out.append("</g>")
        cx = x
        for name in sorted(node.children):
            child = node.children[name]
            draw(child, cx, level + 1)
            cx += child.total * scale

    if total:
        draw(root, float(_PAD), 0)
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"
