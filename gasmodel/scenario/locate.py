"""Load JSON, YAML or TOML documents together with the line of every key and value.

The line map is keyed by the path of a value inside the document (``("steps", 2, "msg")``)
and gives the 1-based line where that key (or list item) is written, so that validation
errors can say where. YAML lines come from PyYAML's node marks, JSON lines from a small
position-tracking parse (values decoded by :mod:`json` itself), and TOML lines from a
best-effort search of table headers and ``key =`` lines (:mod:`tomllib` keeps no positions).
"""

from __future__ import annotations

import json
import json.decoder
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gasmodel.errors import ConfigError

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class LocatedDocument:
    """A parsed document and the line of each path in it."""

    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)
    source: str = "<string>"

    def line_of(self, path: PathKey) -> int | None:
        """The line of ``path`` or of its nearest enclosing value."""
        for n in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:n]))
            if line is not None:
                return line
        return None


def load_document(path: Path) -> LocatedDocument:
    """Parse a ``.json``, ``.yaml``/``.yml`` or ``.toml`` file; ConfigError with the line on bad syntax."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    suffix = path.suffix.lower()
    if suffix == ".json":
        return parse_json(text, str(path))
    if suffix in (".yaml", ".yml"):
        return parse_yaml(text, str(path))
    if suffix == ".toml":
        return parse_toml(text, str(path))
    raise ConfigError(f"{path}: unknown scenario format {suffix!r} (use .json, .yaml, .yml or .toml)")


# ---------------------------------------------------------------------------------------- YAML
def parse_yaml(text: str, source: str = "<string>") -> LocatedDocument:
    """Parse YAML (safe subset); lines from the node marks."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{where}: invalid YAML: {problem}") from exc
    if node is None:
        return LocatedDocument(data=None, source=source)
    lines: dict[PathKey, int] = {}
    data = _yaml_value(node, (), lines, source, [MAX_NODES])
    return LocatedDocument(data=data, lines=lines, source=source)


MAX_NODES = 200_000  # aliases can make a small YAML file expand exponentially ("billion laughs")


def _yaml_value(node: yaml.Node, path: PathKey, lines: dict[PathKey, int], source: str,
                budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise ConfigError(f"{source}: the document expands to more than {MAX_NODES} values "
                          "(too many aliases?)")
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                line = key_node.start_mark.line + 1
                raise ConfigError(f"{source}:{line}: mapping keys must be plain strings")
            key = str(key_node.value)
            if key in out:
                raise ConfigError(f"{source}:{key_node.start_mark.line + 1}: duplicate key {key!r}")
            lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _yaml_value(value_node, (*path, key), lines, source, budget)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_yaml_value(item, (*path, i), lines, source, budget) for i, item in enumerate(node.value)]
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}:{node.start_mark.line + 1}: invalid value: {exc}") from exc
    finally:
        loader.dispose()


# ---------------------------------------------------------------------------------------- JSON
_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")


def parse_json(text: str, source: str = "<string>") -> LocatedDocument:
    """Parse JSON with :mod:`json` (for its errors) and again with positions (for the line map)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{source}:{exc.lineno}: invalid JSON: {exc.msg} (column {exc.colno})") from exc
    newlines = [m.start() for m in re.finditer("\n", text)]
    lines: dict[PathKey, int] = {}

    def line_at(pos: int) -> int:
        lo, hi = 0, len(newlines)
        while lo < hi:
            mid = (lo + hi) // 2
            if newlines[mid] < pos:
                lo = mid + 1
            else:
                hi = mid
        return lo + 1

    def skip(pos: int) -> int:
        m = _WS.match(text, pos)
        return m.end() if m else pos

    def value(pos: int, path: PathKey) -> int:
        pos = skip(pos)
        lines.setdefault(path, line_at(pos))
        ch = text[pos]
        if ch == "{":
            pos = skip(pos + 1)
            if text[pos] == "}":
                return pos + 1
            while True:
                pos = skip(pos)
                key, end = json.decoder.scanstring(text, pos + 1)  # type: ignore[attr-defined]
                lines[(*path, key)] = line_at(pos)
                pos = skip(end)
                pos = value(pos + 1, (*path, key))  # past ':'
                pos = skip(pos)
                if text[pos] == "}":
                    return pos + 1
                pos += 1  # ','
        if ch == "[":
            pos = skip(pos + 1)
            if text[pos] == "]":
                return pos + 1
            index = 0
            while True:
                pos = value(pos, (*path, index))
                index += 1
                pos = skip(pos)
                if text[pos] == "]":
                    return pos + 1
                pos += 1
        if ch == '"':
            return int(json.decoder.scanstring(text, pos + 1)[1])  # type: ignore[attr-defined]
        for word in ("true", "false", "null"):
            if text.startswith(word, pos):
                return pos + len(word)
        m = _NUMBER.match(text, pos)
        if m is None:  # pragma: no cover - json.loads accepted it, so this cannot happen
            raise ConfigError(f"{source}:{line_at(pos)}: invalid JSON value")
        return m.end()

    value(0, ())
    return LocatedDocument(data=data, lines=lines, source=source)


# ---------------------------------------------------------------------------------------- TOML
_TOML_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$")
_TOML_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")


def parse_toml(text: str, source: str = "<string>") -> LocatedDocument:
    """Parse TOML; the line map covers table headers, array-of-table items and their direct keys."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = m.group(1) if m else (str(max(1, text.count("\n"))) if "end of document" in str(exc) else "?")
        where = f"{source}:{line}"
        raise ConfigError(f"{where}: invalid TOML: {exc}") from exc
    lines: dict[PathKey, int] = {(): 1}
    counters: dict[str, int] = {}
    current: PathKey = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TOML_HEADER.match(line)
        if header:
            name = header.group(2).strip()
            parts: list[str | int] = [p.strip().strip("\"'") for p in name.split(".")]
            if header.group(1) == "[[":
                index = counters.get(name, 0)
                counters[name] = index + 1
                parts.append(index)
            current = tuple(parts)
            lines.setdefault(tuple(parts[:1]), number)
            lines[current] = number
            continue
        key = _TOML_KEY.match(line)
        if key:
            lines.setdefault((*current, key.group(1).strip('"')), number)
    return LocatedDocument(data=data, lines=lines, source=source)
