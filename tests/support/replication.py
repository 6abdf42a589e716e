"""Two private MariaDB servers on this machine with GTID replication between them: a primary
(binary log, server_id 1) holding the sample application's database, and its replica
(server_id 2, MASTER_USE_GTID=slave_pos). Both listen on 127.0.0.1 and a socket in a temporary
folder; nothing outside this machine is involved."""

from __future__ import annotations

import subprocess
import time
import tomllib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from release.config import Config, parse
from release.db.throwaway import PrivateServer, private_server
from release.demo import sample
from tests.support.toml import IDENTITY_ENV, age_keys

DATABASE = "production_app"
PRIMARY_PASSWORD_ENV = "STAGECRAFT_TEST_PRIMARY_PASSWORD"
REPLICA_PASSWORD_ENV = "STAGECRAFT_TEST_REPLICA_PASSWORD"


@dataclass(frozen=True)
class Pair:
    primary: PrivateServer
    replica: PrivateServer

    def sql(self, server: PrivateServer, statement: str) -> list[tuple[object, ...]]:
        with server.connect() as conn, conn.cursor() as cur:
            cur.execute(statement)
            return list(cur.fetchall())

    def replica_status(self) -> dict[str, object]:
        with self.replica.connect() as conn, conn.cursor() as cur:
            cur.execute("SHOW SLAVE STATUS")
            names = [d[0] for d in cur.description or ()]
            row = cur.fetchone()
        return dict(zip(names, row or (), strict=False))

    def caught_up(self, timeout: int = 60) -> None:
        """Wait until the replica has applied everything the primary has written."""
        position = str(self.sql(self.primary, "SELECT @@gtid_binlog_pos")[0][0])
        answer = self.sql(self.replica, f"SELECT MASTER_GTID_WAIT('{position}', {timeout})")
        assert answer[0][0] == 0, f"the replica did not reach {position}"

    def replicating(self) -> None:
        """Back to normal after a test played with replication: both threads, no delay."""
        self.sql(self.replica, "STOP SLAVE")
        self.sql(self.replica, "CHANGE MASTER TO MASTER_DELAY = 0")
        self.sql(self.replica, "START SLAVE")
        self.caught_up()

    def toml(self, recipient: str, identity_env: str, *, max_lag: int = 30) -> str:
        p, r = self.primary, self.replica
        return (f'[environments.production]\npath = "/srv/production/app"\n'
                f'[environments.production.database]\nname = "{DATABASE}"\nhost = "{p.host}"\n'
                f'port = {p.port}\nuser = "{p.user}"\npassword_env = "{PRIMARY_PASSWORD_ENV}"\n\n'
                f'[environments.production.database.replica]\nhost = "{r.host}"\n'
                f'port = {r.port}\nuser = "{r.user}"\npassword_env = "{REPLICA_PASSWORD_ENV}"\n'
                f'max_lag = {max_lag}\n\n'
                f'[backups]\ndir = "backups"\nrecipients = ["{recipient}"]\n'
                f'identity_env = "{identity_env}"\nkeep = 2\n')


@contextmanager
def replicated_pair(folder: Path, *, primary_options: tuple[str, ...] = ()) -> Iterator[Pair]:
    with ExitStack() as stack:
        primary = stack.enter_context(private_server(
            folder / "primary", options=("--log-bin=primary-bin", "--server-id=1",
                                         "--binlog-format=ROW", *primary_options)))
        replica = stack.enter_context(private_server(
            folder / "replica", options=("--server-id=2", "--relay-log=replica-relay")))
        pair = Pair(primary, replica)
        pair.sql(replica, f"CHANGE MASTER TO MASTER_HOST = '127.0.0.1', "
                          f"MASTER_PORT = {primary.port}, MASTER_USER = '{primary.user}', "
                          f"MASTER_PASSWORD = '{primary.password}', "
                          "MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1")
        pair.sql(replica, "START SLAVE")
        pair.sql(primary, f"CREATE DATABASE `{DATABASE}`")
        load(primary, DATABASE, sample.database_sql())
        _wait_running(pair)
        pair.caught_up()
        yield pair


def load(server: PrivateServer, database: str, sql: str) -> None:
    """Feed SQL to the mariadb client as a person would (the OS user, over the socket)."""
    subprocess.run(["mariadb", f"--socket={server.socket}", database], input=sql, text=True,
                   check=True, capture_output=True)


def _wait_running(pair: Pair) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = pair.replica_status()
        if status.get("Slave_IO_Running") == "Yes" and status.get("Slave_SQL_Running") == "Yes":
            return
        time.sleep(0.2)
    raise AssertionError(f"replication did not start: {pair.replica_status()}")


@dataclass
class ReplicaSetup:
    """An application whose production database has a replica; backups to the suite's keys."""

    root: Path
    pair: Pair
    identity_file: Path
    recipient: str

    def config(self, *, max_lag: int = 30) -> Config:
        toml = self.pair.toml(self.recipient, IDENTITY_ENV, max_lag=max_lag)
        return parse(tomllib.loads(toml), root=self.root, source="release.toml")

    def write(self, *, max_lag: int = 30) -> None:
        (self.root / "release.toml").write_text(
            self.pair.toml(self.recipient, IDENTITY_ENV, max_lag=max_lag))


def make_replica_setup(pair: Pair, tmp_path: Path,
                       monkeypatch: pytest.MonkeyPatch) -> ReplicaSetup:
    """The pair replicating and caught up, the passwords and the identity in the environment,
    and release.toml written in tmp_path/replicated-app."""
    pair.replicating()
    keys = age_keys()
    monkeypatch.setenv(PRIMARY_PASSWORD_ENV, pair.primary.password)
    monkeypatch.setenv(REPLICA_PASSWORD_ENV, pair.replica.password)
    monkeypatch.setenv(IDENTITY_ENV, str(keys.identity_file))
    root = tmp_path / "replicated-app"
    root.mkdir()
    (root / "tasks.py").write_text("from release.tasks import ns  # noqa: F401\n")
    found = ReplicaSetup(root, pair, keys.identity_file, keys.recipient)
    found.write()
    return found
