"""Verifying a scrubbed copy: personal data found by column name and by any one value, each
column covered by a rule or declared safe, and no covered column still holding production's
values; a `name` column by its table (one of people) or by its values (people's names), a
product's or a practice's name left alone."""

from __future__ import annotations

from release.config import ScrubConfig, ScrubRule
from release.db import schema
from release.db.clones import fingerprints, scrub, verify
from release.db.clones.scrub_plan import plan
from tests.support.mariadb import MariaDB

KEY = b"v" * 32
RULES = (ScrubRule("people", "mobile_phone", "phone"), ScrubRule("people", "bio", "redact"))


def _people(mariadb: MariaDB, database: str) -> None:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE people (id INT PRIMARY KEY, mobile_phone VARCHAR(20), "
                    "bio TEXT, remarks TEXT, colour VARCHAR(20), birth_date DATE, "
                    "confirmed_at DATE)")
        cur.execute("INSERT INTO people VALUES "
                    "(1, '212-867-5309', 'reach me: ann@gmail.com', 'fine', 'red', "
                    "'1980-01-01', '2020-01-01'), "
                    "(2, '212-867-5310', 'quiet', 'call 312-867-7788 after 5', 'blue', "
                    "NULL, NULL)")


def _check(mariadb: MariaDB, database: str, config: ScrubConfig,
           key: bytes | None = KEY) -> verify.Verification:
    with mariadb.connect(database) as conn:
        return verify.verify(conn, schema.columns(conn, database), {"people": "id"}, config,
                             key)


def test_a_value_anywhere_in_a_column_makes_it_contact_data_with_a_masked_example(
        mariadb: MariaDB, database: str) -> None:
    _people(mariadb, database)
    with mariadb.connect(database) as conn:
        columns = schema.columns(conn, database)
        hits = verify.scan(conn, [columns["people.remarks"], columns["people.colour"]])
    assert set(hits) == {"people.remarks"}
    hit = hits["people.remarks"]
    assert (hit.rows, hit.kind) == (1, "phone number")
    assert "7788" not in hit.example


def test_uncovered_columns_are_named_by_name_and_by_content_until_ruled_or_safe(
        mariadb: MariaDB, database: str) -> None:
    _people(mariadb, database)
    result = _check(mariadb, database, ScrubConfig(rules=RULES), key=None)
    assert set(result.uncovered) == {"people.remarks", "people.birth_date"}
    assert result.uncovered["people.birth_date"].startswith("name says")
    assert "people.confirmed_at" not in result.found  # a date, but nobody's birthday
    assert not result.passed and not result.fingerprints  # never cloned: nothing promised
    covered = _check(mariadb, database, ScrubConfig(
        rules=RULES, safe=("people.remarks", "people.birth_date")))
    assert covered.uncovered == {}
    assert covered.covers["people.mobile_phone"] == "rule kind = 'phone'"
    assert covered.covers["people.remarks"] == "[scrub] safe"


def test_after_the_scrub_no_production_value_remains_and_it_passes(
        mariadb: MariaDB, database: str) -> None:
    _people(mariadb, database)
    config = ScrubConfig(rules=RULES, safe=("people.remarks", "people.birth_date"))
    with mariadb.connect(database) as conn:
        fingerprints.record(conn, RULES, KEY, {"people": "id"})
        assert _check(mariadb, database, config).remaining == {"people.mobile_phone": 2}
        scrub.apply(conn, plan(RULES, schema.columns(conn, database), {"people": "id"}), KEY)
    result = _check(mariadb, database, config)
    assert result.passed, result.problems()
    assert result.remaining == {} and result.redact_left == {}


def test_a_redacted_column_still_holding_contact_data_fails(mariadb: MariaDB,
                                                            database: str) -> None:
    _people(mariadb, database)
    config = ScrubConfig(rules=RULES, safe=("people.remarks", "people.birth_date"))
    with mariadb.connect(database) as conn:
        fingerprints.record(conn, RULES, KEY, {"people": "id"})
    result = _check(mariadb, database, config)
    assert set(result.redact_left) == {"people.bio"}
    assert any(line.startswith("people.bio: redacted, yet 1 row(s) hold a email address")
               for line in result.problems())


def test_the_summary_lists_uncovered_columns_first_and_stops_at_the_limit() -> None:
    result = verify.Verification(
        found={f"t.c{i}": "name says a phone" for i in range(12)},
        covers={f"t.c{i}": "[scrub] safe" for i in range(1, 12)})
    lines = result.summary(limit=3)
    assert lines == ["  t.c0: name says a phone -> NOT COVERED",
                     "  t.c1: name says a phone -> [scrub] safe",
                     "  t.c10: name says a phone -> [scrub] safe",
                     "  ... and 9 more (--verbose lists them all)"]
    assert len(result.summary(limit=None)) == 12


# -- people's names, on tables that are not the sample application's -----------------------
NAME_TABLES = {
    "patients_patient": ("name", ["Maria Lopez", "Wei Zhang", "Aiyana Redcloud"]),
    "crm_lead": ("name", ["Maria Lopez", "Dr. John A. Smith", "Lopez, Ana", "Wei Zhang",
                          "Aiyana Redcloud", "José Álvarez", "Unknown caller"]),
    "products_product": ("name", ["Pager Pro", "Paging Plus", "Grace", "Widget Deluxe"]),
    "clinics_practice": ("name", ["Alvarez Family Practice", "Sunrise Clinic",
                                  "Bay Area Pediatrics"]),
    "catalog_item": ("display_name", ["Pager Pro", "Answering Plus", "Night Line"]),
    "events_booking": ("name", ["Maria Lopez", "Annual checkup", "Flu shot", "Follow-up"]),
}


def _names(mariadb: MariaDB, database: str, charset: str = "utf8mb4") -> None:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        for table, (column, values) in NAME_TABLES.items():
            cur.execute(f"CREATE TABLE `{table}` (id int PRIMARY KEY AUTO_INCREMENT, "
                        f"`{column}` varchar(100) NOT NULL) DEFAULT CHARSET={charset}")
            cur.executemany(f"INSERT INTO `{table}` (`{column}`) VALUES (%s)",
                            [(value,) for value in values])


def _uncovered(mariadb: MariaDB, database: str, config: ScrubConfig) -> dict[str, str]:
    with mariadb.connect(database) as conn:
        columns = schema.columns(conn, database)
        return verify.verify(conn, columns, {}, config, None).uncovered


def test_names_in_a_people_table_or_shaped_like_people_are_flagged_things_are_not(
        mariadb: MariaDB, database: str) -> None:
    _names(mariadb, database)
    found = _uncovered(mariadb, database, ScrubConfig())
    assert found == {
        "patients_patient.name":
            "name says a person's name (patients_patient holds people: patient)",
        "crm_lead.name": "values look like people's names (6 of 7, e.g. M*** L***)",
    }


def test_a_rule_or_a_safe_entry_covers_a_people_name_column(mariadb: MariaDB,
                                                           database: str) -> None:
    _names(mariadb, database)
    config = ScrubConfig(safe=("crm_lead.name",),
                         rules=(ScrubRule("patients_patient", "name", "name"),))
    assert _uncovered(mariadb, database, config) == {}


def test_latin1_tables_are_judged_the_same(mariadb: MariaDB, database: str) -> None:
    _names(mariadb, database, charset="latin1")
    assert set(_uncovered(mariadb, database, ScrubConfig())) == {"patients_patient.name",
                                                                "crm_lead.name"}
