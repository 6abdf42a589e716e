"""The tables of `release.toml`: each field named once, with its type, default and rules.

They are plain frozen dataclasses (the rest of Stagecraft builds and replaces them like any
other value); `release.validation` checks a file against them. A table refuses keys it does
not know; `Annotated[..., Check(...)]` carries a field's own rule and its message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar

from release.config.checks import bad_step_id, good_step_id, known_step, step_id, unknown_step
from release.validation import STRICT, Check, Convert

SCRUB_KINDS = ("phone", "email", "name", "first_name", "last_name", "address", "date", "token",
               "redact", "null")
LARGE_TABLE_ROWS = 1_000_000  # above this an ALTER without an online strategy is an error
SQL_DIALECTS = ("mysql", "mariadb")
_LOAD = re.compile(r"[A-Za-z_]+=\d+(?:,[A-Za-z_]+=\d+)*")
PRODUCTION = "production"


def is_production(env_name: str) -> bool:
    """Production is the environment named "production" (SPEC: `db.clone --from production`):
    clones are made from it, and it refuses restores without --yes-really and test values.
    Every other environment is a test environment that may be given a scrubbed clone of it."""
    return env_name == PRODUCTION

_IDENTIFIER = "use letters, digits and underscores only"


def _identifier(text: str) -> bool:
    return text.replace("_", "").isalnum()


def _env_name(text: str) -> bool:
    return not text or re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", text) is not None


# The secret's own text pasted where its variable's name goes is refused, and never echoed.
EnvName = Annotated[str, Check(_env_name, "expected an environment variable's name (letters, "
                                          "digits, underscores), never the secret itself")]


def _load_limits(value: str) -> str:
    return (f"expected status variables and limits such as \"Threads_running=25\" (several: "
            f"\"A=1,B=2\"), not {value!r}")


class _Table:
    """A table of the file: a key it does not know is a mistake (a typo loses a setting)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}


Load = Annotated[str, Check(_LOAD.fullmatch, _load_limits)]


@dataclass(frozen=True)
class GitConfig(_Table):
    remote: str = "origin"
    base: str = "master"
    staging: str = "staging"
    tag_format: Annotated[str, Check(lambda v: "{n}" in v or "{version}" in v,
                                     "must contain {n} or {version}")] = \
        "release-{date:%Y.%m.%d}.{n}"


@dataclass(frozen=True)
class OnlineConfig(_Table):
    """pt-online-schema-change's throttles for `-- online: pt-osc` blocks: it pauses copying
    above max_load and aborts above critical_load (status variables, `Name=N[,Name=N]`)."""

    max_load: Load = "Threads_running=25"
    critical_load: Load = "Threads_running=50"


@dataclass(frozen=True)
class AltersConfig(_Table):
    files: tuple[str, ...] = ("alters.sql",)
    push_instructions: str = "production_push_instructions.txt"
    ledger_table: Annotated[str, Check(_identifier, _IDENTIFIER)] = "release_alters"
    large_table_rows: Annotated[int, STRICT] = LARGE_TABLE_ROWS
    # "": as the last look at a server said (lint); written out, it must name one
    dialect: Annotated[str, Check(lambda v: v in SQL_DIALECTS,
                                  lambda v: f"expected \"mysql\" or \"mariadb\", got {v!r}")] = ""
    check_with: str = ""  # the environment whose server parses statements for AL001
    online: OnlineConfig = field(default_factory=OnlineConfig)


MAX_LAG = 30  # seconds a replica may be behind its primary and still be read from


@dataclass(frozen=True)
class ReplicaConfig(_Table):
    """A replica of an environment's database that dumps, backups and clones read from
    instead of the primary (the same database name; its own address and login)."""

    host: str = "127.0.0.1"
    port: Annotated[int, STRICT] = 3306
    socket: str = ""
    user: str = ""
    password_env: EnvName = ""
    option_file: str = ""
    ssh: str = ""
    max_lag: Annotated[int, STRICT, Check(lambda v: v >= 0, "must be 0 or more (seconds)")] = \
        MAX_LAG
    # Never set: a replica holds its primary's database, so a `name` here is a mistake.
    name: Annotated[str, Check(lambda v: not v, "a replica holds its primary's database; "
                                                "remove `name` (the database's own `name` "
                                                "applies)")] = ""


def _one_password_source(database: DatabaseConfig | ReplicaConfig | None) -> bool:
    return database is None or not (database.password_env and database.option_file)


@dataclass(frozen=True)
class DatabaseConfig(_Table):
    name: str
    host: str = "127.0.0.1"
    port: Annotated[int, STRICT] = 3306
    socket: str = ""
    user: str = ""
    password_env: EnvName = ""
    option_file: str = ""
    ssh: str = ""
    replica: Annotated[ReplicaConfig | None,
                       Check(_one_password_source,
                             "set password_env or option_file, not both")] = None


def _host_table(raw: object) -> object:
    """`"deploy@web1"` is short for `{ host = "deploy@web1" }`."""
    if isinstance(raw, str):
        return {"host": raw}
    if isinstance(raw, dict):
        return raw
    raise ValueError(f"expected an SSH target, \"local\" or a table "
                     f"{{ host = \"...\", path = \"...\" }}, got {raw!r}")


