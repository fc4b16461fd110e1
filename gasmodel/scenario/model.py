"""Scenarios as data: named accounts, then steps (store, instantiate, execute, migrate, query, bank send).

A scenario is written in JSON, YAML or TOML (see ``docs/scenarios.md``). Strings in messages and
address fields may hold placeholders that the runner fills in from earlier steps:

=====================  ======================================================================
``$sender``            the address of the step's sender
``$NAME``              the address of account ``NAME`` (also ``$account:NAME``)
``$code:STEP``         the code id stored by store step ``STEP`` (a number if it is the whole string)
``$contract:STEP``     the address of the contract made by instantiate step ``STEP``
``${...}``             the same inside a longer string; ``$$`` is a literal ``$``
=====================  ======================================================================

:func:`load_scenario` checks everything that can be checked without a chain (unknown fields,
accounts, step references, wasm files) and names the file, line and field of each problem.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    model_validator,
)

from gasmodel.chaintypes import DEFAULT_DENOM, DEFAULT_FALLBACK_GAS_LIMIT, DEFAULT_GAS_MARGIN, Coin, KeyType
from gasmodel.errors import ConfigError
from gasmodel.scenario.locate import LocatedDocument, PathKey, load_document

RESERVED_ACCOUNT_NAMES = frozenset({"sender", "account", "code", "contract"})
_COIN = re.compile(r"^\s*(\d+)\s*([a-zA-Z][a-zA-Z0-9/:._-]*)\s*$")


def parse_coins(value: Any) -> Any:
    """Coins from ``"100inj,5foo"``, an integer (fee denom), a dict, or a list of those."""
    if value is None:
        return []
    if isinstance(value, bool):
        raise ValueError("a coin amount cannot be a boolean")
    if isinstance(value, int):
        return [{"denom": DEFAULT_DENOM, "amount": value}]
    if isinstance(value, str):
        out = []
        for part in filter(None, (p.strip() for p in value.split(","))):
            m = _COIN.match(part)
            if m is None:
                raise ValueError(f"not a coin amount: {part!r} (write e.g. '1000inj')")
            out.append({"denom": m.group(2), "amount": int(m.group(1))})
        return out
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        out = []
        for item in value:
            parsed = parse_coins(item)
            out.extend(parsed)
        return out
    raise ValueError(f"not a coin amount: {value!r}")


Coins = Annotated[list[Coin], BeforeValidator(parse_coins)]


class AccountDef(BaseModel):
    """A named account of the scenario, funded before the first step."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_.-]*$")
    key_type: KeyType = KeyType.ETH_SECP256K1
    balance: Coins = Field(default_factory=lambda: [Coin(denom=DEFAULT_DENOM, amount=10**24)])


class ChainSettings(BaseModel):
    """The chain state a scenario runs on. The localnet runner builds its chain with these; the
    offline runner (mock chain) starts from them. Gas depends on them: the chain id and block
    height are in every contract's env (and the height in every stored code and contract)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    chain_id: str = Field(default="gasmodel-1", min_length=1)
    initial_height: int = Field(default=1_000_000, ge=1, description="height of the first block")
    genesis_time: datetime = Field(
        default=datetime(2026, 1, 1, tzinfo=UTC),
        description="offline: the time of the first block (the localnet uses the wall clock)")
    block_seconds: float = Field(default=1.0, gt=0, description="offline: seconds between blocks")


class EventExpectation(BaseModel):
    """An event that must be among the tx's events: its type and a subset of its attributes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str
    attributes: dict[str, str] = Field(default_factory=dict)


