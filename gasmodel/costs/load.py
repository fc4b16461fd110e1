"""Load cost tables, wasmd presets and chain profiles from TOML/JSON files or preset names.

A file may say ``extends = "NAME"`` or ``extends = ["A", "B"]`` (preset names, or paths relative
to the file): the bases are deep-merged left to right, then the file on top, field by field
(tables merge key by key; a scalar or array replaces). Identity keys (``kind``, ``name``,
``description``, ``covers``, ``version``) are not inherited; ``cites`` accumulate.
Every problem is a :class:`~gasmodel.errors.ConfigError` naming the file and the field path.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from gasmodel.costs.profile import ChainProfile
from gasmodel.costs.table import TABLE_FORMAT_VERSION, CostTable, WasmdPreset
from gasmodel.errors import ConfigError

_IDENTITY_KEYS = ("kind", "name", "description", "covers", "version", "source", "cites", "extends")
_MAX_DEPTH = 16
_MAX_ERRORS = 8

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class PresetInfo:
    """One shipped preset or profile: its name, kind, what versions it covers, one-line description."""

    name: str
    kind: str
    covers: tuple[str, ...]
    description: str

    def covers_version(self, version: str) -> bool:
        """Whether ``version`` (e.g. "2.1.6", "v0.53.3") is in one of the ``covers`` entries."""
        return any(_covers(entry, version) for entry in self.covers)


@dataclass(frozen=True)
class _Raw:
    """A parsed file: its data, where it came from (for messages) and its folder (for relative paths)."""

    data: dict[str, Any]
    origin: str
    folder: Path | None


# ---------------------------------------------------------------------------- reading files


def _data_dir(sub: str) -> Traversable:
    return resources.files("gasmodel.costs").joinpath(sub)


def _parse(text: str, origin: str, suffix: str) -> dict[str, Any]:
    try:
        data: Any = json.loads(text) if suffix == ".json" else tomllib.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{origin}: not valid {suffix.lstrip('.').upper()}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: the top level must be a table/object")
    return data


def read_file(path: str | Path) -> dict[str, Any]:
    """The raw data of a ``.toml`` or ``.json`` file (no inheritance resolved)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise ConfigError(f"{p}: unsupported file type {suffix or '(none)'!r}; use .toml or .json")
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{p}: not UTF-8 text") from exc
    return _parse(text, str(p), suffix)


def _shipped(sub: str) -> dict[str, Traversable]:
    folder = _data_dir(sub)
    return {
        entry.name.removesuffix(".toml"): entry for entry in folder.iterdir() if entry.name.endswith(".toml")
    }


def _read_shipped(sub: str, name: str) -> _Raw:
    entry = _shipped(sub)[name]
    origin = f"{'preset' if sub == 'presets/' else 'profile'} {name!r}"
    return _Raw(_parse(entry.read_text(encoding="utf-8"), origin, ".toml"), origin, None)


# ---------------------------------------------------------------------------- versions / names


def _natural_key(name: str) -> tuple[tuple[int, str], ...]:
    """Sort key putting 1.5.6 before 1.5.10."""
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"(\d+)", name) if p)


def _version_key(text: str) -> tuple[int, ...] | None:
    m = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.(\d+))?", text.strip())
    if m is None:
        return None
    return tuple(int(g) for g in m.groups(default="0"))


def _covers(entry: str, version: str) -> bool:
    """Whether ``version`` is in a ``covers`` entry ('A' or 'A..B', inclusive)."""
    v = version.removeprefix("v")
    if ".." not in entry:
        return entry == v or (_version_key(entry) is not None and _version_key(entry) == _version_key(v))
    lo, hi = (part.strip() for part in entry.split("..", 1))
    key, lo_k, hi_k = _version_key(v), _version_key(lo), _version_key(hi)
    if key is None or lo_k is None or hi_k is None:
        return False
    return lo_k <= key <= hi_k


def _find_by_version(sub: str, prefix: str, version: str) -> str | None:
    candidates = [version, re.sub(r"-.*$", "", version.removeprefix("v"))]
    for name in sorted(_shipped(sub)):
        if not name.startswith(prefix):
            continue
        covers = _read_shipped(sub, name).data.get("covers", [])
        if not isinstance(covers, list):
            continue
        for cand in candidates:
            if any(isinstance(c, str) and _covers(c, cand) for c in covers):
                return name
    return None


