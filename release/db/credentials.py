"""Where a database password comes from, and how client tools receive it.

Passwords come from an environment variable (`password_env`) or a MySQL option file
(`option_file`), never from release.toml. Client tools get them through a temporary option
file (0600 in a 0700 folder, deleted afterwards), never on a command line.
"""

from __future__ import annotations

import configparser
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from release.config import DatabaseConfig, EnvironmentConfig, ReplicaConfig
from release.errors import ConfigError


@dataclass(frozen=True)
class Credentials:
    """Everything needed to log in; `__repr__` hides the password so it never reaches a log."""

    environment: str
    database: str
    host: str
    port: int
    socket: str
    user: str
    password: str | None

    def __repr__(self) -> str:
        hidden = "set" if self.password else "none"
        return (f"Credentials(environment={self.environment!r}, database={self.database!r}, "
                f"user={self.user!r}, host={self.host!r}, port={self.port}, password={hidden})")

    @property
    def where(self) -> str:
        return self.socket or f"{self.host}:{self.port}"


def credentials(env: EnvironmentConfig) -> Credentials:
    db = env.database
    key = f"environments.{env.name}.database"
    if db is None:
        raise ConfigError(
            f"environment {env.name!r} has no [{key}] section; add one with at least `name`."
        )
    return _login(env.name, db.name, db, key)


def replica_credentials(env: EnvironmentConfig) -> Credentials | None:
    """How to log in to the environment's replica (its primary's database), if it has one."""
    db = env.database
    if db is None or db.replica is None:
        return None
    return _login(env.name, db.name, db.replica, f"environments.{env.name}.database.replica")


def _login(env_name: str, database: str, db: DatabaseConfig | ReplicaConfig,
           key: str) -> Credentials:
    values = _option_file_values(db.option_file, key) if db.option_file else {}
    password: str | None = values.get("password")
    if db.password_env:
        password = os.environ.get(db.password_env)
        if password is None:
            raise ConfigError(
                f"the environment variable {db.password_env} ({key}.password_env) is not set. "
                f"Export it with the database password for {env_name!r} and retry."
            )
    return Credentials(
        environment=env_name,
        database=database,
        host=values.get("host", db.host),
        port=int(values.get("port", db.port)),
        socket=values.get("socket", db.socket),
        user=values.get("user", db.user) or os.environ.get("USER", "root"),
        password=password,
    )


def _option_file_values(path_text: str, key: str) -> dict[str, str]:
    path = Path(path_text).expanduser()
    parser = configparser.ConfigParser(allow_no_value=True, interpolation=None, strict=False)
    try:
        with path.open(encoding="utf-8") as handle:
            parser.read_file(handle)
    except (OSError, UnicodeDecodeError, configparser.Error) as error:
        raise ConfigError(
            f"{key}.option_file: cannot read {path}: {error.__class__.__name__}. Check the path "
            "and that it is a MySQL option file with a [client] section."
        ) from None
    values: dict[str, str] = {}
    for section in ("client", "mysql", "mariadb-client"):
        if parser.has_section(section):
            for name, value in parser.items(section):
                if value is not None:
                    values.setdefault(name.replace("-", "_"), value.strip().strip("'\""))
    return values


@contextmanager
def client_option_file(creds: Credentials) -> Iterator[Path]:
    """A [client] option file for mariadb/mariadb-dump, readable only by us, removed on exit.

    Pass it as the tool's first argument: `--defaults-extra-file=PATH`.
    """
    folder = Path(tempfile.mkdtemp(prefix="stagecraft-"))
    folder.chmod(0o700)
    path = folder / "client.cnf"
    lines = ["[client]", f"user={_quote(creds.user)}"]
    if creds.password is not None:
        lines.append(f"password={_quote(creds.password)}")
    if creds.socket:
        lines.append(f"socket={_quote(creds.socket)}")
    else:
        lines += [f"host={_quote(creds.host)}", f"port={creds.port}", "protocol=TCP"]
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _quote(value: str) -> str:
    # Option files treat '#' and surrounding spaces specially; quoting keeps the value literal.
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
