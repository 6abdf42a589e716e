"""Loading and validating `release.toml` (or `[tool.release]` in pyproject.toml).

Everything has a default so that the git tasks work with no file at all. Problems are
collected and reported together, each with the file name and the key's path.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from release.errors import ConfigError

T = TypeVar("T")

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


@dataclass(frozen=True)
class GitConfig:
    remote: str = "origin"
    base: str = "master"
    staging: str = "staging"
    tag_format: str = "release-{date:%Y.%m.%d}.{n}"


@dataclass(frozen=True)
class OnlineConfig:
    """pt-online-schema-change's throttles for `-- online: pt-osc` blocks: it pauses copying
    above max_load and aborts above critical_load (status variables, `Name=N[,Name=N]`)."""

    max_load: str = "Threads_running=25"
    critical_load: str = "Threads_running=50"


@dataclass(frozen=True)
class AltersConfig:
    files: tuple[str, ...] = ("alters.sql",)
    push_instructions: str = "production_push_instructions.txt"
    ledger_table: str = "release_alters"
    large_table_rows: int = LARGE_TABLE_ROWS
    dialect: str = ""  # "mysql" | "mariadb"; "": as the last look at a server said (lint)
    check_with: str = ""  # the environment whose server parses statements for AL001
    online: OnlineConfig = field(default_factory=OnlineConfig)


@dataclass(frozen=True)
class DatabaseConfig:
    name: str
    host: str = "127.0.0.1"
    port: int = 3306
    socket: str = ""
    user: str = ""
    password_env: str = ""
    option_file: str = ""
    ssh: str = ""


@dataclass(frozen=True)
class HostEntry:
    """One web host of an environment: "local" or an SSH target, and its checkout there."""

    host: str
    path: str = ""  # "" means the environment's `path`

    def __str__(self) -> str:
        return f"{self.host}:{self.path}" if self.path else self.host


@dataclass(frozen=True)
class EnvironmentConfig:
    name: str
    host: str = "local"
    path: str = "."
    ref: str = "staging"
    reload: str = ""
    smoke_url: str = ""
    hosts: tuple[HostEntry, ...] = ()
    database: DatabaseConfig | None = None

    def web_hosts(self) -> tuple[HostEntry, ...]:
        """The hosts a deploy rolls over, in order, each with its checkout's path."""
        entries = self.hosts or (HostEntry(self.host),)
        return tuple(HostEntry(e.host, e.path or self.path) for e in entries)


@dataclass(frozen=True)
class BackupsConfig:
    dir: str = "backups"
    recipients: tuple[str, ...] = ()
    identity_env: str = "RELEASE_AGE_IDENTITY"
    keep: int = 10


@dataclass(frozen=True)
class ScrubRule:
    table: str
    column: str
    kind: str


@dataclass(frozen=True)
class ScrubConfig:
    safe: tuple[str, ...] = ()
    rules: tuple[ScrubRule, ...] = ()


@dataclass(frozen=True)
class QaValue:
    """A test value set in QA after the scrub (the runbook's "Update the QA database's Twilio
    values"): `value` is an SQL expression, `where` names the rows. `allow` accepts a value
    that is not a known fictional or test number, knowingly."""

    table: str
    column: str
    where: str
    value: str
    allow: bool = False

    def describe(self) -> str:
        return f"{self.table}.{self.column} = {self.value} WHERE {self.where}"


@dataclass(frozen=True)
class Config:
    root: Path
    source: str
    found: bool = True  # False: no file, every value is a default
    git: GitConfig = field(default_factory=GitConfig)
    alters: AltersConfig = field(default_factory=AltersConfig)
    environments: dict[str, EnvironmentConfig] = field(default_factory=dict)
    backups: BackupsConfig = field(default_factory=BackupsConfig)
    scrub: ScrubConfig = field(default_factory=ScrubConfig)
    qa_values: tuple[QaValue, ...] = ()

    def environment(self, name: str) -> EnvironmentConfig:
        try:
            return self.environments[name]
        except KeyError:
            if not self.found:
                raise ConfigError(
                    f"there is no release.toml (nor [tool.release] in pyproject.toml) in "
                    f"{self.root}, so no environment is configured. Create release.toml with "
                    f"an [environments.{name}] section (see the README's Configuration)."
                ) from None
            known = ", ".join(sorted(self.environments)) or "none"
            raise ConfigError(
                f"{self.source}: no [environments.{name}] section (configured: {known}). "
                f"Add [environments.{name}] to {self.source} or pass another --env."
            ) from None


