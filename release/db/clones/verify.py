"""Checking that a scrubbed copy can reach and identify nobody: every column holding personal
data (by name, or by any one of its values) is covered by a rule or declared safe, and no
covered column still holds a value production had.

Contents are judged on every value, set-wise in the server: one SELECT per table sums each text
column's matches of the contact patterns (`contact.ANY`), so one row in a million that holds an
email makes the column contact data. Only a column that matched is read again, for one masked
example. A `name` column is personal data when its table holds people, or when most of its
values look like people's names (`people`): one more SELECT per table that has such a column.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from release.config import ScrubConfig
from release.db.clones import fingerprints, people
from release.db.clones import personal as contact
from release.db.clones.state import OWN_TABLES, SLOT_TABLE
from release.db.connection import Connection
from release.db.schema import DATE_TYPES, Column, quote

PERSONAL = ("name says", "values look like")  # reasons that are identifiers, not channels


@dataclass(frozen=True)
class Hit:
    """A column some of whose values hold contact data."""

    rows: int
    kind: str        # what the example is: "email address", "phone number", ...
    example: str     # masked

    def describe(self) -> str:
        return f"{self.rows} row(s) hold a {self.kind} (e.g. {self.example})"


@dataclass
class Verification:
    found: dict[str, str]                          # "table.column" -> why it is personal data
    covers: dict[str, str] = field(default_factory=dict)     # found column -> its rule or safe
    uncovered: dict[str, str] = field(default_factory=dict)
    remaining: dict[str, int] = field(default_factory=dict)  # covered column -> production values
    redact_left: dict[str, Hit] = field(default_factory=dict)  # redact columns still holding some
    fingerprints: bool = True                      # False: no record of production's values
    source: str | None = None                      # the environment the clone came from

    @property
    def passed(self) -> bool:
        return (not self.uncovered and not self.remaining and not self.redact_left
                and self.fingerprints)

    def problems(self) -> list[str]:
        again = (f"clone again (`invoke db.clone --from {self.source} ...`)" if self.source
                 else "clone again with db.clone")
        # Identifiers (names, birth dates...) are found by name only, and say so ("name says").
        lines = [f"{key}: looks like {'personal' if why.startswith(PERSONAL) else 'contact'} "
                 f"data ({why}) but no [[scrub.rules]] entry covers it and [scrub] safe does "
                 "not list it" for key, why in self.uncovered.items()]
        lines += [f"{key}: {count} value(s) still equal to production's: the scrub did not "
                  f"replace them; {again}" for key, count in self.remaining.items()]
        lines += [f"{key}: redacted, yet {hit.describe()}: {again}"
                  for key, hit in self.redact_left.items()]
        if not self.fingerprints:
            lines.append("no fingerprints of production's values are recorded here (and so no "
                         "way to tell scrubbed values from real ones): this database was not "
                         "cloned by db.clone, and this check promises nothing about its data")
        return lines

    def summary(self, *, limit: int | None = 10) -> list[str]:
        """Each column found, with what covers it; uncovered ones first."""
        ordered = sorted(self.found, key=lambda k: (k in self.covers, k))
        lines = [f"  {key}: {self.found[key]} -> {self.covers.get(key, 'NOT COVERED')}"
                 for key in ordered]
        if limit is not None and len(lines) > limit:
            more = len(lines) - limit
            lines = [*lines[:limit], f"  ... and {more} more (--verbose lists them all)"]
        return lines


def scan_statement(table: str, names: list[str]) -> str:
    """One pass over a table: how many rows of each column match a contact pattern (the
    pattern is the statement's one parameter per column)."""
    sums = ", ".join(f"SUM({quote(name)} REGEXP %s)" for name in names)
    return f"SELECT {sums} FROM {quote(table)}"


def scan(conn: Connection, columns: list[Column]) -> dict[str, Hit]:
    """Every column, of those given, with a value that holds contact data."""
    by_table: dict[str, list[str]] = {}
    for column in columns:
        by_table.setdefault(column.table, []).append(column.name)
    hits: dict[str, Hit] = {}
    with conn.cursor() as cur:
        for table, names in sorted(by_table.items()):
            cur.execute(scan_statement(table, names), [contact.ANY] * len(names))
            counts = cur.fetchone() or ()
            for name, count in zip(names, counts, strict=True):
                if not count:
                    continue
                cur.execute(f"SELECT REGEXP_SUBSTR({quote(name)}, %s) FROM {quote(table)} "
                            f"WHERE {quote(name)} REGEXP %s LIMIT 1", (contact.ANY, contact.ANY))
                row = cur.fetchone()
                value = str(row[0]) if row else ""
                hits[f"{table}.{name}"] = Hit(int(count), contact.classify(value),
                                              contact.mask(value))
    return hits


def personal_columns(conn: Connection, columns: Mapping[str, Column], scrub: ScrubConfig,
                     skip_tables: Collection[str] = ()) -> tuple[dict[str, str], dict[str, Hit]]:
    """Columns holding personal data, with why; and the redacted columns that still hold some.

    Text columns count by their name, dates by a birth-date name. Text columns are also
    scanned, except those a rule replaces wholesale or [scrub] safe lists (their contents were
    declared), and those the name found.
    """
    rules = {f"{rule.table}.{rule.column}": rule for rule in scrub.rules}
    found: dict[str, str] = {}
    to_scan: list[Column] = []
    for key, column in columns.items():
        if column.table in skip_tables:
            continue
        reason = _name_reason(column)
        if reason:
            found[key] = reason
        rule = rules.get(key)
        redacted = rule is not None and rule.kind == "redact"
        if column.is_text and key not in scrub.safe and (redacted or (rule is None and not reason)):
            to_scan.append(column)
    hits = scan(conn, to_scan)
    found.update(name_scan(conn, [c for c in to_scan if people.may_hold_names(c.name)]))
    redact_left: dict[str, Hit] = {}
    for key, hit in hits.items():
        found.setdefault(key, hit.describe())
        if key in rules:
            redact_left[key] = hit
    return found, redact_left


def name_scan(conn: Connection, columns: list[Column]) -> dict[str, str]:
    """The columns, of those given, most of whose values look like people's names: one pass
    per table counts the values, those shaped like a name, those starting with a given name."""
    by_table: dict[str, list[str]] = {}
    for column in columns:
        by_table.setdefault(column.table, []).append(column.name)
    found: dict[str, str] = {}
    with conn.cursor() as cur:
        for table, names in sorted(by_table.items()):
            sums = ", ".join(f"SUM({quote(n)} <> ''), SUM({quote(n)} REGEXP %s), "
                             f"SUM({quote(n)} REGEXP %s)" for n in names)
            cur.execute(f"SELECT {sums} FROM {quote(table)}",
                        [people.PERSON_NAME, people.GIVEN_NAME] * len(names))
            row = [int(n or 0) for n in cur.fetchone() or ()]
            for i, name in enumerate(names):
                values, shaped, given = row[3 * i:3 * i + 3]
                if not people.looks_like_people(values, shaped, given):
                    continue
                quoted = quote(name)
                cur.execute(f"SELECT {quoted} FROM {quote(table)} WHERE {quoted} REGEXP %s "
                            f"AND {quoted} REGEXP %s LIMIT 1",
                            (people.PERSON_NAME, people.GIVEN_NAME))
                example = cur.fetchone()
                found[f"{table}.{name}"] = (
                    f"values look like people's names ({shaped} of {values}, e.g. "
                    f"{people.initials(str(example[0]) if example else '')})")
    return found


def _name_reason(column: Column) -> str | None:
    """Text columns by any personal word; dates only as birth dates (a flag such as
    `pager_confirmed` or a count reaches nobody). A `name`, `full_name` or `display_name`
    column by its table: one that holds people makes it a person's; one named for a thing (a
    product, a practice) leaves it to the values."""
    by_table = people.table_reason(column.table, column.name)
    if by_table and column.is_text:
        return by_table
    if tuple(contact.words(column.name)) in people.NAME_COLUMNS and \
            people.names_a_thing(column.table):
        return None
    reason = contact.name_reason(column.name)
    if column.is_text or (column.data_type in DATE_TYPES and reason
                          and reason.endswith("a birth date")):
        return reason
    return None


def verify(conn: Connection, columns: Mapping[str, Column], row_keys: Mapping[str, str | None],
           scrub: ScrubConfig, key: bytes | None, *,
           skip_tables: Collection[str] = ()) -> Verification:
    """Check a scrubbed database; `row_keys` are the tables' integer primary keys."""
    skip = {*skip_tables, *OWN_TABLES}
    found, redact_left = personal_columns(conn, columns, scrub, skip)
    rules = {f"{rule.table}.{rule.column}": rule for rule in scrub.rules}
    for declared in [*rules, *scrub.safe]:
        if declared in columns:  # not scanned (contents declared): listed for the summary
            found.setdefault(declared, "contents not scanned")
    covers = {k: f"rule kind = {rules[k].kind!r}" if k in rules else "[scrub] safe"
              for k in found if k in rules or k in scrub.safe}
    result = Verification(found=found, covers=covers, redact_left=redact_left,
                          uncovered={k: why for k, why in found.items() if k not in covers})
    if key is None or not _has_fingerprints(conn):
        result.fingerprints = False
        return result
    result.remaining = fingerprints.kept(conn, scrub.rules, key, row_keys, columns)
    return result


def _has_fingerprints(conn: Connection) -> bool:
    with conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM information_schema.TABLES "
                    "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s", (SLOT_TABLE,))
        row = cur.fetchone()
        return bool(row and row[0])
