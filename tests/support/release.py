"""A sandbox release with known history, shared by the checklist, notes and browser tests.

Release 1 ships block `old-block` and the push entry "old step"; after it, master gains
`new-block`, `second-new-block`, two push entries and three commits, merged into staging.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from release.demo import sample
from tests.support.git import Sandbox, commit, git, isolated_environment, make_sandbox
from tests.support.toml import Database, Environment, release_toml

RELEASE_TOML = release_toml([
    Environment("qa", path="/srv/qa/mdcom", reload="touch /srv/qa/reload",
                database=Database("qatest", user="deploy")),
    Environment("production", host="deploy@prod.example.invalid", path="/srv/prod/mdcom",
                ref="tag", reload="sudo /etc/init.d/apache2 reload",
                database=Database("mhlogin", host="10.0.0.10")),
], extra=sample.checklist_toml())  # the product checks of the application it stands for

HEADER = "Production push instructions\n-----\nWrite what a push needs below.\n\n"
OLD_ALTERS = ("-- alter: old-block\n-- author: ann\n"
              "ALTER TABLE t ADD COLUMN a INT NULL, ALGORITHM=INSTANT, LOCK=NONE;\n")
NEW_ALTERS = OLD_ALTERS + (
    "\n-- alter: new-block\n-- author: bob\n"
    "ALTER TABLE t ADD COLUMN b INT NULL, ALGORITHM=INSTANT, LOCK=NONE;\n"
    "\n-- add by carol 20260210 widen the name\n"
    "ALTER TABLE t MODIFY COLUMN name varchar(200) NULL;\n"
)
OLD_ENTRY = "2026-01-05: ann, old step: restart the queue worker\n"
NEW_ENTRIES = ("2026-02-01: bob, new step: run manage.py rebuild_index\n"
               "2026-02-03: carol, second new step\n    with a continuation line\n")


def make_release(sandbox: Sandbox) -> None:
    """Release 1 tagged and pushed; release 2's changes merged into staging."""
    commit(sandbox.dev, "release.toml", RELEASE_TOML, "chore: configure releases")
    commit(sandbox.dev, "alters.sql", OLD_ALTERS, "feat: column a")
    sandbox.land_on_master("production_push_instructions.txt", HEADER + OLD_ENTRY,
                           "docs: old push step")
    git(sandbox.app, "pull", "--quiet")
    _ok(sandbox, "staging.create")
    _ok(sandbox, "release.tag")
    commit(sandbox.dev, "alters.sql", NEW_ALTERS, "feat(db): columns b and name")
    commit(sandbox.dev, "production_push_instructions.txt", HEADER + OLD_ENTRY + NEW_ENTRIES,
           "docs: new push steps")
    commit(sandbox.dev, "app.py", "print('v2')\n", "fix: greet properly")
    sandbox.land_on_master("views.py", "def view():\n    pass\n", "a commit without prefix")
    _ok(sandbox, "staging.merge")


def _ok(sandbox: Sandbox, *args: str) -> None:
    result = sandbox.invoke(*args)
    assert result.returncode == 0, result.stdout + result.stderr


def build_release(tmp: Path) -> Sandbox:
    """A sandbox in `tmp` holding the release, built with the suite's git identity (for a
    fixture wider than one test, which the per-test isolation does not reach)."""
    with pytest.MonkeyPatch.context() as patch:
        for key, value in isolated_environment(tmp).items():
            patch.setenv(key, value)
        sandbox = make_sandbox(tmp)
        make_release(sandbox)
    return sandbox
