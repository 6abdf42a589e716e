"""Salted fingerprints of production's values, taken before the scrub, and the verification's
question to them: did a covered column keep any of production's values?

One row per source row and one column per covered column (`release_scrub_hashes`: table id,
row key, d0..dN), so that fingerprinting a table is one pass that appends in key order, and
checking the rows that kept their own value is one join per table. The map from a table's
columns to their slots is `release_scrub_hash_columns`. Digests are the first 8 bytes of a
keyed MD5: a collision only ever makes the check fail, never pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pymysql

from release.config import ScrubRule
from release.db.clones.scrub_values import KEY
from release.db.clones.state import FINGERPRINT_TABLE, SLOT_TABLE, ensure_tables
from release.db.connection import Connection, ServerError
from release.db.schema import quote

KEY_CHECK = "'stagecraft key check'"
# Kinds whose generated values cannot equal a real one: any production value left is a leak.
CHANNEL_KINDS = frozenset({"phone", "email", "token"})


def fingerprint_sql(column: str) -> str:
    """A salted hash of a value, computed in the server: the values never leave it."""
    return f"LEFT(UNHEX(MD5(CONCAT({KEY}, CAST({column} AS BINARY)))), 8)"


def set_key(conn: Connection, key: bytes) -> None:
    with conn.cursor() as cur:
        cur.execute(f"SET {KEY} = UNHEX(%s)", (key.hex(),))


@dataclass(frozen=True)
class Slot:
    table: str
    column: str
    table_id: int
    slot: int


def slots(rules: Iterable[ScrubRule]) -> list[Slot]:
    """Where each fingerprinted column goes (redacted text keeps what is not contact data:
    nothing to fingerprint)."""
    tables: dict[str, int] = {}
    found: list[Slot] = []
    for rule in rules:
        if rule.kind == "redact":
            continue
        table_id = tables.setdefault(rule.table, len(tables) + 1)
        used = sum(1 for s in found if s.table == rule.table)
        found.append(Slot(rule.table, rule.column, table_id, used))
    return found


def record(conn: Connection, rules: Iterable[ScrubRule], key: bytes,
           row_keys: Mapping[str, str | None]) -> None:
    """Fingerprint the covered columns' current (production) values, with each row's integer
    key where the table has one: verification then asks whether a row kept its own value,
    which a generated value that happens to equal some real one (a zip code) is not."""
    ensure_tables(conn)
    set_key(conn, key)
    placed = slots(rules)
    width = max([s.slot + 1 for s in placed] or [1])
    digests = ", ".join(f"d{n} BINARY(8) NULL" for n in range(width))
    with conn.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS `{FINGERPRINT_TABLE}`, `{SLOT_TABLE}`")
        cur.execute(f"CREATE TABLE `{SLOT_TABLE}` (table_name VARCHAR(64) NOT NULL, "
                    "column_name VARCHAR(64) NOT NULL, table_id SMALLINT NOT NULL, "
                    "slot SMALLINT NOT NULL, PRIMARY KEY (table_name, column_name)) "
                    "ENGINE=InnoDB")
        cur.execute(f"CREATE TABLE `{FINGERPRINT_TABLE}` (table_id SMALLINT NOT NULL, "
                    f"row_key BIGINT NOT NULL, {digests}, PRIMARY KEY (table_id, row_key)) "
                    "ENGINE=InnoDB")
        # Which key made these digests: a clone stopped before its swap leaves the live
        # database with the previous clone's fingerprints, and the newer key beside them.
        cur.execute(f"INSERT INTO `{FINGERPRINT_TABLE}` (table_id, row_key, d0) "
                    f"VALUES (0, 0, {fingerprint_sql(KEY_CHECK)})")
        for s in placed:
            cur.execute(f"INSERT INTO `{SLOT_TABLE}` VALUES (%s, %s, %s, %s)",
                        (s.table, s.column, s.table_id, s.slot))
        for table in dict.fromkeys(s.table for s in placed):
            _record_table(cur, table, [s for s in placed if s.table == table],
                          row_keys.get(table))


def _record_table(cur: pymysql.cursors.Cursor, table: str, placed: list[Slot],
                  row_key: str | None) -> None:
    """One pass over the table, appending in key order (a keyless table is numbered)."""
    names = ", ".join(f"d{s.slot}" for s in placed)
    values = ", ".join(
        f"IF({quote(s.column)} IS NULL OR CAST({quote(s.column)} AS BINARY) = '', NULL, "
        f"{fingerprint_sql(quote(s.column))})" for s in placed)
    number = quote(row_key) if row_key else "ROW_NUMBER() OVER ()"
    cur.execute(f"INSERT INTO `{FINGERPRINT_TABLE}` (table_id, row_key, {names}) "
                f"SELECT {placed[0].table_id}, {number}, {values} FROM {quote(table)}")


def key_fits(conn: Connection, key: bytes) -> bool | None:
    """Whether `key` made the database's fingerprints; None when they do not say (none, or
    made before keys were checked)."""
    set_key(conn, key)
    with conn.cursor() as cur:
        try:
            cur.execute(f"SELECT d0 = {fingerprint_sql(KEY_CHECK)} FROM `{FINGERPRINT_TABLE}` "
                        "WHERE table_id = 0 AND row_key = 0")
        except ServerError:
            return None
        row = cur.fetchone()
    return None if row is None else bool(row[0])


def recorded(conn: Connection) -> dict[tuple[str, str], Slot]:
    """The fingerprinted columns, or {} when there are no fingerprints (or old ones)."""
    with conn.cursor() as cur:
        try:
            cur.execute(f"SELECT table_name, column_name, table_id, slot FROM `{SLOT_TABLE}`")
        except ServerError:
            return {}
        return {(str(t), str(c)): Slot(str(t), str(c), int(i), int(n))
                for t, c, i, n in cur.fetchall()}


def kept(conn: Connection, rules: Iterable[ScrubRule], key: bytes,
         row_keys: Mapping[str, str | None], present: Iterable[str]) -> dict[str, int]:
    """Covered column -> how many of its values are production's: per row where the table
    has an integer key (a generated name may equal someone's real one by chance, which leaks
    nothing), any production value for contact channels and keyless tables."""
    set_key(conn, key)
    known, columns = recorded(conn), set(present)
    per_row: dict[str, list[Slot]] = {}
    anywhere: list[Slot] = []
    for rule in rules:
        slot = known.get((rule.table, rule.column))
        if slot is None or f"{rule.table}.{rule.column}" not in columns:
            continue
        if row_keys.get(rule.table) and rule.kind not in CHANNEL_KINDS:
            per_row.setdefault(rule.table, []).append(slot)
        else:
            anywhere.append(slot)
    counts: dict[str, int] = {}
    with conn.cursor() as cur:
        for table, found in per_row.items():
            sums = ", ".join(f"SUM(h.d{s.slot} = {fingerprint_sql('t.' + quote(s.column))})"
                             for s in found)
            cur.execute(f"SELECT {sums} FROM {quote(table)} t JOIN `{FINGERPRINT_TABLE}` h "
                        f"ON h.table_id = {found[0].table_id} "
                        f"AND h.row_key = t.{quote(str(row_keys[table]))}")
            row = cur.fetchone() or ()
            counts.update({f"{s.table}.{s.column}": int(n or 0)
                           for s, n in zip(found, row, strict=True)})
        for s in anywhere:
            name = quote(s.column)
            cur.execute(f"SELECT COUNT(*) FROM {quote(s.table)} WHERE {name} IS NOT NULL AND "
                        f"{fingerprint_sql(name)} IN (SELECT d{s.slot} FROM "
                        f"`{FINGERPRINT_TABLE}` WHERE table_id = {s.table_id} "
                        f"AND d{s.slot} IS NOT NULL)")
            row = cur.fetchone()
            counts[f"{s.table}.{s.column}"] = int(row[0]) if row and row[0] else 0
    return {name: count for name, count in counts.items() if count}
