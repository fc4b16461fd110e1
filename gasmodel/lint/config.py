"""``[tool.gasmodel.lint]`` in the user's pyproject.toml: defaults for ``gasmodel lint``.

The nearest pyproject.toml from the starting folder upwards that has the table is used; command
line options override it. Keys: ``chain`` (a profile name, a profile file relative to the
pyproject.toml, or ``"all"``), ``select``, ``ignore`` (codes or prefixes), ``format`` (text, json,
sarif), ``fail-on`` (error, warning, info: the lowest severity that makes the exit code 1),
``jobs`` (worker processes for many files).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, ValidationError

from gasmodel.errors import ConfigError
from gasmodel.lint.rules import Severity, matching


class LintConfig(BaseModel):
    """Lint settings (from pyproject.toml, then the command line)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    chain: str | None = None
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    format: Literal["text", "json", "sarif"] | None = None
    fail_on: Severity = Field("error", alias="fail-on")
    jobs: PositiveInt | None = None
    source: str | None = Field(None, description="the pyproject.toml these settings came from")


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml with a ``[tool.gasmodel.lint]`` table, from ``start`` upwards."""
    here = start.resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and _table(candidate) is not None:
            return candidate
    return None


def _table(path: Path) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    table = data.get("tool", {}).get("gasmodel", {}).get("lint")
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.gasmodel.lint] must be a table")
    return table


def load_config(start: Path | None = None, path: Path | None = None) -> LintConfig:
    """Settings from ``path`` or the nearest pyproject.toml above ``start`` (defaults if none)."""
    found = path if path is not None else find_pyproject(start or Path.cwd())
    if found is None:
        return LintConfig()
    table = _table(found) or {}
    chain = table.get("chain")
    if isinstance(chain, str) and chain != "all" and (chain.endswith((".toml", ".json")) or "/" in chain):
        table = {**table, "chain": str((found.parent / chain).resolve())}
    try:
        cfg = LintConfig.model_validate({**table, "source": str(found)})
        matching(cfg.select)
        matching(cfg.ignore)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{found}: [tool.gasmodel.lint] {where}: {first['msg']}") from None
    except ValueError as exc:
        raise ConfigError(f"{found}: [tool.gasmodel.lint]: {exc}") from None
    return cfg
