"""``gasmodel presets``: list the shipped cost tables, wasmd presets and chain profiles; show one."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel

from gasmodel.cli import _paint
from gasmodel.cli._args import add_parser
from gasmodel.costs import (
    find_vm_preset,
    find_wasmd_preset,
    list_presets,
    load_cost_table,
    load_profile,
    load_wasmd_preset,
    profile_names,
)
from gasmodel.costs.load import read_file
from gasmodel.errors import ConfigError


def register(subparsers: Any) -> None:
    """Add the ``presets`` command."""
    parser = add_parser(
        subparsers,
        "presets",
        help="list or show cost-table presets and chain profiles",
        description="List the shipped cost tables, wasmd presets and chain profiles, or show one.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    add_parser(actions, "list", help="list presets and profiles (the default)")
    show = add_parser(actions, "show", help="show one preset, profile or cost-table file")
    show.add_argument(
        "name", help="preset or profile name (`gasmodel presets` lists them), or a .toml/.json file"
    )
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
    _paint.write(render_list(), ((r"^(\S.*:)$", _paint.HEAD),))
    return 0


def _kind_of_file(path: Path) -> str:
    kind = read_file(path).get("kind")
    if kind is None:
        return "cost-table"
    if kind not in ("cost-table", "wasmd", "chain-profile"):
        raise ConfigError(
            f"{path}: kind: {kind!r} is not one of 'cost-table', 'wasmd', 'chain-profile'"
        )
    return str(kind)


def _load_any(ref: str) -> BaseModel:
    """A preset, profile or file by name; a version name (``wasmd-0.53.3``) finds its preset."""
    if ref.endswith((".toml", ".json")) or "/" in ref:
        path = Path(ref)
        kind = _kind_of_file(path)
        if kind == "chain-profile":
            return load_profile(path)
        if kind == "wasmd":
            return load_wasmd_preset(path)
        return load_cost_table(path)
    if ref in profile_names():
        return load_profile(ref)
    kinds = {p.name: p.kind for p in list_presets()}
    name = ref
    if ref not in kinds:
        for prefix, finder in (("cosmwasm-vm-", find_vm_preset), ("cosmwasm-", find_vm_preset),
                               ("wasmd-", find_wasmd_preset)):
            if ref.startswith(prefix):
                try:
                    name = finder(ref[len(prefix):])
                except ConfigError:
                    continue
                break
    if name not in kinds:
        hint = difflib.get_close_matches(ref, sorted(kinds), n=1)
        tail = f" (did you mean {hint[0]!r}?)" if hint else ""
        raise ConfigError(f"unknown preset or profile {ref!r}{tail}; `gasmodel presets` lists them")
    if kinds[name] == "wasmd":
        return load_wasmd_preset(name)
    return load_cost_table(name)


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


def render(model: BaseModel) -> str:
    """The resolved model as TOML that loads back as the same model (``None`` fields are left out)."""
    data = model.model_dump(mode="json", exclude_none=True)
    head = (
        f"# {data.get('kind', 'cost-table')} {data.get('name', '')!r}, resolved "
        "(every inherited field written out).\n"
        "# Save it as a .toml file to start your own; `gasmodel presets show FILE` reads it back.\n"
    )
    return head + tomli_w.dumps(data, multiline_strings=False)
