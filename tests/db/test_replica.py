from __future__ import annotations

import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from release.db.backups import pair as alters_backups
from release.db.backups.dump import dump
from release.db.backups.manifest import read
from release.db.replica import Primary, Status, check
from release.db.target import resolve
from release.demo import sample
from release.environment.database import open_database
from release.environment.resolved import resolve_environment
from release.errors import Refused
from tests.support.git import Sandbox
from tests.support.mariadb import MariaDB
from tests.support.replication import DATABASE, ReplicaSetup
from tests.support.toml import IDENTITY_ENV, PASSWORD_ENV

PRIMARY = Primary(server_id=1, gtid_domain_id=0, port=3306,
                  names=("db1.example", "127.0.0.1"), gtid_position="0-1-42")
GOOD = Status(master_host="db1.example", master_port=3306, master_server_id=1,
              io_running="Yes", sql_running="Yes", seconds_behind=0, using_gtid="Slave_Pos",
              gtid_io_pos="0-1-42", gtid_slave_pos="0-1-42")


def _invoke(setup: ReplicaSetup, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=setup.root,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)


def test_a_replica_of_this_primary_running_and_current_passes() -> None:
    assert check(PRIMARY, GOOD, 30) is None


@pytest.mark.parametrize(("status", "failed", "why"), [
    (None, "replicates this primary", "not a replica"),
    (Status(**{**GOOD.__dict__, "master_host": "db9", "master_server_id": 9}),
     "replicates this primary", "db9:3306"),
    (Status(**{**GOOD.__dict__, "using_gtid": "No"}), "GTID domain", "MASTER_USE_GTID"),
    (Status(**{**GOOD.__dict__, "gtid_io_pos": "7-1-42", "gtid_slave_pos": "7-1-40"}),
     "GTID domain", "domain 0"),
    (Status(**{**GOOD.__dict__, "io_running": "Connecting", "last_io_error": "refused"}),
     "IO thread", "Slave_IO_Running is Connecting (last error: refused)"),
    (Status(**{**GOOD.__dict__, "sql_running": "No"}), "SQL thread", "Slave_SQL_Running"),
    (Status(**{**GOOD.__dict__, "seconds_behind": 31}), "lag", "31s behind"),
    (Status(**{**GOOD.__dict__, "seconds_behind": None}), "lag", "unknown"),
])
def test_each_failed_check_is_named(status: Status | None, failed: str, why: str) -> None:
    found = check(PRIMARY, status, 30)
    assert found is not None
    assert found[0] == failed and why in found[1]


def test_the_source_is_recognised_by_address_before_the_replica_ever_connected() -> None:
    fresh = Status(**{**GOOD.__dict__, "master_host": "127.0.0.1", "master_server_id": 0})
    assert check(PRIMARY, fresh, 30) is None


def _general_log(setup: ReplicaSetup, path: Path) -> None:
    setup.pair.sql(setup.pair.primary, f"SET GLOBAL general_log_file = '{path}'")
    setup.pair.sql(setup.pair.primary, "SET GLOBAL log_output = 'FILE'")
    setup.pair.sql(setup.pair.primary, "SET GLOBAL general_log = 1")


def test_a_dump_reads_the_replica_and_runs_nothing_of_it_on_the_primary(
        replica_setup: ReplicaSetup, tmp_path: Path) -> None:
    log = tmp_path / "primary-general.log"
    _general_log(replica_setup, log)
    try:
        result = _invoke(replica_setup, "db.dump", "--env", "production")
    finally:
        replica_setup.pair.sql(replica_setup.pair.primary, "SET GLOBAL general_log = 0")
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.split("Wrote ")[-1].strip())
    manifest = read(path)
    assert manifest is not None
    assert manifest.replica == f"127.0.0.1:{replica_setup.pair.replica.port}"
    assert manifest.gtid_position.startswith("0-1-") and manifest.lag_seconds == 0
    queries = re.findall(r"\sQuery\t(.*)", log.read_text())
    # The primary answered the replica check (who it is, its GTID position) and nothing else:
    # no table was listed, read or dumped there.
    assert "SELECT @@server_id, @@gtid_domain_id, @@port, @@hostname, @@gtid_binlog_pos" \
        in queries
    assert set(queries) <= {"SET NAMES utf8mb4", "SET GLOBAL general_log = 0",
                            "SELECT @@server_id, @@gtid_domain_id, @@port, @@hostname, "
                            "@@gtid_binlog_pos"}, queries


def test_a_stopped_replica_is_refused_naming_the_sql_thread(replica_setup: ReplicaSetup) -> None:
    replica_setup.pair.sql(replica_setup.pair.replica, "STOP SLAVE SQL_THREAD")
    result = _invoke(replica_setup, "db.dump", "--env", "production")
    assert result.returncode == 1
    assert "fails the check 'SQL thread'" in result.stderr
    assert "--from-primary" in result.stderr and "Traceback" not in result.stderr
    assert not list((replica_setup.root / "backups").glob("*.age"))


def test_a_lagging_replica_is_refused_naming_the_lag(replica_setup: ReplicaSetup) -> None:
    pair = replica_setup.pair
    pair.sql(pair.replica, "STOP SLAVE")
    pair.sql(pair.replica, "CHANGE MASTER TO MASTER_DELAY = 60")
    pair.sql(pair.replica, "START SLAVE")
    pair.sql(pair.primary, f"INSERT INTO `{DATABASE}`.django_site (domain, name) "
                           "VALUES ('lag.example', 'lag')")
    deadline = time.monotonic() + 30
    while int(pair.replica_status().get("Seconds_Behind_Master") or 0) < 2:
        assert time.monotonic() < deadline, pair.replica_status()
        time.sleep(0.2)
    replica_setup.write(max_lag=1)
    with pytest.raises(Refused, match=r"fails the check 'lag': it is \d+s behind its primary "
                                      r"\(max_lag is 1s\)"):
        dump(resolve(replica_setup.config(max_lag=1), "production"))


