from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

from pyrage import x25519

from release.db.backups import folder as backups
from release.db.backups.drill import compare, swap_steps
from release.db.backups.manifest import Manifest, manifest_path, read
from release.db.backups.physical import version_problem
from release.db.backups.stream import AGE_HEADER
from release.db.replica import marker_path
from release.db.target import resolve
from release.db.throwaway import private_server
from tests.support.production import Setup
from tests.support.replication import DATABASE, PRIMARY_PASSWORD_ENV, ReplicaSetup

TOOL = "mariadb-backup based on MariaDB server 10.11.19-MariaDB debian-linux-gnu (x86_64)"


def _invoke(root: Path, *args: str, tmp: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **({"TMPDIR": str(tmp)} if tmp else {})}
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=root, env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)


def _written(result: subprocess.CompletedProcess[str]) -> Path:
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.split("Wrote ")[-1].strip())


def test_the_tool_and_the_server_must_be_the_same_version() -> None:
    assert version_problem(TOOL, "10.11.19-MariaDB-0+deb12u1") is None
    assert version_problem(TOOL, "10.11.6-MariaDB-log") == \
        "mariadb-backup is version 10.11.19 but the server is 10.11.6"
    assert version_problem(TOOL, "11.4.2-MariaDB") is not None
    assert "cannot tell" in (version_problem("mariadb-backup (unknown)", "10.11.19") or "")


def test_a_server_of_another_version_is_refused_by_name(tmp_path: Path) -> None:
    identity = x25519.Identity.generate()
    root = tmp_path / "app"
    root.mkdir()
    (root / "tasks.py").write_text("from release.tasks import ns  # noqa: F401\n")
    with private_server(tmp_path / "old", options=("--version=10.6.99-MariaDB-log",)) as old:
        with old.connect() as conn, conn.cursor() as cur:
            cur.execute("CREATE DATABASE app")
        (root / "release.toml").write_text(
            f'[environments.production]\npath = "/srv/production/app"\n'
            f'[environments.production.database]\nname = "app"\nhost = "{old.host}"\n'
            f'port = {old.port}\nuser = "{old.user}"\npassword_env = "{PRIMARY_PASSWORD_ENV}"\n'
            f'[backups]\nrecipients = ["{identity.to_public()}"]\n')
        env = {**os.environ, PRIMARY_PASSWORD_ENV: old.password}
        result = subprocess.run([sys.executable, "-m", "invoke", "db.dump", "--env",
                                 "production", "--physical"], cwd=root, env=env,
                                capture_output=True, text=True, stdin=subprocess.DEVNULL,
                                check=False)
    assert result.returncode == 1
    assert "mariadb-backup is version 10.11." in result.stderr
    assert "but the server is 10.6.99" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "backups").exists() or not list((root / "backups").iterdir())


