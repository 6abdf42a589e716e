"""How long do writes wait while a large table changes, and how quick is `alters.explain`?

Starts its own MariaDB, generates a table of --rows rows (default 1M), and runs a writer (its
own process) inserting one row into that table every 10 ms while each change runs:
- a plain `ALTER TABLE big MODIFY code BIGINT NULL, ALGORITHM=COPY` (what the runbook does);
- `ALTER TABLE big ADD INDEX by_note (note), ALGORITHM=INPLACE, LOCK=NONE` (the type change
  itself cannot be done in place: the server refuses INPLACE for it);
- the same type change as a `-- online: pt-osc` block, through Stagecraft's runner.
Prints the worst insert latency, errors and wall time of each, as ratios to the plain ALTER.
Then `alters.explain`'s time for 20 statements on a 1,000-row table and on the big one
(goal: under 2 s, independent of the table's size).

The writer chooses its keys: with an AUTO_INCREMENT key and innodb_autoinc_lock_mode=1
(MariaDB's default), pt-osc's chunk copy and application inserts can deadlock (apply warns).

Usage: .venv/bin/python bench/online_alter.py [--rows N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pymysql

from bench._mariadb import Server, bench_server
from release.alters.ledger_plan import Pending
from release.alters.online_plan import online_alter
from release.alters.parse import parse_alters
from release.config import BackupsConfig, OnlineConfig
from release.db.explain import ask
from release.db.ledger.online import OnlineRunner
from release.db.target import Database

EXPLAINED = [
    "ALTER TABLE {t} ADD COLUMN c{i} int NULL",
    "ALTER TABLE {t} ALTER COLUMN note SET DEFAULT 'n{i}'",
    "ALTER TABLE {t} ADD INDEX i{i} (code)",
    "ALTER TABLE {t} MODIFY code BIGINT NULL",
    "CREATE INDEX j{i} ON {t} (note)",
]


def write_every_10ms(port: int, password: str, stop: Any, results: Any) -> None:
    conn = pymysql.connect(host="127.0.0.1", port=port, user="bench", password=password,
                           database="bench", autocommit=True)
    worst, errors, key = 0.0, 0, 10_000_000
    with conn.cursor() as cur:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                cur.execute("INSERT INTO big (id, code, note) VALUES (%s, 1, 'w')", (key,))
            except pymysql.err.MySQLError:
                errors += 1
            key += 1
            took = time.perf_counter() - started
            worst = max(worst, took)
            time.sleep(max(0.0, 0.010 - took))
    results.put((worst, errors))


def measure(server: Server, run: Callable[[], None]) -> tuple[float, float, int]:
    """(wall seconds, worst insert latency seconds, failed inserts) of `run`."""
    stop, results = multiprocessing.Event(), multiprocessing.Queue()
    writer = multiprocessing.Process(target=write_every_10ms,
                                     args=(server.port, server.password, stop, results))
    writer.start()
    time.sleep(0.5)
    started = time.perf_counter()
    run()
    wall = time.perf_counter() - started
    time.sleep(0.3)
    stop.set()
    worst, errors = results.get()
    writer.join()
    return wall, worst, errors


def make_table(server: Server, name: str, rows: int) -> None:
    with server.connect("bench") as conn, conn.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {name}")
        cur.execute(f"CREATE TABLE {name} (id int PRIMARY KEY, code int NULL, "
                    "note varchar(40) NULL, body varchar(200) NULL) ENGINE=InnoDB")
        for start in range(0, rows, 250_000):
            stop = min(rows, start + 250_000)
            cur.execute(f"INSERT INTO {name} SELECT seq, seq % 1000, CONCAT('n', seq % 97), "
                        f"REPEAT('x', 120) FROM seq_{start + 1}_to_{stop}")
        cur.execute(f"ANALYZE TABLE {name}")


def database(server: Server) -> Database:
    creds = server.credentials("bench", environment="bench")
    return Database("bench", creds, BackupsConfig(), server.folder / "backups")


def run_sql(server: Server, sql: str) -> Callable[[], None]:
    def run() -> None:
        with server.connect("bench") as conn, conn.cursor() as cur:
            cur.execute(sql)
    return run


def pt_osc(server: Server) -> Callable[[], None]:
    text = "-- alter: widen\n-- online: pt-osc\nALTER TABLE big MODIFY code BIGINT NULL;\n"
    block = parse_alters(text, "alters.sql").blocks[0]
    change = online_alter(block, block.statements[0])
    assert change is not None

    def run() -> None:
        with server.connect("bench") as conn:
            OnlineRunner(database(server), conn, OnlineConfig(), lambda line: None)(change)
    return run


def explain_seconds(server: Server, table: str) -> float:
    text = "-- alter: many\n" + "".join(
        EXPLAINED[i % len(EXPLAINED)].format(t=table, i=i) + ";\n" for i in range(20))
    block = parse_alters(text, "alters.sql").blocks[0]
    items = [Pending("alters.sql", block, i + 1, s, 20) for i, s in enumerate(block.statements)]
    started = time.perf_counter()
    found = ask.explain(database(server), items, {})
    took = time.perf_counter() - started
    assert len(found) == 20 and all(e.answer.algorithm for e in found), found
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with bench_server() as server:
        with server.connect() as conn, conn.cursor() as cur:
            cur.execute("CREATE DATABASE bench")
        tempfile.tempdir = str(server.folder)
        results = {}
        for label, change in (
                ("plain ALTER (COPY)", lambda: run_sql(
                    server, "ALTER TABLE big MODIFY code BIGINT NULL, ALGORITHM=COPY")),
                ("INPLACE, LOCK=NONE (ADD INDEX)", lambda: run_sql(
                    server, "ALTER TABLE big ADD INDEX by_note (note), ALGORITHM=INPLACE, "
                            "LOCK=NONE")),
                ("-- online: pt-osc", lambda: pt_osc(server))):
            make_table(server, "big", args.rows)
            results[label] = measure(server, change())
        base_wall, base_worst, _ = results["plain ALTER (COPY)"]
        print(f"{args.rows:,} rows, one INSERT every 10 ms during each change:")
        print(f"  {'change':<32} {'wall s':>8} {'x plain':>8} {'worst insert ms':>16} "
              f"{'x plain':>8} {'failed inserts':>15}")
        for label, (wall, worst, errors) in results.items():
            print(f"  {label:<32} {wall:8.2f} {wall / base_wall:8.2f} {worst * 1000:16.1f} "
                  f"{worst / base_worst:8.3f} {errors:15d}")
        make_table(server, "small", 1000)
        make_table(server, "big", args.rows)
        small, large = explain_seconds(server, "small"), explain_seconds(server, "big")
        print(f"alters.explain, 20 statements: {small:.2f} s on 1,000 rows, {large:.2f} s on "
              f"{args.rows:,} rows (goal: under 2 s, independent of size)")


if __name__ == "__main__":
    main()
