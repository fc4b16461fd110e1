"""``gasmodel lint``: every reason a chain would refuse a contract at upload, and every hazard, located.

``lint(wasm, chain=...)`` returns a :class:`LintReport` (pydantic): one :class:`Finding` per
reason or hazard (rule code, severity, message with the numbers, function index and demangled
name, byte offset, shortest call path from an exported entry point) and ``accepted``, the chain's
verdict. ``lint_matrix`` does it for every shipped chain profile. The rules are in
:data:`RULES` (docs: docs/rules/). Imports errors, wasm, costs, analysis, compress; never vm/ or chain/.
"""

from __future__ import annotations

from gasmodel.lint.engine import LintInputError, all_profiles, lint, lint_matrix
from gasmodel.lint.model import Finding, LintMatrix, LintReport, MatrixRow
from gasmodel.lint.rules import BY_CODE, RULES, Rule, matching

__all__ = [
    "BY_CODE",
    "RULES",
    "Finding",
    "LintInputError",
    "LintMatrix",
    "LintReport",
    "MatrixRow",
    "Rule",
    "all_profiles",
    "lint",
    "lint_matrix",
    "matching",
]
