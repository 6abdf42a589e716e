"""Checking that a scrubbed copy can reach nobody: every contact-looking column is covered by a
rule or declared safe, and no covered column still holds a value production had."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from release.config import ScrubConfig
from release.db.clone_state import FINGERPRINT_TABLE, OWN_TABLES
from release.db.connection import Connection
from release.db.contact import content_reason, name_reason
from release.db.schema import Column, quote
from release.db.scrub import fingerprint_sql, set_key

SAMPLE_ROWS = 50
CHANNEL_KINDS = frozenset({"phone", "email", "token"})


@dataclass
class Verification:
    suspects: dict[str, str]                      # "table.column" -> why it looks like contact
    uncovered: dict[str, str] = field(default_factory=dict)
    remaining: dict[str, int] = field(default_factory=dict)  # covered column -> production values
    fingerprints: bool = True                     # False: no record of production's values

    @property
    def passed(self) -> bool:
        return not self.uncovered and not self.remaining and self.fingerprints

    def problems(self) -> list[str]:
        lines = [f"{key}: looks like contact data ({why}) but no [[scrub.rules]] entry covers "
                 "it and [scrub] safe does not list it" for key, why in self.uncovered.items()]
        lines += [f"{key}: {count} value(s) still equal to production's"
                  for key, count in self.remaining.items()]
        if not self.fingerprints:
            lines.append("no fingerprints of production's values are recorded here (and so no "
                         "way to tell scrubbed values from real ones): clone with db.clone")
        return lines


def contact_columns(conn: Connection, columns: Mapping[str, Column],
                    skip_tables: Collection[str] = ()) -> dict[str, str]:
    """Every text column whose name or sampled contents look like contact data, with why."""
    found: dict[str, str] = {}
    with conn.cursor() as cur:
        for key, column in columns.items():
            if not column.is_text or column.table in skip_tables:
                continue
            reason = name_reason(column.name)
            if reason is None:
                name = quote(column.name)
                cur.execute(f"SELECT LEFT({name}, 80) FROM {quote(column.table)} "
                            f"WHERE {name} IS NOT NULL AND {name} <> '' LIMIT {SAMPLE_ROWS}")
                reason = content_reason([str(row[0]) for row in cur.fetchall()])
            if reason:
                found[key] = reason
    return found


def verify(conn: Connection, columns: Mapping[str, Column], row_keys: Mapping[str, str | None],
           scrub: ScrubConfig, key: bytes | None, *,
           skip_tables: Collection[str] = ()) -> Verification:
    """Check a scrubbed database; `row_keys` are the tables' integer primary keys."""
    skip = {*skip_tables, *OWN_TABLES}
    suspects = contact_columns(conn, columns, skip)
    covered = {f"{rule.table}.{rule.column}" for rule in scrub.rules}
    result = Verification(suspects=suspects, uncovered={
        k: why for k, why in suspects.items() if k not in covered and k not in scrub.safe})
    if key is None or not _has_fingerprints(conn):
        result.fingerprints = False
        return result
    set_key(conn, key)
    with conn.cursor() as cur:
        for rule in scrub.rules:
            if f"{rule.table}.{rule.column}" not in columns:
                continue
            name, row_key = quote(rule.column), row_keys.get(rule.table)
            if row_key and rule.kind not in CHANNEL_KINDS:
                # Rows that kept their own production value: a generated name or street may
                # equal somebody's real one by chance, which leaks nothing.
                cur.execute(
                    f"SELECT COUNT(*) FROM {quote(rule.table)} t JOIN `{FINGERPRINT_TABLE}` f "
                    f"ON f.table_name = %s AND f.column_name = %s "
                    f"AND f.row_key = t.{quote(row_key)} "
                    f"WHERE f.digest = {fingerprint_sql('t.' + name)}",
                    (rule.table, rule.column))
            else:
                # Any value production had in this column: generated phones, emails and
                # tokens cannot equal a real one, so a match is a real contact left behind.
                cur.execute(
                    f"SELECT COUNT(*) FROM {quote(rule.table)} WHERE {name} IS NOT NULL "
                    f"AND {fingerprint_sql(name)} IN (SELECT digest FROM `{FINGERPRINT_TABLE}` "
                    "WHERE table_name = %s AND column_name = %s)",
                    (rule.table, rule.column))
            row = cur.fetchone()
            if row and row[0]:
                result.remaining[f"{rule.table}.{rule.column}"] = int(row[0])
    return result


def _has_fingerprints(conn: Connection) -> bool:
    with conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM information_schema.TABLES "
                    "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s", (FINGERPRINT_TABLE,))
        row = cur.fetchone()
        return bool(row and row[0])