def test_a_physical_backup_of_the_replica_goes_through_the_restore_drill(
        replica_setup: ReplicaSetup, tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    path = _written(_invoke(replica_setup.root, "db.dump", "--env", "production",
                            "--physical", tmp=tmp))
    assert path.name.endswith(".xb.zst.age")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(AGE_HEADER)
    manifest = read(path)
    assert manifest is not None and manifest.kind == "physical"
    assert manifest.replica == f"127.0.0.1:{replica_setup.pair.replica.port}"
    assert "--safe-slave-backup" in manifest.options and "--slave-info" in manifest.options
    assert manifest.counts_exact and manifest.row_counts["auth_user"] == \
        replica_setup.pair.sql(replica_setup.pair.primary,
                               f"SELECT COUNT(*) FROM `{DATABASE}`.auth_user")[0][0]
    status = replica_setup.pair.replica_status()
    assert status["Slave_SQL_Running"] == "Yes"
    assert not marker_path(resolve(replica_setup.config(), "production")).exists()
    drill = _invoke(replica_setup.root, "db.verify-backup", "--dump", str(path), tmp=tmp)
    assert drill.returncode == 0, drill.stderr
    assert "tables and row counts match the manifest" in drill.stdout
    assert list(tmp.iterdir()) == []  # the decrypted copy and its server are gone
    listing = _invoke(replica_setup.root, "db.backups")
    assert f"{path.name}  physical" in listing.stdout


def test_the_drill_fails_when_a_count_differs_from_the_manifest(
        replica_setup: ReplicaSetup) -> None:
    path = _written(_invoke(replica_setup.root, "db.dump", "--env", "production",
                            "--physical"))
    data = json.loads(manifest_path(path).read_text())
    data["row_counts"]["auth_user"] += 1
    manifest_path(path).write_text(json.dumps(data))
    drill = _invoke(replica_setup.root, "db.verify-backup", "--dump", str(path))
    assert drill.returncode == 1
    assert "table auth_user:" in drill.stderr and "Traceback" not in drill.stderr


def test_counts_taken_while_rows_were_written_are_reported_not_failed() -> None:
    manifest = Manifest(environment="production", database="app", server_version="x",
                        started_at="", finished_at="", sha256="", size=0, plaintext_bytes=0,
                        rows_estimate={"a": 1, "b": 1}, tool_versions={}, kind="physical",
                        row_counts={"a": 10, "b": 5}, counts_exact=False)
    drill = compare(manifest, {"a": 11, "b": 5})
    assert drill.passed and drill.notes == [
        "table a: 11 rows restored, the manifest counted 10 (rows were written during the "
        "backup: not exact)"]
    missing = compare(manifest, {"a": 10})
    assert missing.problems == ["table b is in the manifest but not in the backup"]


def test_a_physical_restore_prepares_a_new_datadir_and_prints_the_swap(
        replica_setup: ReplicaSetup, tmp_path: Path) -> None:
    path = _written(_invoke(replica_setup.root, "db.dump", "--env", "production",
                            "--physical"))
    into = tmp_path / "prepared"
    result = _invoke(replica_setup.root, "db.restore", "--env", "production", "--dump",
                     str(path), "--physical", "--into", str(into))
    assert result.returncode == 0, result.stderr
    assert (into / DATABASE / "auth_user.ibd").is_file()
    assert (into / "xtrabackup_checkpoints").read_text().startswith("backup_type = log-applied")
    assert "sudo systemctl stop mariadb" in result.stdout
    assert f"sudo mv {into} " in result.stdout
    again = _invoke(replica_setup.root, "db.restore", "--env", "production", "--dump",
                    str(path), "--physical", "--into", str(into))
    assert again.returncode == 1 and "already exists" in again.stderr
    logical = _invoke(replica_setup.root, "db.restore", "--env", "qa", "--dump", str(path))
    assert logical.returncode != 0 and "Traceback" not in logical.stderr


def test_the_swap_steps_name_the_live_datadir() -> None:
    steps = swap_steps(Path("/srv/new"), "/var/lib/mysql/", "production")
    assert steps[1:6] == ["  1. sudo systemctl stop mariadb",
                          "  2. sudo mv /var/lib/mysql /var/lib/mysql.before-restore",
                          "  3. sudo mv /srv/new /var/lib/mysql",
                          "  4. sudo chown -R mysql:mysql /var/lib/mysql",
                          "  5. sudo systemctl start mariadb"]


def test_sigkill_mid_backup_leaves_no_plaintext_no_listed_backup_and_a_replica_restarted(
        replica_setup: ReplicaSetup, tmp_path: Path) -> None:
    pair = replica_setup.pair
    pair.sql(pair.primary, f"CREATE TABLE `{DATABASE}`.bulk (id INT PRIMARY KEY, body "
                           "VARCHAR(255)) ENGINE=InnoDB")
    pair.sql(pair.primary, f"INSERT INTO `{DATABASE}`.bulk SELECT seq, CONCAT("
                           "'marker-plaintext-', seq, SHA2(seq, 256), SHA2(seq + 1, 256)) "
                           f"FROM `{DATABASE}`.seq_1_to_600000")
    pair.caught_up()
    folder = replica_setup.root / "backups"
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "invoke", "db.dump", "--env",
                                 "production", "--physical"], cwd=replica_setup.root,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                env={**os.environ, "TMPDIR": str(tmp)})
        deadline = time.monotonic() + 120
        while not any(p.stat().st_size > 1 << 20 for p in folder.glob(".*.partial")):
            assert proc.poll() is None, "the backup finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert pair.replica_status()["Slave_SQL_Running"] == "No"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        time.sleep(0.5)
        assert backups.listed(folder) == []
        assert backups.leftovers(folder)
        for path in [*folder.rglob("*"), *tmp.rglob("*")]:
            if path.is_file() and path.name != marker_path(
                    resolve(replica_setup.config(), "production")).name:
                data = path.read_bytes()
                assert b"marker-plaintext" not in data, path
                assert path.parent != folder or data.startswith(AGE_HEADER), path
        assert pair.replica_status()["Slave_SQL_Running"] == "No"  # the kill left it stopped
        following = _invoke(replica_setup.root, "db.dump", "--env", "production")
        assert following.returncode == 0, following.stderr
        assert "Restarted the SQL thread of the replica of 'production': a backup (pid " \
            f"{proc.pid}" in following.stdout
        assert pair.replica_status()["Slave_SQL_Running"] == "Yes"
    finally:
        pair.sql(pair.primary, f"DROP TABLE IF EXISTS `{DATABASE}`.bulk")
        pair.replicating()



def test_a_physical_backup_of_a_primary_without_replica_passes_the_drill(setup: Setup) -> None:
    path = _written(_invoke(setup.root, "db.dump", "--env", "production", "--physical"))
    manifest = read(path)
    assert manifest is not None and manifest.replica == "" and manifest.kind == "physical"
    assert "--safe-slave-backup" not in manifest.options
    assert manifest.row_counts["auth_user"] > 0
    drill = _invoke(setup.root, "db.verify-backup", "--dump", str(path))
    assert drill.returncode == 0, drill.stderr
