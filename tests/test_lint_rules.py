"""The rule table is the one source: registry, select/ignore, docs pages and SARIF metadata agree.

Oracles: the rule table is the single source, so these are consistency checks between its consumers
(checks, docs pages, SARIF); prefix selection is checked against a plain ``str.startswith`` filter,
and the opcode feature column against hand-written samples that each need one wat2wasm flag.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gasmodel.lint import RULES, matching
from gasmodel.lint.docs import pages
from gasmodel.lint.engine import CHECKS, SIZE_CODES, VALIDITY_CODES
from gasmodel.lint.sarif import rule_descriptors

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"


def test_every_rule_has_a_check_and_every_check_code_a_rule() -> None:
    produced = set().union(*(codes for codes, _ in CHECKS)) | SIZE_CODES | VALIDITY_CODES
    assert produced == {r.code for r in RULES}


def test_codes_are_stable_and_grouped() -> None:
    for r in RULES:
        assert r.code[:3] in ("CW1", "CW2", "CW3", "CW4", "CW5") and len(r.code) == 5
        assert r.severity in ("error", "warning", "info")
        assert r.summary and r.why and r.versions and r.example and r.fix


@pytest.mark.parametrize("name", sorted(pages()))
def test_committed_docs_page_equals_the_generated_one(name: str) -> None:
    # regenerate with: python -m gasmodel.lint.docs docs/rules
    assert (DOCS / name).read_text(encoding="utf-8") == pages()[name]


def test_no_stale_docs_pages() -> None:
    assert {p.name for p in DOCS.glob("*.md")} == set(pages())


def test_select_prefixes_like_ruff() -> None:
    assert matching(["CW2"]) == {r.code for r in RULES if r.code.startswith("CW2")}
    assert matching(["ALL"]) == {r.code for r in RULES}
    assert matching(["cw301", " CW302 "]) == {"CW301", "CW302"}
    with pytest.raises(ValueError, match="CW9"):
        matching(["CW9"])


def test_sarif_rule_metadata_follows_the_table() -> None:
    desc = rule_descriptors()
    assert [d["id"] for d in desc] == [r.code for r in RULES]
    level = {"error": "error", "warning": "warning", "info": "note"}
    for d, r in zip(desc, RULES, strict=True):
        assert d["name"] == r.name and d["defaultConfiguration"]["level"] == level[r.severity]
        assert d["shortDescription"]["text"] == r.summary


def test_opcode_features_are_profile_feature_names() -> None:
    from gasmodel.costs.profile import WASM_FEATURES
    from gasmodel.wasm.opcodes import OPCODES
    from gasmodel.wasm.validate import SWITCHABLE

    assert {op.feature for op in OPCODES} - {None} <= WASM_FEATURES
    assert SWITCHABLE <= WASM_FEATURES


# tests/wasm_samples/<name>.wat are hand-written, each needing one wat2wasm --enable flag (the oracle)
_SAMPLE_FEATURE = {
    "bulk_memory": "bulk_memory",
    "reference_types": "reference_types",
    "nontrapping_float_to_int": "saturating_float_to_int",
    "function_references": "function_references",
    "legacy_exceptions": "exceptions",
    "exceptions": "exceptions",
    "sign_extension": "sign_extension",
    "simd": "simd",
    "tail_call": "tail_call",
    "threads": "threads",
}


@pytest.mark.parametrize(("sample", "feature"), sorted(_SAMPLE_FEATURE.items()))
def test_opcode_feature_column_names_the_samples_proposal(sample: str, feature: str) -> None:
    from gasmodel.wasm import decode
    from gasmodel.wasm.opcodes import FEATURE_OF

    path = Path(__file__).resolve().parent / "wasm_samples" / f"{sample}.wasm"
    module = decode(path.read_bytes())
    features = {FEATURE_OF[op] for fn in module.functions for op in fn.ops}
    assert feature in features
