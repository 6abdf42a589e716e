"""Carrying out a scrub plan on a database, and fingerprinting production's values first."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from release.config import ScrubRule
from release.db.clone_state import FINGERPRINT_TABLE, ensure_tables
from release.db.connection import Connection
from release.db.schema import quote
from release.db.scrub_plan import KEY, TableScrub

BATCH_ROWS = 200_000

Report = Callable[[str], None]


def set_key(conn: Connection, key: bytes) -> None:
    with conn.cursor() as cur:
        cur.execute(f"SET {KEY} = UNHEX(%s)", (key.hex(),))


def fingerprint_sql(column: str) -> str:
    """A salted hash of a value, computed in the server: the values never leave it."""
    return f"UNHEX(MD5(CONCAT({KEY}, CAST({column} AS BINARY))))"


def record_fingerprints(conn: Connection, rules: Iterable[ScrubRule], key: bytes,
                        row_keys: Mapping[str, str | None]) -> None:
    """Store salted hashes of the covered columns' current (production) values, with each
    row's integer key where the table has one: verification then asks whether a row kept its
    own value, which a generated value that happens to equal some real one (a zip code) is not.
    """
    ensure_tables(conn)
    set_key(conn, key)
    with conn.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS `{FINGERPRINT_TABLE}`")
        # Indexed once filled: inserting millions of random digests into a B-tree row by row
        # costs twice as much.
        cur.execute(f"CREATE TABLE `{FINGERPRINT_TABLE}` (table_name VARCHAR(64) NOT NULL, "
                    "column_name VARCHAR(64) NOT NULL, row_key BIGINT NULL, "
                    "digest BINARY(16) NOT NULL) ENGINE=InnoDB")
        for rule in rules:
            name = quote(rule.column)
            row_key = row_keys.get(rule.table)
            cur.execute(
                f"INSERT INTO `{FINGERPRINT_TABLE}` (table_name, column_name, row_key, digest) "
                f"SELECT %s, %s, {quote(row_key) if row_key else 'NULL'}, "
                f"{fingerprint_sql(name)} FROM {quote(rule.table)} "
                f"WHERE {name} IS NOT NULL AND CAST({name} AS BINARY) <> ''",
                (rule.table, rule.column))
        cur.execute(f"ALTER TABLE `{FINGERPRINT_TABLE}` "
                    "ADD INDEX by_column (table_name, column_name, row_key, digest)")


def apply(conn: Connection, scrubs: Iterable[TableScrub], key: bytes, *,
          batch_rows: int = BATCH_ROWS, report: Report | None = None) -> None:
    """Run each table's UPDATE; tables with an integer key are done in key ranges so that no
    single transaction holds millions of rows of undo."""
    set_key(conn, key)
    with conn.cursor() as cur:
        for scrub in scrubs:
            if report:
                report(f"scrub {scrub.table}: {', '.join(c for c, _ in scrub.assignments)}")
            if scrub.batch_key is None:
                cur.execute(scrub.statement())
                continue
            key_name = quote(scrub.batch_key)
            cur.execute(f"SELECT MIN({key_name}), MAX({key_name}) FROM {quote(scrub.table)}")
            row = cur.fetchone()
            low, high = (row[0], row[1]) if row else (None, None)
            if low is None or high is None:
                continue
            if high - low < batch_rows:
                cur.execute(scrub.statement())
                continue
            statement = scrub.batch_statement()
            for start in range(int(low), int(high) + 1, batch_rows):
                cur.execute(statement, (start, start + batch_rows))
