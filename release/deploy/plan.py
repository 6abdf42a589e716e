"""The deploy plan: a value that `--dry-run` prints and `deploy.run` carries out, step by
step in the same order, so the two cannot drift apart (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from release.console import Say, show_plan
from release.docs.context import PushEntry


@dataclass(frozen=True)
class Move:
    host: str
    path: str
    from_sha: str
    to_sha: str

    @property
    def label(self) -> str:
        return f"{self.host}:{self.path}"


@dataclass(frozen=True)
class DeployPlan:
    environment: str
    remote: str
    ref: str
    sha: str
    moves: tuple[Move, ...]           # in roll order
    entries: tuple[PushEntry, ...]    # push instructions new in this release
    alters: tuple[str, ...]           # pending statements, BLOCK#N
    database: str = ""                # "" when the environment has none
    reload: str = ""
    smoke_url: str = ""

    def steps(self) -> list[str]:
        out = [f"{m.label}: git fetch {self.remote}" for m in self.moves]
        out += [f"confirm push instruction {e.date} {e.author}: {_first(e.text)}"
                for e in self.entries]
        if self.alters:
            out.append(f"apply {len(self.alters)} alters statement(s) to {self.database} "
                       f"through the ledger, backups before and after: {', '.join(self.alters)}")
        for m in self.moves:
            out.append(f"{m.label}: git checkout --detach {self.ref} ({self.sha[:12]}; runs "
                       f"{m.from_sha[:12] or 'nothing'} now)")
            if self.reload:
                out.append(f"{m.label}: reload: {self.reload}")
            if self.smoke_url:
                out.append(f"{m.label}: smoke check {self.smoke_url} (2xx or 3xx)")
        where = ".git/stagecraft/deploys.jsonl on each host"
        out.append(f"record the deploy in {where}"
                   + (f" and in {self.database}.release_deploys" if self.database else ""))
        return out


def _first(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= 100 else line[:97] + "..."


def show(title: str, steps: Sequence[str], *, dry_run: bool, say: Say) -> None:
    """The plan as every command prints one, through the caller's `say`."""
    show_plan(title, steps, dry_run=dry_run, say=say)
