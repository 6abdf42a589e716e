"""Which Django migrations belong in django_migrations, and which nothing accounts for."""

from __future__ import annotations

from release.alters import ledger_plan as lp
from release.alters.migrations import Migration, carried, to_record, unaccounted
from release.alters.parse import parse_alters

TEXT = """-- alter: dob
-- migration: patients.0005_date_of_birth
ALTER TABLE patients_patient ADD COLUMN date_of_birth date NULL;

-- alter: npi
-- migration: patients.0006_npi, clinics.0003_fax
ALTER TABLE patients_patient ADD COLUMN npi varchar(10) NULL;
ALTER TABLE clinics_practice MODIFY fax varchar(20) NULL;
"""
FILES = [parse_alters(TEXT, "alters.sql")]


def row(block: str, position: int, status: str = "applied") -> lp.LedgerRow:
    statement = FILES[0].blocks[0 if block == "dob" else 1].statements[position - 1]
    return lp.LedgerRow(block, position, "alters.sql", 1,
                        FILES[0].blocks[0 if block == "dob" else 1].checksum,
                        1 if block == "dob" else 2, lp.statement_checksum(statement),
                        statement.text, status)


def test_a_block_names_the_migrations_it_carries() -> None:
    assert carried(FILES) == {Migration("patients", "0005_date_of_birth"): "dob",
                              Migration("patients", "0006_npi"): "npi",
                              Migration("clinics", "0003_fax"): "npi"}
    assert str(Migration.parse("patients.0006_npi")) == "patients.0006_npi"


def test_only_blocks_done_in_full_have_their_migrations_recorded() -> None:
    plan = lp.plan(FILES, [row("dob", 1), row("npi", 1)])  # npi is half applied
    assert to_record(FILES, plan, []) == [Migration("patients", "0005_date_of_birth")]
    done = lp.plan(FILES, [row("dob", 1, "baseline"), row("npi", 1), row("npi", 2)])
    assert to_record(FILES, done, [Migration("patients", "0005_date_of_birth")]) == [
        Migration("patients", "0006_npi"), Migration("clinics", "0003_fax")]


def test_a_migration_neither_recorded_nor_carried_is_unaccounted() -> None:
    present = [Migration("patients", "0001_initial"), Migration("patients", "0005_date_of_birth"),
               Migration("patients", "0007_nickname")]
    assert unaccounted(present, [Migration("patients", "0001_initial")], FILES) == [
        Migration("patients", "0007_nickname")]
