from __future__ import annotations

import pytest

from release.config import ScrubRule
from release.db.clones.scrub_plan import TableScrub, expression, plan
from release.db.schema import Column
from release.errors import Refused


def col(name: str, data_type: str = "varchar", length: int | None = 20, *,
        nullable: bool = False, unique: bool = False, table: str = "t") -> Column:
    return Column(table=table, name=name, data_type=data_type, max_length=length,
                  nullable=nullable, unique=unique)


def test_every_rule_of_a_table_goes_into_one_set_wise_update() -> None:
    columns = {c.key: c for c in (col("phone"), col("email", length=75), col("zip", length=10))}
    rules = [ScrubRule("t", "phone", "phone"), ScrubRule("t", "email", "email"),
             ScrubRule("t", "zip", "address")]
    (scrub,) = plan(rules, columns, {"t": "id"})
    statement = scrub.statement()
    assert statement.startswith("UPDATE `t` SET `phone` = ")
    assert statement.count("UPDATE") == 1
    assert "'55501'" in statement and "@example.invalid" in statement
    assert scrub.batch_statement().endswith("WHERE `id` >= %s AND `id` < %s")
    assert scrub.describe() == ("UPDATE t: phone (phone), email (email), zip (address), "
                                "in ranges of id")


def test_short_address_columns_get_postal_codes_that_fit() -> None:
    zip_code = expression("address", col("zip", length=10))
    assert "CONCAT('0000', " in zip_code and zip_code.count("LPAD(") == 2


def test_rules_that_cannot_fit_are_all_refused_before_any_update() -> None:
    columns = {c.key: c for c in (col("email", length=12), col("fax", nullable=False),
                                  col("created", "datetime", None))}
    rules = [ScrubRule("t", "email", "email"), ScrubRule("t", "fax", "null"),
             ScrubRule("t", "created", "name"), ScrubRule("t", "missing", "phone")]
    with pytest.raises(Refused) as raised:
        plan(rules, columns, {})
    message = raised.value.message
    for expected in ("t.email (email): an email address needs at least 26",
                     "t.fax (null): column is NOT NULL", "t.created (name): kind 'name' needs "
                     "a text column", "t.missing: no such column"):
        assert expected in message


def test_unique_phone_columns_get_a_distinguishing_extension() -> None:
    assert "'x'" in expression("phone", col("number", unique=True))
    assert "'x'" not in expression("phone", col("number"))
    with pytest.raises(ValueError, match="17 characters"):
        expression("phone", col("number", length=12, unique=True))


def test_blank_and_null_values_are_left_alone() -> None:
    assert expression("token", col("sid")).startswith("IF(`sid` IS NULL OR `sid` = '', `sid`,")


def test_literal_is_used_as_written_and_percent_signs_survive_batching() -> None:
    scrub = TableScrub("t", (("note", "'50%'"),), "id")
    assert scrub.batch_statement().startswith("UPDATE `t` SET `note` = '50%%'")
    assert expression("literal:CONCAT('a', id)", col("note")) == "CONCAT('a', id)"


def test_on_update_columns_are_set_to_themselves_and_triggers_are_named() -> None:
    stamp = Column(table="t", name="last_update", data_type="timestamp", max_length=None,
                   nullable=False, unique=False, on_update=True)
    columns = {c.key: c for c in (col("email", length=75), stamp)}
    (scrub,) = plan([ScrubRule("t", "email", "email")], columns, {}, {"t": ("t_audit",)})
    assert scrub.statement().endswith(", `last_update` = `last_update`")
    assert scrub.triggers == ("t_audit",)
    assert "keeps last_update (ON UPDATE); trigger(s) t_audit dropped" in scrub.describe()


def test_a_name_rule_fits_the_part_of_the_name_the_column_holds() -> None:
    first, last = expression("name", col("first_name")), expression("name", col("surname"))
    assert first == expression("first_name", col("first_name"))
    assert last == expression("last_name", col("surname"))
    assert "' '" not in first and "' '" in expression("name", col("full_name"))


def test_redact_replaces_each_kind_of_match_and_leaves_other_rows_alone() -> None:
    memo = expression("redact", col("memo", "text", 65535))
    assert memo.count("REGEXP_REPLACE(") == 4
    assert "@example.invalid" in memo and "'201-555-01'" in memo
    assert ", `memo`))" in memo  # rows without a match keep their text


def test_dates_need_a_date_column() -> None:
    assert "MAKEDATE(YEAR(`dob`)" in expression("date", col("dob", "date", None))
    with pytest.raises(ValueError, match="needs a date column"):
        expression("date", col("dob"))
