"""An application with two databases on the suite's server: `production`, holding a corpus's
data (copied from its session template), and an empty `qa`; a release.toml naming both (dumps to
backups/, the corpus's [scrub] rules) and a tasks.py, as a user's repository would have."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from release.config import Config, parse
from tests.support.corpus import Corpus
from tests.support.mariadb import MariaDB
from tests.support.templates import Templates
from tests.support.toml import (
    Backups,
    Database,
    Environment,
    age_keys,
    release_toml,
    use_credentials,
)

TASKS = "from release.tasks import ns  # noqa: F401\n"


@dataclass
class Setup:
    root: Path
    production: str
    qa: str
    identity_file: Path
    toml: str
    corpus: Corpus

    def config(self, extra: str = "") -> Config:
        return parse(tomllib.loads(self.toml + extra), root=self.root, source="release.toml")


def make_setup(tmp_path: Path, mariadb: MariaDB, database: str, qa_database: str,
               templates: Templates, monkeypatch: pytest.MonkeyPatch, corpus: Corpus) -> Setup:
    """`database` filled with the corpus (production), `qa_database` left empty (QA)."""
    templates.copy(corpus.name, database, corpus.dump)
    use_credentials(monkeypatch, mariadb)
    root = tmp_path / "app"
    root.mkdir()
    toml = release_toml([Environment("production", database=Database.on(mariadb, database)),
                         Environment("qa", database=Database.on(mariadb, qa_database))],
                        backups=Backups("backups", keep=2), extra=corpus.rules)
    (root / "release.toml").write_text(toml)
    (root / "tasks.py").write_text(TASKS)
    return Setup(root=root, production=database, qa=qa_database,
                 identity_file=age_keys().identity_file, toml=toml, corpus=corpus)
