"""[[qa.values]]: test numbers set in QA after the scrub, only fictional or allowed ones."""

from __future__ import annotations

import pytest

from release.config import QaValue
from release.db.clones import qa_values
from release.db.target import resolve
from release.errors import Refused
from tests.support.mariadb import MariaDB
from tests.support.production import Setup


@pytest.mark.parametrize("value", ["+15005550006", "+1 500 555 0009", "(415) 555-0142",
                                   "1-212-555-0199", "tester@example.com", "qa@clinic.invalid"])
def test_fictional_and_test_numbers_are_accepted(value: str) -> None:
    assert qa_values.is_fictional(value)


@pytest.mark.parametrize("value", ["+14152980001", "415-555-1234", "+15005550016",
                                   "PN0123456789abcdef", "doctor@gmail.com", ""])
def test_real_looking_values_are_not(value: str) -> None:
    assert not qa_values.is_fictional(value)


def test_values_are_set_checked_and_refused_on_production(setup: Setup,
                                                          mariadb: MariaDB) -> None:
    with mariadb.connect(setup.qa) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE provider (id int PRIMARY KEY, mdcom_phone varchar(20))")
        cur.execute("INSERT INTO provider VALUES (1, '555'), (2, '555')")
    config = setup.config()
    qa = resolve(config, "qa")
    good = QaValue("provider", "mdcom_phone", "id = 1", "'+15005550006'")
    assert qa_values.apply(qa, [good], say=lambda _: None) == [f"{good.describe()}: 1 row(s)"]
    real = QaValue("provider", "mdcom_phone", "id = 2", "'+14152980001'")
    with pytest.raises(Refused, match="allow = true"):
        qa_values.apply(qa, [real], say=lambda _: None)
    assert qa_values.problems(qa, [QaValue(**{**real.__dict__, "allow": True})]) == []
    with pytest.raises(Refused, match="production"):
        qa_values.apply(resolve(config, "production"), [good], say=lambda _: None)
    with mariadb.connect(setup.production) as conn, conn.cursor() as cur:
        cur.execute("SHOW TABLES LIKE 'provider'")
        assert cur.fetchall() == ()
