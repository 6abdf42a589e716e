"""deploy.preflight: every check a deploy makes before it touches anything, all reported at
once. The checks read; only the repository the deploy runs from is fetched."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from release.alters.check import lint_alters_paths
from release.alters.ledger_plan import Pending
from release.alters.parse import parse_alters
from release.alters.registry import ERROR
from release.config import PRODUCTION, Config
from release.db.target import Database
from release.deploy.checkouts import Checkout
from release.deploy.target import Target, release_files, resolve_target
from release.django.check import Running, gate
from release.environment import database
from release.environment.resolved import Environment
from release.environment.syntax import syntax_servers
from release.errors import ReleaseError
from release.git.repo import Repository

# What each check is called by the code that acts on it (its name is for people).
CHECKOUTS = "checkouts"
LOCAL_CHANGES = "local-changes"
REF = "ref"
DATABASE = "database"
ALTERS = "alters"
CLONE_VERIFIED = "clone-verified"
LOCK = "lock"
MODELS = "django-models"


@dataclass(frozen=True)
class Check:
    id: str
    name: str
    problems: tuple[str, ...] = ()
    note: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Preflight:
    environment: str
    checks: tuple[Check, ...]
    target: Target | None
    heads: tuple[str, ...]          # what each checkout runs now, in host order
    pending: tuple[str, ...] = ()   # alters statements the release would apply

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def check(self, check_id: str) -> Check | None:
        """The check with this id, None when it was not made (no database: no alters check)."""
        return next((c for c in self.checks if c.id == check_id), None)

    def failed(self, check_id: str) -> bool:
        found = self.check(check_id)
        return found is not None and not found.ok

    def lines(self) -> list[str]:
        out: list[str] = []
        for check in self.checks:
            out.append(f"  {'ok    ' if check.ok else 'FAILED'} {check.name}"
                       + (f": {check.note}" if check.note and check.ok else ""))
            out += [f"         {p}" for p in check.problems]
        return out

    def refusal(self) -> str:
        return (f"deploy to {self.environment!r} refused by its preflight checks:\n"
                + "\n".join(self.lines()) + "\nFix what FAILED and retry; nothing was changed.")


def gather(repo: Repository, config: Config, env: Environment, *,
           checkouts: Sequence[Checkout], db: Database | None, ref: str | None,
           lock_problem: str | None) -> Preflight:
    found = [c.inspect() for c in checkouts]
    usable = [c for c, problems in zip(checkouts, found, strict=True) if not problems]
    checks = [Check(CHECKOUTS, "checkout exists and is a git repository",
                    tuple(p for problems in found for p in problems)),
              _changes(usable)]
    target, problems = resolve_target(repo, config, env.config, ref)
    checks.append(Check(REF, "the ref exists on the remote", tuple(problems),
                        f"{target.ref} = {target.sha[:12]}" if target else ""))
    pending: tuple[Pending, ...] = ()
    heads = tuple(c.head() if c.git_dir else "" for c in checkouts)
    if db is not None:
        unreachable = database.problem_reaching(db)
        checks.append(Check(DATABASE, "the database is reachable",
                            (unreachable,) if unreachable else (), db.name))
        if unreachable is None:
            alters, pending = _alters(repo, config, db, target)
            checks.append(alters)
            if config.django is not None and target is not None and alters.ok:
                checks.append(_models(repo, config, db, target, checkouts, heads, pending))
            if env.name != PRODUCTION:
                checks.append(_clone_check(db))
    checks.append(Check(LOCK, "no other deploy of this environment is running",
                        (lock_problem,) if lock_problem else ()))
    return Preflight(env.name, tuple(checks), target, heads,
                     tuple(p.statement_id for p in pending))


def _clone_check(db: Database) -> Check:
    """A clone must be verified before a deploy; a database never cloned into holds no copy
    of production, and the check says that rather than calling it verified."""
    if not database.holds_clone(db):
        return Check(CLONE_VERIFIED, "it was never cloned into: no copy of production to "
                                     "verify", ())
    unsafe = database.unverified_clone(db)
    return Check(CLONE_VERIFIED, "its last clone is verified", (unsafe,) if unsafe else ())


def _changes(checkouts: Sequence[Checkout]) -> Check:
    problems = [f"{c.label}: {line}" for c in checkouts for line in c.local_changes()]
    if problems:
        problems.append("(commit them upstream, or `git checkout -- FILE` on the host to drop "
                        "them; untracked files do not count)")
    return Check(LOCAL_CHANGES, "no local changes to tracked files", tuple(problems))


def _models(repo: Repository, config: Config, db: Database, target: Target,
            checkouts: Sequence[Checkout], heads: Sequence[str],
            pending: Sequence[Pending]) -> Check:
    """The deploy gate of [django]: on empty copies with the pending alters applied, the
    release's models and those of the code each host runs now find what they need."""
    by_sha: dict[str, list[str]] = {}
    for checkout, head in zip(checkouts, heads, strict=True):
        if head:
            by_sha.setdefault(head, []).append(checkout.label)
    running = [Running(", ".join(labels), sha) for sha, labels in by_sha.items()]
    name = "the models of the release and of the running code find their tables and columns"
    try:
        problems, note = gate(config, repo, db, release=(target.ref, target.sha),
                              running=running, pending=pending)
    except ReleaseError as error:
        return Check(MODELS, name, (error.message,))
    return Check(MODELS, name, tuple(problems), note)


def _alters(repo: Repository, config: Config, db: Database, target: Target | None
            ) -> tuple[Check, tuple[Pending, ...]]:
    """The alters lint as `invoke alters.lint` runs it here, and the release's alters files
    against the environment's ledger: nothing edited after it was applied there."""
    paths = [repo.root / name for name in config.alters.files if (repo.root / name).is_file()]
    with syntax_servers() as server:  # AL001 from the server alters.lint asks
        found = lint_alters_paths(paths, cwd=repo.root, all_blocks=False, server=server)
    errors = [f"{f.path}:{f.line}: {f.code} {f.message}" for f in found if f.level == ERROR]
    if errors:
        errors.append("(fix them, or silence a false alarm with `-- noqa: CODE`)")
    if target is None:
        return Check(ALTERS, "the alters lint clean", tuple(errors)), ()
    files = [parse_alters(text, name)
             for name, text in release_files(repo, config, target.sha).items()]
    try:
        plan = database.ledger_plan(db, config, files)
    except ReleaseError as error:
        return Check(ALTERS, "the alters lint clean and match the ledger",
                     (*errors, error.message)), ()
    errors += [f"{s.block_id} ({s.file}:{s.line}) was changed after it was applied: "
               f"{s.detail}" for s in plan.changed]
    errors += [f"{r.block_id}#{r.position} is uncertain (started, never finished): settle it "
               f"with invoke alters.resolve" for r in plan.uncertain]
    return (Check(ALTERS, "the alters lint clean and match the ledger", tuple(errors),
                  f"{len(plan.pending)} statement(s) pending"), plan.pending)