def find_vm_preset(version: str) -> str:
    """The ``cosmwasm-vm-*`` preset whose numbers apply to cosmwasm-vm ``version`` (e.g. "2.1.6")."""
    name = _find_by_version("presets/", "cosmwasm-vm-", version)
    if name is None:
        raise ConfigError(f"no cosmwasm-vm preset covers version {version!r}")
    return name


def find_wasmd_preset(version: str) -> str:
    """The ``wasmd-*`` preset for wasmd ``version`` (e.g. "0.53.3" or "v0.53.3-inj.3")."""
    name = _find_by_version("presets/", "wasmd-", version)
    if name is None:
        raise ConfigError(f"no wasmd preset covers version {version!r}")
    return name


def _preset_by_name(name: str) -> _Raw:
    shipped = _shipped("presets/")
    if name in shipped:
        return _read_shipped("presets/", name)
    for prefix, finder in (
        ("cosmwasm-vm-", find_vm_preset),
        ("cosmwasm-", find_vm_preset),
        ("wasmd-", find_wasmd_preset),
    ):
        if name.startswith(prefix) and _version_key(re.sub(r"-.*$", "", name[len(prefix) :])):
            try:
                return _read_shipped("presets/", finder(name[len(prefix) :]))
            except ConfigError as exc:
                raise ConfigError(f"unknown preset {name!r}: {exc}; `gasmodel presets` lists them") from None
    hint = difflib.get_close_matches(name, sorted(shipped), n=1)
    tail = f" (did you mean {hint[0]!r}?)" if hint else ""
    raise ConfigError(f"unknown preset {name!r}{tail}; `gasmodel presets` lists them")


def _looks_like_path(ref: str) -> bool:
    return "/" in ref or "\\" in ref or ref.endswith((".toml", ".json"))


def _locate(ref: str, folder: Path | None) -> _Raw:
    if _looks_like_path(ref):
        p = Path(ref)
        if not p.is_absolute() and folder is not None:
            p = folder / p
        return _Raw(read_file(p), str(p), p.parent)
    return _preset_by_name(ref)


# ---------------------------------------------------------------------------- merging


def deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``over`` on top of ``base``: tables merge key by key, anything else replaces."""
    out: dict[str, Any] = dict(base)
    for key, value in over.items():
        old = out.get(key)
        if isinstance(old, Mapping) and isinstance(value, Mapping):
            out[key] = deep_merge(old, value)
        else:
            out[key] = value
    return out


def _check_version(raw: _Raw) -> None:
    v = raw.data.get("version", TABLE_FORMAT_VERSION)
    if v != TABLE_FORMAT_VERSION:
        raise ConfigError(
            f"{raw.origin}: version: format version {v!r} is not supported (this gasmodel reads "
            f"version {TABLE_FORMAT_VERSION})"
        )


def _resolve(raw: _Raw, chain: tuple[str, ...] = ()) -> dict[str, Any]:
    """The file's data with its ``extends`` bases merged in (identity keys handled)."""
    _check_version(raw)
    if raw.origin in chain:
        raise ConfigError(f"{raw.origin}: extends: cycle ({' -> '.join((*chain, raw.origin))})")
    if len(chain) > _MAX_DEPTH:
        raise ConfigError(f"{raw.origin}: extends: nested more than {_MAX_DEPTH} deep")
    data = dict(raw.data)
    extends = data.pop("extends", None)
    refs: list[str]
    if extends is None:
        refs = []
    elif isinstance(extends, str):
        refs = [extends]
    elif isinstance(extends, list) and all(isinstance(e, str) for e in extends):
        refs = list(extends)
    else:
        raise ConfigError(f"{raw.origin}: extends: must be a preset name/path or a list of them")
    merged: dict[str, Any] = {}
    cites: list[str] = []
    kinds: set[str] = set()
    base_names: list[str] = []
    for ref in refs:
        base = _resolve(_locate(ref, raw.folder), (*chain, raw.origin))
        kinds.add(str(base.get("kind", "cost-table")))
        base_names.append(str(base.get("name", ref)))
        for cite in base.get("cites", []):
            if cite not in cites:
                cites.append(cite)
        merged = deep_merge(merged, {k: v for k, v in base.items() if k not in _IDENTITY_KEYS})
    result = deep_merge(merged, data)
    if refs:
        own = data.get("cites", [])
        if isinstance(own, list):
            result["cites"] = cites + [c for c in own if c not in cites]
        if "kind" not in data and len(kinds) == 1:
            result["kind"] = kinds.pop()
        if "source" not in data:
            result["source"] = "extends " + " + ".join(base_names)
    if "name" not in result and raw.folder is not None:
        result["name"] = Path(raw.origin).stem
    return result


