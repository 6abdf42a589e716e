"""Scratch schemas on an environment's server (`stagecraft_explain_<utc time>_<random>`):
where `alters.explain` tries statements on empty copies, where the deploy gate applies the
pending alters to empty copies of every table, and where the application's Django creates
its models' tables. A scratch schema is dropped whatever happens; one a killed run left
behind is recognised by its name and dropped by the next run. The environment's own schema
is only read (SHOW CREATE TABLE, information_schema)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta

import pymysql

from release.alters.explain_sql import quoted
from release.db.connection import Connection, ServerError, failure

PREFIX = "stagecraft_explain_"
STALE = timedelta(hours=1)  # older scratch schemas belong to killed runs, not running ones
_REFERENCE = re.compile(r"REFERENCES `((?:[^`]|``)+)`(?!\.)")


@contextmanager
def scratch_schema(conn: Connection, *, like: str | None = None) -> Iterator[str]:
    """A new empty schema, dropped on exit; with `like`, the same default charset and
    collation as that schema (so tables created there get the same column collations)."""
    now = datetime.now(UTC)
    for name in _leftovers(conn, now):
        _drop(conn, name)
    name = f"{PREFIX}{now:%Y%m%d%H%M%S}_{secrets.token_hex(4)}"
    with conn.cursor() as cur:
        options = ""
        if like is not None:
            cur.execute("SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM "
                        "information_schema.SCHEMATA WHERE SCHEMA_NAME = %s", (like,))
            row = cur.fetchone()
            options = f" CHARACTER SET {row[0]} COLLATE {row[1]}" if row else ""
        try:
            cur.execute(f"CREATE DATABASE {quoted(name)}{options}")
        except ServerError as error:
            raise failure(error, f"cannot create the scratch schema {name}",
                          "explaining needs CREATE and DROP on `stagecraft\\_explain\\_%`.* for "
                          "the deploy user", "GRANT CREATE, DROP, ALTER, INDEX ON "
                          "`stagecraft\\_explain\\_%`.* TO ... and retry.") from None
    try:
        yield name
    finally:
        _drop(conn, name)


def copy_table(conn: Connection, schema: str, scratch: str, table: str) -> str | None:
    """An empty copy of `schema`.`table` in `scratch`; its CREATE TABLE text, or None when
    `schema` has no such table (or it is a view). Foreign keys are not checked while copies
    are made, so tables can be copied in any order."""
    with conn.cursor() as cur:
        try:
            cur.execute(f"SHOW CREATE TABLE {quoted(schema)}.{quoted(table)}")
        except pymysql.err.ProgrammingError:
            return None
        row = cur.fetchone()
        if row is None or not str(row[1]).startswith("CREATE TABLE"):
            return None
        text = str(row[1])
        cur.execute("SET SESSION foreign_key_checks = 0")
        try:
            cur.execute(text.replace("CREATE TABLE ", f"CREATE TABLE {quoted(scratch)}.", 1))
        finally:
            cur.execute("SET SESSION foreign_key_checks = 1")
    return text


def references(create: str, table: str) -> list[str]:
    """The other tables a CREATE TABLE's foreign keys reference."""
    names = (m.group(1).replace("``", "`") for m in _REFERENCE.finditer(create))
    return [name for name in names if name != table]


def copy_all(conn: Connection, schema: str, scratch: str, *, skip: Iterable[str] = ()) -> int:
    """Empty copies of every base table of `schema` (but `skip`); how many were copied."""
    skipped = set(skip)
    with conn.cursor() as cur:
        cur.execute("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s "
                    "AND TABLE_TYPE = 'BASE TABLE'", (schema,))
        names = [str(r[0]) for r in cur.fetchall() if str(r[0]) not in skipped]
    return sum(copy_table(conn, schema, scratch, name) is not None for name in names)


def _leftovers(conn: Connection, now: datetime) -> list[str]:
    with conn.cursor() as cur:
        cur.execute("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA "
                    "WHERE SCHEMA_NAME LIKE 'stagecraft\\_explain\\_%'")
        names = [str(r[0]) for r in cur.fetchall()]
    old = []
    for name in names:
        with suppress(ValueError):
            made = datetime.strptime(name[len(PREFIX):][:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
            if now - made > STALE:
                old.append(name)
    return old


def _drop(conn: Connection, name: str) -> None:
    if conn.open:
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {quoted(name)}")
