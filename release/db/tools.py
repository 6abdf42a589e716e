"""The one place the MariaDB/MySQL client tools run: credentials in an in-memory option file,
stderr kept in memory for the message (never in a file: it can echo rows), a failure turned
into one that says what ran, how it ended, why, and what it left behind."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TypeVar

from release.console import Say
from release.db.credentials import Credentials, OptionFile, client_option_file
from release.db.output import Tail, ended, reason
from release.errors import Failed

# Dumps are background work: they yield the CPU to the database server and its clients.
BACKGROUND_NICE = 10
T = TypeVar("T")

DUMP_OPTIONS = ("--single-transaction", "--quick", "--routines", "--triggers", "--events",
                "--hex-blob")
# With non-InnoDB tables a consistent dump needs table locks (writes wait for the dump).
LOCKING_OPTIONS = ("--lock-tables", "--quick", "--routines", "--triggers", "--events",
                   "--hex-blob")


@contextmanager
def running(creds: Credentials, tool: str, args: Sequence[str], *, what: str, left: str,
            stdin: int | None = None, stdout: int | None = None, die_with_us: bool = False
            ) -> Iterator[tuple[subprocess.Popen[bytes], OptionFile]]:
    """Run `tool` logged in as `creds`; yield the process and its option file. A non-zero exit
    raises Failed naming `what` failed, the command, how it ended, the last lines of its stderr
    (quoted values masked: they may be rows) and what the failure `left` behind. `die_with_us`:
    the tool is killed when this process dies, however it dies (Linux)."""
    with client_option_file(creds) as option_file:
        command = [tool, f"--defaults-extra-file={option_file}", *args]
        with subprocess.Popen(command, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE,
                              pass_fds=option_file.fds,
                              preexec_fn=die_with_parent if die_with_us else None) as proc:
            assert proc.stderr is not None
            tail = Tail.reading(proc.stderr)
            try:
                yield proc, option_file
            except BaseException:
                proc.kill()
                raise
            finally:
                # The reader ends with the tool: joined here, it never outlives the run.
                code = proc.wait()
                tail.finish()
        if code != 0:
            raise Failed(f"{what}: {Path(tool).name} failed ({ended(code)}): "
                         f"{reason(tail.text())}\n  command: {shown(tool, args)}\n{left}")


def shown(tool: str, args: Sequence[str]) -> str:
    """The command as a person would type it (the option file is a descriptor: no secret)."""
    return " ".join([Path(tool).name, *args])


def pipe_into(sink: IO[bytes], source: IO[bytes]) -> None:
    block = bytearray(1 << 16)
    while size := source.readinto(block):  # type: ignore[attr-defined]
        sink.write(block[:size])


def binary(*names: str, package: str = "mariadb-client") -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    what = "the MariaDB client" if package == "mariadb-client" else package
    raise Failed(f"none of {', '.join(names)} is installed; install {what} "
                 f"(Debian: apt install {package}).")


def dump_binary() -> str:
    return binary("mariadb-dump", "mysqldump")


def client_binary() -> str:
    return binary("mariadb", "mysql")


def backup_binary() -> str:
    return binary("mariadb-backup", "mariabackup", package="mariadb-backup")


@contextmanager
def extracting(into: Path, *, what: str) -> Iterator[IO[bytes]]:
    """`mbstream -x` into `into`: yield its stdin for an xbstream (a physical backup)."""
    tool = binary("mbstream", package="mariadb-backup")
    # stderr stays in memory; mbstream says little, and only when it stops.
    with subprocess.Popen([tool, "-x", "-C", str(into)], stdin=subprocess.PIPE,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          preexec_fn=die_with_parent) as proc:
        assert proc.stdin is not None and proc.stderr is not None
        try:
            yield proc.stdin
            proc.stdin.close()
        except BaseException:
            proc.kill()
            raise
        errors = proc.stderr.read().decode(errors="replace").strip()
        code = proc.wait()
    if code != 0:
        raise Failed(f"{what}: mbstream failed (exit {code}): {errors[-2000:]}")


def prepare(datadir: Path, *, what: str) -> None:
    """`mariadb-backup --prepare`: make a copied data directory consistent (no login)."""
    result = subprocess.run([backup_binary(), "--prepare", f"--target-dir={datadir}"],
                            stdin=subprocess.DEVNULL, capture_output=True, check=False,
                            preexec_fn=die_with_parent)
    if result.returncode != 0:
        errors = result.stderr.decode(errors="replace").strip()
        raise Failed(f"{what}: mariadb-backup --prepare failed (exit {result.returncode}): "
                     f"{errors[-2000:]}")


def version(tool: str) -> str:
    result = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False)
    # mariadb-backup prints its version on stderr, the client tools on stdout.
    return result.stdout.strip() or result.stderr.strip()


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


def run_with_option_file(creds: Credentials, tool: str, args: Callable[[str], Sequence[str]],
                         *, what: str, left: str, show: Say) -> None:
    """Run a tool that takes its option file in its own way (pt-online-schema-change's DSN
    `F=`, gh-ost's `--conf`), showing each line it prints; a non-zero exit raises Failed with
    its last lines. The tool dies with us (Linux): a killed apply leaves no copy running
    unwatched, so what it left behind is what `alters.resolve` finds."""
    with client_option_file(creds) as option_file:
        command = [tool, *args(option_file.path)]
        tail: list[str] = []
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, pass_fds=option_file.fds,
                              preexec_fn=die_with_parent) as proc:
            assert proc.stdout is not None
            try:
                for raw in proc.stdout:
                    line = raw.decode(errors="replace").rstrip()
                    show(line)
                    tail = [*tail[-19:], line]
            except BaseException:
                proc.kill()
                raise
            code = proc.wait()
    if code != 0:
        last = reason("\n".join(tail), lines=20, messages_only=False)
        shown_tail = "\n    ".join(last.splitlines())
        raise Failed(f"{what}: {Path(tool).name} failed ({ended(code)}):\n    {shown_tail}"
                     f"\n{left}")


def process_alive(pid: int) -> bool:
    """Whether a process (a run that left a lock or a marker behind) still exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def die_with_parent() -> None:
    """Run in a child before exec: the kernel kills it when we die (Linux; elsewhere a no-op)."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
