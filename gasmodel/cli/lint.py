"""``gasmodel lint``: every reason a chain would refuse a contract, and every hazard, located.

Exit codes: 0 nothing at or above ``--fail-on`` (default error), 1 findings at or above it,
2 bad input or usage. Settings default from ``[tool.gasmodel.lint]`` in pyproject.toml.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from gasmodel.cli import _paint
from gasmodel.cli._args import add_parser, chain_help
from gasmodel.cli._files import require_file
from gasmodel.cli._style import console as style_console
from gasmodel.cli._style import fmt_int, shows_progress, use_colour
from gasmodel.errors import GasmodelError
from gasmodel.lint.batch import FileOutcome, Job, chain_names, default_jobs, expand, run_jobs
from gasmodel.lint.config import LintConfig, load_config
from gasmodel.lint.engine import resolve_profile
from gasmodel.lint.model import LintReport
from gasmodel.lint.rules import RULES, SEVERITY_RANK, matching
from gasmodel.lint.sarif import to_sarif

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
FORMATS = ("text", "json", "sarif")
SEVERITIES = ("error", "warning", "info")


def register(subparsers: Any) -> None:
    """Add the ``lint`` command."""
    p = add_parser(
        subparsers,
        "lint",
        help="every reason a chain would refuse a contract at upload, and every hazard, located",
        description="Lint contracts (.wasm, gzipped, or folders of them) against a chain profile: "
        "each finding has a rule code, severity, message, function, byte offset and call path; "
        "`accepted` is the chain's verdict. Exit 0: nothing at or above --fail-on; 1: findings; "
        "2: bad input or usage. Defaults come from [tool.gasmodel.lint] in pyproject.toml.",
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="contracts or folders (searched for *.wasm)")
    p.add_argument(
        "--chain",
        metavar="PROFILE",
        help=chain_help(
            "the chain profile to lint against (when not given: [tool.gasmodel.lint] chain, "
            "else injective-localnet)",
            extra=", all (every one: the matrix)",
        ),
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        help="output: text, json or sarif (when not given: [tool.gasmodel.lint] format, else text)",
    )
    p.add_argument(
        "--select",
        metavar="CODES",
        help="comma-separated codes, code prefixes or rule names to report (CW2,CW301,float-operator)",
    )
    p.add_argument(
        "--ignore", metavar="CODES", help="comma-separated codes, code prefixes or rule names not to report"
    )
    p.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        help="lowest severity giving exit 1: error, warning or info (when not given: "
        "[tool.gasmodel.lint] fail_on, else error)",
    )
    p.add_argument("--jobs", type=int, metavar="N", help="worker processes (default: every core)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="run on an existing Dask cluster (tcp://host:8786)")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report here instead of stdout")
    p.add_argument("--config", metavar="PYPROJECT", help="read [tool.gasmodel.lint] from this file")
    p.add_argument("--no-config", action="store_true", help="ignore pyproject.toml settings")
    p.add_argument("--node", metavar="URL", help="a chain's gRPC endpoint (with --all-codes)")
    p.add_argument("--all-codes", action="store_true", help="lint every code stored on --node")
    p.add_argument("--list-rules", action="store_true", help="print the rule table and exit")
    p.set_defaults(func=run_lint)


def _codes(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    return tuple(c.strip() for c in text.split(",") if c.strip())


def _settings(args: argparse.Namespace) -> LintConfig:
    config_path = Path(args.config) if args.config else None
    base = LintConfig() if args.no_config else load_config(path=config_path)
    update: dict[str, Any] = {}
    if args.chain is not None:
        update["chain"] = args.chain
    if args.format is not None:
        update["format"] = args.format
    if (sel := _codes(args.select)) is not None:
        update["select"] = sel
    if (ign := _codes(args.ignore)) is not None:
        update["ignore"] = ign
    if args.fail_on is not None:
        update["fail_on"] = args.fail_on
    if args.jobs is not None:
        if args.jobs < 1:
            raise GasmodelError("--jobs must be at least 1")
        update["jobs"] = args.jobs
    cfg = base.model_copy(update=update)
    for option, codes in (("--select", cfg.select), ("--ignore", cfg.ignore)):
        try:
            matching(codes)
        except ValueError as exc:
            raise GasmodelError(f"{option}: {exc}") from None
    return cfg


def _jobs_for(args: argparse.Namespace, cfg: LintConfig) -> list[Job]:
    chains = chain_names(cfg.chain)
    common = {"chains": chains, "select": cfg.select, "ignore": cfg.ignore}
    if args.all_codes or args.node:
        if not (args.all_codes and args.node):
            raise GasmodelError("--node and --all-codes go together")
        from gasmodel.audit import fetch_codes

        return [
            Job(file=f"code {c.code_id} ({c.checksum[:12]})", data=c.wasm, **common)
            for c in fetch_codes(args.node)
        ]
    if not args.files:
        raise GasmodelError("no input: give contracts or folders (or --node URL --all-codes)")
    for name in chains:  # an unknown profile is refused once, not per file
        resolve_profile(name)
    for f in args.files:  # a missing input in the shared words
        if not Path(f).is_dir():
            require_file(f)
    files = expand(args.files)
    if not files:
        raise GasmodelError(f"no *.wasm files under {', '.join(args.files)}")
    return [Job(file=str(f), **common) for f in files]


def run_lint(args: argparse.Namespace) -> int:
    """Run ``gasmodel lint``."""
    if args.list_rules:
        rules = [(rf"^CW\d+  ({sev})", _paint.SEVERITY[sev]) for sev in SEVERITIES]
        _paint.write("".join(f"{r.code}  {r.severity:<7}  {r.name:<28} {r.summary}\n" for r in RULES), rules)
        return 0
    cfg = _settings(args)
    jobs = _jobs_for(args, cfg)
    err = style_console(stderr=True)
    executor = None
    client = None
    if args.scheduler:
        from distributed import Client

        client = Client(args.scheduler)  # type: ignore[no-untyped-call]
        executor = client.get_executor()  # type: ignore[no-untyped-call]
    try:
        outcomes = _run(jobs, cfg, executor, err)
    finally:
        if client is not None:
            client.close()  # type: ignore[no-untyped-call]
    fmt = cfg.format or "text"
    out_path = Path(args.output) if args.output else None
    text = _render(outcomes, fmt, cfg, to_terminal=out_path is None and use_colour(sys.stdout))
    if out_path is not None:
        out_path.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    for o in outcomes:
        if o.error:
            text = o.error if o.error.startswith(o.file) else f"{o.file}: {o.error}"
            err.print(f"gasmodel: error: {text}", markup=False, highlight=False, soft_wrap=True)
    if any(o.error for o in outcomes):
        return 2
    worst = max(
        (SEVERITY_RANK[f.severity] for o in outcomes for r in o.reports for f in r.findings), default=0
    )
    return 1 if worst >= SEVERITY_RANK[cfg.fail_on] else 0


def _run(jobs: list[Job], cfg: LintConfig, executor: Any, err: Console) -> list[FileOutcome]:
    workers = cfg.jobs or default_jobs()
    if len(jobs) < 2 or not shows_progress():
        return run_jobs(jobs, executor=executor, workers=workers)
    with Progress(
        TextColumn("linting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("lint", total=len(jobs))
        return run_jobs(jobs, executor=executor, workers=workers, on_done=lambda _o: bar.advance(task))


def _render(outcomes: Sequence[FileOutcome], fmt: str, cfg: LintConfig, *, to_terminal: bool) -> str:
    reports = [r for o in outcomes for r in o.reports]
    if fmt == "json":
        items = [_json(r) for r in reports]
        return json.dumps(items[0] if len(items) == 1 else items, indent=2) + "\n"
    if fmt == "sarif":
        return json.dumps(to_sarif(reports), indent=2) + "\n"
    console = Console(
        record=True,
        force_terminal=to_terminal,
        width=style_console().width if to_terminal else 200,
        file=_null(),
        highlight=False,
        soft_wrap=True,
    )
    for o in outcomes:
        if o.reports:
            _text_file(console, o)
    if len(outcomes) > 1:
        _summary(console, outcomes)
    return console.export_text(styles=to_terminal)


def _json(r: LintReport) -> dict[str, Any]:
    return {
        "file": r.file,
        "chain": r.chain,
        "vm_version": r.vm_version,
        "accepted": r.accepted,
        "size": r.size,
        "findings": [f.model_dump(mode="json") for f in r.findings],
    }


def _null() -> io.StringIO:
    """A sink for the recording console (its record is exported instead)."""
    return io.StringIO()


def _text_file(console: Console, o: FileOutcome) -> None:
    if len(o.reports) > 1:
        table = Table(title=f"{o.file}: which chains would store it", title_justify="left")
        for col in ("chain", "cosmwasm-vm", "accepted", "errors"):
            table.add_column(col)
        for r in o.reports:
            errors = sorted({f.code for f in r.findings if f.severity == "error"})
            table.add_row(
                r.chain,
                r.vm_version,
                Text("yes", "green") if r.accepted else Text("NO", "bold red"),
                ", ".join(errors),
            )
        console.print(table)
    for r in o.reports:
        verdict = Text("accepted", "green") if r.accepted else Text("REJECTED", "bold red")
        head = Text(f"{r.file}  {r.chain} (cosmwasm-vm {r.vm_version}): ")
        head.append(verdict)
        counts = r.counts()
        head.append(
            f"  {fmt_int(counts['error'])} errors, {fmt_int(counts['warning'])} warnings, "
            f"{fmt_int(counts['info'])} infos"
        )
        console.print(head)
        for sev in ("error", "warning", "info"):
            for f in (f for f in r.findings if f.severity == sev):
                line = Text("  ")
                line.append(f"{sev:<7}", _STYLE[sev])
                line.append(f" {f.code} ", "bold")
                line.append(f.message)
                console.print(line)
                where = []
                if f.function is not None:
                    where.append(f"f{f.function} {f.function_name}")
                if f.offset is not None:
                    where.append(f"@0x{f.offset:x}")
                if f.path:
                    where.append("path: " + " -> ".join(f.path))
                if where:
                    console.print(Text("           " + "  ".join(where), "dim"))
        console.print()


def _summary(console: Console, outcomes: Sequence[FileOutcome]) -> None:
    table = Table(title="summary", title_justify="left")
    for col in ("file", "chain", "accepted", "errors", "warnings", "infos"):
        table.add_column(col)
    for o in outcomes:
        if o.error:
            table.add_row(o.file, "", Text("bad input", "bold red"), "", "", "")
        for r in o.reports:
            c = r.counts()
            table.add_row(
                r.file,
                r.chain,
                Text("yes", "green") if r.accepted else Text("NO", "bold red"),
                fmt_int(c["error"]),
                fmt_int(c["warning"]),
                fmt_int(c["info"]),
            )
    console.print(table)
