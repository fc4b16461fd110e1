"""``gasmodel presets``: list the shipped cost tables, wasmd presets and chain profiles; show one."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from gasmodel.costs import (
    list_presets,
    load_cost_table,
    load_profile,
    load_wasmd_preset,
    preset_names,
    profile_names,
)
from gasmodel.costs.load import read_file
from gasmodel.errors import ConfigError


def register(subparsers: Any) -> None:
    """Add the ``presets`` command."""
    parser = subparsers.add_parser(
        "presets",
        help="list or show cost-table presets and chain profiles",
        description="List the shipped cost tables, wasmd presets and chain profiles, or show one.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("list", help="list presets and profiles (the default)")
    show = actions.add_parser("show", help="show one preset, profile or cost-table file")
    show.add_argument("name", help="preset or profile name, or a .toml/.json file")
    show.add_argument("--json", action="store_true", help="print the resolved model as JSON")
    parser.set_defaults(func=run, action=None)


def run(args: argparse.Namespace) -> int:
    """Run ``gasmodel presets``."""
    if args.action == "show":
        model = _load_any(args.name)
        if args.json:
            sys.stdout.write(json.dumps(model.model_dump(mode="json"), indent=2) + "\n")
        else:
            sys.stdout.write(render(model))
        return 0
    sys.stdout.write(render_list())
    return 0


def _load_any(ref: str) -> BaseModel:
    if ref in profile_names():
        return load_profile(ref)
    if ref.endswith((".toml", ".json")) or "/" in ref:
        kind = read_file(Path(ref)).get("kind", "cost-table")
        if kind == "chain-profile":
            return load_profile(Path(ref))
        if kind == "wasmd":
            return load_wasmd_preset(Path(ref))
        return load_cost_table(Path(ref))
    kinds = {p.name: p.kind for p in list_presets()}
    if kinds.get(ref) == "wasmd":
        return load_wasmd_preset(ref)
    try:
        return load_cost_table(ref)
    except ConfigError:
        if ref not in preset_names():
            raise ConfigError(f"unknown preset or profile {ref!r}; `gasmodel presets` lists them") from None
        raise


def render_list() -> str:
    """The listing: one line per preset/profile with its kind and the versions it covers."""
    rows = list_presets()
    width = max(len(r.name) for r in rows)
    lines: list[str] = []
    groups = (
        ("cost-table", "Cost tables (CW gas / fuel):"),
        ("wasmd", "wasmd gas registers (SDK gas):"),
        ("chain-profile", "Chain profiles:"),
    )
    for kind, title in groups:
        lines.append(title)
        for r in (r for r in rows if r.kind == kind):
            covers = f"  [{', '.join(r.covers)}]" if r.covers else ""
            lines.append(f"  {r.name:<{width}}  {r.description}{covers}")
        lines.append("")
    lines.append("Show one: gasmodel presets show NAME [--json]")
    return "\n".join(lines) + "\n"


def _fmt(value: Any) -> str:
    if isinstance(value, dict):
        if set(value) >= {"base", "per_item"}:
            if not value["per_item"] and not value.get("minimum"):
                return f"{value['base']:_}"
            text = f"{value['base']:_} + {value['per_item']:_}/item"
            if value.get("minimum"):
                text += f" (min {value['minimum']:_})"
            return text
        if set(value) == {"numerator", "denominator"}:
            return f"{value['numerator']}/{value['denominator']}"
        return ", ".join(f"{k}={_fmt(v)}" for k, v in value.items()) or "{}"
    if isinstance(value, list):
        return ", ".join(_fmt(v) for v in value) or "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:_}"
    if value is None:
        return "-"
    return str(value)


def _is_leaf(key: str, value: dict[str, Any]) -> bool:
    """Dicts shown inline: linear costs, ratios and name -> number maps."""
    return (
        set(value) >= {"base", "per_item"}
        or set(value) == {"numerator", "denominator"}
        or key in ("by_category", "by_opcode", "sig_verify_cost")
    )


def _section(title: str, data: dict[str, Any], indent: str = "") -> list[str]:
    lines = [f"{indent}[{title}]"]
    nested: list[tuple[str, dict[str, Any]]] = []
    for key, value in data.items():
        if isinstance(value, dict) and value and not _is_leaf(key, value):
            nested.append((key, value))
        else:
            lines.append(f"{indent}  {key} = {_fmt(value)}")
    for key, value in nested:
        lines.append("")
        lines.extend(_section(f"{title}.{key}", value, indent))
    return lines


def render(model: BaseModel) -> str:
    """A readable dump of a cost table, wasmd preset or chain profile."""
    data = model.model_dump(mode="json")
    lines: list[str] = []
    sections: list[tuple[str, dict[str, Any]]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            sections.append((key, value))
        else:
            lines.append(f"{key} = {_fmt(value)}")
    for key, value in sections:
        lines.append("")
        lines.extend(_section(key, value))
    return "\n".join(lines) + "\n"
