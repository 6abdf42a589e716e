"""The one release.toml builder of the suite, and its one age key pair.

A test describes what it configures as values (environments, each with its database; backups;
alters) and gets the text a user would write. Databases on the suite's server read their
password from PASSWORD_ENV; backups are encrypted to the suite's age key pair, made once per
test process (so once per session, per xdist worker), whose identity file IDENTITY_ENV names.
Set both variables with `use_credentials`.
"""

from __future__ import annotations

import atexit
import functools
import json
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyrage import x25519

from tests.support.mariadb import MariaDB

PASSWORD_ENV = "STAGECRAFT_TEST_DB_PASSWORD"
IDENTITY_ENV = "STAGECRAFT_TEST_AGE_IDENTITY"

Value = str | int | bool | Path | Sequence[str] | Sequence["Host"]


@dataclass(frozen=True)
class AgeKeys:
    identity_file: Path     # holds the private key, as a user's identity file would
    recipient: str          # the public key, for [backups] recipients


@functools.cache
def age_keys() -> AgeKeys:
    """The suite's age key pair, made on first use; its folder goes when the process ends."""
    folder = Path(tempfile.mkdtemp(prefix="stagecraft-test-age-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    identity = x25519.Identity.generate()
    identity_file = folder / "age-identity.txt"
    identity_file.write_text(f"{identity}\n")
    identity_file.chmod(0o600)
    return AgeKeys(identity_file=identity_file, recipient=str(identity.to_public()))


def use_credentials(monkeypatch: pytest.MonkeyPatch, mariadb: MariaDB) -> None:
    """The variables the built release.toml names: the server's password, the identity file."""
    monkeypatch.setenv(PASSWORD_ENV, mariadb.password)
    monkeypatch.setenv(IDENTITY_ENV, str(age_keys().identity_file))


@dataclass(frozen=True)
class Host:
    """One entry of an environment's `hosts`: a name from ~/.ssh/config (or "local")."""

    host: str
    path: str | Path = ""


@dataclass(frozen=True)
class Database:
    """An environment's [database]; only the keys given are written."""

    name: str
    host: str = ""
    port: int | None = None
    socket: str = ""
    user: str = ""
    password_env: str = ""
    ssh: str = ""

    @classmethod
    def on(cls, mariadb: MariaDB, name: str, *, ssh: str = "") -> Database:
        """Database `name` on the suite's server, its password in PASSWORD_ENV."""
        return cls(name=name, host=mariadb.host, port=mariadb.port, user=mariadb.user,
                   password_env=PASSWORD_ENV, ssh=ssh)


@dataclass(frozen=True)
class Environment:
    """[environments.NAME]; only the keys given are written. `extra` is written as it is, last
    in the table (for what a test needs spelled out, such as a wrong value)."""

    name: str
    path: str | Path = ""
    host: str = ""
    ref: str = ""
    reload: str = ""
    smoke_url: str = ""
    hosts: Sequence[Host] | None = None
    database: Database | None = None
    extra: str = ""


@dataclass(frozen=True)
class Backups:
    """[backups], encrypted to the suite's age key pair unless `encrypted` is False (for what
    only needs the folder)."""

    dir: str | Path
    keep: int | None = None
    encrypted: bool = True


@dataclass(frozen=True)
class Git:
    """[git]; only the keys given are written."""

    remote: str = ""
    base: str = ""
    staging: str = ""
    tag_format: str = ""


@dataclass(frozen=True)
class Alters:
    """[alters]; only the keys given are written."""

    files: Sequence[str] = ()
    ledger_table: str = ""
    check_with: str = ""


def release_toml(environments: Sequence[Environment] = (), *, git: Git | None = None,
                 alters: Alters | None = None, backups: Backups | None = None,
                 extra: str = "") -> str:
    """The text of release.toml; `extra` ([scrub], [[qa.values]], ...) goes last, as it is."""
    tables: list[str] = []
    if git is not None:
        tables.append(_table("git", {"remote": git.remote, "base": git.base,
                                     "staging": git.staging, "tag_format": git.tag_format}))
    if alters is not None:
        tables.append(_table("alters", {"files": list(alters.files) or None,
                                        "ledger_table": alters.ledger_table,
                                        "check_with": alters.check_with}))
    for env in environments:
        # every host has a path (release.toml requires it): one nobody deploys to, unless given
        path = env.path or ("" if env.hosts else f"/srv/{env.name}/app")
        tables.append(_table(f"environments.{env.name}", {
            "path": path, "host": env.host, "ref": env.ref, "reload": env.reload,
            "smoke_url": env.smoke_url, "hosts": env.hosts}, env.extra))
        if env.database is not None:
            db = env.database
            tables.append(_table(f"environments.{env.name}.database", {
                "name": db.name, "host": db.host, "port": db.port, "socket": db.socket,
                "user": db.user, "password_env": db.password_env, "ssh": db.ssh}))
    if backups is not None:
        keys = {"recipients": [age_keys().recipient],
                "identity_env": IDENTITY_ENV} if backups.encrypted else {}
        tables.append(_table("backups", {"dir": backups.dir, **keys, "keep": backups.keep}))
    return "\n".join(tables) + ("\n" + extra if extra else "")


def _table(header: str, keys: dict[str, Value | None], extra: str = "") -> str:
    lines = [f"[{header}]"] + [f"{key} = {_value(value)}" for key, value in keys.items()
                               if value is not None and value != ""]
    return "\n".join(lines + ([extra] if extra else [])) + "\n"


def _value(value: Value | Host) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str | Path):
        # A JSON string is a TOML basic string.
        return json.dumps(str(value), ensure_ascii=False)
    if isinstance(value, Host):
        return (f"{{ host = {_value(value.host)}, path = {_value(value.path)} }}" if value.path
                else _value(value.host))
    return "[" + ", ".join(_value(item) for item in value) + "]"