def test_from_primary_goes_on_past_a_stopped_replica(replica_setup: ReplicaSetup) -> None:
    replica_setup.pair.sql(replica_setup.pair.replica, "STOP SLAVE SQL_THREAD")
    result = _invoke(replica_setup, "db.dump", "--env", "production", "--from-primary")
    assert result.returncode == 0, result.stderr
    assert "Reading the primary of 'production' (--from-primary)" in result.stdout
    manifest = read(Path(result.stdout.split("Wrote ")[-1].strip()))
    assert manifest is not None and manifest.replica == "" and manifest.gtid_position == ""


def test_the_backup_after_the_alters_waits_for_the_replica_to_apply_them(
        replica_setup: ReplicaSetup) -> None:
    pair = replica_setup.pair
    pair.sql(pair.replica, "STOP SLAVE")
    pair.sql(pair.replica, "CHANGE MASTER TO MASTER_DELAY = 3")
    pair.sql(pair.replica, "START SLAVE")
    # The alters' change, not yet on the replica (it applies events 3 s late).
    table = f"after_alters_{uuid.uuid4().hex[:8]}"
    pair.sql(pair.primary, f"CREATE TABLE `{DATABASE}`.`{table}` (id INT PRIMARY KEY)")
    position = str(pair.sql(pair.primary, "SELECT @@gtid_binlog_pos")[0][0])
    said: list[str] = []
    path = alters_backups.backup(resolve(replica_setup.config(), "production"), moment="after",
                                 release="r1", say=said.append)
    manifest = read(path)
    assert manifest is not None and manifest.replica
    assert position in manifest.gtid_position.split(",")
    assert table in manifest.tables
    assert any(line.startswith("Waiting (up to 300s) for the replica of 'production' to apply "
                               f"the primary's GTID position {position}") for line in said)


def test_a_clone_reads_the_replica_and_from_primary_reads_the_primary(
        replica_setup: ReplicaSetup, mariadb: MariaDB, qa_database: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, mariadb.password)
    toml = (replica_setup.root / "release.toml").read_text() + (
        f'\n[environments.qa]\npath = "/srv/qa/app"\n'
        f'[environments.qa.database]\nname = "{qa_database}"\nhost = "{mariadb.host}"\n'
        f'port = {mariadb.port}\nuser = "{mariadb.user}"\npassword_env = "{PASSWORD_ENV}"\n\n'
        + sample.scrub_toml())
    (replica_setup.root / "release.toml").write_text(toml)
    log = tmp_path / "primary-general.log"
    _general_log(replica_setup, log)
    try:
        cloned = _invoke(replica_setup, "db.clone", "--from", "production", "--to", "qa",
                         "--yes")
        assert cloned.returncode == 0, cloned.stderr
        assert f"read from the replica at 127.0.0.1:{replica_setup.pair.replica.port}" \
            in cloned.stdout
        assert not [q for q in re.findall(r"\sQuery\t(.*)", log.read_text())
                    if "SQL_NO_CACHE" in q or "information_schema" in q.lower()]
        replica_setup.pair.sql(replica_setup.pair.replica, "STOP SLAVE SQL_THREAD")
        refused = _invoke(replica_setup, "db.clone", "--from", "production", "--to", "qa",
                          "--yes")
        assert refused.returncode == 1 and "fails the check 'SQL thread'" in refused.stderr
        primary = _invoke(replica_setup, "db.clone", "--from", "production", "--to", "qa",
                          "--yes", "--from-primary")
        assert primary.returncode == 0, primary.stderr
        assert "SQL_NO_CACHE" in log.read_text()  # this time the primary was read
    finally:
        replica_setup.pair.sql(replica_setup.pair.primary, "SET GLOBAL general_log = 0")


def test_open_database_resolves_the_replica_and_from_primary_sets_it_aside(
        replica_setup: ReplicaSetup) -> None:
    config = replica_setup.config(max_lag=12)
    production = resolve_environment(config, "production")
    with open_database(production) as db:
        assert db.replica is not None and db.replica.max_lag == 12
        assert db.replica.credentials.port == replica_setup.pair.replica.port
        assert db.replica.credentials.password == replica_setup.pair.replica.password
        assert db.replica.credentials.database == DATABASE and not db.from_primary
    with open_database(production, from_primary=True) as db:
        assert db.from_primary


def test_alters_apply_takes_its_backups_from_the_replica_or_with_from_primary_the_primary(
        replica_setup: ReplicaSetup, sandbox: Sandbox) -> None:
    backups = replica_setup.root / "backups"
    toml = replica_setup.pair.toml(replica_setup.recipient, IDENTITY_ENV).replace(
        'dir = "backups"', f'dir = "{backups}"')
    (sandbox.app / "release.toml").write_text(toml)
    for how in ((), ("--from-primary",)):
        column = f"c{uuid.uuid4().hex[:8]}"
        (sandbox.app / "alters.sql").write_text(
            f"-- alter: {column}\nALTER TABLE django_site ADD COLUMN {column} int NULL;\n")
        applied = sandbox.invoke("alters.apply", "--env", "production", "--yes", *how)
        assert applied.returncode == 0, applied.stderr
        made = [read(Path(line.split(": ", 1)[1])) for line in applied.stdout.splitlines()
                if line.startswith(("backup before: ", "backup after: "))]
        assert len(made) == 2 and all(m is not None for m in made)
        replica = "" if how else f"127.0.0.1:{replica_setup.pair.replica.port}"
        assert [m.replica for m in made if m] == [replica, replica]
