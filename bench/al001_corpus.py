"""AL001 against the server's own judgement, on public SQL nobody here wrote.

For each .sql file under the folders given (for example sqlfluff's MySQL and MariaDB dialect
fixtures, read in place), the ground truth is the server itself: the file is fed to the real
`mariadb` command-line client (`--force`, so every statement is tried) against a scratch
database of a private server, and it is "refused" when any statement fails with an error of the
server's parser (release.db.syntax_check.SYNTAX_ERRORS), "parsed" otherwise (an unknown table
or a missing privilege is not a parse error). Then the hook's AL001 is computed for the same
file, with a server (a private MariaDB, as the hook starts one) and, with `--sqlfluff`, without
one, and the two are compared:

- false alarms: files the server parses that get an AL001 (goal: none);
- found: files the server refuses that get an AL001 (goal: at least 95%).

The client logs in as a user without the FILE privilege and sends no local files, so the
`SELECT ... INTO OUTFILE` and `LOAD DATA` fixtures read and write nothing (they fail after
their parse, as an unknown table does); global settings a file changes are reset after it.

    .venv/bin/python -m bench.al001_corpus FOLDER [FOLDER ...] [--sqlfluff] [--list]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench._mariadb import Server, bench_server
from release.alters.check import lint_alters_paths
from release.db.credentials import client_option_file
from release.db.syntax_check import SYNTAX_ERRORS
from release.environment.syntax import syntax_servers

_ERROR = re.compile(r"^ERROR (\d+) \(\w+\) at line (\d+)(?: in file: '[^']*')?: (.*)$", re.M)
_RESET = ("SET GLOBAL sql_mode = DEFAULT, GLOBAL tx_read_only = DEFAULT, "
          "GLOBAL tx_isolation = DEFAULT, GLOBAL max_connections = DEFAULT, "
          "GLOBAL sort_buffer_size = DEFAULT, GLOBAL max_join_size = DEFAULT")


@dataclass
class Judged:
    path: Path
    refused: list[str] = field(default_factory=list)  # the parser's errors, "line N: message"
    al001: list[str] = field(default_factory=list)    # with a server
    sqlfluff: list[str] = field(default_factory=list)  # without one


def ground_truth(server: Server, path: Path, index: int) -> list[str]:
    """The parser errors the client met running the file (empty: the server parses it)."""
    database = f"corpus_{index}"
    with server.connect() as conn, conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{database}`")
    try:
        with client_option_file(server.credentials(database)) as options, \
                path.open("rb") as source:
            result = subprocess.run(
                ["mariadb", f"--defaults-extra-file={options}", "--force", "--local-infile=0",
                 "--default-character-set=utf8mb4", database],
                stdin=source, capture_output=True, check=False, timeout=120,
                pass_fds=options.fds)
    finally:
        with server.connect() as conn, conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{database}`")
            cur.execute(_RESET)
    said = result.stderr.decode("utf-8", "replace")
    return [f"line {line}: error {code}: {message[:150]}"
            for code, line, message in _ERROR.findall(said) if int(code) in SYNTAX_ERRORS]


def without_files(server: Server) -> None:
    """The client's user may read or write no file on the machine (FILE privilege)."""
    with server.connect() as conn, conn.cursor() as cur:
        for host in ("%", "localhost"):
            cur.execute("REVOKE FILE ON *.* FROM %s@%s", (server.user, host))


def al001(path: Path, work: Path, *, server: bool) -> list[str]:
    """The hook's AL001 findings on the file, as `line: message`."""
    copy = work / path.name
    shutil.copyfile(path, copy)
    with syntax_servers(use_server=server) as choose:
        found = lint_alters_paths([copy], cwd=work, all_blocks=True, dialect="mariadb",
                                  server=choose)
    copy.unlink()
    return [f"{f.line}: {f.message[:200]}" for f in found if f.code == "AL001"]


def report(name: str, judged: list[Judged], pick: str, *, listing: bool) -> None:
    parsed = [j for j in judged if not j.refused]
    refused = [j for j in judged if j.refused]
    alarms = [j for j in parsed if getattr(j, pick)]
    found = [j for j in refused if getattr(j, pick)]
    share = 100 * len(found) / len(refused) if refused else 100.0
    print(f"{name}: AL001 on {len(alarms)} of the {len(parsed)} files the server parses "
          f"(goal 0); on {len(found)} of the {len(refused)} it refuses ({share:.1f}%, goal "
          ">= 95%)")
    if listing:
        for j in alarms:
            print(f"  false alarm {j.path}: {getattr(j, pick)[0]}")
        for j in refused:
            if not getattr(j, pick):
                print(f"  missed {j.path}: server said {j.refused[0]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--sqlfluff", action="store_true",
                        help="also measure AL001 without a server (sqlfluff's verdict)")
    parser.add_argument("--list", action="store_true", help="list every disagreement")
    args = parser.parse_args(argv)
    files = sorted(p for folder in args.folders for p in folder.rglob("*.sql"))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="al001-corpus-") as folder:
        work = Path(folder)
        judged = [Judged(p) for p in files]
        with bench_server() as server:
            without_files(server)
            for index, item in enumerate(judged):
                item.refused = ground_truth(server, item.path, index)
        truth = time.perf_counter()
        for item in judged:
            item.al001 = al001(item.path, work, server=True)
            if args.sqlfluff:
                item.sqlfluff = al001(item.path, work, server=False)
    print(f"{len(files)} files; the server's verdicts through the mariadb client took "
          f"{truth - started:.1f} s, the linting {time.perf_counter() - truth:.1f} s")
    report("with a server", judged, "al001", listing=args.list)
    if args.sqlfluff:
        report("without a server (sqlfluff)", judged, "sqlfluff", listing=args.list)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