class _Table:
    """A TOML table being read: typed look-ups that record problems under their key path."""

    def __init__(self, data: dict[str, Any], path: str, problems: list[str]) -> None:
        self.data = dict(data)
        self.path = path
        self.problems = problems

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def take(self, name: str, kind: type[T], default: T) -> T:
        if name not in self.data:
            return default
        value = self.data.pop(name)
        if kind is int and isinstance(value, bool):
            value = None
        if not isinstance(value, kind):
            self.problems.append(
                f"{self.key(name)}: expected {_type_name(kind)}, got {_type_name(type(value))} "
                f"({value!r})"
            )
            return default
        return value

    def take_required_str(self, name: str) -> str:
        if name not in self.data:
            self.problems.append(f"{self.key(name)}: required value is missing")
            return ""
        return self.take(name, str, "")

    def take_strings(self, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        values = self.take(name, list, list(default))
        if not all(isinstance(v, str) for v in values):
            self.problems.append(f"{self.key(name)}: expected a list of strings")
            return default
        return tuple(values)

    def table(self, name: str) -> _Table:
        value = self.take(name, dict, {})
        return _Table(value, self.key(name), self.problems)

    def finish(self) -> None:
        for name in sorted(self.data):
            self.problems.append(f"{self.key(name)}: unknown key")


def _type_name(kind: type) -> str:
    return {str: "a string", int: "an integer", list: "a list", dict: "a table",
            bool: "true/false"}.get(kind, kind.__name__)


def load(root: Path) -> Config:
    """Read the configuration of the application repository at `root`."""
    release_toml = root / "release.toml"
    pyproject = root / "pyproject.toml"
    if release_toml.is_file():
        return parse(_read_toml(release_toml), root=root, source="release.toml")
    if pyproject.is_file():
        data = _read_toml(pyproject)
        section = data.get("tool", {}).get("release")
        if isinstance(section, dict):
            return parse(section, root=root, source="pyproject.toml [tool.release]")
    return Config(root=root, source="release.toml", found=False)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            f"{path.name}: not valid TOML: {error}. Fix the file and retry."
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path.name}: cannot be read: {error}") from None


def parse(data: dict[str, Any], *, root: Path, source: str) -> Config:
    """Validate a configuration mapping; raise ConfigError naming every problem."""
    problems: list[str] = []
    top = _Table(data, "", problems)
    git = _git(top.table("git"))
    alters = _alters(top.table("alters"))
    envs_table = top.table("environments")
    environments = {
        name: _environment(name, envs_table.table(name))
        for name in sorted(envs_table.data)
        if isinstance(envs_table.data.get(name), dict)
    }
    envs_table.finish()
    if alters.check_with and alters.check_with not in environments:
        problems.append(f"alters.check_with: names {alters.check_with!r}, which is not a "
                        "configured environment (add [environments."
                        f"{alters.check_with}.database] or remove the key)")
    backups = _backups(top.table("backups"))
    scrub = _scrub(top.table("scrub"))
    qa_values = _qa_values(top.table("qa"))
    top.finish()
    if problems:
        listing = "\n".join(f"  {source}: {p}" for p in problems)
        raise ConfigError(f"invalid configuration:\n{listing}\nFix these keys and retry.")
    return Config(root=root, source=source, git=git, alters=alters,
                  environments=environments, backups=backups, scrub=scrub,
                  qa_values=qa_values)


def _git(t: _Table) -> GitConfig:
    d = GitConfig()
    config = GitConfig(
        remote=t.take("remote", str, d.remote),
        base=t.take("base", str, d.base),
        staging=t.take("staging", str, d.staging),
        tag_format=t.take("tag_format", str, d.tag_format),
    )
    if "{n}" not in config.tag_format and "{version}" not in config.tag_format:
        t.problems.append(f"{t.key('tag_format')}: must contain {{n}} or {{version}}")
    t.finish()
    return config


def _alters(t: _Table) -> AltersConfig:
    d = AltersConfig()
    raw_dialect = t.data.get("dialect")
    config = AltersConfig(
        files=t.take_strings("files", d.files),
        push_instructions=t.take("push_instructions", str, d.push_instructions),
        ledger_table=t.take("ledger_table", str, d.ledger_table),
        large_table_rows=t.take("large_table_rows", int, d.large_table_rows),
        dialect=t.take("dialect", str, d.dialect),
        check_with=t.take("check_with", str, d.check_with),
        online=_online(t.table("online")),
    )
    if isinstance(raw_dialect, str) and raw_dialect not in SQL_DIALECTS:
        t.problems.append(f"{t.key('dialect')}: expected \"mysql\" or \"mariadb\", got "
                          f"{config.dialect!r}")
    if not config.ledger_table.replace("_", "").isalnum():
        t.problems.append(f"{t.key('ledger_table')}: use letters, digits and underscores only")
    t.finish()
    return config


def _online(t: _Table) -> OnlineConfig:
    d = OnlineConfig()
    config = OnlineConfig(max_load=t.take("max_load", str, d.max_load),
                          critical_load=t.take("critical_load", str, d.critical_load))
    for name in ("max_load", "critical_load"):
        if not _LOAD.fullmatch(getattr(config, name)):
            t.problems.append(f"{t.key(name)}: expected status variables and limits such as "
                              f"\"Threads_running=25\" (several: \"A=1,B=2\"), not "
                              f"{getattr(config, name)!r}")
    t.finish()
    return config


