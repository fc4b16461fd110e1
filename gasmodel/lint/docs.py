"""The rule docs, generated from the rule table: docs/rules/<CODE>.md and docs/rules/index.md.

``python -m gasmodel.lint.docs [DOCS_DIR]`` (re)writes them; tests/test_lint_rules.py checks the
committed pages equal what this produces, so the table stays the one source.
"""

from __future__ import annotations

import sys
from pathlib import Path

from gasmodel.lint.rules import CATEGORIES, RULES, Rule


def rule_page(r: Rule) -> str:
    """The Markdown page of one rule."""
    return (
        f"# {r.code} {r.name}\n\n"
        f"**Severity:** {r.severity} · **Category:** {r.category}\n\n"
        f"{r.summary[0].upper()}{r.summary[1:]}.\n\n"
        f"## Why\n\n{r.why}\n\n"
        f"## Which VM versions\n\n{r.versions}.\n\n"
        f"## Minimal example\n\n```wat\n{r.example}\n```\n\n"
        f"## How to fix\n\n{r.fix[0].upper()}{r.fix[1:]}\n\n"
        f"Select or ignore it with `--select {r.code}` / `--ignore {r.code}` (or its prefix, "
        f"`{r.code[:3]}`), or in `[tool.gasmodel.lint]` of pyproject.toml.\n"
    )


def index_page() -> str:
    """docs/rules/index.md: every rule, by category."""
    out = [
        "# Lint rules\n\n",
        "Every rule of `gasmodel lint` (see [../lint.md](../lint.md)). Severity: `error` = the chain "
        "refuses the module at upload; `warning` = stored, but a hazard; `info` = worth knowing.\n",
    ]
    for prefix, title in CATEGORIES.items():
        out.append(f"\n## {prefix}xx {title}\n\n| code | name | severity | what |\n|---|---|---|---|\n")
        for r in RULES:
            if r.code.startswith(prefix):
                out.append(f"| [{r.code}]({r.code}.md) | {r.name} | {r.severity} | {r.summary} |\n")
    return "".join(out)


def pages() -> dict[str, str]:
    """File name -> content of every generated page."""
    out = {f"{r.code}.md": rule_page(r) for r in RULES}
    out["index.md"] = index_page()
    return out


def write(folder: Path) -> list[Path]:
    """Write every page into ``folder`` (created); returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in pages().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/rules"))
