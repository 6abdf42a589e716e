"""The scrub and its verification on the probe database (tests/support/probes.py)."""

from __future__ import annotations

import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from release.config import Config
from release.db.clones import personal as contact
from release.db.clones import state as clone_state
from release.db.clones.copy import clone, verify_environment
from release.db.clones.verify import Verification
from release.db.target import resolve
from tests.support.git import git
from tests.support.mariadb import MariaDB
from tests.support.probes import ALL_RULES, EMBEDDED, OBVIOUS_RULES, Probe, build
from tests.support.toml import PASSWORD_ENV


@pytest.fixture
def probe(tmp_path: Path, mariadb: MariaDB, database: str, qa_database: str,
          monkeypatch: pytest.MonkeyPatch) -> Probe:
    monkeypatch.setenv(PASSWORD_ENV, mariadb.password)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return build(mariadb, database, qa_database, tmp_path / "app")


def _clone(config: Config, lines: list[str] | None = None) -> Verification:
    result = clone(resolve(config, "production"), resolve(config, "qa"), config.scrub,
                   say=(lines.append if lines is not None else lambda line: None),
                   confirm=lambda q: None)
    assert result is not None
    return result


def _rows(mariadb: MariaDB, database: str, sql: str) -> list[tuple[object, ...]]:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return [tuple(row) for row in cur.fetchall()]


def test_sparse_embedded_names_and_postal_codes_fail_verification_by_name_until_covered(
        probe: Probe) -> None:
    result = _clone(probe.config(OBVIOUS_RULES))
    assert not result.passed
    assert set(result.uncovered) == {
        "customer.ref", "customer.memo", "customer.first_name", "customer.last_name",
        "address.postal_code", "staff.first_name", "staff.last_name"}
    assert result.uncovered["customer.ref"] == \
        "60 row(s) hold a email address (e.g. k***@gmail.com)"
    assert result.uncovered["customer.memo"].startswith("3 row(s) hold a ")
    assert "clone again" not in "\n".join(result.problems())
    assert _clone(probe.config(ALL_RULES)).passed


def test_marking_a_column_safe_covers_it(probe: Probe) -> None:
    safe = ('[scrub]\nsafe = ["customer.ref", "customer.memo", "customer.first_name", '
            '"customer.last_name", "address.postal_code", "staff.first_name", '
            '"staff.last_name"]\n\n')
    result = _clone(probe.config(OBVIOUS_RULES, extra=safe))
    assert result.passed
    assert result.covers["customer.ref"] == "[scrub] safe"


def test_with_rules_no_production_value_remains_and_the_data_keeps_its_shape(
        probe: Probe, mariadb: MariaDB) -> None:
    assert _clone(probe.config(ALL_RULES)).passed
    prod, qa = probe.production, probe.qa
    for table, column, kind in ALL_RULES:
        key = {"customer": "customer_id", "address": "address_id", "staff": "staff_id"}[table]
        kept = _rows(mariadb, qa, f"SELECT COUNT(*) FROM `{qa}`.{table} q JOIN `{prod}`.{table}"
                                  f" p USING ({key}) WHERE q.{column} = p.{column}")[0][0]
        assert kept == (540 if (table, column) == ("customer", "ref") else
                        197 if (table, column) == ("customer", "memo") else 0), column
        distinct = f"SELECT COUNT(DISTINCT {column}), COUNT(*) FROM {table}"
        if kind != "phone":  # 80,000 fictional numbers: phones may merge (README)
            assert _rows(mariadb, qa, distinct) == _rows(mariadb, prod, distinct), column
    for table, column in _rows(mariadb, qa, "SELECT TABLE_NAME, COLUMN_NAME FROM "
                               "information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND "
                               "DATA_TYPE IN ('varchar', 'text') AND TABLE_NAME NOT LIKE "
                               "'release%'"):
        hits = _rows(mariadb, qa, f"SELECT COUNT(*) FROM `{table}` WHERE `{column}` REGEXP "
                                  f"'{contact.ANY.replace(chr(92), chr(92) * 2)}'")[0][0]
        assert hits == 0, f"{table}.{column}"
    joined = ("SELECT COUNT(*), SUM(c.last_update = '2021-06-01 10:00:00'), "
              "SUM(a.last_update = '2021-06-01 10:00:00') FROM customer c JOIN address a "
              "USING (address_id)")
    assert _rows(mariadb, qa, joined) == _rows(mariadb, prod, joined) == [(600, 600, 600)]


