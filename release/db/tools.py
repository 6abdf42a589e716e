"""Running the MariaDB/MySQL client tools with credentials in a temporary option file."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from release.config import Config
from release.db.credentials import Credentials, credentials
from release.errors import Failed, Refused

# Dumps are background work: they yield the CPU to the database server and its clients.
BACKGROUND_NICE = 10
T = TypeVar("T")

DUMP_OPTIONS = ("--single-transaction", "--quick", "--routines", "--triggers", "--events",
                "--hex-blob")
# With non-InnoDB tables a consistent dump needs table locks (writes wait for the dump).
LOCKING_OPTIONS = ("--lock-tables", "--quick", "--routines", "--triggers", "--events",
                   "--hex-blob")


def local_credentials(config: Config, env_name: str) -> Credentials:
    """Credentials for running the client tools here; Refused for `database.ssh` setups."""
    env = config.environment(env_name)
    if env.database is not None and env.database.ssh:
        raise Refused(
            f"environment {env_name!r}: database.ssh is set ({env.database.ssh}), but the db "
            "tasks run mariadb-dump and mariadb on this machine and cannot go through an SSH "
            "host yet. Run the task on that host, or clear database.ssh to connect over the "
            "network. Nothing was changed.")
    return credentials(env)


def binary(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise Failed(f"none of {', '.join(names)} is installed; install the MariaDB client "
                 "(Debian: apt install mariadb-client).")


def dump_binary() -> str:
    return binary("mariadb-dump", "mysqldump")


def client_binary() -> str:
    return binary("mariadb", "mysql")


def version(tool: str) -> str:
    result = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False)
    return result.stdout.strip()


@contextmanager
def progress_bar(total_bytes: int, total_tables: int, title: str
                 ) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar (bytes and tables) on a terminal; None (quiet) otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

    # Tables are counted as the dump announces them; a restore reads ciphertext: bytes only.
    tables = TextColumn("{task.fields[tables]}/{task.fields[total_tables]} tables" if total_tables
                        else "")
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), tables,
               TimeElapsedColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task(title, total=max(total_bytes, 1), tables=0,
                            total_tables=total_tables)

        def update(done: int, tables: int) -> None:
            bar.update(task, completed=min(done, max(total_bytes, done)), tables=tables)

        yield update


def stderr_text(path: Path) -> str:
    try:
        return path.read_text(errors="replace").strip()[-2000:]
    except OSError:
        return ""


def in_background(work: Callable[[], T], *, children: tuple[int, ...] = ()) -> T:
    """Run `work` in a thread of lower CPU priority (and lower the `children` processes'),
    so a dump on a busy database host slows itself down rather than the server."""
    for pid in children:
        _lower_priority(pid)
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        _lower_priority(threading.get_native_id())  # Linux: per thread
        try:
            outcome.append(work())
        except BaseException as error:
            failure.append(error)

    thread = threading.Thread(target=run, name="stagecraft-background")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]


def _lower_priority(pid: int) -> None:
    # If the process is gone or the platform refuses, it simply runs at normal priority.
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, pid, max(os.getpriority(os.PRIO_PROCESS, pid),
                                                  BACKGROUND_NICE))
