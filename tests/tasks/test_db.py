from __future__ import annotations

import subprocess
import sys

from tests.support.mariadb import MariaDB
from tests.support.production import Setup


def _invoke(setup: Setup, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=setup.root,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)


def test_clone_then_verify_scrub_pass_and_an_uncovered_column_fails_by_name(
        setup: Setup) -> None:
    cloned = _invoke(setup, "db.clone", "--from", "production", "--to", "qa", "--yes")
    assert cloned.returncode == 0, cloned.stderr
    assert "scrub verified" in cloned.stdout
    text = (setup.root / "release.toml").read_text()
    rule = '[[scrub.rules]]\ntable = "auth_user"\ncolumn = "email"\nkind = "email"\n'
    assert rule in text
    (setup.root / "release.toml").write_text(text.replace(rule, ""))
    failed = _invoke(setup, "db.verify-scrub", "--env", "qa")
    assert failed.returncode == 1
    assert "auth_user.email: looks like contact data" in failed.stderr
    assert "Traceback" not in failed.stderr


def test_clone_without_a_terminal_or_yes_asks_and_changes_nothing(setup: Setup) -> None:
    result = _invoke(setup, "db.clone", "--from", "production", "--to", "qa")
    assert result.returncode == 1
    assert "--yes" in result.stderr


def test_dump_then_backups_lists_it_and_restore_dry_run(setup: Setup) -> None:
    assert _invoke(setup, "db.dump", "--env", "production").returncode == 0
    listing = _invoke(setup, "db.backups")
    assert listing.returncode == 0 and ".sql.zst.age" in listing.stdout
    name = listing.stdout.split()[0]
    dry = _invoke(setup, "db.restore", "--env", "qa", "--dump", f"backups/{name}", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "checksum OK" in dry.stdout and "Dry run" in dry.stdout


def test_unknown_environment_is_a_usage_error(setup: Setup) -> None:
    result = _invoke(setup, "db.dump", "--env", "staging")
    assert result.returncode == 2
    assert "no [environments.staging] section" in result.stderr


def test_dump_dry_run_prints_the_pipeline_and_writes_nothing(setup: Setup) -> None:
    result = _invoke(setup, "db.dump", "--env", "production", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "--single-transaction" in result.stdout and "| zstd | age" in result.stdout
    assert not (setup.root / "backups").exists()


def test_clone_dry_run_lists_the_scrub_and_changes_nothing(setup: Setup,
                                                           mariadb: MariaDB) -> None:
    result = _invoke(setup, "db.clone", "--from", "production", "--to", "qa", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "would run: UPDATE accounts_profile: phone (phone), mobile_phone (phone)" \
        in result.stdout
    assert "Dry run: nothing was changed." in result.stdout
    with mariadb.connect(setup.qa) as conn, conn.cursor() as cur:
        cur.execute("SHOW TABLES")
        assert cur.fetchall() == ()


def test_backups_prune_keeps_the_newest_per_environment(setup: Setup) -> None:
    from release.db.backups.dump import dump
    from release.db.target import resolve

    made = [dump(resolve(setup.config(), "production")) for _ in range(3)]
    dry = _invoke(setup, "db.backups", "--prune", "--dry-run")
    assert f"would delete: {made[0].name}" in dry.stdout and made[0].exists()
    pruned = _invoke(setup, "db.backups", "--prune", "--yes")
    assert pruned.returncode == 0, pruned.stderr
    assert [p.exists() for p in made] == [False, True, True]
    assert sorted(p.name for p in (setup.root / "backups").iterdir()) == sorted(
        f"{p.name}{suffix}" for p in made[1:] for suffix in ("", ".json", ".sha256"))


def test_dumps_refuse_an_unignored_folder_in_the_work_tree_and_work_from_a_subfolder(
        setup: Setup) -> None:
    from tests.support.git import git

    git(setup.root, "init", "--quiet")
    refused = _invoke(setup, "db.dump", "--env", "production")
    assert refused.returncode == 1 and "git does not ignore it" in refused.stderr
    (setup.root / ".gitignore").write_text("/backups/\n")
    assert _invoke(setup, "db.dump", "--env", "production").returncode == 0
    deep = setup.root / "app" / "views"
    deep.mkdir(parents=True)
    result = subprocess.run([sys.executable, "-m", "invoke", "db.backups"], cwd=deep,
                            capture_output=True, text=True, stdin=subprocess.DEVNULL,
                            check=False)
    assert result.returncode == 0, result.stderr
    (dump,) = (setup.root / "backups").glob("*.sql.zst.age")
    assert dump.name in result.stdout


def test_restore_physical_needs_into_and_a_logical_dump_is_not_drilled(setup: Setup) -> None:
    missing = _invoke(setup, "db.restore", "--env", "qa", "--dump", "x.xb.zst.age",
                      "--physical")
    assert missing.returncode == 2 and "--into NEW_FOLDER" in missing.stderr
    assert _invoke(setup, "db.dump", "--env", "production").returncode == 0
    dump = next((setup.root / "backups").glob("*.sql.zst.age"))
    drill = _invoke(setup, "db.verify-backup", "--dump", str(dump))
    assert drill.returncode == 1 and "is a logical dump (SQL)" in drill.stderr
    assert "Traceback" not in drill.stderr