def _validate(model: type[M], data: dict[str, Any], origin: str, what: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{origin}: invalid {what}: {format_validation_error(exc)}") from None


def format_validation_error(exc: ValidationError) -> str:
    """Pydantic errors as ``field.path: message`` items joined by ``; ``."""
    parts = []
    errors = exc.errors(include_url=False)
    for err in errors[:_MAX_ERRORS]:
        loc = ".".join(str(p) for p in err["loc"] if not str(p).startswith("function-"))
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] not in ("missing", "extra_forbidden") and not isinstance(err.get("input"), dict):
            got = repr(err.get("input"))
            msg += f" (got {got if len(got) <= 60 else got[:57] + '...'})"
        parts.append(f"{loc or '(top level)'}: {msg}")
    if len(errors) > _MAX_ERRORS:
        parts.append(f"... and {len(errors) - _MAX_ERRORS} more")
    return "; ".join(parts)


# ---------------------------------------------------------------------------- public loaders


def cost_table_from_dict(
    data: Mapping[str, Any], origin: str = "<dict>", folder: Path | None = None
) -> CostTable:
    """A cost table from already-parsed data (``extends`` honoured)."""
    resolved = _resolve(_Raw(dict(data), origin, folder))
    if resolved.get("kind") == "wasmd":
        raise ConfigError(
            f"{origin}: is a wasmd register preset, not a cost table; combine it with a VM preset: "
            f'extends = ["cosmwasm-vm-...", "{resolved.get("name", "wasmd-...")}"]'
        )
    return _validate(CostTable, resolved, origin, "cost table")


def load_cost_table(ref: str | Path) -> CostTable:
    """A cost table from a preset name (e.g. ``cosmwasm-vm-2.1.6-2.1.7``, ``cosmwasm-2.1.6``) or a file."""
    raw = _locate(str(ref), None) if not isinstance(ref, Path) else _Raw(read_file(ref), str(ref), ref.parent)
    return cost_table_from_dict(raw.data, raw.origin, raw.folder)


def load_wasmd_preset(ref: str | Path) -> WasmdPreset:
    """A wasmd register preset (the ``wasmd`` + ``store`` sections) by name or file."""
    raw = _locate(str(ref), None) if not isinstance(ref, Path) else _Raw(read_file(ref), str(ref), ref.parent)
    return _validate(WasmdPreset, _resolve(raw), raw.origin, "wasmd preset")


def compose_cost_table(
    vm_preset: str, wasmd_preset: str, overrides: Mapping[str, Any] | None = None, name: str | None = None
) -> CostTable:
    """A full cost table: a VM preset, a wasmd preset, then ``overrides`` merged field by field."""
    data: dict[str, Any] = {"extends": [vm_preset, wasmd_preset], **(overrides or {})}
    data.setdefault("name", name or f"{vm_preset} + {wasmd_preset}")
    return cost_table_from_dict(data, f"cost table {data['name']!r}")


def _profile_raw(ref: str | Path, folder: Path | None = None) -> _Raw:
    if isinstance(ref, Path) or _looks_like_path(str(ref)):
        p = Path(ref)
        if not p.is_absolute() and folder is not None:
            p = folder / p
        return _Raw(read_file(p), str(p), p.parent)
    shipped = _shipped("profiles/")
    if str(ref) not in shipped:
        hint = difflib.get_close_matches(str(ref), sorted(shipped), n=1)
        tail = f" (did you mean {hint[0]!r}?)" if hint else ""
        raise ConfigError(f"unknown chain profile {str(ref)!r}{tail}; `gasmodel presets` lists them")
    return _read_shipped("profiles/", str(ref))