class Expectation(BaseModel):
    """What a step should give. With no ``expect``, a step is expected to succeed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ok: bool = True
    code: int | None = None
    error_contains: str | None = None
    gas_used_min: int | None = Field(default=None, ge=0)
    gas_used_max: int | None = Field(default=None, ge=0)
    result: Any = None
    events: list[EventExpectation] = Field(default_factory=list)


class _Step(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.-]+$")
    sender: str | None = None
    gas_limit: int | None = Field(default=None, gt=0)
    expect: Expectation = Field(default_factory=Expectation)
    note: str | None = None


class StoreStep(_Step):
    """Upload a module (``.wasm``, or ``.wat`` text compiled first); path relative to the scenario file."""

    action: Literal["store"]
    wasm: str
    gzip: bool = True


class InstantiateStep(_Step):
    """Instantiate a stored code."""

    action: Literal["instantiate"]
    code_id: int | str
    msg: Any = Field(default_factory=dict)
    label: str | None = None
    admin: str | None = None
    funds: Coins = Field(default_factory=list)


class ExecuteStep(_Step):
    """Execute a contract."""

    action: Literal["execute"]
    contract: str
    msg: Any
    funds: Coins = Field(default_factory=list)


class MigrateStep(_Step):
    """Migrate a contract to a code id (the sender must be its admin)."""

    action: Literal["migrate"]
    contract: str
    code_id: int | str
    msg: Any = Field(default_factory=dict)


class QueryStep(_Step):
    """A smart query (``msg``) or a raw storage read (``raw_key``, UTF-8 text); no tx, no gas."""

    action: Literal["query"]
    contract: str
    msg: Any = None
    raw_key: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> QueryStep:
        if (self.msg is None) == (self.raw_key is None):
            raise ValueError("a query needs exactly one of 'msg' (smart query) or 'raw_key' (raw query)")
        return self


class BankSendStep(_Step):
    """A bank transfer."""

    action: Literal["bank_send"]
    to: str
    amount: Coins


ACTIONS = ("store", "instantiate", "execute", "migrate", "query", "bank_send")


def _action_of(value: Any) -> str | None:
    if isinstance(value, dict):
        action = value.get("action")
        return action if action in ACTIONS else None
    return getattr(value, "action", None)


Step = Annotated[
    Annotated[StoreStep, Tag("store")]
    | Annotated[InstantiateStep, Tag("instantiate")]
    | Annotated[ExecuteStep, Tag("execute")]
    | Annotated[MigrateStep, Tag("migrate")]
    | Annotated[QueryStep, Tag("query")]
    | Annotated[BankSendStep, Tag("bank_send")],
    Discriminator(_action_of, custom_error_type="unknown_action",
                  custom_error_message=f"'action' must be one of: {', '.join(ACTIONS)}"),
]


class Scenario(BaseModel):
    """A named list of accounts and steps. ``base_dir`` resolves relative wasm paths."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    description: str = ""
    accounts: list[AccountDef] = Field(min_length=1)
    steps: list[Step] = Field(min_length=1)
    chain: ChainSettings = Field(default_factory=ChainSettings)
    gas_margin: float = Field(default=DEFAULT_GAS_MARGIN, ge=1.0, le=10.0)
    fallback_gas_limit: int = Field(default=DEFAULT_FALLBACK_GAS_LIMIT, gt=0)
    base_dir: Path = Field(default=Path("."), exclude=True)
    source: str | None = Field(default=None, exclude=True)

    def step_names(self) -> list[str]:
        """The name of each step (``<action>-<n>`` when not given)."""
        return [s.name or f"{s.action}-{i + 1}" for i, s in enumerate(self.steps)]

    def sender_of(self, index: int) -> str:
        """The sender account of step ``index`` (the first account when not given)."""
        return self.steps[index].sender or self.accounts[0].name

    def key_seed(self) -> str:
        """The seed of the accounts' keys on a fresh chain (localnet genesis and the mock chain alike)."""
        return f"scenario:{self.name}"

    def wasm_path(self, step: StoreStep) -> Path:
        """The absolute path of a store step's module."""
        p = Path(step.wasm).expanduser()
        return p if p.is_absolute() else (self.base_dir / p).resolve()


# --------------------------------------------------------------------------------- placeholders
_PLACEHOLDER = re.compile(r"\$\$|\$\{([A-Za-z0-9_.:-]+)\}|\$([A-Za-z][A-Za-z0-9_.-]*(?::[A-Za-z0-9_.-]+)?)")


@dataclass(frozen=True)
class Placeholder:
    """A reference found in a string: ``kind`` is sender, account, code or contract."""

    kind: str
    name: str
    text: str


def parse_placeholder(token: str) -> Placeholder:
    """Split ``account:alice`` / ``alice`` / ``sender`` / ``code:store`` into kind and name."""
    if ":" in token:
        kind, name = token.split(":", 1)
        return Placeholder(kind=kind, name=name, text=token)
    if token == "sender":
        return Placeholder(kind="sender", name="", text=token)
    return Placeholder(kind="account", name=token, text=token)


def iter_placeholders(value: Any) -> Iterator[tuple[PathKey, Placeholder]]:
    """Every placeholder in a JSON value, with its path inside the value."""
    if isinstance(value, str):
        for m in _PLACEHOLDER.finditer(value):
            token = m.group(1) or m.group(2)
            if token:
                yield (), parse_placeholder(token)
    elif isinstance(value, dict):
        for k, v in value.items():
            for sub, ph in iter_placeholders(v):
                yield (k, *sub), ph
    elif isinstance(value, list):
        for i, v in enumerate(value):
            for sub, ph in iter_placeholders(v):
                yield (i, *sub), ph


