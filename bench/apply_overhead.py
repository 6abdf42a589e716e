"""What the ledger costs: 1,000 small statements through `alters.apply` vs piped into `mariadb`.

Starts its own private MariaDB in a temporary folder (removed afterwards), builds two identical
databases of small tables, and applies the same alters file (500 INSERTs and 500 ALTER TABLE ...
ADD COLUMN, in blocks of 10) to each: once with `mariadb db < alters.sql` (the runbook's way,
no record of anything), once with `invoke alters.apply --env bench --yes` (the server parses
every pending statement first, then lock, a backup before and after, a ledger row per
statement). The pre-parse is also timed on its own. Both are timed end to end, process start
included, and repeated in alternating order. The machine's disk is shared, so single runs
vary a lot: the ratio of the fastest runs (least disturbed) is the headline, with the medians
beside it.

    .venv/bin/python -m bench.apply_overhead [--statements 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pyrage import x25519

from release.alters.parse import parse_alters
from release.db.credentials import Credentials, client_option_file
from release.db.syntax_check import environment_syntax
from release.db.throwaway import PrivateServer, private_server

TABLES = 10
PASSWORD_ENV = "STAGECRAFT_BENCH_PASSWORD"


def alters_sql(statements: int) -> str:
    lines: list[str] = []
    for i in range(statements):
        if i % 10 == 0:
            lines.append(f"\n-- alter: bench-{i // 10}")
        table = f"t{i % TABLES}"
        if i % 2 == 0:
            lines.append(f"INSERT INTO {table} (v) VALUES ({i});")
        else:
            lines.append(f"ALTER TABLE {table} ADD COLUMN c{i} int NULL;")
    return "\n".join(lines) + "\n"


def fresh_database(server: PrivateServer, name: str) -> None:
    with server.connect() as conn, conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        cur.execute(f"CREATE DATABASE `{name}`")
        cur.execute(f"USE `{name}`")
        for t in range(TABLES):
            cur.execute(f"CREATE TABLE t{t} (id int AUTO_INCREMENT PRIMARY KEY, v int) "
                        "ENGINE=InnoDB")
            cur.execute(f"INSERT INTO t{t} (v) VALUES (1), (2), (3)")


def with_client(server: PrivateServer, database: str, sql: Path) -> float:
    creds = Credentials("bench", database, server.host, server.port, "", server.user,
                        server.password)
    with client_option_file(creds) as options, sql.open("rb") as source:
        started = time.perf_counter()
        subprocess.run(["mariadb", f"--defaults-extra-file={options}", database],
                       stdin=source, check=True, pass_fds=options.fds)
        return time.perf_counter() - started


def with_stagecraft(server: PrivateServer, app: Path, database: str) -> float:
    (app / "release.toml").write_text(
        f'[environments.bench]\npath = "/srv/bench/app"\n'
        f'[environments.bench.database]\nname = "{database}"\nhost = "{server.host}"\n'
        f'port = {server.port}\nuser = "{server.user}"\npassword_env = "{PASSWORD_ENV}"\n\n'
        f'[backups]\ndir = "{app.parent / "backups"}"\n'
        f'recipients = ["{x25519.Identity.generate().to_public()}"]\n'
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "invoke", "alters.apply", "--env", "bench", "--yes"],
                   cwd=app, check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, PASSWORD_ENV: server.password})
    return time.perf_counter() - started


def pre_parse(server: PrivateServer, texts: list[str]) -> float:
    """What alters.apply's pre-parse costs by itself: every statement prepared, none run."""
    fresh_database(server, "bench_parse")
    checker = environment_syntax(lambda: server.connect("bench_parse"), "bench", "private")
    started = time.perf_counter()
    verdicts = checker.check(texts)
    elapsed = time.perf_counter() - started
    checker.close()
    assert all(v.parses for v in verdicts)
    return elapsed


def fsyncs(server: PrivateServer) -> int:
    """The server's disk flushes so far: a count other work on the machine does not change."""
    with server.connect() as conn, conn.cursor() as cur:
        cur.execute("SHOW GLOBAL STATUS WHERE Variable_name IN "
                    "('Innodb_os_log_fsyncs', 'Innodb_data_fsyncs')")
        return sum(int(value) for _, value in cur.fetchall())


def count_applied(server: PrivateServer, database: str) -> int:
    with server.connect(database) as conn, conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM release_alters WHERE status = 'applied'")
        row = cur.fetchone()
    return int(row[0]) if row else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="stagecraft-bench-"))
    try:
        app = folder / "app"
        app.mkdir()
        subprocess.run(["git", "init", "--quiet", str(app)], check=True)
        (app / "tasks.py").write_text("from release.tasks import ns  # noqa: F401\n")
        (app / "alters.sql").write_text(alters_sql(args.statements))
        client_times: list[float] = []
        stagecraft_times: list[float] = []
        flushes: dict[str, int] = {}
        with private_server(folder / "mariadb") as server:
            for run in range(args.repeat):
                fresh_database(server, "bench_client")
                fresh_database(server, "bench_ledger")
                for side in (("client", "ledger") if run % 2 == 0 else ("ledger", "client")):
                    if side == "client":
                        before = fsyncs(server)
                        client_times.append(with_client(server, "bench_client",
                                                        app / "alters.sql"))
                        flushes["client"] = fsyncs(server) - before
                    else:
                        before = fsyncs(server)
                        stagecraft_times.append(with_stagecraft(server, app, "bench_ledger"))
                        flushes["ledger"] = fsyncs(server) - before
                assert count_applied(server, "bench_ledger") == args.statements
            texts = [s.text for block in parse_alters(alters_sql(args.statements), "a").blocks
                     for s in block.statements]
            parsing = pre_parse(server, texts)
        print(f"{args.statements} statements (half INSERT, half ALTER TABLE ADD COLUMN), "
              f"{args.repeat} runs each:")
        for name, times in (("mariadb client (baseline)", client_times),
                            ("invoke alters.apply", stagecraft_times)):
            print(f"  {name:<26} fastest {min(times):6.2f} s, median "
                  f"{statistics.median(times):6.2f} s  "
                  f"(all: {', '.join(f'{t:.2f}' for t in times)})")
        print("  (alters.apply's times include its lock, the ledger rows and two backups)")
        fastest = min(stagecraft_times) / min(client_times)
        medians = statistics.median(stagecraft_times) / statistics.median(client_times)
        print(f"  ratio, fastest runs: {fastest:.2f}x; medians: {medians:.2f}x (goal: at most "
              "1.5x)")
        print(f"  the server's disk flushes (Innodb_os_log_fsyncs + Innodb_data_fsyncs, the same "
              f"whatever the load): client {flushes['client']}, alters.apply "
              f"{flushes['ledger']} ({flushes['ledger'] / flushes['client']:.2f}x)")
        print(f"  of which the server's pre-parse of the {len(texts)} statements (PREPARE, never "
              f"run): {parsing:.2f} s, {100 * parsing / min(stagecraft_times):.1f}% of the "
              "fastest alters.apply")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
