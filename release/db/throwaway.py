"""A throwaway MariaDB server of our own: for the demo, the benchmarks and scratch work.

`private_server(folder)` initialises a data directory in `folder` with mariadb-install-db,
starts mariadbd as the current user on a free loopback port and a socket in the folder,
creates a password user with every privilege, and stops the server when the `with` block
ends, however it ends. Without a folder it works in a temporary one, removed afterwards; a
folder given is kept (the demo shows what it holds). The server dies with the process that
started it (Linux), so a killed run leaves no server behind. Nothing outside the folder is
touched; the system's own MariaDB, if any, is left alone. `server_on(datadir, folder)` starts
one on a data directory that already exists (db.verify-backup's restore drill).
"""

from __future__ import annotations

import getpass
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pymysql

from release.db.connection import Connection, ServerError
from release.db.credentials import Credentials
from release.db.tools import die_with_parent
from release.errors import Failed

MARIADBD = Path("/usr/sbin/mariadbd")
USER = "stagecraft"
_START_TIMEOUT = 60.0
_STOP_TIMEOUT = 30.0
_SOCKET_PATH_MAX = 100  # a unix socket's address holds 107 bytes


@dataclass(frozen=True)
class PrivateServer:
    host: str
    port: int
    socket: str     # in `folder`; the OS user who started it logs in there as root
    user: str       # a password user with every privilege, reached over TCP
    password: str
    folder: Path

    def connect(self, database: str | None = None) -> Connection:
        return pymysql.connect(host=self.host, port=self.port, user=self.user,
                               password=self.password, database=database, autocommit=True)

    def credentials(self, database: str, *, environment: str = "throwaway") -> Credentials:
        """The password user as release.db's functions and client tools log in."""
        return Credentials(environment, database, self.host, self.port, "", self.user,
                           self.password)


def available() -> bool:
    return MARIADBD.exists() and shutil.which("mariadb-install-db") is not None


@contextmanager
def private_server(folder: Path | None = None, *, buffer_pool: str = "64M",
                   user: str = USER, options: Sequence[str] = ()) -> Iterator[PrivateServer]:
    """A private server under `folder` (created if needed; a temporary folder, removed
    afterwards, when None), with `buffer_pool` of InnoDB buffer pool and the password user
    `user`; stopped when the block ends. `options` go to mariadbd too (a replication test's
    --log-bin and --server-id, say)."""
    if not available():
        raise Failed(f"{MARIADBD} or mariadb-install-db is missing: install mariadb-server.")
    temporary = folder is None
    where = Path(tempfile.mkdtemp(prefix="stagecraft-mariadb-")) if folder is None else folder
    try:
        where.mkdir(parents=True, exist_ok=True)
        with _running(where, buffer_pool, options) as (port, sock):
            password = secrets.token_urlsafe(16)
            _create_user(sock, user, password)
            yield PrivateServer("127.0.0.1", port, str(sock), user, password, where)
    finally:
        if temporary:
            shutil.rmtree(where, ignore_errors=True)


@contextmanager
def _running(folder: Path, buffer_pool: str, options: Sequence[str]
             ) -> Iterator[tuple[int, Path]]:
    datadir, log = folder / "data", folder / "mysqld.log"
    me = getpass.getuser()
    _run_tool(["mariadb-install-db", "--no-defaults", f"--datadir={datadir}", f"--user={me}",
               "--auth-root-authentication-method=socket", f"--auth-root-socket-user={me}",
               "--skip-test-db", f"--tmpdir={folder}"], log)
    port = _free_port()
    binlog = [] if any(o.startswith("--log-bin") for o in options) else ["--skip-log-bin"]
    with _mariadbd(datadir, folder, [f"--port={port}", "--bind-address=127.0.0.1", *binlog,
                                     f"--innodb-buffer-pool-size={buffer_pool}",
                                     *options]) as sock:
        yield port, sock


