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
STREETS = ("Oak", "Maple", "Cedar", "Elm", "Pine", "Birch", "Willow", "Aspen")
EMAIL_DOMAIN = "@example.invalid"


@dataclass(frozen=True)
class TableScrub:
    """One UPDATE (all the table's covered columns in a single pass), batched by `batch_key`."""

    table: str
    assignments: tuple[tuple[str, str], ...]   # (column, SQL expression)
    batch_key: str | None = None

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
    if problems:
        raise Refused("the scrub rules cannot be applied; nothing was changed:\n  "
                      + "\n  ".join(problems)
                      + "\nFix [[scrub.rules]] in the configuration and retry.")
    return [TableScrub(table, tuple(assignments), batch_keys.get(table))
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
    blank = f"{name} IS NULL" if not column.is_text else f"{name} IS NULL OR {name} = ''"
    return f"IF({blank}, {name}, {expr})"


def _hash(column: Column) -> str:
    return f"MD5(CONCAT({KEY}, CAST({quote(column.name)} AS BINARY)))"


def _number(h: str, start: int, hex_digits: int) -> str:
    """An integer read from `hex_digits` hex digits of the hash `h` at 1-based `start`."""
    return f"CONV(SUBSTR({h}, {start}, {hex_digits}), 16, 10)"


def _pick(h: str, start: int, words: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{word}'" for word in words)
    return f"ELT(1 + {_number(h, start, 4)} % {len(words)}, {quoted})"


def _phone(h: str, length: int, unique: bool) -> str:
    # NANP reserves 555-0100..555-0199 for fiction in every area code: no real line answers.
    line = f"LPAD({_number(h, 5, 4)} % 100, 2, '0')"
    if length < 7:
        raise ValueError(f"a phone number needs at least 7 characters, the column has {length}")
    if length < 10:
        if unique:
            raise ValueError("a unique phone column needs at least 17 characters")
        return f"CONCAT('55501', {line})"
    area = f"200 + {_number(h, 1, 4)} % 800"
    number = f"CONCAT({area}, '55501', {line})"
    if not unique:
        return number
    # 100 fictional lines per area code are too few for a unique key: add an extension.
    if length < 17:
        raise ValueError("a unique phone column needs at least 17 characters")
    return f"CONCAT({number}, 'x', LEFT({_number(h, 9, 12)}, {min(length - 11, 15)}))"


def _integer_phone(column: Column) -> str:
    if column.unique:
        raise ValueError("a unique integer phone column cannot hold fictional numbers")
    if column.data_type == "bigint":
        return f"(2005550100 + {_number(_hash(column), 1, 4)} % 800 * 10000000 " \
               f"+ {_number(_hash(column), 5, 4)} % 100)"
    if column.data_type != "int":
        raise ValueError(f"an {column.data_type} column cannot hold a 7-digit phone number")
    return f"(5550100 + {_number(_hash(column), 5, 4)} % 100)"


def _email(h: str, length: int, unique: bool) -> str:
    digits = min(length - len("user") - len(EMAIL_DOMAIN), 15)
    if digits < 6:
        raise ValueError(f"an email address needs at least 26 characters, the column has "
                         f"{length}")
    return f"CONCAT('user', LEFT({_number(h, 1, 12)}, {digits}), '{EMAIL_DOMAIN}')"


def _name(h: str, length: int, unique: bool) -> str:
    name = f"CONCAT({_pick(h, 1, FIRST_NAMES)}, ' ', {_pick(h, 5, LAST_NAMES)})"
    if unique:
        name = f"CONCAT({name}, ' ', SUBSTR({h}, 9, 12))"
    return f"LEFT({name}, {length})"


def _address(h: str, length: int, unique: bool) -> str:
    if length <= 12:
        # Columns this short hold postal codes (the client's zip is varchar(10)).
        return f"LEFT(LPAD({_number(h, 1, 5)} % 100000, 5, '0'), {length})"
    street = f"CONCAT(1 + {_number(h, 1, 4)} % 9899, ' ', {_pick(h, 5, STREETS)}, ' Street')"
    if unique:
        street = f"CONCAT({street}, ' #', SUBSTR({h}, 9, 12))"
    return f"LEFT({street}, {length})"


def _token(h: str, length: int, unique: bool) -> str:
    # An opaque value of the same shape: a SID or push token that no provider will accept.
    digest = f"SHA2({h}, 256)"
    return f"LEFT(CONCAT({digest}, {digest}), {min(length, 128)})"
