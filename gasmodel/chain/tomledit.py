"""Section-aware edits of TOML files that keep their comments and layout.

The node's ``config.toml`` and ``app.toml`` are long commented files; rewriting them through a
TOML serialiser would lose the comments. :func:`set_values` replaces the value of existing keys
inside a named table (``""`` for the top level) and re-parses the result with :mod:`tomllib` to
check that every edit took effect.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from typing import Any

from gasmodel.errors import ChainError

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^(\s*)([A-Za-z0-9_.-]+)(\s*=\s*)(.*)$")

TomlValue = str | int | float | bool


def toml_literal(value: TomlValue) -> str:
    """The TOML spelling of a scalar."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def set_values(text: str, edits: Mapping[tuple[str, str], TomlValue], *, where: str = "TOML") -> str:
    """Set ``(table, key) -> value`` in ``text``; every key must already exist in its table."""
    pending = dict(edits)
    out: list[str] = []
    table = ""
    for line in text.splitlines(keepends=True):
        header = _HEADER.match(line)
        if header:
            table = header.group(1)
            out.append(line)
            continue
        key = _KEY.match(line)
        if key and (table, key.group(2)) in pending:
            value = pending.pop((table, key.group(2)))
            newline = "\n" if line.endswith("\n") else ""
            out.append(f"{key.group(1)}{key.group(2)}{key.group(3)}{toml_literal(value)}{newline}")
            continue
        out.append(line)
    if pending:
        missing = ", ".join(f"[{t}] {k}" if t else k for t, k in pending)
        raise ChainError(f"{where}: keys not found (has the node's config format changed?): {missing}")
    result = "".join(out)
    parsed = tomllib.loads(result)
    for (table_name, key_name), value in edits.items():
        node: Any = parsed
        for part in table_name.split(".") if table_name else []:
            node = node[part]
        if node.get(key_name) != value:
            raise ChainError(f"{where}: setting [{table_name}] {key_name} did not take effect")
    return result
