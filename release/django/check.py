"""The application's models against a database: `alters.drift` (an environment's schema as it
is), the deploy gate (empty copies with the pending alters applied, against the models of the
release and of the code each host runs now) and the migrations `alters.status` cannot account
for. Django creates its tables in scratch schemas on the environment's own server, so the
server spells both sides the same way; every scratch schema is dropped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from release.alters.ledger_plan import Pending
from release.alters.migrations import Migration, unaccounted
from release.alters.parse import AltersFile
from release.config import Config
from release.db.explain.copies import ModelServer, model_server
from release.db.ledger.migrations import recorded_in
from release.db.shape import TableShape, own_tables
from release.db.target import Database
from release.django.ask import Models, migrations_at, models_at
from release.django.drift import Difference, compare
from release.errors import Refused
from release.git.repo import Repository


@dataclass(frozen=True)
class Drift:
    environment: str
    ref: str
    django: str
    differences: tuple[Difference, ...]

    @property
    def breaks(self) -> tuple[Difference, ...]:
        return tuple(d for d in self.differences if d.breaks)


@dataclass(frozen=True)
class Running:
    """Code a host runs now: who runs it and its commit."""

    hosts: str   # "local:/srv/app, web2:/srv/app"
    sha: str


def label(ref: str, sha: str) -> str:
    return f"{ref} ({sha[:12]})" if ref and not sha.startswith(ref) else sha[:12]


def drift(config: Config, repo: Repository, db: Database, ref: str) -> Drift:
    """The environment's schema against the models at `ref`."""
    sha = repo.resolve(ref)
    if sha is None:
        raise Refused(f"{ref!r} is not a commit of {repo.root}: fetch it, or pass another "
                      "--ref. Nothing was changed.")
    with model_server(db, own_tables(config.alters.ledger_table)) as server:
        actual = server.shape()
        models, expected = _expected(config, repo, server, sha, label(ref, sha))
    return Drift(db.environment, models.ref, models.django,
                 tuple(compare(expected, actual, models.tables)))


def _expected(config: Config, repo: Repository, server: ModelServer, sha: str,
              ref: str) -> tuple[Models, dict[str, TableShape]]:
    with repo.temporary_worktree(sha) as tree, server.scratch() as creds:
        models = models_at(config, tree, creds, ref)
        return models, server.shape(creds.database)


def gate(config: Config, repo: Repository, db: Database, *, release: tuple[str, str],
         running: Sequence[Running], pending: Sequence[Pending]) -> tuple[list[str], str]:
    """Problems that stop the deploy, and a note when there are none: (1) the release's models
    (`release`: ref, sha) find everything they need on the schema the pending alters leave;
    (2) so do the models of the code each host runs now, for the window between the alters
    and the reload (which is what makes `-- code-first: yes` true)."""
    ref, sha = release
    problems: list[str] = []
    with model_server(db, own_tables(config.alters.ledger_table)) as server, \
            server.after(pending) as copies:
        problems += copies.failed
        after = server.shape(copies.schema)
        models, expected = _expected(config, repo, server, sha, label(ref, sha))
        problems += [f"the models at {models.ref} need what the schema will not have: "
                     f"{d.line()}. Add the alters block for it (or fix the model)."
                     for d in compare(expected, after, models.tables) if d.breaks]
        for run in running:
            if run.sha == sha:
                continue
            if repo.resolve(run.sha) is None:
                problems.append(f"{run.hosts} runs {run.sha[:12]}, which this repository "
                                "does not have: fetch it so its models can be checked.")
                continue
            old, expected = _expected(config, repo, server, run.sha, label("", run.sha))
            problems += [f"the code {run.hosts} runs now ({old.ref}) breaks between the "
                         f"alters and the reload: {d.line()}. Deploy the model change first "
                         "(a `-- code-first: yes` block needs the running code to have the "
                         "field already), or give the column a default."
                         for d in compare(expected, after, old.tables) if d.breaks]
    note = (f"the models at {label(ref, sha)} and the running code find what they need after "
            f"{len(pending)} pending statement(s)")
    if copies.untried:
        note += " (" + "; ".join(copies.untried) + ")"
    return problems, note


def unaccounted_migrations(config: Config, db: Database,
                           files: Sequence[AltersFile]) -> list[Migration]:
    """Migrations in the checkout that the environment has not recorded and no block carries:
    model changes whose alters block was forgotten."""
    present = migrations_at(config, config.root, "the checkout")
    return unaccounted(present, recorded_in(db), files)
