"""An environment's database, resolved once from the configuration: what every db operation
needs (whose database it is, how to log in, where its backups go), so that no db function
looks the environment up again or builds credentials twice."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from release.config import BackupsConfig, Config, EnvironmentConfig, is_production
from release.db.credentials import Credentials, credentials, replica_credentials


@dataclass(frozen=True)
class Replica:
    """The environment's replica: dumps, backups and clones read from it once it checks out
    (release.db.replica)."""

    credentials: Credentials
    max_lag: int
    ssh: str = ""

    def through(self, host: str, port: int) -> Replica:
        return replace(self, credentials=replace(self.credentials, host=host, port=port,
                                                 socket=""))


@dataclass(frozen=True)
class Database:
    environment: str
    credentials: Credentials
    backups: BackupsConfig
    backups_dir: Path  # absolute: relative [backups] dir values resolve against the repository
    ssh: str = ""      # the host a tunnel reaches the server through, "" when direct
    replica: Replica | None = None
    from_primary: bool = False  # --from-primary: read the primary although a replica is set

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

    def with_replica(self, replica: Replica | None) -> Database:
        return replace(self, replica=replica)

    def reading_primary(self) -> Database:
        """--from-primary: reads go to the primary even though a replica is configured."""
        return replace(self, from_primary=True)


def backups_dir(config: Config) -> Path:
    path = Path(config.backups.dir).expanduser()
    return path if path.is_absolute() else config.root / path


def resolve(config: Config, env_name: str) -> Database:
    """The environment's database as configured (an SSH tunnel, if any, is opened by the
    caller, which then uses `through`)."""
    return database_of(config.environment(env_name), config.backups, backups_dir(config))


def database_of(env: EnvironmentConfig, backups: BackupsConfig, folder: Path) -> Database:
    """The database of an environment already looked up (its replica too, when it has one); a
    ConfigError saying what to add when it has none (or its password cannot be found)."""
    replica_creds = replica_credentials(env)
    replica = env.database.replica if env.database else None
    return Database(environment=env.name, credentials=credentials(env), backups=backups,
                    backups_dir=folder, ssh=env.database.ssh if env.database else "",
                    replica=Replica(replica_creds, replica.max_lag, replica.ssh)
                    if replica and replica_creds else None)