def test_redact_keeps_the_text_and_replaces_the_contact_data_inside_it(
        probe: Probe, mariadb: MariaDB) -> None:
    _clone(probe.config(ALL_RULES))
    (memo,) = {str(r[0]) for r in _rows(mariadb, probe.qa, "SELECT memo FROM customer WHERE "
                                        "customer_id IN (17, 99, 150)")}
    assert re.fullmatch(r"call me back at 201-555-01\d\d or write to "
                        r"redacted\.[0-9a-f]{8}@example\.invalid", memo), memo
    assert memo != EMBEDDED
    names = {str(r[0]) for r in _rows(mariadb, probe.qa, "SELECT first_name FROM staff")}
    assert all(re.fullmatch(r"[A-Z][a-z]{7}", n) for n in names), names


def test_update_triggers_do_not_fire_during_the_scrub_and_are_restored(
        probe: Probe, mariadb: MariaDB) -> None:
    lines: list[str] = []
    _clone(probe.config(ALL_RULES), lines)
    assert "trigger staff_audit set aside for the scrub" in lines
    assert _rows(mariadb, probe.qa, "SELECT COUNT(*) FROM audit") == [(0,)]
    assert _rows(mariadb, probe.qa, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
                 "WHERE TRIGGER_SCHEMA = DATABASE()") == [("staff_audit",)]
    _rows(mariadb, probe.qa, "UPDATE staff SET address_id = 2 WHERE staff_id = 1")
    assert _rows(mariadb, probe.qa, "SELECT note FROM audit") == [("staff 1 changed",)]


def test_a_trigger_that_cannot_be_recreated_is_reported_with_its_statement(
        probe: Probe, mariadb: MariaDB) -> None:
    from release.db.clones import scrub
    from release.db.connection import connect
    from release.errors import Failed

    with connect(resolve(probe.config([]), "production").credentials) as conn:
        scrub.set_aside(conn, ["staff_audit"])
        with conn.cursor() as cur:
            cur.execute("RENAME TABLE audit TO audit_gone, staff TO staff_gone")
        with pytest.raises(Failed, match=r"staff_audit .*\n.*\n    CREATE .*TRIGGER"):
            scrub.restore_triggers(conn)


def test_the_dry_run_names_triggers_views_routines_and_kept_columns(probe: Probe) -> None:
    config = probe.config(ALL_RULES)
    lines: list[str] = []
    clone(resolve(config, "production"), resolve(config, "qa"), config.scrub,
          say=lines.append, confirm=lambda q: None, dry_run=True)
    text = "\n".join(lines)
    assert "copies 1 views along with the tables: customer_list" in text
    assert "copies 1 triggers along with the tables: staff_audit" in text
    assert "copies 1 routines along with the tables: procedure rewards" in text
    assert "keeps last_update (ON UPDATE)" in text
    assert "trigger(s) staff_audit dropped for the scrub and recreated after it" in text


def test_a_clone_with_the_readme_configuration_leaves_the_work_tree_clean(
        probe: Probe) -> None:
    before = git(probe.root, "status", "--porcelain", "--untracked-files=all")
    assert _clone(probe.config(ALL_RULES)).passed
    assert git(probe.root, "status", "--porcelain", "--untracked-files=all") == before == ""
    key = clone_state.key_path(resolve(probe.config(ALL_RULES), "qa"))
    assert key.parent == probe.root / ".git" / "stagecraft"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_a_backups_folder_in_the_work_tree_is_refused_unless_git_ignores_it(
        probe: Probe) -> None:
    from release.errors import Refused

    db = resolve(probe.config([]), "qa")
    with pytest.raises(Refused, match=r"inside the work tree .* Add `/backups/` to"):
        clone_state.require_private_backups(db)
    (probe.root / ".gitignore").write_text("/backups/\n")
    clone_state.require_private_backups(db)


def test_verifying_an_environment_never_cloned_into_says_so_and_promises_nothing(
        probe: Probe) -> None:
    config = probe.config(ALL_RULES)
    lines: list[str] = []
    result = verify_environment(resolve(config, "production"), config.scrub, say=lines.append)
    assert not result.passed
    assert "never cloned into" in lines[0] and "promises" in lines[0]
    failed = subprocess.run([sys.executable, "-m", "invoke", "db.verify-scrub", "--env",
                             "production"], cwd=probe.root, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, check=False)
    assert failed.returncode == 1
    assert "refuse" not in failed.stderr and "nothing here is enforced" in failed.stderr
