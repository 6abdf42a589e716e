"""What `release.run` has done for one release and environment, kept in the operator's
repository (`<git common dir>/stagecraft/runs/<release>-<env>.json`) so an interrupted run
(Ctrl-C, SIGKILL, a lost SSH session, a failure) resumes at the step where it stopped.

Each step's record is written before its work starts (`started`) and after it ends, in one
atomic write (release.state): a kill at any moment leaves the previous complete file, never a
torn one. What a step produced (the statements it applied, the dumps it wrote) is kept as
fields of its record, for the steps after it, which may run in a later process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from release.db.backups.names import safe
from release.errors import Failed
from release.state import state_dir, write_atomically

DONE: Final = "done"
SKIPPED: Final = "skipped"
STARTED: Final = "started"
FAILED: Final = "failed"
FINISHED = (DONE, SKIPPED)
AUTOMATED = "automated"
FORMAT = 2   # 1: before what a step produced had fields of its own (read, upgraded)
Status = Literal["done", "skipped", "started", "failed"]


@dataclass(frozen=True)
class Produced:
    """What an automated step did: a line for people, and the data later steps use."""

    note: str
    statements: tuple[str, ...] = ()   # alters statements applied, BLOCK#N
    backups: tuple[str, ...] = ()      # dumps written


class StepRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    status: Status
    who: str          # user@host, or "--yes" (confirmed by automation)
    when: str         # ISO 8601, UTC
    how: str          # "automated", "answered at the terminal", "confirmed by --yes (...)"
    note: str = ""    # the outcome, the skip's reason, or the failure
    statements: tuple[str, ...] = ()   # alters statements the step applied, BLOCK#N
    backups: tuple[str, ...] = ()      # dumps the step wrote


class Progress(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    format: int = FORMAT
    release: str
    environment: str
    sha: str = ""
    started: str
    completed: str = ""
    checklist: tuple[str, ...] = ()   # where the completed checklist was written
    steps: dict[str, StepRecord] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _upgrade(cls, data: Any) -> Any:
        return _from_format_1(data) if isinstance(data, dict) and "format" not in data \
            else data

    def finished(self, step_id: str) -> bool:
        record = self.steps.get(step_id)
        return record is not None and record.status in FINISHED

    def with_step(self, step_id: str, record: StepRecord) -> Progress:
        return self.model_copy(update={"steps": {**self.steps, step_id: record}})

    def produced(self, *step_ids: str) -> Produced:
        """What these steps produced, together, in this order (automated steps only: a
        person's answer produced nothing the run can use)."""
        found = [self.steps[k] for k in step_ids
                 if k in self.steps and self.steps[k].how == AUTOMATED]
        return Produced("", statements=tuple(s for r in found for s in r.statements),
                        backups=tuple(b for r in found for b in r.backups))


def _from_format_1(data: dict[str, Any]) -> dict[str, Any]:
    """A record written before format 2 kept what a step produced only in its note: the
    backup steps' note was the dump's path, the alters step's "applied X, Y"."""
    steps = dict(data.get("steps") or {})
    for step_id, record in steps.items():
        if not isinstance(record, dict) or record.get("how") != AUTOMATED:
            continue
        note = str(record.get("note", ""))
        if step_id in ("backup-before", "backup-after") and record.get("status") == DONE:
            steps[step_id] = {**record, "backups": [note]}
        elif step_id == "alters" and note.startswith("applied "):
            steps[step_id] = {**record, "statements": note.removeprefix("applied ").split(", ")}
    return {**data, "format": FORMAT, "steps": steps}


def runs_dir(common_dir: Path) -> Path:
    return state_dir(common_dir) / "runs"


def run_stem(release: str, environment: str) -> str:
    return f"{safe(release)}-{safe(environment)}"


def path_for(common_dir: Path, release: str, environment: str) -> Path:
    return runs_dir(common_dir) / f"{run_stem(release, environment)}.json"


def load(path: Path) -> Progress | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _damaged(path, error.strerror or str(error)) from None
    try:
        return Progress.model_validate(json.loads(text))
    except ValidationError as error:
        raise _damaged(path, "; ".join(
            f"{'.'.join(str(part) for part in e['loc']) or 'the record'}: {e['msg']}"
            for e in error.errors())) from None
    except ValueError as error:
        raise _damaged(path, f"not JSON: {error}") from None


def _damaged(path: Path, why: str) -> Failed:
    return Failed(f"the progress record {path} cannot be read ({why}). Look at it; move it "
                  "away to start this release's run from its first step.")


def save(path: Path, progress: Progress) -> None:
    write_atomically(path, json.dumps(progress.model_dump(mode="json"), indent=2,
                                      sort_keys=True) + "\n")


@dataclass
class Kept:
    """A run's progress and the file it is kept in: every change is on disk before the next
    step starts."""

    path: Path
    state: Progress

    def record(self, step_id: str, entry: StepRecord) -> None:
        self.state = self.state.with_step(step_id, entry)
        save(self.path, self.state)

    def replace(self, state: Progress) -> None:
        self.state = state
        save(self.path, state)
