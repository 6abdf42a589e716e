"""A schema's shape as the server describes it in information_schema: each base table's
columns (type, nullability, default), primary key, indexes and foreign keys.

Both sides of a comparison are read from the same server, so the server has already spelled
types, defaults and charsets its own way; what is left to normalize is what differs between
equal definitions: integer display widths (`int(11)` and `int(10)` store the same), the
spellings of CURRENT_TIMESTAMP, and DEFAULT NULL written or not on a nullable column. Index
and constraint names are not compared (Django names them its own way), AUTO_INCREMENT
counters and table options are not read at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pymysql.cursors import Cursor

from release.db.clones.state import OWN_TABLES
from release.db.connection import Connection
from release.db.deploys import TABLE as DEPLOYS_TABLE

_DISPLAY_WIDTH = re.compile(r"\b(tinyint|smallint|mediumint|int|integer|bigint)\(\d+\)")
_NOW = re.compile(r"(current_timestamp|now|localtimestamp|localtime)(\((\d*)\))?", re.I)


@dataclass(frozen=True)
class ColumnShape:
    name: str
    column_type: str         # normalized: "varchar(20)", "int unsigned", "datetime(6)"
    data_type: str           # "varchar", "int", ...
    nullable: bool
    default: str | None      # as the server spells it; "NULL" for nullable columns without one
    auto_increment: bool = False
    generated: bool = False  # computed by the server: nobody writes it

    @property
    def written_by_server(self) -> bool:
        """Whether an INSERT that leaves the column out still succeeds."""
        return self.default is not None or self.auto_increment or self.generated


@dataclass(frozen=True, order=True)
class IndexShape:
    columns: tuple[str, ...]
    unique: bool


@dataclass(frozen=True)
class ForeignKeyShape:
    columns: tuple[str, ...]
    table: str
    referenced: tuple[str, ...]


@dataclass(frozen=True)
class TableShape:
    name: str
    columns: dict[str, ColumnShape]
    primary: tuple[str, ...] = ()
    indexes: tuple[IndexShape, ...] = ()      # without the primary key
    foreign_keys: tuple[ForeignKeyShape, ...] = ()


def own_tables(ledger_table: str) -> frozenset[str]:
    """The tables Stagecraft keeps in an environment's database (no model describes them)."""
    return frozenset({ledger_table, f"{ledger_table}_runs", f"{ledger_table}_schema",
                      DEPLOYS_TABLE, *OWN_TABLES})


def normalized_type(column_type: str) -> str:
    return _DISPLAY_WIDTH.sub(r"\1", column_type.lower()).replace("integer", "int")


def normalized_default(default: str | None, *, nullable: bool) -> str | None:
    if default is None or default.upper() == "NULL":
        return "NULL" if nullable else None
    now = _NOW.fullmatch(default.strip())
    if now:
        return f"CURRENT_TIMESTAMP({now.group(3)})" if now.group(3) else "CURRENT_TIMESTAMP"
    return default


def read_shape(conn: Connection, schema: str, *,
               skip: Iterable[str] = ()) -> dict[str, TableShape]:
    """Every base table of `schema` but those in `skip` (views and triggers are not models)."""
    skipped = set(skip)
    with conn.cursor() as cur:
        cur.execute("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s "
                    "AND TABLE_TYPE = 'BASE TABLE'", (schema,))
        names = sorted(str(r[0]) for r in cur.fetchall() if str(r[0]) not in skipped)
        columns = _columns(cur, schema)
        indexes = _indexes(cur, schema)
        keys = _foreign_keys(cur, schema)
    shapes: dict[str, TableShape] = {}
    for name in names:
        named = indexes.get(name, {})
        primary = named.pop("PRIMARY", ((), True))[0]
        shapes[name] = TableShape(
            name, columns.get(name, {}), primary=primary,
            indexes=tuple(sorted(IndexShape(cols, unique) for cols, unique in named.values())),
            foreign_keys=tuple(sorted(keys.get(name, []), key=lambda k: k.columns)))
    return shapes


def _columns(cur: Cursor, schema: str) -> dict[str, dict[str, ColumnShape]]:
    cur.execute(
        "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, DATA_TYPE, IS_NULLABLE, COLUMN_DEFAULT, "
        "EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = %s "
        "ORDER BY TABLE_NAME, ORDINAL_POSITION", (schema,))
    found: dict[str, dict[str, ColumnShape]] = {}
    for table, name, column_type, data_type, nullable, default, extra in \
            cur.fetchall():
        is_null = str(nullable) == "YES"
        extra_text = str(extra or "").lower()
        found.setdefault(str(table), {})[str(name)] = ColumnShape(
            str(name), normalized_type(str(column_type)), str(data_type).lower(), is_null,
            normalized_default(None if default is None else str(default), nullable=is_null),
            auto_increment="auto_increment" in extra_text, generated="generated" in extra_text)
    return found


def _indexes(cur: Cursor, schema: str) -> dict[str, dict[str, tuple[tuple[str, ...], bool]]]:
    cur.execute(
        "SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME, NON_UNIQUE FROM "
        "information_schema.STATISTICS WHERE TABLE_SCHEMA = %s "
        "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX", (schema,))
    found: dict[str, dict[str, tuple[tuple[str, ...], bool]]] = {}
    for table, index, column, non_unique in cur.fetchall():
        named = found.setdefault(str(table), {})
        columns, _ = named.get(str(index), ((), True))
        named[str(index)] = ((*columns, str(column)), not int(non_unique))
    return found


def _foreign_keys(cur: Cursor, schema: str) -> dict[str, list[ForeignKeyShape]]:
    cur.execute(
        "SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, "
        "REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
        "WHERE TABLE_SCHEMA = %s AND REFERENCED_TABLE_NAME IS NOT NULL "
        "ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION", (schema,))
    grouped: dict[tuple[str, str], tuple[list[str], str, list[str]]] = {}
    for table, name, column, ref_table, ref_column in \
            cur.fetchall():
        columns, _, referenced = grouped.setdefault((str(table), str(name)),
                                                    ([], str(ref_table), []))
        columns.append(str(column))
        referenced.append(str(ref_column))
    found: dict[str, list[ForeignKeyShape]] = {}
    for (table, _), (columns, ref_table, referenced) in grouped.items():
        found.setdefault(table, []).append(
            ForeignKeyShape(tuple(columns), ref_table, tuple(referenced)))
    return found
