"""Where a database password comes from, and how client tools receive it.

Passwords come from an environment variable (`password_env`) or a MySQL option file
(`option_file`), never from release.toml. Client tools get them through an option file that
lives only in memory (an anonymous file the tool inherits), never on a command line and never
on disk: a run killed at any moment leaves no password behind.
"""

from __future__ import annotations

import configparser
import os
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


@dataclass(frozen=True)
class OptionFile:
    """An option file held in an anonymous in-memory file: `path` names it for a child process
    that inherits `fd` (pass `pass_fds=option_file.fds` to subprocess)."""

    fd: int

    @property
    def path(self) -> str:
        return f"/dev/fd/{self.fd}"

    @property
    def fds(self) -> tuple[int]:
        return (self.fd,)

    def __str__(self) -> str:
        return self.path

    def __fspath__(self) -> str:
        return self.path


@contextmanager
def client_option_file(creds: Credentials) -> Iterator[OptionFile]:
    """A [client] option file for mariadb/mariadb-dump, readable only by us and our children,
    gone when the last of them exits (even killed: it never had a name on disk).

    Pass it as the tool's first argument, `--defaults-extra-file=PATH`, with `pass_fds`.
    """
    lines = ["[client]", f"user={_quote(creds.user)}"]
    if creds.password is not None:
        lines.append(f"password={_quote(creds.password)}")
    if creds.socket:
        lines.append(f"socket={_quote(creds.socket)}")
    else:
        lines += [f"host={_quote(creds.host)}", f"port={creds.port}", "protocol=TCP"]
    fd = os.memfd_create("stagecraft-client", os.MFD_CLOEXEC)
    try:
        # The client tools ignore a world-writable option file; memfd starts at 0777.
        os.fchmod(fd, 0o600)
        data = ("\n".join(lines) + "\n").encode()
        while data:
            data = data[os.write(fd, data):]
        yield OptionFile(fd)
    finally:
        os.close(fd)


def _quote(value: str) -> str:
    # Option files treat '#' and surrounding spaces specially; quoting keeps the value literal.
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