@dataclass(frozen=True)
class HostEntry(_Table):
    """One web host of an environment: "local" or an SSH target, and its checkout there."""

    host: str
    path: str = ""  # "" means the environment's `path`

    def __str__(self) -> str:
        return f"{self.host}:{self.path}" if self.path else self.host


@dataclass(frozen=True)
class EnvironmentConfig(_Table):
    name: str  # the table's name in [environments], never a key of its own
    host: str = "local"
    path: str = ""  # required in the file (checks.where_problems): no default folder to run in
    ref: str = "staging"
    reload: str = ""
    smoke_url: str = ""
    hosts: tuple[Annotated[HostEntry, Convert(_host_table)], ...] = ()
    database: Annotated[DatabaseConfig | None,
                        Check(_one_password_source,
                              "set password_env or option_file, not both")] = None

    def web_hosts(self) -> tuple[HostEntry, ...]:
        """The hosts a deploy rolls over, in order, each with its checkout's path."""
        entries = self.hosts or (HostEntry(self.host),)
        return tuple(HostEntry(e.host, e.path or self.path) for e in entries)


@dataclass(frozen=True)
class BackupsConfig(_Table):
    dir: str = "backups"
    recipients: tuple[str, ...] = ()
    identity_env: EnvName = "RELEASE_AGE_IDENTITY"
    keep: Annotated[int, STRICT, Check(lambda v: v >= 1, "must be at least 1")] = 10


def _scrub_kind(kind: str) -> bool:
    return not kind or kind in SCRUB_KINDS or kind.startswith("literal:")


@dataclass(frozen=True)
class ScrubRule(_Table):
    table: str
    column: str
    kind: Annotated[str, Check(_scrub_kind, lambda v: (
        f"unknown kind {v!r}; use one of {', '.join(SCRUB_KINDS)} or literal:<sql expression>"))]


@dataclass(frozen=True)
class ScrubConfig(_Table):
    safe: tuple[str, ...] = ()
    rules: tuple[ScrubRule, ...] = ()


SqlName = Annotated[str, Check(lambda v: not v or _identifier(v), _IDENTIFIER)]


@dataclass(frozen=True)
class QaValue(_Table):
    """A test value set in QA after the scrub (the runbook's "Update the QA database's Twilio
    values"): `value` is an SQL expression, `where` names the rows. `allow` accepts a value
    that is not a known fictional or test number, knowingly."""

    table: SqlName
    column: SqlName
    where: Annotated[str, Check(str.strip, "must name the rows (e.g. \"id IN (17, 23)\")")]
    value: str
    allow: Annotated[bool, STRICT] = False

    def describe(self) -> str:
        return f"{self.table}.{self.column} = {self.value} WHERE {self.where}"


@dataclass(frozen=True)
class QaConfig(_Table):
    values: tuple[QaValue, ...] = ()


_MODULE = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")


def _inside(path: str) -> bool:
    return path.endswith(".py") and not path.startswith("/")


@dataclass(frozen=True)
class DjangoConfig(_Table):
    """What the application's own Django is run with (Stagecraft never imports Django): its
    interpreter (relative paths against the repository), its settings module, and where
    manage.py sits in the repository (its folder is the project's import root)."""

    python: str
    settings: Annotated[str, Check(_MODULE.fullmatch, lambda v: (
        f"expected a dotted module name such as \"mysite.settings\", not {v!r}"))]
    manage: Annotated[str, Check(_inside, lambda v: (
        f"expected manage.py's path inside the repository (e.g. \"src/manage.py\"), "
        f"not {v!r}"))] = "manage.py"
AfterStep = Annotated[str, Check(known_step, unknown_step)]
StepId = Annotated[str, Check(good_step_id, bad_step_id)]


@dataclass(frozen=True)
class ChecklistStep(_Table):
    """A team's own step (`[[checklist.steps]]`): a product check or a manual step, shown in
    the checklist and asked by release.run, in `environments` (all when empty), after the
    built-in step `after` or in the section `section` (a new one, or a built-in's title or
    id); by default in "QA checks"."""

    title: Annotated[str, Check(str.strip, "must not be empty")]
    text: str = ""
    commands: tuple[str, ...] = ()
    environments: tuple[str, ...] = ()
    section: str = ""
    after: AfterStep = ""
    id: StepId = ""  # how release.run records it; default: made from the title

    def applies_to(self, environment: str) -> bool:
        return not self.environments or environment in self.environments

    @property
    def step_id(self) -> str:
        return step_id(self.title, self.id)


@dataclass(frozen=True)
class ChecklistConfig(_Table):
    steps: tuple[ChecklistStep, ...] = ()


@dataclass(frozen=True)
class ConfigFile(_Table):
    """What the file holds (`Config` adds where it was found)."""

    git: GitConfig = field(default_factory=GitConfig)
    alters: AltersConfig = field(default_factory=AltersConfig)
    environments: dict[str, EnvironmentConfig] = field(default_factory=dict)
    backups: BackupsConfig = field(default_factory=BackupsConfig)
    scrub: ScrubConfig = field(default_factory=ScrubConfig)
    qa: QaConfig = field(default_factory=QaConfig)
    django: DjangoConfig | None = None  # None: no [django] section, no model checks
    checklist: ChecklistConfig = field(default_factory=ChecklistConfig)