@contextmanager
def server_on(datadir: Path, folder: Path) -> Iterator[Path]:
    """Start mariadbd on an existing data directory (a prepared physical backup, say); yield
    its socket, in `folder`. It has no network, no replication and checks no grants, so
    whoever can reach the socket can read everything: keep `folder` private (0700)."""
    if not available():
        raise Failed(f"{MARIADBD} or mariadb-install-db is missing: install mariadb-server.")
    with _mariadbd(datadir, folder, ["--skip-networking", "--skip-grant-tables",
                                     "--skip-log-bin", "--skip-slave-start",
                                     "--innodb-buffer-pool-size=64M"]) as sock:
        yield sock


@contextmanager
def _mariadbd(datadir: Path, folder: Path, options: Sequence[str]) -> Iterator[Path]:
    log = folder / "mysqld.log"
    as_user = [f"--user={getpass.getuser()}"] if os.geteuid() == 0 else []
    with _socket_in(folder) as sock:
        process = subprocess.Popen(
            [str(MARIADBD), "--no-defaults", f"--datadir={datadir}", f"--socket={sock}",
             f"--pid-file={folder / 'mysqld.pid'}", f"--log-error={log}", f"--tmpdir={folder}",
             *as_user, *options],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=die_with_parent,
        )
        try:
            _wait_ready(process, sock, log)
            yield sock
        finally:
            process.terminate()
            try:
                process.wait(timeout=_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def _socket_in(folder: Path) -> Iterator[Path]:
    """`folder`/mysqld.sock, or one in a short private folder when that path would be longer
    than a unix socket's address may be."""
    sock = folder / "mysqld.sock"
    if len(str(sock)) <= _SOCKET_PATH_MAX:
        yield sock
        return
    short = Path(tempfile.mkdtemp(prefix="stagecraft-sock-", dir="/tmp"))
    try:
        yield short / "mysqld.sock"
    finally:
        shutil.rmtree(short, ignore_errors=True)


def _run_tool(args: list[str], log: Path) -> None:
    result = subprocess.run(args, capture_output=True, text=True, check=False,
                            stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        log.write_text(result.stdout + result.stderr)
        raise Failed(f"{args[0]} failed (exit {result.returncode}); see {log}.")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_ready(process: subprocess.Popen[bytes], sock: Path, log: Path) -> None:
    deadline = time.monotonic() + _START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Failed(f"mariadbd exited at start (code {process.returncode}); see {log}"
                         f"{_errors(log)}.")
        if sock.exists():
            try:
                pymysql.connect(unix_socket=str(sock), user=getpass.getuser()).close()
                return
            except ServerError:
                pass
        time.sleep(0.1)
    raise Failed(f"mariadbd did not start within {_START_TIMEOUT:.0f}s; see {log}"
                 f"{_errors(log)}.")


def _errors(log: Path) -> str:
    # Its folder may be removed as soon as this is raised (a drill's scratch): quote it.
    try:
        lines = [line for line in log.read_text(errors="replace").splitlines()
                 if "[ERROR]" in line]
    except OSError:
        return ""
    return (":\n  " + "\n  ".join(lines[-5:])) if lines else ""


def _create_user(sock: Path, user: str, password: str) -> None:
    # The OS user who installed the datadir logs in by unix socket; the anonymous
    # users would shadow a '%' user from localhost, so they go.
    conn = pymysql.connect(unix_socket=str(sock), user=getpass.getuser(), autocommit=True)
    try:
        with conn.cursor() as cur:
            # Kept out of the binary log: a replica set up afterwards has its own users.
            cur.execute("SET SESSION sql_log_bin = 0")
            cur.execute("DELETE FROM mysql.global_priv WHERE User = ''")
            cur.execute("FLUSH PRIVILEGES")
            for host in ("%", "localhost"):
                cur.execute("CREATE USER %s@%s IDENTIFIED BY %s", (user, host, password))
                cur.execute("GRANT ALL PRIVILEGES ON *.* TO %s@%s WITH GRANT OPTION",
                            (user, host))
    finally:
        conn.close()