def substitute(value: Any, lookup: Any) -> Any:
    """Replace placeholders in a JSON value; ``lookup(Placeholder)`` gives the replacement.

    A string that is exactly one placeholder becomes the looked-up value itself (so
    ``"$code:store"`` becomes a number); inside longer strings the value is written as text.
    """
    if isinstance(value, str):
        whole = _PLACEHOLDER.fullmatch(value)
        if whole and value != "$$":
            return lookup(parse_placeholder(whole.group(1) or whole.group(2)))

        def repl(m: re.Match[str]) -> str:
            if m.group(0) == "$$":
                return "$"
            return str(lookup(parse_placeholder(m.group(1) or m.group(2))))

        return _PLACEHOLDER.sub(repl, value)
    if isinstance(value, dict):
        return {k: substitute(v, lookup) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, lookup) for v in value]
    return value


# ------------------------------------------------------------------------------------ loading
_REF_FIELDS: dict[str, tuple[str, ...]] = {
    "store": (),
    "instantiate": ("code_id", "msg", "admin"),
    "execute": ("contract", "msg"),
    "migrate": ("contract", "code_id", "msg"),
    "query": ("contract", "msg", "raw_key"),
    "bank_send": ("to",),
}


class ScenarioError(ConfigError):
    """A scenario file is invalid; ``issues`` lists ``(line, where, message)``."""

    def __init__(self, source: str, issues: list[tuple[int | None, str, str]]) -> None:
        self.source = source
        self.issues = issues
        lines = [f"{source}:{line if line is not None else '?'}: {where}: {msg}"
                 for line, where, msg in issues]
        head = f"invalid scenario ({len(issues)} problem{'s' if len(issues) != 1 else ''}):\n  "
        super().__init__(head + "\n  ".join(lines))


