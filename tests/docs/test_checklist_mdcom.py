"""The checklist on a history in the client's style: the sample application's alters.sql and
push instructions, and the client's own files (alters.sql, alters_de.sql) when they are here."""

from __future__ import annotations

import shutil
from pathlib import Path

from release.demo import sample
from tests.support.git import Sandbox, commit, git
from tests.support.toml import Alters, Database, Environment, release_toml

SAMPLE_CONFIG = release_toml([Environment(
    "production", path="/srv/pagewell", reload="/etc/init.d/apache2 reload",
    database=Database("pagewell"))])

CONFIG = release_toml([Environment(
    "production", path="/var/django_projects/client.mdcom.com/mdcom",
    reload="/etc/init.d/apache2 reload", database=Database("mhlogin"))],
    alters=Alters(files=["alters.sql", "alters_de.sql"]))


def _release_files(sandbox: Sandbox, files: dict[str, str]) -> None:
    for name, text in files.items():
        (sandbox.dev / name).write_text(text)
    git(sandbox.dev, "add", ".")
    git(sandbox.dev, "commit", "--quiet", "-m", "the alters history")
    git(sandbox.dev, "push", "--quiet", "origin", "master", "--tags")
    git(sandbox.app, "pull", "--quiet", "--tags")
    assert sandbox.invoke("staging.create").returncode == 0


def test_checklist_lists_the_sample_blocks_by_author_and_date_and_its_entries(
        sandbox: Sandbox) -> None:
    commit(sandbox.dev, "release.toml", SAMPLE_CONFIG, "chore: configure releases")
    git(sandbox.dev, "tag", "--annotate", "-m", "before the history", "release-2023.01.01.1")
    _release_files(sandbox, {"alters.sql": sample.alters_sql(),
                             "production_push_instructions.txt": sample.push_instructions()})

    result = sandbox.invoke("release.checklist", "--env", "production")

    assert result.returncode == 0, result.stderr
    text = result.stdout
    for block in ("`20230412-kchen-1` by kchen, 2023-04-12: longer titles on accounts_profile",
                  "`20230503-mpatel-1` by mpatel, 2023-05-03: index delivery logs",
                  "`2025-11-provider-languages` by jlee", "`2025-12-optout-source` by mpatel"):
        assert block in text
    for entry in ("2023-05-03, mpatel", "2025-12-04, mpatel",
                  "> 2. $ python manage.py rebuild_retry_queue --since 2023-04-01"):
        assert entry in text
    assert "AL002" in text and "AL020" in text
    assert "Tag the release as release-" in text


def test_checklist_lists_the_clients_blocks_by_author_and_date_and_its_entries(
        sandbox: Sandbox, client_files: Path) -> None:
    commit(sandbox.dev, "release.toml", CONFIG, "chore: configure releases")
    git(sandbox.dev, "tag", "--annotate", "-m", "before the client's files",
        "release-2013.06.01.1")
    for name in ("alters.sql", "alters_de.sql", "production_push_instructions.txt"):
        shutil.copy(client_files / name, sandbox.dev / name)
    git(sandbox.dev, "add", ".")
    git(sandbox.dev, "commit", "--quiet", "-m", "the client's files")
    git(sandbox.dev, "push", "--quiet", "origin", "master", "--tags")
    git(sandbox.app, "pull", "--quiet", "--tags")
    assert sandbox.invoke("staging.create").returncode == 0

    result = sandbox.invoke("release.checklist", "--env", "production")

    assert result.returncode == 0, result.stderr
    text = result.stdout
    for block in ("`20130624-xlin-1` by xlin, 2013-06-24: add MHLUsers_provider fields",
                  "`20130624-htian-1` by htian, 2013-06-24: add refer fields",
                  "`20130711-mwang-1` by mwang, 2013-07-11",
                  "`20130715-dlu-1` by dlu, 2013-07-15",
                  "`20130805-dlu-1` by dlu, 2013-08-05",
                  "`undated-mwang-1` by mwang: update MHLPractices_organizationtype"):
        assert block in text
    for entry in ("2013-07-28, KurtV", "2013-08-11, KurtV", "2013-08-12, xlin",
                  "> 4. $ python manage.py create_resetkeys <admin password>"):
        assert entry in text
    # The client's file-level BEGIN/COMMIT and its dangerous statements are called out.
    assert "AL002" in text and "AL010" in text and "AL020" in text
    assert "Tag the release as release-" in text
