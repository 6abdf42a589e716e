"""An environment's database, resolved once from the configuration: what every db operation
needs (whose database it is, how to log in, where its backups go), so that no db function
looks the environment up again or builds credentials twice."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from release.config import BackupsConfig, Config, EnvironmentConfig, is_production
from release.db.credentials import Credentials, credentials


@dataclass(frozen=True)
class Database:
    environment: str
    credentials: Credentials
    backups: BackupsConfig
    backups_dir: Path  # absolute: relative [backups] dir values resolve against the repository
    ssh: str = ""      # the host a tunnel reaches the server through, "" when direct

    @property
    def name(self) -> str:
        return self.credentials.database

    @property
    def production(self) -> bool:
        return is_production(self.environment)

    def through(self, host: str, port: int) -> Database:
        """The same database reached at a local tunnel end instead of its own address."""
        return replace(self, credentials=replace(self.credentials, host=host, port=port,
                                                 socket=""))


def backups_dir(config: Config) -> Path:
    path = Path(config.backups.dir).expanduser()
    return path if path.is_absolute() else config.root / path


def resolve(config: Config, env_name: str) -> Database:
    """The environment's database as configured (an SSH tunnel, if any, is opened by the
    caller, which then uses `through`)."""
    return database_of(config.environment(env_name), config.backups, backups_dir(config))


def database_of(env: EnvironmentConfig, backups: BackupsConfig, folder: Path) -> Database:
    """The database of an environment already looked up; a ConfigError saying what to add when
    it has none (or its password cannot be found)."""
    return Database(environment=env.name, credentials=credentials(env), backups=backups,
                    backups_dir=folder, ssh=env.database.ssh if env.database else "")
