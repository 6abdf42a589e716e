"""When a logical dump is outgrown: the sample application at a size where its data takes at
least 2 GB on disk, a primary and its GTID replica (private servers on this machine), and,
side by side in one run:
- a logical dump (`db.dump`) against a physical backup (`db.dump --physical`), both read from
  the replica: wall time and bytes written;
- a logical restore (decrypt, feed the SQL to a fresh server) against a physical one (decrypt,
  extract, `mariadb-backup --prepare`, start a server on it); goal: the physical restore at
  least 5x faster;
- what a dump from the replica costs the primary: the statements the primary served while
  it ran (its general log), and which of them read the application's tables; goal: none;
- the restore drill (`db.verify-backup`): tables and exact row counts against the manifest.

Everything lives in one temporary folder, removed at the end.

Usage: .venv/bin/python bench/big_backup.py [--rows N]   (default 2,700,000: about 2.15 GB)
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import IO

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pyrage import x25519

from release.config import parse
from release.db import throwaway
from release.db.backups import drill, dump, physical, restore, stream
from release.db.target import Database, resolve
from release.demo import sample
from release.demo.sample import Size

DATABASE = "app"
BUFFER_POOL = "1G"
PRIMARY_ENV, REPLICA_ENV, IDENTITY_ENV = "BENCH_PRIMARY_PW", "BENCH_REPLICA_PW", "BENCH_AGE_ID"


def sql(server: throwaway.PrivateServer, statement: str) -> list[tuple[object, ...]]:
    with server.connect() as conn, conn.cursor() as cur:
        cur.execute(statement)
        return list(cur.fetchall())


def load(server: throwaway.PrivateServer, script: str) -> None:
    subprocess.run(["mariadb", f"--socket={server.socket}", DATABASE], input=script,
                   text=True, check=True, capture_output=True)


def timed(work: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def fill(primary: throwaway.PrivateServer, replica: throwaway.PrivateServer,
         size: Size) -> float:
    """The same generated data on both servers, loaded side by side and kept out of the
    binary log (the generator is deterministic), then replication from here on."""
    script = "SET SESSION sql_log_bin = 0;\n" + sample.database_sql(size)
    for server in (primary, replica):
        with server.connect() as conn, conn.cursor() as cur:
            cur.execute("SET SESSION sql_log_bin = 0")
            cur.execute(f"CREATE DATABASE {DATABASE}")
    started = time.perf_counter()
    loaders = [threading.Thread(target=load, args=(s, script)) for s in (primary, replica)]
    for loader in loaders:
        loader.start()
    for loader in loaders:
        loader.join()
    seconds = time.perf_counter() - started
    sql(replica, f"CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = {primary.port}, "
                 f"MASTER_USER = '{primary.user}', MASTER_PASSWORD = '{primary.password}', "
                 "MASTER_USE_GTID = slave_pos")
    sql(replica, "START SLAVE")
    sql(primary, f"CREATE TABLE {DATABASE}.bench_marker (id INT PRIMARY KEY)")
    sql(primary, f"INSERT INTO {DATABASE}.bench_marker VALUES (1)")
    position = sql(primary, "SELECT @@gtid_binlog_pos")[0][0]
    assert sql(replica, f"SELECT MASTER_GTID_WAIT('{position}', 120)")[0][0] == 0
    return seconds


def on_disk(server: throwaway.PrivateServer) -> tuple[int, int]:
    """(data_length + index_length of the database, bytes of its folder in the datadir)."""
    sql(server, f"ANALYZE TABLE {', '.join(f'{DATABASE}.{t}' for t in tables(server))}")
    counted = sql(server, "SELECT SUM(data_length + index_length) FROM information_schema."
                          f"tables WHERE table_schema = '{DATABASE}'")[0][0]
    folder = server.folder / "data" / DATABASE
    return int(str(counted)), sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def tables(server: throwaway.PrivateServer) -> list[str]:
    return [str(r[0]) for r in sql(server, f"SHOW FULL TABLES FROM {DATABASE} "
                                           "WHERE Table_type = 'BASE TABLE'")]


def primary_statements(primary: throwaway.PrivateServer, log: Path,
                       work: Callable[[], object]) -> tuple[float, object, list[str]]:
    """Run `work` with the primary's general log on; the statements it served meanwhile."""
    sql(primary, f"SET GLOBAL general_log_file = '{log}'")
    sql(primary, "SET GLOBAL log_output = 'FILE'")
    sql(primary, "SET GLOBAL general_log = 1")
    try:
        seconds, result = timed(work)
    finally:
        sql(primary, "SET GLOBAL general_log = 0")
    # "   15 Query\tSELECT ...": the connection's id, then the statement.
    queries = re.findall(r"\s(\d+) Query\t(.*)", log.read_text())
    ours = {thread for thread, query in queries if "general_log" in query}  # turning it off
    return seconds, result, [query for thread, query in queries if thread not in ours]


