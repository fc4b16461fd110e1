"""The lint report: findings, one verdict per file and chain, and the all-chains matrix (pydantic)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from gasmodel.lint.rules import SEVERITY_RANK, Severity


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Finding(_Model):
    """One reason the chain refuses the module, or one hazard, located.

    ``function`` is the absolute function index (imports first) and ``function_name`` its demangled
    name; ``offset`` the byte offset in the module; ``path`` the shortest call path from an exported
    entry point (export name first, then ``f<index> <name>`` per function); ``reachable`` is False
    when the location is in code no exported entry point reaches (``None``: not about code).
    """

    code: str
    severity: Severity
    message: str
    function: int | None = None
    function_name: str | None = None
    offset: int | None = None
    path: tuple[str, ...] = ()
    reachable: bool | None = None

    def at_least(self, threshold: Severity) -> bool:
        """Whether this finding's severity is ``threshold`` or worse."""
        return SEVERITY_RANK[self.severity] >= SEVERITY_RANK[threshold]


class LintReport(_Model):
    """Everything one chain profile says about one module.

    ``accepted`` is True exactly when no ``error`` finding exists under *every* rule (also those
    de-selected from ``findings`` by select/ignore): it is the chain's verdict at upload.
    """

    file: str
    chain: str = Field(description="the chain profile's name")
    vm_version: str
    accepted: bool
    size: int = Field(description="module bytes (uncompressed)")
    findings: tuple[Finding, ...]

    def counts(self) -> dict[str, int]:
        """Number of findings per severity."""
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            out[f.severity] += 1
        return out

    def worst(self) -> Severity | None:
        """The most severe finding's severity (None when there are none)."""
        if not self.findings:
            return None
        best = max(self.findings, key=lambda f: SEVERITY_RANK[f.severity])
        return best.severity


class MatrixRow(_Model):
    """One chain's verdict on one file, with the codes of its errors."""

    chain: str
    vm_version: str
    accepted: bool
    errors: tuple[str, ...] = Field(description="codes of the error findings, sorted, unique")


class LintMatrix(_Model):
    """``--chain all``: which chain profiles would store the file, and why not."""

    file: str
    rows: tuple[MatrixRow, ...]
    reports: tuple[LintReport, ...]
