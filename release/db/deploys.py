"""The deploy audit table in an environment's database (`release_deploys`): one row per host
a deploy touched, holding the record as JSON (its shape belongs to release.deploy), so that
`deploy.history` reads every host's story from one place. Created on first write."""

from __future__ import annotations

import json
from typing import Any

from release.db.connection import Connection

TABLE = "release_deploys"

_CREATE = f"""CREATE TABLE IF NOT EXISTS `{TABLE}` (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  environment VARCHAR(64) NOT NULL,
  recorded_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  record LONGTEXT NOT NULL,
  KEY environment_time (environment, recorded_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"""


def append(conn: Connection, environment: str, record: dict[str, Any]) -> None:
    with conn.cursor() as cur:
        cur.execute(_CREATE)
        cur.execute(f"INSERT INTO `{TABLE}` (environment, record) VALUES (%s, %s)",
                    (environment, json.dumps(record, sort_keys=True)))


def records(conn: Connection, environment: str) -> list[tuple[str, str]]:
    """The environment's records, oldest first, each as (which row, its JSON text), so that
    the reader can name a damaged row; none when nothing was ever deployed."""
    with conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM information_schema.TABLES "
                    "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s", (TABLE,))
        row = cur.fetchone()
        if not row or not row[0]:
            return []
        cur.execute(f"SELECT id, record FROM `{TABLE}` WHERE environment = %s ORDER BY id",
                    (environment,))
        return [(f"`{TABLE}` row id {r[0]}", str(r[1])) for r in cur.fetchall()]
