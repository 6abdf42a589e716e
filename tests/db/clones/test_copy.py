from __future__ import annotations

import dataclasses

import pytest

from release.config import Config
from release.db.clones import state as clone_state
from release.db.clones.copy import clone, verify_environment
from release.db.connection import connect
from release.db.credentials import credentials
from release.db.target import resolve
from release.errors import Failed, Refused
from tests.support.mariadb import MariaDB
from tests.support.production import Setup

CONTACT = ("email", "phone", "mobile", "pager")


def _clone(config: Config) -> bool:
    result = clone(resolve(config, "production"), resolve(config, "qa"), config.scrub,
                   say=lambda line: None, confirm=lambda q: None)
    assert result is not None
    return result.passed


def _values(mariadb: MariaDB, database: str, table: str, column: str) -> set[str]:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute(f"SELECT DISTINCT `{column}` FROM `{table}` "
                    f"WHERE `{column}` IS NOT NULL AND `{column}` <> ''")
        return {str(row[0]) for row in cur.fetchall()}


def _require_verified(config: Config) -> None:
    with connect(credentials(config.environment("qa"))) as conn:
        clone_state.require_verified(conn, "qa")


def test_clone_leaves_no_production_contact_value_and_verifies(corpus_setup: Setup,
                                                               mariadb: MariaDB) -> None:
    config = corpus_setup.config()
    assert _clone(config)
    contact_rules = [r for r in config.scrub.rules if any(w in r.column.lower() for w in CONTACT)
                     or r.kind in ("email", "phone")]
    checked = 0
    for rule in contact_rules:
        before = _values(mariadb, corpus_setup.production, rule.table, rule.column)
        after = _values(mariadb, corpus_setup.qa, rule.table, rule.column)
        assert not before & after, f"{rule.table}.{rule.column} kept production values"
        checked += bool(before)
    assert checked >= corpus_setup.corpus.contact_rules
    emails = _values(mariadb, corpus_setup.qa, "auth_user", "email")
    assert emails and all(e.endswith("@example.invalid") for e in emails)
    table, _, column = corpus_setup.corpus.phone
    phones = _values(mariadb, corpus_setup.qa, table, column)
    assert phones and all(p[3:8] == "55501" for p in phones)
    _require_verified(config)


def test_scrub_is_deterministic_so_joins_keep_matching(corpus_setup: Setup,
                                                       mariadb: MariaDB) -> None:
    _clone(corpus_setup.config())
    (sender_table, sender), (call_table, call_id) = (corpus_setup.corpus.sender,
                                                     corpus_setup.corpus.call_id)
    with mariadb.connect(corpus_setup.qa) as conn, conn.cursor() as cur:
        # Production's messages all come from one number; they still share one number.
        cur.execute(f"SELECT COUNT(DISTINCT `{sender}`) FROM `{sender_table}`")
        assert cur.fetchone()[0] == 1  # type: ignore[index]
        cur.execute(f"SELECT COUNT(*) FROM `{call_table}` GROUP BY `{call_id}` "
                    "HAVING COUNT(*) > 1")
        assert cur.fetchall() == ()


def test_removing_one_rule_makes_verification_fail_naming_the_column(
        corpus_setup: Setup, mariadb: MariaDB) -> None:
    config = corpus_setup.config()
    _clone(config)
    table, _, column = corpus_setup.corpus.phone
    rules = tuple(r for r in config.scrub.rules if (r.table, r.column) != (table, column))
    weaker = dataclasses.replace(config, scrub=dataclasses.replace(config.scrub, rules=rules))
    result = verify_environment(resolve(weaker, "qa"), weaker.scrub, say=lambda line: None)
    assert not result.passed
    assert list(result.uncovered) == [f"{table}.{column}"]
    with pytest.raises(Refused, match="not verified"):
        _require_verified(weaker)


def test_a_column_left_with_production_values_fails_verification(corpus_setup: Setup,
                                                                 mariadb: MariaDB) -> None:
    config = corpus_setup.config()
    _clone(config)
    with mariadb.connect(corpus_setup.production) as conn, conn.cursor() as cur:
        cur.execute("SELECT email FROM auth_user WHERE id = 3")
        original = cur.fetchone()[0]  # type: ignore[index]
    with mariadb.connect(corpus_setup.qa) as conn, conn.cursor() as cur:
        cur.execute("UPDATE auth_user SET email = %s WHERE id = 7", (original,))
    result = verify_environment(resolve(config, "qa"), config.scrub, say=lambda line: None)
    assert result.remaining == {"auth_user.email": 1}


def test_clone_failing_part_way_leaves_qa_marked_unsafe(corpus_setup: Setup) -> None:
    broken = corpus_setup.config('\n[[scrub.rules]]\ntable = "django_site"\ncolumn = "domain"\n'
                          'kind = "literal:NO_SUCH_FUNCTION(domain)"\n')
    with pytest.raises(Failed, match="marked unsafe"):
        _clone(broken)
    with pytest.raises(Refused, match="state 'failed'"):
        _require_verified(broken)


def test_rules_that_cannot_apply_are_refused_before_anything_changes(corpus_setup: Setup,
                                                                     mariadb: MariaDB) -> None:
    broken = corpus_setup.config('\n[[scrub.rules]]\ntable = "auth_user"\ncolumn = "nickname"\n'
                          'kind = "name"\n')
    with pytest.raises(Refused, match=r"auth_user\.nickname: no such column"):
        _clone(broken)
    with mariadb.connect(corpus_setup.qa) as conn, conn.cursor() as cur:
        cur.execute("SHOW TABLES")
        assert cur.fetchall() == ()


def test_clone_into_production_is_refused(corpus_setup: Setup) -> None:
    with pytest.raises(Refused, match="never production"):
        clone(resolve(corpus_setup.config(), "qa"),
              resolve(corpus_setup.config(), "production"),
              corpus_setup.config().scrub, say=lambda line: None,
              confirm=lambda q: None)


def test_a_generated_value_equal_to_another_rows_real_one_is_not_a_leak(
        corpus_setup: Setup, mariadb: MariaDB) -> None:
    config = corpus_setup.config()
    _clone(config)
    table, key, column = corpus_setup.corpus.zip
    with mariadb.connect(corpus_setup.production) as conn, conn.cursor() as cur:
        cur.execute(f"SELECT `{key}`, `{column}` FROM `{table}` WHERE `{column}` <> '' "
                    f"ORDER BY `{key}` LIMIT 2")
        (first, first_zip), (second, _) = cur.fetchall()  # type: ignore[misc]
    update = f"UPDATE `{table}` SET `{column}` = %s WHERE `{key}` = %s"
    with mariadb.connect(corpus_setup.qa) as conn, conn.cursor() as cur:
        cur.execute(update, (first_zip, second))
    assert verify_environment(resolve(config, "qa"), config.scrub, say=lambda line: None).passed
    with mariadb.connect(corpus_setup.qa) as conn, conn.cursor() as cur:
        cur.execute(update, (first_zip, first))
    result = verify_environment(resolve(config, "qa"), config.scrub, say=lambda line: None)
    assert result.remaining == {f"{table}.{column}": 1}
