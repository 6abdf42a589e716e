from __future__ import annotations

import socket
from pathlib import Path

import pymysql
import pytest

from release.db.connection import connect
from release.db.throwaway import private_server, server_on


def test_a_private_server_runs_in_its_folder_with_a_password_user_and_stops(
        tmp_path: Path) -> None:
    with private_server(tmp_path / "db") as server:
        assert Path(server.socket).parent == tmp_path / "db"
        with server.connect() as conn, conn.cursor() as cur:
            cur.execute("CREATE DATABASE demo")
            cur.execute("SELECT CURRENT_USER()")
            assert str(cur.fetchone()[0]).startswith("stagecraft@")  # type: ignore[index]
    assert (tmp_path / "db" / "data" / "demo").is_dir()
    with pytest.raises(pymysql.err.OperationalError):
        server.connect()


def test_without_a_folder_it_works_in_a_temporary_one_that_is_removed(
        tmp_path: Path) -> None:
    with private_server(user="bench") as server:
        folder = server.folder
        assert (folder / "data").is_dir() and tmp_path not in folder.parents
        with connect(server.credentials("mysql")) as conn, conn.cursor() as cur:
            cur.execute("SELECT CURRENT_USER()")
            assert str(cur.fetchone()[0]).startswith("bench@")  # type: ignore[index]
    assert not folder.exists()
    with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
        probe.connect((server.host, server.port))


def test_the_server_stops_and_its_folder_goes_when_the_block_fails() -> None:
    with pytest.raises(RuntimeError, match="the caller failed"), private_server() as server:
        raise RuntimeError("the caller failed")
    assert not server.folder.exists()
    with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
        probe.connect((server.host, server.port))


def test_a_server_starts_on_an_existing_datadir_reachable_by_its_socket_only(
        tmp_path: Path) -> None:
    with private_server(tmp_path / "db", options=("--log-bin=bin", "--server-id=7")) \
            as server, server.connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT @@log_bin, @@server_id")
        assert cur.fetchone() == (1, 7)
        cur.execute("CREATE DATABASE kept")
        cur.execute("CREATE TABLE kept.t (id INT PRIMARY KEY)")
        cur.execute("INSERT INTO kept.t VALUES (1), (2)")
    # A folder so deep that its socket path is too long for a unix socket.
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    with server_on(tmp_path / "db" / "data", deep) as sock:
        assert len(str(sock)) <= 107
        with pymysql.connect(unix_socket=str(sock), user="anyone") as conn, \
                conn.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM kept.t")
            assert cur.fetchone() == (2,)
            cur.execute("SELECT @@skip_networking")
            assert cur.fetchone() == (1,)
    assert not sock.exists()
