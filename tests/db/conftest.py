"""The db tests' corpus fixtures: the sample always, the client's dump when its files are here
(the `setup` fixture itself, on the sample, is in tests/conftest.py); and a primary with its
GTID replica (tests/support/replication.py), started once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.corpus import SAMPLE, Corpus, client_corpus
from tests.support.mariadb import MariaDB
from tests.support.production import Setup, make_setup
from tests.support.replication import Pair, ReplicaSetup, make_replica_setup, replicated_pair
from tests.support.templates import Templates


@pytest.fixture(params=["sample", "client"])
def corpus(request: pytest.FixtureRequest) -> Corpus:
    """Each corpus in turn: the sample always, the client's dump when its files are here."""
    return SAMPLE if request.param == "sample" else client_corpus()


@pytest.fixture
def corpus_setup(tmp_path: Path, mariadb: MariaDB, database: str, qa_database: str,
                 templates: Templates, monkeypatch: pytest.MonkeyPatch,
                 corpus: Corpus) -> Setup:
    """`setup` on each corpus."""
    return make_setup(tmp_path, mariadb, database, qa_database, templates, monkeypatch, corpus)


@pytest.fixture(scope="session")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    """A primary and its GTID replica (two private servers), started once per session."""
    with replicated_pair(tmp_path_factory.mktemp("replication")) as started:
        yield started


@pytest.fixture
def replica_setup(pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReplicaSetup:
    """An application whose production database has a replica, replicating and caught up."""
    return make_replica_setup(pair, tmp_path, monkeypatch)
