"""Scenarios from the project's manifests (contracts and lint fixtures).

The contracts manifest lists contracts with an instantiate message and example execute and query
messages, each expected to succeed (``ok``), fail with a contract error (``error``) or run out of
gas (``out_of_gas``); placeholders ``$sender``, ``$other`` and ``$contract:<name>`` are the
scenario placeholders of the same spelling (accounts ``owner`` and ``other``; the instantiate
step of each contract is named after it). The fixtures manifest lists lint fixtures that the
chain must accept (then they are instantiated and executed) or reject at upload.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gasmodel.errors import ConfigError
from gasmodel.scenario.model import Scenario, scenario_from_data

OWNER = "owner"
OTHER = "other"
OUT_OF_GAS_LIMIT = 3_000_000
_ACCOUNTS = (
    {"name": OWNER, "key_type": "eth_secp256k1", "balance": "1000000000000000000000000inj"},
    {"name": OTHER, "key_type": "secp256k1", "balance": "1000000000000000000000000inj"},
)


def read_manifest(path: Path, list_key: str) -> list[dict[str, Any]]:
    """The entries of a manifest; ConfigError if it is unreadable or has none."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read manifest: {exc}") from exc
    entries = data.get(list_key) if isinstance(data, dict) else data
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{path}: the manifest lists no {list_key}")
    return [e for e in entries if isinstance(e, dict)]


def _sender(value: Any) -> str:
    if value in (None, "$sender"):
        return OWNER
    if value == "$other":
        return OTHER
    raise ConfigError(f"unsupported manifest sender {value!r}")


def _expect(kind: str, note: str | None = None) -> dict[str, Any]:
    if kind == "ok":
        return {"ok": True}
    if kind == "error":
        return {"ok": False, "code": 5}
    if kind == "out_of_gas":
        return {"ok": False, "code": 11, "error_contains": "out of gas"}
    raise ConfigError(f"unsupported manifest expectation {kind!r}" + (f" ({note})" if note else ""))


