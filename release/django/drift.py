"""What the application's models expect against what a database has, each difference
classified (pure: two schema shapes and the models' map in, differences out).

Breaks the code: a table or column the models use is missing; a NOT NULL column without a
default that the models do not write (every INSERT through them fails); NOT NULL where the
model allows NULL; a shorter or different type than the model's; no AUTO_INCREMENT or no
default where the models leave the value to the database; another primary key.
Harmless: anything the models neither read nor rely on (an extra nullable or defaulted
column, an extra or missing index, key or foreign key, a table no model uses, a default the
models always overwrite, NULL allowed where the model never writes one, a longer type).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from release.db.shape import ColumnShape, TableShape

BREAKS = "breaks the code"
HARMLESS = "harmless"
_SIZED = re.compile(r"(?P<base>[a-z]+)(?:\((?P<size>[\d,]+)\))?(?P<rest>.*)")
# Within a family a later type holds everything an earlier one does.
_RANKS = (("tinyint", "smallint", "mediumint", "int", "bigint"),
          ("tinytext", "text", "mediumtext", "longtext"),
          ("tinyblob", "blob", "mediumblob", "longblob"),
          ("float", "double"))
_SIZED_FAMILIES = ({"char", "varchar"}, {"binary", "varbinary"}, {"decimal"}, {"bit"})
_FRACTIONAL = ("datetime", "timestamp", "time")


@dataclass(frozen=True)
class ModelTable:
    """Which model a table belongs to, and which field each of its columns is."""

    model: str                 # "patients.Patient", "clinics.Practice.members (many-to-many)"
    fields: Mapping[str, str]  # column -> field name


@dataclass(frozen=True)
class Difference:
    table: str
    column: str   # "" when the difference is the table's or a key's
    what: str     # one sentence for a person
    breaks: bool
    model: str = ""

    @property
    def verdict(self) -> str:
        return BREAKS if self.breaks else HARMLESS

    def line(self) -> str:
        where = f"{self.table}.{self.column}" if self.column else self.table
        return f"{where}: {self.what}" + (f" (model {self.model})" if self.model else "")


def compare(expected: Mapping[str, TableShape], actual: Mapping[str, TableShape],
            models: Mapping[str, ModelTable]) -> list[Difference]:
    """Every difference between the models' tables and the database's, breaking ones first."""
    found: list[Difference] = []
    for name, want in sorted(expected.items()):
        model = models.get(name, ModelTable("", {}))
        have = actual.get(name)
        if have is None:
            found.append(Difference(name, "", "the table is missing", True, model.model))
        else:
            found += _table(want, have, model)
    found += [Difference(name, "", "a table no model uses", False)
              for name in sorted(set(actual) - set(expected))]
    return sorted(found, key=lambda d: (not d.breaks, d.table, d.column))


def _table(want: TableShape, have: TableShape, model: ModelTable) -> list[Difference]:
    found: list[Difference] = []

    def add(column: str, what: str, breaks: bool) -> None:
        field = model.fields.get(column)
        label = f"{model.model}.{field}" if field and model.model else model.model
        found.append(Difference(want.name, column, what, breaks, label))

    for column, expected in want.columns.items():
        present = have.columns.get(column)
        if present is None:
            add(column, "the column is missing", True)
        else:
            for what, breaks in column_differences(expected, present):
                add(column, what, breaks)
    for column, extra in have.columns.items():
        if column not in want.columns:
            if extra.nullable or extra.written_by_server:
                add(column, "a column the models do not use", False)
            else:
                add(column, f"{extra.column_type} NOT NULL without a default, and the models "
                    "do not write it: every INSERT through them fails", True)
    _keys(want, have, add)
    return found


def column_differences(want: ColumnShape, have: ColumnShape) -> list[tuple[str, bool]]:
    """(sentence, breaks) for each way the database's column differs from the model's."""
    found: list[tuple[str, bool]] = []
    if want.nullable and not have.nullable:
        found.append(("NOT NULL where the model allows NULL: saving None fails", True))
    elif have.nullable and not want.nullable:
        found.append(("allows NULL where the model does not (the model never writes one)",
                      False))
    if want.column_type != have.column_type:
        found.append(_type(want.column_type, have.column_type))
    if want.auto_increment and not have.auto_increment:
        found.append(("no AUTO_INCREMENT: the models leave the value to the database", True))
    elif have.auto_increment and not want.auto_increment:
        found.append(("AUTO_INCREMENT the models do not expect", False))
    found += _default(want, have)
    return found


def _default(want: ColumnShape, have: ColumnShape) -> list[tuple[str, bool]]:
    if want.default == have.default or {want.default, have.default} <= {None, "NULL"}:
        return []  # the same, or only what nullability (reported above) implies
    if want.default is not None and have.default is None and not have.nullable:
        return [("no default, and the models leave the value to the database's default "
                 f"({want.default}): their INSERTs fail", True)]
    return [(f"default {have.default or 'none'} where the model has {want.default or 'none'} "
             "(the models write the value)", False)]


def _type(want: str, have: str) -> tuple[str, bool]:
    w, h = _SIZED.match(want), _SIZED.match(have)
    assert w is not None and h is not None  # every type has a word first
    shown = f"{have} where the model has {want}"
    if w["rest"] != h["rest"]:
        return f"{shown}: values outside the database's range fail", True
    for ranks in _RANKS:
        if w["base"] in ranks and h["base"] in ranks:
            shorter = ranks.index(h["base"]) < ranks.index(w["base"])
            return _verdict(shown, shorter)
    if any(w["base"] in f and h["base"] in f for f in _SIZED_FAMILIES):
        shorter = _sizes(h["size"]) < _sizes(w["size"])
        return _verdict(shown, shorter)
    if w["base"] == h["base"] and w["base"] in _FRACTIONAL:
        return f"{shown}: fractional seconds are stored to a different precision", False
    return f"{shown}: another type", True


def _sizes(text: str | None) -> tuple[int, ...]:
    return tuple(int(part) for part in (text or "0").split(","))


def _verdict(shown: str, shorter: bool) -> tuple[str, bool]:
    if shorter:
        return f"{shown}: a shorter type, longer values fail or are cut", True
    return f"{shown}: a longer type", False


def _keys(want: TableShape, have: TableShape, add: Callable[[str, str, bool], None]) -> None:
    if want.primary != have.primary:
        add("", f"primary key ({', '.join(have.primary) or 'none'}) where the model has "
            f"({', '.join(want.primary)}): rows are told apart differently", True)
    for index in sorted(set(want.indexes) - set(have.indexes)):
        kind = "unique key" if index.unique else "index"
        add("", f"{kind} on ({', '.join(index.columns)}) is missing", False)
    for index in sorted(set(have.indexes) - set(want.indexes)):
        kind = "a unique key" if index.unique else "an index"
        add("", f"{kind} on ({', '.join(index.columns)}) the models do not declare", False)
    for key in sorted(set(want.foreign_keys) - set(have.foreign_keys), key=repr):
        add("", f"foreign key ({', '.join(key.columns)}) -> {key.table} is missing", False)
    for key in sorted(set(have.foreign_keys) - set(want.foreign_keys), key=repr):
        add("", f"a foreign key ({', '.join(key.columns)}) -> {key.table} the models do not "
            "declare", False)