def _environment(name: str, t: _Table) -> EnvironmentConfig:
    d = EnvironmentConfig(name=name)
    db_data = t.data.get("database")
    database = _database(t.table("database")) if isinstance(db_data, dict) else None
    if db_data is not None and not isinstance(db_data, dict):
        t.take("database", dict, {})
    config = EnvironmentConfig(
        name=name,
        host=t.take("host", str, d.host),
        path=t.take("path", str, d.path),
        ref=t.take("ref", str, d.ref),
        reload=t.take("reload", str, d.reload),
        smoke_url=t.take("smoke_url", str, d.smoke_url),
        hosts=_hosts(t),
        database=database,
    )
    t.finish()
    return config


def _hosts(t: _Table) -> tuple[HostEntry, ...]:
    """`hosts = ["local", "deploy@web1", { host = "deploy@web2", path = "/srv/mdcom" }]`."""
    entries: list[HostEntry] = []
    for index, raw in enumerate(t.take("hosts", list, [])):
        path = f"{t.key('hosts')}[{index}]"
        if isinstance(raw, str):
            entries.append(HostEntry(raw))
        elif isinstance(raw, dict):
            entry = _Table(raw, path, t.problems)
            entries.append(HostEntry(entry.take_required_str("host"), entry.take("path", str, "")))
            entry.finish()
        else:
            t.problems.append(f"{path}: expected an SSH target, \"local\" or a table "
                              f"{{ host = \"...\", path = \"...\" }}, got {raw!r}")
    return tuple(entries)


def _database(t: _Table) -> DatabaseConfig:
    name = t.take_required_str("name")
    if "password" in t.data:
        t.data.pop("password")
        t.problems.append(
            f"{t.key('password')}: literal passwords are not allowed in the file; "
            "use password_env (an environment variable's name) or option_file"
        )
    config = DatabaseConfig(
        name=name,
        host=t.take("host", str, "127.0.0.1"),
        port=t.take("port", int, 3306),
        socket=t.take("socket", str, ""),
        user=t.take("user", str, ""),
        password_env=t.take("password_env", str, ""),
        option_file=t.take("option_file", str, ""),
        ssh=t.take("ssh", str, ""),
    )
    if config.password_env and config.option_file:
        t.problems.append(f"{t.path}: set password_env or option_file, not both")
    t.finish()
    return config


def _backups(t: _Table) -> BackupsConfig:
    d = BackupsConfig()
    config = BackupsConfig(
        dir=t.take("dir", str, d.dir),
        recipients=t.take_strings("recipients", d.recipients),
        identity_env=t.take("identity_env", str, d.identity_env),
        keep=t.take("keep", int, d.keep),
    )
    if config.keep < 1:
        t.problems.append(f"{t.key('keep')}: must be at least 1")
    t.finish()
    return config


def _scrub(t: _Table) -> ScrubConfig:
    safe = t.take_strings("safe", ())
    raw_rules = t.take("rules", list, [])
    rules: list[ScrubRule] = []
    for index, raw in enumerate(raw_rules):
        path = f"{t.key('rules')}[{index}]"
        if not isinstance(raw, dict):
            t.problems.append(f"{path}: expected a table ([[scrub.rules]])")
            continue
        rule_table = _Table(raw, path, t.problems)
        rule = ScrubRule(
            table=rule_table.take_required_str("table"),
            column=rule_table.take_required_str("column"),
            kind=rule_table.take_required_str("kind"),
        )
        if rule.kind and rule.kind not in SCRUB_KINDS and not rule.kind.startswith("literal:"):
            t.problems.append(
                f"{path}.kind: unknown kind {rule.kind!r}; use one of "
                f"{', '.join(SCRUB_KINDS)} or literal:<sql expression>"
            )
        rule_table.finish()
        rules.append(rule)
    t.finish()
    return ScrubConfig(safe=safe, rules=tuple(rules))


def _qa_values(t: _Table) -> tuple[QaValue, ...]:
    """`[[qa.values]]`: table, column, where and value required; `allow` optional."""
    values: list[QaValue] = []
    for index, raw in enumerate(t.take("values", list, [])):
        path = f"{t.key('values')}[{index}]"
        if not isinstance(raw, dict):
            t.problems.append(f"{path}: expected a table ([[qa.values]])")
            continue
        entry = _Table(raw, path, t.problems)
        value = QaValue(table=entry.take_required_str("table"),
                        column=entry.take_required_str("column"),
                        where=entry.take_required_str("where"),
                        value=entry.take_required_str("value"),
                        allow=entry.take("allow", bool, False))
        for name in ("table", "column"):
            text = getattr(value, name)
            if text and not text.replace("_", "").isalnum():
                t.problems.append(f"{path}.{name}: use letters, digits and underscores only")
        if not value.where.strip() and "where" in raw:
            t.problems.append(f"{path}.where: must name the rows (e.g. \"id IN (17, 23)\")")
        entry.finish()
        values.append(value)
    t.finish()
    return tuple(values)