def _doc_path(data: Any, loc: tuple[str | int, ...]) -> PathKey:
    """The path in the document of a pydantic error location (dropping union tags and the like)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            node = node[part]
            path.append(part)
        elif isinstance(node, dict) and isinstance(part, str) and part not in ACTIONS:
            path.append(part)  # a missing field: point at its parent's line
            break
    return tuple(path)


def _where(path: PathKey, data: Any) -> str:
    out = ""
    node = data
    for part in path:
        if isinstance(part, int):
            label = ""
            if isinstance(node, list) and isinstance(node[part], dict):
                item = node[part]
                tag = item.get("name") or item.get("action")
                label = f" ({tag})" if isinstance(tag, str) else ""
            out += f"[{part}]{label}"
        else:
            out += f".{part}" if out else str(part)
        if isinstance(node, dict | list):
            try:
                node = node[part]  # type: ignore[index]
            except (KeyError, IndexError, TypeError):
                node = None
    return out or "(top level)"


def _known_fields(data: Any, loc: tuple[str | int, ...]) -> list[str]:
    """The field names allowed where an unknown field was found (for did-you-mean hints)."""
    models: dict[str, type[BaseModel]] = {
        "store": StoreStep, "instantiate": InstantiateStep, "execute": ExecuteStep,
        "migrate": MigrateStep, "query": QueryStep, "bank_send": BankSendStep,
    }
    if len(loc) == 1:
        return [f for f in Scenario.model_fields if f not in ("base_dir", "source")]
    if loc and loc[0] == "accounts":
        return list(AccountDef.model_fields)
    if loc and loc[0] == "chain":
        return list(ChainSettings.model_fields)
    if loc and loc[0] == "steps" and len(loc) >= 4:
        if "expect" in loc:
            return list(EventExpectation.model_fields) if "events" in loc else list(Expectation.model_fields)
        model = models.get(str(loc[2]))
        if model is not None:
            return list(model.model_fields)
    return []


def _pydantic_issues(exc: ValidationError, doc: LocatedDocument) -> list[tuple[int | None, str, str]]:
    issues = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        path = _doc_path(doc.data, loc)
        where = _where(path, doc.data)
        if err["type"] == "extra_forbidden":
            field = str(loc[-1])
            hint = difflib.get_close_matches(field, _known_fields(doc.data, loc), n=1)
            msg = f"unknown field {field!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
            where = _where(path[:-1], doc.data) if path and path[-1] == field else where
        elif err["type"] == "missing":
            msg = f"missing required field {loc[-1]!r}"
            where = _where(path[:-1], doc.data) if path and path[-1] == loc[-1] else where
            path = path[:-1] if path and path[-1] == loc[-1] else path
        else:
            msg = err["msg"]
        issues.append((doc.line_of(path), where, msg))
    return issues


def _reference_issues(scenario: Scenario, doc: LocatedDocument) -> list[tuple[int | None, str, str]]:
    issues: list[tuple[int | None, str, str]] = []

    def add(path: PathKey, msg: str) -> None:
        issues.append((doc.line_of(path), _where(path, doc.data), msg))

    account_names = [a.name for a in scenario.accounts]
    seen: set[str] = set()
    for i, name in enumerate(account_names):
        if name in seen:
            add(("accounts", i, "name"), f"duplicate account name {name!r}")
        if name in RESERVED_ACCOUNT_NAMES:
            add(("accounts", i, "name"), f"the account name {name!r} is reserved")
        seen.add(name)
    names = scenario.step_names()
    stores: set[str] = set()
    instances: set[str] = set()
    step_seen: set[str] = set()
    for i, step in enumerate(scenario.steps):
        name = names[i]
        if name in step_seen:
            add(("steps", i, "name"), f"duplicate step name {name!r}")
        step_seen.add(name)
        if step.sender is not None and step.sender not in account_names:
            add(("steps", i, "sender"), _unknown("account", step.sender, account_names))
        for field in _REF_FIELDS[step.action]:
            value = getattr(step, field)
            for sub, ph in iter_placeholders(value):
                where = ("steps", i, field, *sub)
                if ph.kind == "account" and ph.name not in account_names:
                    add(where, f"${ph.text}: " + _unknown("account", ph.name, account_names))
                elif ph.kind == "code" and ph.name not in stores:
                    add(where, f"${ph.text}: " + _unknown("earlier store step", ph.name, sorted(stores)))
                elif ph.kind == "contract" and ph.name not in instances:
                    add(where, f"${ph.text}: "
                        + _unknown("earlier instantiate step", ph.name, sorted(instances)))
                elif ph.kind not in ("account", "code", "contract", "sender"):
                    add(where, f"${ph.text}: unknown placeholder kind {ph.kind!r} "
                               "(use $sender, $NAME, $account:NAME, $code:STEP, $contract:STEP; $$ for '$')")
        if isinstance(step, StoreStep):
            path = scenario.wasm_path(step)
            if not path.is_file():
                add(("steps", i, "wasm"), f"wasm file not found: {path}")
            stores.add(name)
        elif isinstance(step, InstantiateStep):
            instances.add(name)
        if isinstance(step, InstantiateStep | MigrateStep) and isinstance(step.code_id, str) \
                and _PLACEHOLDER.fullmatch(step.code_id) is None:
            add(("steps", i, "code_id"), "code_id must be a number or a placeholder like $code:STEP")
    return issues


def _unknown(kind: str, name: str, known: list[str]) -> str:
    hint = difflib.get_close_matches(name, known, n=1)
    listing = ", ".join(known) if known else "none"
    suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
    return f"unknown {kind} {name!r}{suggestion}; known: {listing}"


def scenario_from_document(doc: LocatedDocument, base_dir: Path) -> Scenario:
    """Validate a parsed document as a scenario; ScenarioError lists every problem with its line."""
    if not isinstance(doc.data, dict):
        raise ScenarioError(doc.source, [(1, "(top level)", "a scenario must be a mapping with "
                                          "'name', 'accounts' and 'steps'")])
    try:
        scenario = Scenario.model_validate({**doc.data, "base_dir": base_dir, "source": doc.source})
    except ValidationError as exc:
        raise ScenarioError(doc.source, _pydantic_issues(exc, doc)) from None
    issues = _reference_issues(scenario, doc)
    if issues:
        raise ScenarioError(doc.source, issues)
    return scenario


def load_scenario(path: Path | str) -> Scenario:
    """Load and check a scenario file (``.json``, ``.yaml``/``.yml``, ``.toml``)."""
    p = Path(path)
    doc = load_document(p)
    return scenario_from_document(doc, p.resolve().parent)


def scenario_from_data(data: dict[str, Any], base_dir: Path | str = ".", source: str = "<data>") -> Scenario:
    """Validate a scenario given as Python data (no line numbers in errors)."""
    return scenario_from_document(LocatedDocument(data=data, source=source), Path(base_dir).resolve())
