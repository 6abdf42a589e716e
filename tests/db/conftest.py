"""Databases for the db tests: production data (the sample application's, or the client's real
dump) copied from a per-session template into the suite's MariaDB, a second database for QA,
age keys, and a configuration pointing at both."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyrage import x25519

from release.config import Config, parse
from release.demo import sample
from tests.conftest import CLIENT_FILES, CLIENT_SKIP, MariaDB, fresh_database
from tests.db.replication import (
    PRIMARY_PASSWORD_ENV,
    REPLICA_PASSWORD_ENV,
    Pair,
    replicated_pair,
)
from tests.db.templates import Templates

PASSWORD_ENV = "STAGECRAFT_TEST_DB_PASSWORD"
IDENTITY_ENV = "STAGECRAFT_TEST_AGE_IDENTITY"
CLIENT_RULES = Path(__file__).resolve().parents[1] / "corpus" / "mdcom_scrub.toml"


@dataclass(frozen=True)
class Corpus:
    """A production database to test on, and where its contact data sits."""

    name: str
    rules: str                         # its [scrub] configuration
    dump: Path | None                  # None: the generated sample
    phone: tuple[str, str, str]        # (table, integer key, column) of a mobile phone
    zip: tuple[str, str, str]          # the same for a postal code
    sender: tuple[str, str]            # a column where every row holds one sending number
    call_id: tuple[str, str]           # call ids, unique per call
    contact_rules: int                 # how many phone/email-like rules hold values


SAMPLE = Corpus("sample", sample.scrub_toml(), None,
                ("accounts_profile", "user_id", "mobile_phone"),
                ("accounts_profile", "user_id", "zip"),
                ("messaging_deliverylog", "tx_number"), ("callcenter_calllog", "call_sid"), 24)


def client_corpus() -> Corpus:
    if CLIENT_FILES is None:
        pytest.skip(CLIENT_SKIP)
    return Corpus("client", CLIENT_RULES.read_text(), CLIENT_FILES / "mhlogin_dump.sql",
                  ("MHLUsers_mhluser", "user_ptr_id", "mobile_phone"),
                  ("MHLUsers_mhluser", "user_ptr_id", "zip"),
                  ("DoctorCom_messagelog", "tx_number"), ("IVR_calllog", "callSID"), 20)


@dataclass
class Setup:
    root: Path
    production: str
    qa: str
    identity_file: Path
    toml: str
    corpus: Corpus

    def config(self, extra: str = "") -> Config:
        import tomllib

        return parse(tomllib.loads(self.toml + extra), root=self.root, source="release.toml")


@pytest.fixture
def qa_database(mariadb: MariaDB) -> Iterator[str]:
    with fresh_database(mariadb, "stagecraft_qa") as name:
        yield name


@pytest.fixture
def setup(tmp_path: Path, mariadb: MariaDB, database: str, qa_database: str,
          templates: Templates, monkeypatch: pytest.MonkeyPatch) -> Setup:
    """`production` holds the sample application's database; `qa` is empty; dumps go to
    tmp/backups."""
    return make_setup(tmp_path, mariadb, database, qa_database, templates, monkeypatch, SAMPLE)


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


def make_setup(tmp_path: Path, mariadb: MariaDB, database: str, qa_database: str,
               templates: Templates, monkeypatch: pytest.MonkeyPatch, corpus: Corpus) -> Setup:
    templates.copy(corpus.name, database, corpus.dump)
    identity = x25519.Identity.generate()
    identity_file = tmp_path / "age-identity.txt"
    identity_file.write_text(str(identity) + "\n")
    monkeypatch.setenv(PASSWORD_ENV, mariadb.password)
    monkeypatch.setenv(IDENTITY_ENV, str(identity_file))
    root = tmp_path / "app"
    root.mkdir()
    envs = "".join(
        f'[environments.{env}.database]\nname = "{db}"\nhost = "{mariadb.host}"\n'
        f'port = {mariadb.port}\nuser = "{mariadb.user}"\npassword_env = "{PASSWORD_ENV}"\n\n'
        for env, db in (("production", database), ("qa", qa_database)))
    toml = (f'{envs}[backups]\ndir = "backups"\nrecipients = ["{identity.to_public()}"]\n'
            f'identity_env = "{IDENTITY_ENV}"\nkeep = 2\n\n' + corpus.rules)
    (root / "release.toml").write_text(toml)
    (root / "tasks.py").write_text("from release.tasks import ns  # noqa: F401\n")
    return Setup(root=root, production=database, qa=qa_database, identity_file=identity_file,
                 toml=toml, corpus=corpus)


def checksums(mariadb: MariaDB, database: str) -> dict[str, int]:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("SHOW FULL TABLES WHERE Table_type = 'BASE TABLE'")
        names = [str(row[0]) for row in cur.fetchall()
                 if not str(row[0]).startswith("release_")]
        if not names:
            return {}
        cur.execute("CHECKSUM TABLE " + ", ".join(f"`{n}`" for n in names))
        return {str(name).split(".", 1)[1]: int(value) for name, value in cur.fetchall()}


def big_table(mariadb: MariaDB, database: str, rows: int) -> None:
    """A table large enough that a dump takes a noticeable while."""
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE bulk (id INT PRIMARY KEY, body VARCHAR(255)) ENGINE=InnoDB")
        cur.execute(f"INSERT INTO bulk SELECT seq, CONCAT('marker-plaintext-', seq, '-', "
                    f"SHA2(seq, 256), SHA2(seq + 1, 256)) FROM seq_1_to_{rows}")



@pytest.fixture(scope="session")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    """A primary and its GTID replica (two private servers), started once per session."""
    with replicated_pair(tmp_path_factory.mktemp("replication")) as started:
        yield started


@dataclass
class ReplicaSetup:
    root: Path
    pair: Pair
    identity_file: Path
    recipient: str

    def config(self, *, max_lag: int = 30) -> Config:
        import tomllib

        toml = self.pair.toml(self.recipient, IDENTITY_ENV, max_lag=max_lag)
        return parse(tomllib.loads(toml), root=self.root, source="release.toml")

    def write(self, *, max_lag: int = 30) -> None:
        (self.root / "release.toml").write_text(
            self.pair.toml(self.recipient, IDENTITY_ENV, max_lag=max_lag))


@pytest.fixture
def replica_setup(pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReplicaSetup:
    """An application whose production database has a replica, replicating and caught up."""
    pair.replicating()
    identity = x25519.Identity.generate()
    identity_file = tmp_path / "age-identity.txt"
    identity_file.write_text(str(identity) + "\n")
    monkeypatch.setenv(PRIMARY_PASSWORD_ENV, pair.primary.password)
    monkeypatch.setenv(REPLICA_PASSWORD_ENV, pair.replica.password)
    monkeypatch.setenv(IDENTITY_ENV, str(identity_file))
    root = tmp_path / "replicated-app"
    root.mkdir()
    (root / "tasks.py").write_text("from release.tasks import ns  # noqa: F401\n")
    found = ReplicaSetup(root, pair, identity_file, identity.to_public())
    found.write()
    return found