def _as_owner(value: Any) -> Any:
    """The manifest's ``$sender`` is the main account (the instantiating owner) in every message,
    also in steps sent by ``$other``; in scenarios ``$sender`` is the step's sender, so it becomes
    ``$owner``."""
    if value == "$sender":
        return f"${OWNER}"
    if isinstance(value, dict):
        return {k: _as_owner(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_owner(v) for v in value]
    return value


def _ordered(contracts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_name = {c["name"]: c for c in contracts}
    done: list[str] = []

    def visit(name: str, trail: tuple[str, ...]) -> None:
        if name in done:
            return
        if name in trail:
            raise ConfigError(f"contracts manifest: dependency cycle through {name!r}")
        if name not in by_name:
            raise ConfigError(f"contracts manifest: {trail[-1]!r} depends on unknown contract {name!r}")
        for dep in by_name[name].get("depends_on") or []:
            visit(dep, (*trail, name))
        done.append(name)

    for c in contracts:
        visit(c["name"], ())
    return [by_name[n] for n in done]


def contracts_scenario(manifest: Path, names: list[str] | None = None) -> Scenario:
    """One scenario over the manifest's accepted contracts: store, instantiate, execute, query each."""
    root = manifest.resolve().parent
    entries = [c for c in read_manifest(manifest, "contracts") if c.get("chain", "accept") == "accept"]
    if names is not None:
        by_name = {c["name"]: c for c in entries}
        wanted: set[str] = set()
        todo = list(names)
        while todo:
            n = todo.pop()
            if n not in wanted and n in by_name:
                wanted.add(n)
                todo.extend(by_name[n].get("depends_on") or [])
        entries = [c for c in entries if c["name"] in wanted]
    steps: list[dict[str, Any]] = []
    for c in _ordered(entries):
        name = c["name"]
        steps.append({"name": f"{name}.store", "action": "store", "sender": OWNER,
                      "wasm": str(root / c["wasm"])})
        inst = c.get("instantiate") or {}
        steps.append({"name": name, "action": "instantiate", "sender": OWNER,
                      "code_id": f"$code:{name}.store", "msg": _as_owner(inst.get("msg", {})),
                      "funds": inst.get("funds", []), "admin": "$sender",
                      "label": name})
        for i, e in enumerate(c.get("execute") or []):
            step: dict[str, Any] = {"name": f"{name}.execute.{i}", "action": "execute",
                                    "sender": _sender(e.get("sender")), "contract": f"$contract:{name}",
                                    "msg": _as_owner(e["msg"]), "funds": e.get("funds", []),
                                    "expect": _expect(e.get("expect", "ok"), e.get("note"))}
            if e.get("note"):
                step["note"] = e["note"]
            if e.get("expect") == "out_of_gas":
                step["gas_limit"] = OUT_OF_GAS_LIMIT
            steps.append(step)
        for i, q in enumerate(c.get("query") or []):
            expect = _expect(q.get("expect", "ok"), q.get("note"))
            if "answer" in q:
                expect["result"] = _as_owner(q["answer"])
            steps.append({"name": f"{name}.query.{i}", "action": "query", "contract": f"$contract:{name}",
                          "msg": _as_owner(q["msg"]), "expect": expect})
    data = {"name": "contracts", "description": f"every accepted contract of {manifest}",
            "accounts": [dict(a) for a in _ACCOUNTS], "steps": steps}
    return scenario_from_data(data, root, source=str(manifest))


def fixtures_scenario(manifest: Path) -> Scenario:
    """One scenario over the lint fixtures: rejected ones are uploaded expecting failure; accepted
    ones are uploaded, instantiated, executed and queried."""
    root = manifest.resolve().parent.parent  # fixture paths are relative to contracts/
    steps: list[dict[str, Any]] = []
    for f in read_manifest(manifest, "fixtures"):
        if f.get("kind") != "lint":
            continue
        name = f["name"]
        store: dict[str, Any] = {"name": f"{name}.store", "action": "store", "sender": OWNER,
                                 "wasm": str(root / f["wasm"])}
        if f.get("chain") == "reject":
            store["expect"] = {"ok": False}
            if f.get("vm_error"):
                store["expect"]["error_contains"] = f["vm_error"]
            steps.append(store)
            continue
        steps.append(store)
        msgs = f.get("messages") or {}
        instantiate: dict[str, Any] = {"name": name, "action": "instantiate", "sender": OWNER,
                                       "code_id": f"$code:{name}.store", "msg": msgs.get("instantiate", {}),
                                       "label": name}
        if f.get("calls") == "fail":  # stored, but no call can succeed (e.g. a start function)
            instantiate["expect"] = {"ok": False}
            if f.get("runtime_error"):
                instantiate["expect"]["error_contains"] = f["runtime_error"]
            steps.append(instantiate)
            continue
        steps.append(instantiate)
        for i, m in enumerate(msgs.get("execute") or []):
            steps.append({"name": f"{name}.execute.{i}", "action": "execute", "sender": OWNER,
                          "contract": f"$contract:{name}", "msg": m})
        if msgs.get("query") is not None:
            expect: dict[str, Any] = {"ok": True}
            if "query_result" in msgs:
                expect["result"] = msgs["query_result"]
            steps.append({"name": f"{name}.query", "action": "query", "contract": f"$contract:{name}",
                          "msg": msgs["query"], "expect": expect})
        for i, m in enumerate(msgs.get("more_execute") or []):
            steps.append({"name": f"{name}.more.{i}", "action": "execute", "sender": OWNER,
                          "contract": f"$contract:{name}", "msg": m})
        if msgs.get("error_execute") is not None:
            steps.append({"name": f"{name}.error", "action": "execute", "sender": OWNER,
                          "contract": f"$contract:{name}", "msg": msgs["error_execute"],
                          "expect": {"ok": False, "code": 5}})
    data = {"name": "lint-fixtures", "description": f"the lint fixtures of {manifest}",
            "accounts": [dict(a) for a in _ACCOUNTS], "steps": steps}
    return scenario_from_data(data, root, source=str(manifest))
