from __future__ import annotations

import socket
from pathlib import Path

import pymysql
import pytest

from release.db.connection import connect
from release.db.throwaway import private_server


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
