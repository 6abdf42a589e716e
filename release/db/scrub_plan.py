"""The scrub plan: which SQL makes each covered column safe. Pure: values in, SQL text out.

Every generated value is derived from the old one through a keyed hash (`@stagecraft_key`, a
per-clone secret set on the session), so equal inputs give equal outputs in every table and
joins keep matching, while nothing about the old value can be read back. NULL and '' stay as
they are (they reach nobody). Each expression is built for its column's type and length, and a
rule that cannot fit its column is refused while planning, before any row changes, so a clone
never stops half-way on a value that is too long.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from release.config import ScrubRule
from release.db.schema import INTEGER_TYPES, Column, quote
from release.errors import Refused

KEY = "@stagecraft_key"
FIRST_NAMES = ("Alex", "Blake", "Casey", "Drew", "Emery", "Finley", "Gray", "Harper",
               "Indy", "Jordan", "Kai", "Logan", "Morgan", "Noel", "Parker", "Quinn")
LAST_NAMES = ("Ashdown", "Birch", "Calder", "Dale", "Ellery", "Fenn", "Garner", "Hale",
              "Irving", "Jessop", "Keel", "Lark", "Marsh", "Nash", "Orr", "Pike")
EMAIL_DOMAIN = "@example.invalid"


@dataclass(frozen=True)
class TableScrub:
    """One UPDATE (all the table's covered columns in a single pass), batched by `batch_key`."""

    table: str
    assignments: tuple[tuple[str, str], ...]   # (column, SQL expression)
    batch_key: str | None = None
    kinds: tuple[str, ...] = ()                # each assignment's rule kind, for people

    def describe(self) -> str:
        columns = ", ".join(f"{column} ({kind})" for (column, _), kind
                            in zip(self.assignments, self.kinds, strict=False))
        batches = f", in ranges of {self.batch_key}" if self.batch_key else ""
        return f"UPDATE {self.table}: {columns}{batches}"

    def statement(self) -> str:
        sets = ", ".join(f"{quote(column)} = {expr}" for column, expr in self.assignments)
        return f"UPDATE {quote(self.table)} SET {sets}"

    def batch_statement(self) -> str:
        """The UPDATE for one key range; parameters: (low, high), high exclusive."""
        assert self.batch_key is not None
        key = quote(self.batch_key)
        # The expressions may hold '%' (modulo, literals): escape them for the driver's format.
        body = self.statement().replace("%", "%%")
        return f"{body} WHERE {key} >= %s AND {key} < %s"


def plan(rules: Iterable[ScrubRule], columns: Mapping[str, Column],
         batch_keys: Mapping[str, str | None]) -> list[TableScrub]:
    """The UPDATEs that apply `rules`; Refused naming every rule that cannot be applied."""
    problems: list[str] = []
    by_table: dict[str, list[tuple[str, str]]] = {}
    kinds: dict[str, list[str]] = {}
    for rule in rules:
        column = columns.get(f"{rule.table}.{rule.column}")
        if column is None:
            problems.append(f"{rule.table}.{rule.column}: no such column in the database")
            continue
        try:
            expr = expression(rule.kind, column)
        except ValueError as error:
            problems.append(f"{column.key} ({rule.kind}): {error}")
            continue
        assignments = by_table.setdefault(column.table, [])
        if any(name == column.name for name, _ in assignments):
            problems.append(f"{column.key}: more than one rule")
            continue
        assignments.append((column.name, expr))
        kinds.setdefault(column.table, []).append(rule.kind)
    if problems:
        raise Refused("the scrub rules cannot be applied; nothing was changed:\n  "
                      + "\n  ".join(problems)
                      + "\nFix [[scrub.rules]] in the configuration and retry.")
    return [TableScrub(table, tuple(assignments), batch_keys.get(table), tuple(kinds[table]))
            for table, assignments in sorted(by_table.items())]


def expression(kind: str, column: Column) -> str:
    """The SQL giving `column`'s new value; ValueError when `kind` cannot fit the column."""
    if kind.startswith("literal:"):
        return kind.removeprefix("literal:").strip()
    if kind == "null":
        if not column.nullable:
            raise ValueError("column is NOT NULL; use literal:'' instead of null")
        return "NULL"
    if kind == "phone" and column.data_type in INTEGER_TYPES:
        return _keep_blank(column, _integer_phone(column))
    if not column.is_text:
        raise ValueError(f"kind {kind!r} needs a text column, this one is {column.data_type}")
    generators = {"phone": _phone, "email": _email, "name": _name, "address": _address,
                  "token": _token}
    if kind not in generators:
        raise ValueError(f"unknown kind {kind!r}")
    length = column.max_length or 0
    return _keep_blank(column, generators[kind](_hash(column), length, column.unique))


def _keep_blank(column: Column, expr: str) -> str:
    name = quote(column.name)
    if not column.is_text:
        return f"IF({name} IS NULL, {name}, {expr})"
    if column.charset.isidentifier():
        # IF() must not mix the column's charset (latin1, say) with the literals' utf8mb4.
        expr = f"CONVERT({expr} USING {column.charset})"
    return f"IF({name} IS NULL OR {name} = '', {name}, {expr})"


def _hash(column: Column) -> str:
    # CRC32 over the secret and the value: four times cheaper than MD5 in the server, which is
    # what keeps a million-row scrub near a hand-written UPDATE; the secret keeps it unguessable.
    return f"CRC32(CONCAT({KEY}, CAST({quote(column.name)} AS BINARY)))"


def _second(h: str) -> str:
    """Another keyed CRC32 of the same value, independent of `h`."""
    return h.replace(f"CONCAT({KEY}, ", f"CONCAT('~', {KEY}, ")


def _wide(h: str) -> str:
    """20 decimal digits (two keyed CRC32s): wide enough that distinct values stay distinct."""
    return f"CONCAT(LPAD({h}, 10, '0'), LPAD({_second(h)}, 10, '0'))"


def _phone(h: str, length: int, unique: bool) -> str:
    # NANP reserves 555-0100..555-0199 for fiction in every area code: no real line answers.
    # Each expression uses the hash once: the server would compute it again for each use.
    if length < 7:
        raise ValueError(f"a phone number needs at least 7 characters, the column has {length}")
    if length < 10:
        if unique:
            raise ValueError("a unique phone column needs at least 17 characters")
        return f"CONCAT('55501', LPAD({h} % 100, 2, '0'))"
    # 20000..99999: an area code 200..999 and a line 00..99 from one hash.
    number = f"INSERT(20000 + {h} % 80000, 4, 0, '55501')"
    if not unique:
        return number
    # 100 fictional lines per area code are too few for a unique key: add an extension.
    if length < 17:
        raise ValueError("a unique phone column needs at least 17 characters")
    return f"LEFT(CONCAT({number}, 'x', LPAD({_second(h)}, 10, '0')), {length})"


def _integer_phone(column: Column) -> str:
    if column.unique:
        raise ValueError("a unique integer phone column cannot hold fictional numbers")
    if column.data_type == "bigint":
        return f"(2005550100 + {_hash(column)} % 80000 DIV 100 * 10000000 + " \
               f"{_hash(column)} % 100)"
    if column.data_type != "int":
        raise ValueError(f"an {column.data_type} column cannot hold a 7-digit phone number")
    return f"(5550100 + {_hash(column)} % 100)"


def _email(h: str, length: int, unique: bool) -> str:
    digits = min(length - len("user") - len(EMAIL_DOMAIN), 20)
    if digits < 6:
        raise ValueError(f"an email address needs at least 26 characters, the column has "
                         f"{length}")
    return f"CONCAT('user', LEFT({_wide(h)}, {digits}), '{EMAIL_DOMAIN}')"


def _name(h: str, length: int, unique: bool) -> str:
    names = ", ".join(f"'{first} {last}'" for first in FIRST_NAMES for last in LAST_NAMES)
    if unique:
        return f"LEFT(CONCAT(ELT(1 + {h} % 256, {names}), ' ', {_wide(h)}), {length})"
    return f"LEFT(ELT(1 + {h} % 256, {names}), {length})"


def _address(h: str, length: int, unique: bool) -> str:
    if length <= 12:
        # Columns this short hold postal codes (the client's zip is varchar(10)): 00000-00499,
        # which no US ZIP code uses.
        return f"LEFT(LPAD({h} % 500, 5, '0'), {length})"
    if unique:
        return f"LEFT(INSERT({_wide(h)}, 5, 0, ' Elm Street #'), {length})"
    return f"LEFT(CONCAT(1 + {h} % 9899, ' Elm Street'), {length})"


def _token(h: str, length: int, unique: bool) -> str:
    # An opaque value: a SID or push token that no provider will accept. A cryptographic hash
    # here: tokens are long random strings, so no cheap derivation is needed to hide them.
    digest = f"SHA2(CONCAT({KEY}, CAST({h} AS BINARY)), 256)"
    return f"LEFT(CONCAT({digest}, {digest}), {min(length, 128)})"