def logical_restore(path: Path, keys: list[object], folder: Path) -> float:
    with throwaway.private_server(folder, buffer_pool=BUFFER_POOL) as fresh:
        sql(fresh, f"CREATE DATABASE {DATABASE}")
        creds = fresh.credentials(DATABASE, environment="bench")

        def feed(sink: IO[bytes]) -> None:
            stream.decrypt(path, keys, sink)

        seconds, _ = timed(lambda: restore.load(creds, feed))
    return seconds


def physical_restore(path: Path, keys: list[object], folder: Path) -> dict[str, float]:
    folder.mkdir(mode=0o700)
    seconds = drill.bring_back(path, keys, folder / "data")
    started = time.perf_counter()
    with throwaway.server_on(folder / "data", folder):
        seconds["start"] = time.perf_counter() - started
    shutil.rmtree(folder, ignore_errors=True)
    return seconds


def configured(root: Path, primary: throwaway.PrivateServer,
               replica: throwaway.PrivateServer, recipient: str) -> Database:
    toml = (f'[environments.production.database]\nname = "{DATABASE}"\nhost = "127.0.0.1"\n'
            f'port = {primary.port}\nuser = "{primary.user}"\npassword_env = "{PRIMARY_ENV}"\n'
            f'[environments.production.database.replica]\nhost = "127.0.0.1"\n'
            f'port = {replica.port}\nuser = "{replica.user}"\npassword_env = "{REPLICA_ENV}"\n'
            f'[backups]\ndir = "{root / "backups"}"\nrecipients = ["{recipient}"]\n'
            f'identity_env = "{IDENTITY_ENV}"\n')
    os.environ[PRIMARY_ENV], os.environ[REPLICA_ENV] = primary.password, replica.password
    return resolve(parse(tomllib.loads(toml), root=root, source="release.toml"), "production")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_700_000,
                        help="rows in each big table of the sample (default 2,700,000)")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="stagecraft-bench-backup-"))
    try:
        return run(folder, Size(args.rows))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(folder: Path, size: Size) -> int:
    identity = x25519.Identity.generate()
    (folder / "identity.txt").write_text(str(identity) + "\n")
    os.environ[IDENTITY_ENV] = str(folder / "identity.txt")
    keys: list[object] = [identity]
    say = functools.partial(print, flush=True)
    with throwaway.private_server(folder / "primary", buffer_pool=BUFFER_POOL, options=(
            "--log-bin=primary-bin", "--server-id=1", "--binlog-format=ROW")) as primary, \
            throwaway.private_server(folder / "replica", buffer_pool=BUFFER_POOL, options=(
                "--server-id=2", "--relay-log=replica-relay")) as replica:
        loaded = fill(primary, replica, size)
        counted, disk = on_disk(primary)
        say(f"sample at Size({size.rows:,}): loaded in {loaded:.0f} s; data_length + "
            f"index_length {counted / 1e9:.2f} GB, {disk / 1e9:.2f} GB in the datadir "
            f"(goal: >= 2 GB: {'yes' if min(counted, disk) >= 2e9 else 'NO'})")
        db = configured(folder, primary, replica, str(identity.to_public()))
        quiet: Callable[[str], None] = lambda _: None  # noqa: E731
        seconds, logical, served = primary_statements(
            primary, folder / "general.log",
            lambda: dump.carry_out(dump.plan(db, say=quiet)))
        assert isinstance(logical, Path)
        reading = [q for q in served if DATABASE in q or "SQL_NO_CACHE" in q]
        say(f"logical dump from the replica:   {seconds:7.1f} s  "
            f"{logical.stat().st_size / 1e6:8.1f} MB written")
        say(f"  the primary served {len(served)} statement(s) meanwhile (the replica check: "
            f"{'; '.join(sorted(set(served)))}); {len(reading)} read the application's data "
            f"(goal: 0: {'met' if not reading else 'MISSED'})")
        seconds_p, hot = timed(lambda: physical.carry_out(physical.plan(db, say=quiet),
                                                          say=quiet))
        assert isinstance(hot, Path)
        say(f"physical backup from the replica: {seconds_p:7.1f} s  "
            f"{hot.stat().st_size / 1e6:8.1f} MB written")
        restored = logical_restore(logical, keys, folder / "restored")
        say(f"logical restore (decrypt + load SQL):                    {restored:7.1f} s")
        steps = physical_restore(hot, keys, folder / "prepared")
        total = sum(steps.values())
        say(f"physical restore (decrypt + extract {steps['extract']:.1f} s, prepare "
            f"{steps['prepare']:.1f} s, start {steps['start']:.1f} s): {total:7.1f} s")
        ratio = restored / total
        say(f"physical restore is {ratio:.1f}x faster (goal: >= 5x: "
            f"{'met' if ratio >= 5 else 'MISSED'})")
        drilled = drill.verify_backup(db.backups, hot, say=say)
        say(f"restore drill: {'passed' if drilled.passed else 'FAILED'} "
            f"({', '.join(f'{k} {v:.1f} s' for k, v in drilled.seconds.items())})"
            + "".join(f"\n  {p}" for p in drilled.problems))
    return 0 if drilled.passed and not reading and ratio >= 5 else 1


if __name__ == "__main__":
    sys.exit(main())
