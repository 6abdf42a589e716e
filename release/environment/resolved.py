"""An environment resolved once, where a command starts (release/tasks/), into the one value
that travels down to every step: its name, its configuration, its hosts and its database.
Nothing below the tasks looks the environment's name up in the configuration again."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from release.config import BackupsConfig, Config, EnvironmentConfig, HostEntry
from release.db.target import Database, backups_dir, database_of


@dataclass(frozen=True)
class Environment:
    config: EnvironmentConfig
    hosts: tuple[HostEntry, ...]   # the web hosts a deploy rolls over, in order
    backups: BackupsConfig = field(default_factory=BackupsConfig)
    backups_dir: Path = Path("backups")

    @property
    def name(self) -> str:
        return self.config.name

    @cached_property
    def database(self) -> Database | None:
        """Its database (not yet reached: `open_database` does that), None when it has none.

        Resolved on first use, once: finding the password reads the environment or an option
        file, and a command that never needs the database (a dry run's plan) must not fail
        for want of it."""
        if self.config.database is None:
            return None
        return database_of(self.config, self.backups, self.backups_dir)

    def configured_database(self) -> Database:
        """Its database; a ConfigError saying which section to add when it has none."""
        found = self.database
        # database_of refuses an environment without a database, saying what to add.
        return found if found is not None else database_of(self.config, self.backups,
                                                            self.backups_dir)


def resolve_environment(config: Config, name: str) -> Environment:
    """The environment called `name`; a ConfigError naming the file when there is none."""
    env = config.environment(name)
    return Environment(config=env, hosts=env.web_hosts(), backups=config.backups,
                       backups_dir=backups_dir(config))
