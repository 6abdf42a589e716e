"""deploy.preflight: every check a deploy makes before it touches anything, all reported at
once. The checks read; only the repository the deploy runs from is fetched."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from release.alters.check import lint_alters_paths
from release.alters.parse import parse_alters
from release.alters.registry import ERROR
from release.config import Config, EnvironmentConfig
from release.db.target import Database
from release.deploy.checkouts import Checkout
from release.deploy.target import Target, release_files, resolve_target
from release.environment import database
from release.errors import ReleaseError
from release.git.repo import Repository

PRODUCTION = "production"


@dataclass(frozen=True)
class Check:
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


def gather(repo: Repository, config: Config, env: EnvironmentConfig, *,
           checkouts: Sequence[Checkout], db: Database | None, ref: str | None,
           lock_problem: str | None) -> Preflight:
    found = [c.inspect() for c in checkouts]
    usable = [c for c, problems in zip(checkouts, found, strict=True) if not problems]
    checks = [Check("checkout exists and is a git repository",
                    tuple(p for problems in found for p in problems)),
              _changes(usable)]
    target, problems = resolve_target(repo, config, env, ref)
    checks.append(Check("the ref exists on the remote", tuple(problems),
                        f"{target.ref} = {target.sha[:12]}" if target else ""))
    pending: tuple[str, ...] = ()
    if db is not None:
        unreachable = database.problem_reaching(db)
        checks.append(Check("the database is reachable", (unreachable,) if unreachable else (),
                            db.name))
        if unreachable is None:
            alters, pending = _alters(repo, config, db, target)
            checks.append(alters)
            if env.name != PRODUCTION:
                unsafe = database.unverified_clone(db)
                checks.append(Check("its last clone is verified", (unsafe,) if unsafe else ()))
    checks.append(Check("no other deploy of this environment is running",
                        (lock_problem,) if lock_problem else ()))
    heads = tuple(c.head() if c.git_dir else "" for c in checkouts)
    return Preflight(env.name, tuple(checks), target, heads, pending)


def _changes(checkouts: Sequence[Checkout]) -> Check:
    problems = [f"{c.label}: {line}" for c in checkouts for line in c.local_changes()]
    if problems:
        problems.append("(commit them upstream, or `git checkout -- FILE` on the host to drop "
                        "them; untracked files do not count)")
    return Check("no local changes to tracked files", tuple(problems))


def _alters(repo: Repository, config: Config, db: Database, target: Target | None
            ) -> tuple[Check, tuple[str, ...]]:
    """The alters lint as `invoke alters.lint` runs it here, and the release's alters files
    against the environment's ledger: nothing edited after it was applied there."""
    paths = [repo.root / name for name in config.alters.files if (repo.root / name).is_file()]
    errors = [f"{f.path}:{f.line}: {f.code} {f.message}"
              for f in lint_alters_paths(paths, cwd=repo.root, all_blocks=False)
              if f.level == ERROR]
    if errors:
        errors.append("(fix them, or silence a false alarm with `-- noqa: CODE`)")
    if target is None:
        return Check("the alters lint clean", tuple(errors)), ()
    files = [parse_alters(text, name)
             for name, text in release_files(repo, config, target.sha).items()]
    try:
        plan = database.ledger_plan(db, config, files)
    except ReleaseError as error:
        return Check("the alters lint clean and match the ledger", (*errors, error.message)), ()
    errors += [f"{s.block_id} ({s.file}:{s.line}) was changed after it was applied: "
               f"{s.detail}" for s in plan.changed]
    errors += [f"{r.block_id}#{r.position} is uncertain (started, never finished): settle it "
               f"with invoke alters.resolve" for r in plan.uncertain]
    pending = tuple(p.statement_id for p in plan.pending)
    return (Check("the alters lint clean and match the ledger", tuple(errors),
                  f"{len(pending)} statement(s) pending"), pending)
