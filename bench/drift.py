"""How long does `alters.drift` take on the sample application, and does it grow with rows?

Starts a private MariaDB (release.db.throwaway), loads the sample application's database twice
(the default size, and --rows rows in each big table, 1M by default), applies its alters
history to both, and times the comparison of each with the sample's Django models (the
application's interpreter: --python, default .venv-django/bin/python, which
`scripts/setup --tests` makes). Goal: under 5 s, and no longer at 1M rows: the work is one
Django run creating empty tables and a few information_schema queries, whatever the rows.

Usage: .venv/bin/python bench/drift.py [--rows N] [--python PATH] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from release.config import Config, parse
from release.db import throwaway
from release.db.target import resolve
from release.demo import sample
from release.demo.sample import Size
from release.demo.sample.application import SETTINGS, write_application
from release.demo.tools import load_sql
from release.django.check import drift
from release.git.repo import Repository

ROOT = Path(__file__).resolve().parents[1]
PASSWORD_ENV = "STAGECRAFT_BENCH_DRIFT_PASSWORD"


def application(folder: Path) -> Path:
    root = folder / "pagewell"
    root.mkdir()
    write_application(root)
    identity = ["-c", "user.name=Bench", "-c", "user.email=bench@example.invalid"]
    for args in (["init", "--quiet"], ["add", "-A"], [*identity, "commit", "--quiet", "-m", "app"]):
        subprocess.run(["git", *args], cwd=root, check=True)
    return root


def timed(config: Config, repo: Repository, env: str, repeat: int) -> tuple[float, int]:
    """The best of `repeat` runs (the machine is shared), and how many differences it found."""
    best, found = float("inf"), -1
    for _ in range(repeat):
        started = time.perf_counter()
        result = drift(config, repo, resolve(config, env), "HEAD")
        best = min(best, time.perf_counter() - started)
        found = len(result.differences)
    return best, found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--python", default=str(ROOT / ".venv-django" / "bin" / "python"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    history = sample.alters_sql().replace("BEGIN;", "", 1).rsplit("COMMIT;", 1)[0]
    with tempfile.TemporaryDirectory(prefix="stagecraft-bench-drift-") as tmp, \
            throwaway.private_server(Path(tmp) / "mariadb") as server:
        os.environ[PASSWORD_ENV] = server.password
        sizes = {"small": Size(), "big": Size(args.rows)}
        envs = {}
        for name, size in sizes.items():
            with server.connect() as conn, conn.cursor() as cur:
                cur.execute(f"CREATE DATABASE `{name}`")
            started = time.perf_counter()
            load_sql(server.host, server.port, server.user, server.password, name,
                     sample.database_sql(size) + history)
            print(f"loaded {name} ({size.rows:,} rows a big table) in "
                  f"{time.perf_counter() - started:.0f} s")
            envs[name] = {"database": {"name": name, "host": server.host, "port": server.port,
                                       "user": server.user, "password_env": PASSWORD_ENV}}
        root = application(Path(tmp))
        config = parse({"environments": envs,
                        "django": {"python": args.python, "settings": SETTINGS}},
                       root=root, source="release.toml")
        repo = Repository(root)
        small, small_found = timed(config, repo, "small", args.repeat)
        big, big_found = timed(config, repo, "big", args.repeat)
    print(f"alters.drift, sample ({Size().rows:,} rows): {small:.2f} s, "
          f"{small_found} difference(s)")
    print(f"alters.drift, sample ({args.rows:,} rows): {big:.2f} s, {big_found} difference(s)")
    print(f"ratio big/small: {big / small:.2f} (goal: under 5 s, and about 1)")
    return 0 if small < 5 and big_found == small_found == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
