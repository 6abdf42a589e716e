"""A throwaway MariaDB server in a folder of our own, for the demo and benchmarks.

`private_server(folder)` initialises a data directory with mariadb-install-db, starts mariadbd
as the current user on a free loopback port (and a socket in the folder), creates a password
user with every privilege, and stops the server when the `with` block ends. Nothing outside the
folder is touched; the system's own MariaDB, if any, is left alone.
"""

from __future__ import annotations

import getpass
import os
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pymysql

from release.errors import Failed

MARIADBD = Path("/usr/sbin/mariadbd")
USER = "stagecraft"
_START_TIMEOUT = 60.0


@dataclass(frozen=True)
class PrivateServer:
    host: str
    port: int
    socket: str
    user: str
    password: str
    folder: Path

    def connect(self, database: str | None = None) -> pymysql.connections.Connection[
            pymysql.cursors.Cursor]:
        return pymysql.connect(host=self.host, port=self.port, user=self.user,
                               password=self.password, database=database, autocommit=True)


def available() -> bool:
    return MARIADBD.exists() and shutil.which("mariadb-install-db") is not None


@contextmanager
def private_server(folder: Path) -> Iterator[PrivateServer]:
    """Start a private server under `folder` (created if needed); stop it on exit."""
    if not available():
        raise Failed(f"{MARIADBD} or mariadb-install-db is missing: install mariadb-server.")
    folder.mkdir(parents=True, exist_ok=True)
    datadir, sock = folder / "data", folder / "mysqld.sock"
    log = folder / "mysqld.log"
    me = getpass.getuser()
    as_user = [f"--user={me}"] if os.geteuid() == 0 else []
    _run_tool(["mariadb-install-db", "--no-defaults", f"--datadir={datadir}", f"--user={me}",
               "--auth-root-authentication-method=socket", f"--auth-root-socket-user={me}",
               "--skip-test-db"], log)
    port = _free_port()
    process = subprocess.Popen(
        [str(MARIADBD), "--no-defaults", f"--datadir={datadir}", f"--socket={sock}",
         f"--port={port}", "--bind-address=127.0.0.1", f"--pid-file={folder / 'mysqld.pid'}",
         f"--log-error={log}", f"--tmpdir={folder}", "--skip-log-bin",
         "--innodb-buffer-pool-size=64M", *as_user],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_ready(process, sock, log)
        password = secrets.token_urlsafe(16)
        _create_user(sock, password)
        yield PrivateServer("127.0.0.1", port, str(sock), USER, password, folder)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
            raise Failed(f"mariadbd exited at start (code {process.returncode}); see {log}.")
        if sock.exists():
            try:
                pymysql.connect(unix_socket=str(sock), user=getpass.getuser()).close()
                return
            except pymysql.err.MySQLError:
                pass
        time.sleep(0.1)
    raise Failed(f"mariadbd did not start within {_START_TIMEOUT:.0f}s; see {log}.")


def _create_user(sock: Path, password: str) -> None:
    # The OS user who installed the datadir logs in by unix socket; the anonymous
    # users would shadow a '%' user from localhost, so they go.
    conn = pymysql.connect(unix_socket=str(sock), user=getpass.getuser(), autocommit=True)
    try:
        with conn.cursor() as cur:
            cur.execute("DELETE FROM mysql.global_priv WHERE User = ''")
            cur.execute("FLUSH PRIVILEGES")
            for host in ("%", "localhost"):
                cur.execute("CREATE USER %s@%s IDENTIFIED BY %s", (USER, host, password))
                cur.execute("GRANT ALL PRIVILEGES ON *.* TO %s@%s WITH GRANT OPTION",
                            (USER, host))
    finally:
        conn.close()