def _resolve_profile(raw: _Raw, chain: tuple[str, ...] = ()) -> dict[str, Any]:
    _check_version(raw)
    if raw.origin in chain or len(chain) > _MAX_DEPTH:
        raise ConfigError(f"{raw.origin}: extends: cycle or too deep ({' -> '.join((*chain, raw.origin))})")
    data = dict(raw.data)
    extends = data.pop("extends", None)
    if extends is None:
        return data
    if not isinstance(extends, str):
        raise ConfigError(f"{raw.origin}: extends: a chain profile extends one profile (a name or path)")
    base = _resolve_profile(_profile_raw(extends, raw.folder), (*chain, raw.origin))
    keep = {k: v for k, v in base.items() if k not in ("name", "description", "source", "cites")}
    result = deep_merge(keep, data)
    result.setdefault("source", f"extends {base.get('name', extends)}")
    return result


def profile_from_dict(
    data: Mapping[str, Any], origin: str = "<dict>", folder: Path | None = None
) -> ChainProfile:
    """A chain profile from parsed data: ``costs`` = vm_preset + wasmd_preset + the ``[costs]`` overrides."""
    resolved = _resolve_profile(_Raw(dict(data), origin, folder))
    if "name" not in resolved and folder is not None:
        resolved["name"] = Path(origin).stem
    over = resolved.get("costs", {})
    if not isinstance(over, dict):
        raise ConfigError(f"{origin}: invalid chain profile: costs: must be a table of overrides")
    if "extends" in over:
        raise ConfigError(f"{origin}: costs.extends: not allowed; set vm_preset and wasmd_preset instead")
    missing = [k for k in ("vm_preset", "wasmd_preset") if not isinstance(resolved.get(k), str)]
    if missing:
        raise ConfigError(f"{origin}: invalid chain profile: {', '.join(missing)}: a preset name is required")
    costs_data = {
        "extends": [resolved["vm_preset"], resolved["wasmd_preset"]],
        "name": f"{resolved.get('name', origin)} costs",
        **over,
    }
    costs_raw = _resolve(_Raw(costs_data, origin, folder))
    try:
        costs = CostTable.model_validate(costs_raw)
    except ValidationError as exc:
        msg = format_validation_error(exc)
        msg = "; ".join(f"costs.{part}" for part in msg.split("; "))
        raise ConfigError(f"{origin}: invalid chain profile: {msg}") from None
    if costs.wasmd is None or costs.store is None:
        raise ConfigError(
            f"{origin}: costs: wasmd_preset {resolved['wasmd_preset']!r} gave no wasmd/store section"
        )
    resolved["costs"] = costs
    return _validate(ChainProfile, resolved, origin, "chain profile")


def load_profile(ref: str | Path) -> ChainProfile:
    """A chain profile from a shipped name (``injective-localnet``, ``wasmd-0.70``) or a file."""
    raw = _profile_raw(ref)
    return profile_from_dict(raw.data, raw.origin, raw.folder)


def preset_names() -> list[str]:
    """Names of the shipped cost-table and wasmd presets, sorted."""
    return sorted(_shipped("presets/"), key=_natural_key)


def profile_names() -> list[str]:
    """Names of the shipped chain profiles, sorted."""
    return sorted(_shipped("profiles/"), key=_natural_key)


def list_presets() -> list[PresetInfo]:
    """Every shipped preset and profile (presets first), with kind, covers and description."""
    out: list[PresetInfo] = []
    for sub in ("presets/", "profiles/"):
        for name in sorted(_shipped(sub), key=_natural_key):
            data = _read_shipped(sub, name).data
            default_kind = "cost-table" if sub == "presets/" else "chain-profile"
            covers = data.get("covers", [])
            out.append(
                PresetInfo(
                    name=name,
                    kind=str(data.get("kind", default_kind)),
                    covers=tuple(str(c) for c in covers) if isinstance(covers, list) else (),
                    description=str(data.get("description", "")),
                )
            )
    return out
