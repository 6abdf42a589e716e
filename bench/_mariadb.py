"""A throwaway MariaDB server for the benchmarks: started in a temporary folder, on a free TCP
port, with a password user (so the measured tools log in the way a deploy user does)."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pymysql


@dataclass(frozen=True)
class Server:
    folder: Path
    port: int
    password: str

    def connect(self, database: str | None = None) -> pymysql.connections.Connection:  # type: ignore[type-arg]
        return pymysql.connect(host="127.0.0.1", port=self.port, user="bench",
                               password=self.password, database=database, autocommit=True)

    def option_file(self) -> Path:
        return self.folder / "client.cnf"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def private_server() -> Iterator[Server]:
    folder = Path(tempfile.mkdtemp(prefix="stagecraft-bench-db-"))
    data, sock = folder / "data", folder / "mysqld.sock"
    user = ["--user=root"] if os.geteuid() == 0 else []
    subprocess.run(["mariadb-install-db", "--no-defaults", f"--datadir={data}",
                    "--auth-root-authentication-method=socket", *user],
                   check=True, capture_output=True)
    port = _free_port()
    proc = subprocess.Popen(["mariadbd", "--no-defaults", f"--datadir={data}",
                             f"--socket={sock}", f"--port={port}", "--bind-address=127.0.0.1",
                             "--innodb-buffer-pool-size=512M", "--skip-log-bin",
                             f"--pid-file={folder / 'pid'}", *user],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    password = secrets.token_urlsafe(16)
    try:
        for _ in range(300):
            if sock.exists():
                break
            time.sleep(0.1)
        subprocess.run(["mariadb", f"--socket={sock}", "--user=root"], check=True, text=True,
                       capture_output=True,
                       input="DELETE FROM mysql.global_priv WHERE User = ''; FLUSH PRIVILEGES;"
                             + "".join(f"CREATE USER 'bench'@'{h}' IDENTIFIED BY '{password}';"
                                       f"GRANT ALL ON *.* TO 'bench'@'{h}';"
                                       for h in ("%", "localhost")))
        server = Server(folder=folder, port=port, password=password)
        fd = os.open(server.option_file(), os.O_WRONLY | os.O_CREAT, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(f"[client]\nuser=bench\npassword=\"{password}\"\nhost=127.0.0.1\n"
                         f"port={port}\nprotocol=TCP\n")
        yield server
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
