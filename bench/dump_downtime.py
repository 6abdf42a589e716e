"""Does `db.dump` keep production writable, and what do compression and encryption cost?

Starts its own MariaDB, generates a 1M-row InnoDB table, and runs a writer (its own process)
doing one INSERT every 10 ms while each dump runs; the three dumps alternate, --runs times.
Prints, measured side by side in one run:
- the worst write latency during `db.dump` versus during the runbook's plain
  `mariadb-dump db > file` (default --opt: locks the tables; goal: under 200 ms versus the
  whole dump);
- `db.dump`'s wall time (zstd + age + SHA-256 + manifest) versus plain
  `mariadb-dump --single-transaction db > file` (goal: at most 1.3x).

Usage: .venv/bin/python bench/dump_downtime.py [--rows N] [--runs N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pymysql
from pyrage import x25519

from bench._mariadb import Server, bench_server, load_sample
from release.config import parse
from release.db.backups.dump import dump
from release.db.credentials import client_option_file
from release.db.target import resolve
from release.demo.sample import Size


def write_every_10ms(port: int, password: str, stop: Any, results: Any) -> None:
    """One INSERT every 10 ms until `stop` is set; sends back the worst latency. A separate
    process, so that it never waits for the measured dump's Python thread (the GIL)."""
    conn = pymysql.connect(host="127.0.0.1", port=port, user="bench", password=password,
                           database="bench", autocommit=True)
    worst = 0.0
    with conn.cursor() as cur:
        while not stop.is_set():
            started = time.perf_counter()
            cur.execute("INSERT INTO writes (at) VALUES (NOW(6))")
            took = time.perf_counter() - started
            worst = max(worst, took)
            time.sleep(max(0.0, 0.010 - took))
    results.put(worst)


def measure(server: Server, run: Callable[[], None]) -> tuple[float, float]:
    """(wall seconds, worst write latency seconds) of `run` with the writer going."""
    stop, results = multiprocessing.Event(), multiprocessing.Queue()
    writer = multiprocessing.Process(target=write_every_10ms,
                                     args=(server.port, server.password, stop, results))
    writer.start()
    time.sleep(0.5)
    started = time.perf_counter()
    run()
    wall = time.perf_counter() - started
    stop.set()
    worst = float(results.get())
    writer.join()
    return wall, worst


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    with bench_server() as server, tempfile.TemporaryDirectory() as scratch_text, \
            client_option_file(server.credentials("bench")) as options:
        scratch = Path(scratch_text)
        # The sample application's message table, at --rows rows.
        loaded = load_sample(server, "bench", Size(args.rows), ["messaging_message"])
        with server.connect("bench") as conn, conn.cursor() as cur:
            cur.execute("CREATE TABLE writes (id INT AUTO_INCREMENT PRIMARY KEY, "
                        "at DATETIME(6)) ENGINE=InnoDB")
        os.environ["BENCH_DB_PASSWORD"] = server.password
        identity = x25519.Identity.generate()
        config = parse({
            "environments": {"production": {"path": "/srv/bench/app", "database": {
                "name": "bench", "host": "127.0.0.1", "port": server.port, "user": "bench",
                "password_env": "BENCH_DB_PASSWORD"}}},
            "backups": {"dir": "backups", "recipients": [str(identity.to_public())]},
        }, root=scratch, source="bench")
        option = f"--defaults-extra-file={options}"

        def plain(*extra: str) -> Callable[[], None]:
            def run() -> None:
                with (scratch / "plain.sql").open("wb") as out:
                    subprocess.run(["mariadb-dump", option, *extra, "bench"], stdout=out,
                                   check=True, pass_fds=options.fds)
            return run

        results: dict[str, list[tuple[float, float]]] = {"plain": [], "single": [], "db.dump": []}
        production = resolve(config, "production")
        for _ in range(args.runs):
            results["plain"].append(measure(server, plain()))
            results["single"].append(measure(server, plain("--single-transaction")))
            results["db.dump"].append(measure(server, lambda: dump(production) and None))
        size = (scratch / "plain.sql").stat().st_size
    print(f"{args.rows:,} rows of the sample's messaging_message (loaded in {loaded:.1f} s), "
          f"plain dump {size / 1e6:.0f} MB, {args.runs} run(s) each "
          "(wall: median; worst latency: max over runs)")
    for name, label in (("plain", "mariadb-dump db > file (runbook, locks)"),
                        ("single", "mariadb-dump --single-transaction > file"),
                        ("db.dump", "db.dump (zstd + age + sha256)")):
        wall = statistics.median(w for w, _ in results[name])
        worst = max(lat for _, lat in results[name])
        each = ", ".join(f"{w:.2f} s/{lat * 1000:.0f} ms" for w, lat in results[name])
        print(f"  {label:44s} wall {wall:6.2f} s   worst write latency {worst * 1000:8.1f} ms"
              f"   ({each})")
    dump_worst = max(lat for _, lat in results["db.dump"])
    plain_worst = max(lat for _, lat in results["plain"])
    wall_ratio = (statistics.median(w for w, _ in results["db.dump"])
                  / statistics.median(w for w, _ in results["single"]))
    print(f"worst write latency: db.dump {dump_worst * 1000:.0f} ms vs plain "
          f"{plain_worst * 1000:.0f} ms (goal: under 200 ms)")
    print(f"wall time: db.dump / plain --single-transaction = {wall_ratio:.2f}x (goal: <= 1.3x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
