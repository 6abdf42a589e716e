"""Asking the application's own Django: its interpreter runs script/probe.py in a checkout of
the code, with the database's credentials in an in-memory option file (0600, never on disk),
never on a command line."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

from release.alters.migrations import Migration
from release.config import Config, DjangoConfig
from release.db.credentials import Credentials, client_option_file
from release.django.drift import ModelTable
from release.errors import ConfigError, Failed

TIMEOUT = 600  # seconds; creating a large project's tables takes a few


@dataclass(frozen=True)
class Models:
    """What Django at one commit says: which model and field each table and column is."""

    ref: str           # as a person names it: "staging (1a2b3c4d5e6f)"
    tables: dict[str, ModelTable]
    django: str        # Django's version


def django_config(config: Config) -> DjangoConfig:
    if config.django is None:
        raise ConfigError(f"{config.source} has no [django] section: add one with the "
                          "application's interpreter and settings module (python = "
                          "\".venv/bin/python\", settings = \"mysite.settings\").")
    return config.django


def interpreter(config: Config) -> Path:
    """The application's interpreter, as configured (relative to the repository)."""
    wanted = Path(django_config(config).python).expanduser()
    path = wanted if wanted.is_absolute() else config.root / wanted
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise ConfigError(f"{config.source}: django.python = {str(wanted)!r}: no interpreter "
                          f"at {path}. Point it at the application's virtualenv's python.")
    return path


def models_at(config: Config, tree: Path, creds: Credentials, ref: str) -> Models:
    """Have Django at the checkout `tree` create its tables in the (scratch) database of
    `creds`; which model each table belongs to."""
    found = _run(config, tree, "schema", creds, ref)
    tables = {str(name): ModelTable(str(entry["model"]),
                                    {str(c): str(f) for c, f in entry["fields"].items()})
              for name, entry in found["tables"].items()}
    return Models(ref, tables, str(found.get("django", "")))


def migrations_at(config: Config, tree: Path, ref: str) -> list[Migration]:
    """The migrations present in the code at `tree` (no database is reached)."""
    found = _run(config, tree, "migrations", None, ref)
    return [Migration.parse(str(name)) for name in found["migrations"]]


def _run(config: Config, tree: Path, mode: str, creds: Credentials | None,
         ref: str) -> dict[str, Any]:
    django = django_config(config)
    python = interpreter(config)
    root = tree / Path(django.manage).parent
    env = {**os.environ, "STAGECRAFT_DJANGO_SETTINGS": django.settings,
           "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="stagecraft-")))
        inherited: tuple[int, ...] = ()
        if creds is not None:
            # The option file lives in memory: the script reads it through the inherited fd.
            option_file = stack.enter_context(client_option_file(creds))
            env["STAGECRAFT_DJANGO_OPTION_FILE"] = option_file.path
            env["STAGECRAFT_DJANGO_DATABASE"] = creds.database
            inherited = option_file.fds
        script = stack.enter_context(as_file(files("release.django") / "script" / "probe.py"))
        output = folder / "found.json"
        try:
            result = subprocess.run([str(python), str(script), mode, str(root), str(output)],
                                    cwd=root, env=env, capture_output=True, text=True,
                                    timeout=TIMEOUT, check=False, stdin=subprocess.DEVNULL,
                                    pass_fds=inherited)
        except subprocess.TimeoutExpired:
            raise Failed(f"the application's Django at {ref} did not answer within "
                         f"{TIMEOUT} s; nothing was changed.") from None
        if result.returncode != 0 or not output.is_file():
            raise Failed(_failure(django, ref, mode, result.stderr))
        found: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
        return found


def _failure(django: DjangoConfig, ref: str, mode: str, stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()][-6:]
    doing = "create its models' tables" if mode == "schema" else "list its migrations"
    return (f"the application's Django at {ref} could not {doing} (settings "
            f"{django.settings!r}):\n" + "\n".join(f"    {line}" for line in lines)
            + "\nCheck [django] in release.toml (python, settings, manage) and that the code "
            "at that commit imports; nothing was changed.")
