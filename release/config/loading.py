"""Finding and reading the configuration: `release.toml`, else `[tool.release]` in
pyproject.toml, else every default (the git tasks need no file).

Every problem in the file is reported in one run, each with the file's name and the key's
path; a literal password is refused without its value ever being shown.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from release.config.checks import checklist_problems, where_problems
from release.config.sections import ChecklistStep, ConfigFile, EnvironmentConfig, QaValue
from release.errors import ConfigError
from release.validation import Invalid, from_python

# A key that would hold a secret itself (`password`, `db_password`, `passwd`, ...), as
# opposed to naming where one is (`password_env`, `option_file`).
_SECRET_KEY = re.compile(r"(?:\w+_)?(?:password|passwd|pwd|pass|secret)", re.IGNORECASE)
_SECRET_PROBLEM = ("literal passwords are not allowed in the file; use password_env (an "
                   "environment variable's name) or option_file")


@dataclass(frozen=True, kw_only=True)
class Config(ConfigFile):
    """The repository's configuration: what its file holds, and where it was found."""

    root: Path
    source: str  # "release.toml" or "pyproject.toml [tool.release]": messages name it
    found: bool = True  # False: no file, every value is a default

    @property
    def qa_values(self) -> tuple[QaValue, ...]:
        return self.qa.values

    @property
    def checklist_steps(self) -> tuple[ChecklistStep, ...]:
        return self.checklist.steps

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
    data = _without_secrets(data, "", problems)
    data = _named_environments(data, problems)
    problems += _unknown_check_with(data)
    problems += checklist_problems(data)
    environments = data.get("environments")
    for name, table in (environments.items() if isinstance(environments, dict) else ()):
        problems += where_problems(name, table, root) if isinstance(table, dict) else []
    try:
        file = from_python(ConfigFile, data)
    except Invalid as invalid:
        problems += invalid.problems
    if problems:
        listing = "\n".join(f"  {source}: {p}" for p in problems)
        raise ConfigError(f"invalid configuration:\n{listing}\nFix these keys and retry.")
    return Config(root=root, source=source,
                  **{f.name: getattr(file, f.name) for f in fields(ConfigFile)})


def _without_secrets(table: dict[str, Any], path: str, problems: list[str]) -> dict[str, Any]:
    """The table without keys that would hold a password, each one a problem."""
    kept: dict[str, Any] = {}
    for key, value in table.items():
        where = f"{path}.{key}" if path else key
        if _SECRET_KEY.fullmatch(key):
            problems.append(f"{where}: {_SECRET_PROBLEM}")
        elif isinstance(value, dict):
            kept[key] = _without_secrets(value, where, problems)
        elif isinstance(value, list):
            kept[key] = [_without_secrets(item, f"{where}[{index}]", problems)
                         if isinstance(item, dict) else item
                         for index, item in enumerate(value)]
        else:
            kept[key] = value
    return kept


def _unknown_check_with(data: dict[str, Any]) -> list[str]:
    """[alters] check_with must name an environment of the file (its server parses)."""
    alters, environments = data.get("alters"), data.get("environments")
    name = alters.get("check_with") if isinstance(alters, dict) else None
    if not isinstance(name, str) or not name or \
            (isinstance(environments, dict) and name in environments):
        return []
    return [f"alters.check_with: names {name!r}, which is not a configured environment (add "
            f"[environments.{name}.database] or remove the key)"]


def _named_environments(data: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    """Each environment's table gets its name from its key in [environments]."""
    environments = data.get("environments")
    if not isinstance(environments, dict):
        return data
    named: dict[str, Any] = {}
    for name, table in environments.items():
        if isinstance(table, dict):
            if "name" in table:
                problems.append(f"environments.{name}.name: unknown key")
            table = {**table, "name": name}
        named[name] = table
    return {**data, "environments": named}
