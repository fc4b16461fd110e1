"""SARIF 2.1.0 output: one run, the rule metadata from the rule table, one result per finding.

Locations are byte regions of the binary artifact (``region.byteOffset``) plus a logical
location naming the function; the call path goes into the result's ``properties``.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from gasmodel.lint.model import LintReport
from gasmodel.lint.rules import RULES

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
DOCS_PATH = "docs/rules/{code}.md"


def _tool_version() -> str:
    try:
        return version("gasmodel")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


def rule_descriptors() -> list[dict[str, Any]]:
    """SARIF ``reportingDescriptor`` objects for every rule (same order as the rule table)."""
    return [
        {
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": r.why},
            "help": {"text": f"{r.summary}. Fix: {r.fix} Versions: {r.versions}."},
            "defaultConfiguration": {"level": _LEVEL[r.severity]},
            "properties": {"category": r.category, "docs": DOCS_PATH.format(code=r.code)},
        }
        for r in RULES
    ]


def to_sarif(reports: Sequence[LintReport]) -> dict[str, Any]:
    """A SARIF 2.1.0 log of ``reports`` (each file linted under one chain profile)."""
    index = {r.code: i for i, r in enumerate(RULES)}
    artifacts: list[dict[str, Any]] = []
    art_index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    for rep in reports:
        if rep.file not in art_index:
            art_index[rep.file] = len(artifacts)
            artifacts.append(
                {"location": {"uri": rep.file}, "length": rep.size, "properties": {"accepted": {}}}
            )
        artifacts[art_index[rep.file]]["properties"]["accepted"][rep.chain] = rep.accepted
        for f in rep.findings:
            physical: dict[str, Any] = {"artifactLocation": {"uri": rep.file, "index": art_index[rep.file]}}
            if f.offset is not None:
                physical["region"] = {"byteOffset": f.offset}
            location: dict[str, Any] = {"physicalLocation": physical}
            if f.function is not None:
                location["logicalLocations"] = [
                    {
                        "name": f.function_name or f"func[{f.function}]",
                        "index": f.function,
                        "kind": "function",
                    }
                ]
            results.append(
                {
                    "ruleId": f.code,
                    "ruleIndex": index[f.code],
                    "level": _LEVEL[f.severity],
                    "message": {"text": f.message},
                    "locations": [location],
                    "properties": {
                        "chain": rep.chain,
                        "path": list(f.path),
                        "reachable": f.reachable,
                    },
                }
            )
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "gasmodel",
                        "version": _tool_version(),
                        "rules": rule_descriptors(),
                    }
                },
                "artifacts": artifacts,
                "results": results,
            }
        ],
    }
