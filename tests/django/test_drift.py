"""The classification of differences between the models' tables and a database's (pure)."""

from __future__ import annotations

from release.db.shape import ColumnShape, ForeignKeyShape, IndexShape, TableShape
from release.django.drift import ModelTable, column_differences, compare


def col(name: str, kind: str = "varchar(20)", *, null: bool = False,
        default: str | None = None, auto: bool = False) -> ColumnShape:
    return ColumnShape(name, kind, kind.split("(")[0].split()[0], null,
                       "NULL" if null and default is None else default, auto_increment=auto)


def table(name: str, *columns: ColumnShape, **keys: object) -> TableShape:
    return TableShape(name, {c.name: c for c in columns}, **keys)  # type: ignore[arg-type]


MODELS = {"t": ModelTable("app.T", {"id": "id", "a": "a"})}
ID = col("id", "int", auto=True)


def verdicts(want: ColumnShape, have: ColumnShape) -> list[bool]:
    return [breaks for _, breaks in column_differences(want, have)]


def test_equal_columns_have_no_difference() -> None:
    assert column_differences(col("a", null=True), col("a", null=True)) == []
    assert column_differences(col("a", default="''"), col("a", default="''")) == []


def test_types_shorter_than_the_models_break_and_longer_ones_do_not() -> None:
    assert verdicts(col("a", "varchar(40)"), col("a", "varchar(20)")) == [True]
    assert verdicts(col("a", "varchar(20)"), col("a", "varchar(40)")) == [False]
    assert verdicts(col("a", "bigint"), col("a", "int")) == [True]
    assert verdicts(col("a", "int"), col("a", "bigint")) == [False]
    assert verdicts(col("a", "longtext"), col("a", "text")) == [True]
    assert verdicts(col("a", "decimal(10,2)"), col("a", "decimal(8,2)")) == [True]
    assert verdicts(col("a", "int unsigned"), col("a", "int")) == [True]
    assert verdicts(col("a", "varchar(20)"), col("a", "int")) == [True]
    assert verdicts(col("a", "datetime(6)"), col("a", "datetime")) == [False]


def test_nullability_breaks_one_way_only() -> None:
    assert verdicts(col("a", null=True), col("a")) == [True]
    assert verdicts(col("a"), col("a", null=True)) == [False]


def test_a_default_the_models_rely_on_must_be_there() -> None:
    assert verdicts(col("a", default="CURRENT_TIMESTAMP"), col("a")) == [True]
    assert verdicts(col("a"), col("a", default="''")) == [False]
    assert verdicts(col("id", "int", auto=True), col("id", "int")) == [True]
    assert verdicts(col("id", "int"), col("id", "int", auto=True)) == [False]


def test_extra_columns_break_only_when_inserts_must_write_them() -> None:
    want = {"t": table("t", ID, col("a"))}
    have = {"t": table("t", ID, col("a"), col("b"), col("c", null=True),
                       col("d", default="0"))}
    found = compare(want, have, MODELS)
    assert [(d.column, d.breaks) for d in found] == [("b", True), ("c", False), ("d", False)]
    assert found[0].line() == ("t.b: varchar(20) NOT NULL without a default, and the models do "
                               "not write it: every INSERT through them fails (model app.T)")


def test_missing_tables_and_columns_break_and_name_the_model_and_field() -> None:
    want = {"t": table("t", ID, col("a")), "u": table("u", ID)}
    found = compare(want, {"t": table("t", ID), "x": table("x", ID)},
                    {**MODELS, "u": ModelTable("app.U", {})})
    assert [d.line() for d in found] == [
        "t.a: the column is missing (model app.T.a)",
        "u: the table is missing (model app.U)",
        "x: a table no model uses"]
    assert [d.verdict for d in found] == ["breaks the code", "breaks the code", "harmless"]


def test_keys_differ_harmlessly_but_the_primary_key_must_match() -> None:
    fk = ForeignKeyShape(("a",), "u", ("id",))
    want = {"t": table("t", ID, col("a"), primary=("id",), indexes=(IndexShape(("a",), True),),
                       foreign_keys=(fk,))}
    have = {"t": table("t", ID, col("a"), primary=("a",), indexes=(IndexShape(("a",), False),))}
    found = compare(want, have, MODELS)
    assert [(d.breaks, d.what.split(":")[0]) for d in found] == [
        (True, "primary key (a) where the model has (id)"),
        (False, "unique key on (a) is missing"),
        (False, "an index on (a) the models do not declare"),
        (False, "foreign key (a) -> u is missing")]
