from __future__ import annotations

from pathlib import Path

import pymysql
import pytest

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
