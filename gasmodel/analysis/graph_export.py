"""Serialise a call graph: Graphviz DOT text and node-link JSON data."""

from __future__ import annotations

from typing import Any

import networkx as nx


def dot_quote(text: str) -> str:
    """A DOT double-quoted string (backslashes, quotes and newlines escaped)."""
    esc = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "")
    return f'"{esc}"'


def to_dot(g: nx.DiGraph, name: str = "callgraph") -> str:
    """The call graph as a Graphviz ``digraph``.

    Imports are boxes, entry points bold, unreachable functions grey, recursive functions red;
    indirect-only edges are dashed. Uses the node attributes set by ``annotate`` (if present).
    """
    lines = [f"digraph {dot_quote(name)} {{", "  node [shape=ellipse, fontname=monospace];"]
    for n in sorted(g.nodes):
        a = g.nodes[n]
        label = f"{n}: {a.get('name', '')}"
        attrs = [f"label={dot_quote(label)}"]
        if a.get("kind") == "import":
            attrs.append("shape=box")
        if a.get("exports"):
            attrs.append("style=bold")
        if a.get("reachable") is False:
            attrs.append("color=grey")
            attrs.append("fontcolor=grey")
        elif a.get("recursive"):
            attrs.append("color=red")
        lines.append(f"  {n} [{', '.join(attrs)}];")
    for u, v in sorted(g.edges):
        kinds = g.edges[u, v].get("kinds", ())
        style = " [style=dashed]" if kinds == ("indirect",) else ""
        lines.append(f"  {u} -> {v}{style};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_node_link(g: nx.DiGraph) -> dict[str, Any]:
    """Node-link data (``networkx.node_link_data`` with ``edges="links"``), JSON-serialisable."""
    data: dict[str, Any] = nx.node_link_data(g, edges="links")
    for node in data["nodes"]:
        for k, v in list(node.items()):
            if isinstance(v, tuple):
                node[k] = list(v)
    for link in data["links"]:
        for k, v in list(link.items()):
            if isinstance(v, tuple):
                link[k] = list(v)
    return data
