"""What a database's tables and columns look like, read from information_schema."""

from __future__ import annotations

from dataclasses import dataclass

from release.db.connection import Connection

TEXT_TYPES = frozenset({"char", "varchar", "tinytext", "text", "mediumtext", "longtext"})
INTEGER_TYPES = frozenset({"tinyint", "smallint", "mediumint", "int", "bigint"})
DATE_TYPES = frozenset({"date", "datetime", "timestamp"})


@dataclass(frozen=True)
class Column:
    table: str
    name: str
    data_type: str            # information_schema DATA_TYPE, lower case: varchar, int, ...
    max_length: int | None    # characters, for text types
    nullable: bool
    unique: bool              # part of a UNIQUE or PRIMARY key
    charset: str = ""         # text columns: their character set
    on_update: bool = False   # ON UPDATE CURRENT_TIMESTAMP: any UPDATE of the row changes it

    @property
    def key(self) -> str:
        return f"{self.table}.{self.name}"

    @property
    def is_text(self) -> bool:
        return self.data_type in TEXT_TYPES


@dataclass(frozen=True)
class Table:
    name: str
    engine: str | None
    rows_estimate: int
    bytes_estimate: int
    integer_key: str | None   # a single-column integer primary key, for batched updates


def columns(conn: Connection, database: str) -> dict[str, Column]:
    """Every column of the database's base tables, by "table.column"."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT DISTINCT TABLE_NAME, COLUMN_NAME FROM information_schema.STATISTICS "
            "WHERE TABLE_SCHEMA = %s AND NON_UNIQUE = 0", (database,))
        unique = {(str(t), str(c)) for t, c in cur.fetchall()}
        cur.execute(
            "SELECT c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE, c.CHARACTER_MAXIMUM_LENGTH, "
            "c.IS_NULLABLE, c.CHARACTER_SET_NAME, c.EXTRA "
            "FROM information_schema.COLUMNS c JOIN information_schema.TABLES t "
            "ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME "
            "WHERE c.TABLE_SCHEMA = %s AND t.TABLE_TYPE = 'BASE TABLE' "
            "ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION", (database,))
        result: dict[str, Column] = {}
        for table, name, data_type, max_length, nullable, charset, extra in cur.fetchall():
            column = Column(
                table=str(table), name=str(name), data_type=str(data_type).lower(),
                max_length=int(max_length) if max_length is not None else None,
                nullable=nullable == "YES", unique=(str(table), str(name)) in unique,
                charset=str(charset or ""),
                on_update="on update" in str(extra or "").lower())
            result[column.key] = column
        return result


def tables(conn: Connection, database: str) -> dict[str, Table]:
    """The database's base tables with engine and size estimates (cheap: no row counts)."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT k.TABLE_NAME, MIN(k.COLUMN_NAME), MIN(c.DATA_TYPE) "
            "FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.COLUMNS c "
            "ON c.TABLE_SCHEMA = k.TABLE_SCHEMA AND c.TABLE_NAME = k.TABLE_NAME "
            "AND c.COLUMN_NAME = k.COLUMN_NAME "
            "WHERE k.TABLE_SCHEMA = %s AND k.CONSTRAINT_NAME = 'PRIMARY' "
            "GROUP BY k.TABLE_NAME HAVING COUNT(*) = 1", (database,))
        keys = {str(t): str(c) for t, c, data_type in cur.fetchall()
                if str(data_type).lower() in INTEGER_TYPES}
        cur.execute(
            "SELECT TABLE_NAME, ENGINE, COALESCE(TABLE_ROWS, 0), "
            "COALESCE(DATA_LENGTH, 0) + COALESCE(INDEX_LENGTH, 0) FROM information_schema.TABLES "
            "WHERE TABLE_SCHEMA = %s AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
            (database,))
        return {str(name): Table(name=str(name), engine=str(engine) if engine else None,
                                 rows_estimate=int(rows), bytes_estimate=int(size),
                                 integer_key=keys.get(str(name)))
                for name, engine, rows, size in cur.fetchall()}


def update_triggers(conn: Connection, database: str) -> dict[str, tuple[str, ...]]:
    """The triggers that fire on an UPDATE, by table, in the order they fire."""
    with conn.cursor() as cur:
        cur.execute("SELECT EVENT_OBJECT_TABLE, TRIGGER_NAME FROM information_schema.TRIGGERS "
                    "WHERE TRIGGER_SCHEMA = %s AND EVENT_MANIPULATION = 'UPDATE' "
                    "ORDER BY EVENT_OBJECT_TABLE, FIELD(ACTION_TIMING, 'BEFORE', 'AFTER'), "
                    "ACTION_ORDER", (database,))
        found: dict[str, tuple[str, ...]] = {}
        for table, name in cur.fetchall():
            found[str(table)] = (*found.get(str(table), ()), str(name))
        return found


def other_objects(conn: Connection, database: str) -> dict[str, list[str]]:
    """The views, triggers and routines a copy of the database carries along with its tables."""
    queries = {
        "views": ("SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = %s "
                  "ORDER BY TABLE_NAME"),
        "triggers": ("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
                     "WHERE TRIGGER_SCHEMA = %s ORDER BY TRIGGER_NAME"),
        "routines": ("SELECT CONCAT(LOWER(ROUTINE_TYPE), ' ', ROUTINE_NAME) "
                     "FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = %s "
                     "ORDER BY ROUTINE_NAME"),
    }
    found: dict[str, list[str]] = {}
    with conn.cursor() as cur:
        for what, query in queries.items():
            cur.execute(query, (database,))
            found[what] = [str(row[0]) for row in cur.fetchall()]
    return found


def quote(identifier: str) -> str:
    return "`" + identifier.replace("`", "``") + "`"
