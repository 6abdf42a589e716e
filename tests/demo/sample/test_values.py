"""release.demo.sample.values: SQL expressions that make real-looking values from a row number,
evaluated by the suite's MariaDB over its sequence engine."""

from __future__ import annotations

import re

import pytest

from release.demo.sample.values import AREAS, Values, quoted
from tests.support.mariadb import MariaDB, query

ROWS = 300


class Server:
    """Expressions evaluated on the suite's server, one value per row number."""

    def __init__(self, mariadb: MariaDB, database: str) -> None:
        self.mariadb, self.database = mariadb, database

    def __call__(self, expression: str, rows: int = ROWS) -> list[str]:
        return [str(r[0]) for r in query(self.mariadb, self.database,
                                         f"SELECT {expression} FROM seq_1_to_{rows} ORDER BY seq")]


@pytest.fixture
def evaluate(mariadb: MariaDB, database: str) -> Server:
    return Server(mariadb, database)


def test_quoting_survives_the_server(evaluate: Server) -> None:
    text = "O'Brien \\ back"
    assert evaluate(quoted(text), rows=1) == [text]


def test_the_same_seed_gives_the_same_values_and_another_seed_others(evaluate: Server) -> None:
    one, again, other = Values(1), Values(1), Values(2)
    assert evaluate(one.email("u")) == evaluate(again.email("u"))
    assert evaluate(one.email("u")) != evaluate(other.email("u"))
    assert evaluate(one.email("u")) != evaluate(one.email("v"))


def test_phone_numbers_look_north_american_and_are_never_fictional_555(
        evaluate: Server) -> None:
    v = Values(7)
    dashed = evaluate(v.phone("p"))
    assert all(re.fullmatch(r"\d{3}-\d{3}-\d{4}", n) for n in dashed)
    assert {n[:3] for n in dashed} <= set(AREAS)
    assert all(201 <= int(n[4:7]) <= 550 for n in dashed)
    assert all(re.fullmatch(r"\+1\d{10}", n) for n in evaluate(v.phone("p", style="e164")))
    assert all(re.fullmatch(r"\(\d{3}\) \d{3}-\d{4}", n)
               for n in evaluate(v.phone("p", style="paren")))
    unique = evaluate(v.phone("p", unique=True))
    assert len(set(unique)) == ROWS


def test_emails_names_and_ids_have_their_real_shapes(evaluate: Server) -> None:
    v = Values(7)
    assert all(re.fullmatch(r"[a-z]+\.[a-z]+(\d\d)?@[a-z]+\.(com|net|org)", e)
               for e in evaluate(v.email("e")))
    unique = evaluate(v.email("e", unique=True))
    assert len(set(unique)) == ROWS
    assert all(re.fullmatch(r"PN[0-9a-f]{32}", s) for s in evaluate(v.sid("PN", "s")))
    assert all(re.fullmatch(r"\d{5}", z) for z in evaluate(v.postal_code("z")))
    assert all(re.fullmatch(r"\d+ [A-Za-z ]+ (St|Ave|Blvd|Way|Ct|Dr)", s)
               for s in evaluate(v.street("a")))
    assert {s for s in evaluate(v.suite("a"))} - {""}
    assert all(1 <= int(n) <= 3 for n in evaluate(v.number("n", 1, 3)))


def test_timestamps_rise_with_the_row_number(evaluate: Server) -> None:
    stamps = evaluate(Values(7).timestamp("t"))
    assert stamps == sorted(stamps) and stamps[0].startswith("2024-01-01")
