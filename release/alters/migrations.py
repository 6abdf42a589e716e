"""Django's migration record and the alters blocks that carry migrations (pure).

A block headed `-- migration: patients.0005_date_of_birth` carries that migration: once every
statement of the block is done in an environment (applied, baselined or resolved), the
migration belongs in that database's `django_migrations`, as `manage.py migrate --fake`
would record it. A migration the code has that is neither recorded nor carried by any block
is a model change whose alters block was forgotten.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from release.alters.ledger_plan import LedgerPlan
from release.alters.parse import AltersFile

DONE_STATES = ("applied", "baseline")  # a block's states whose statements all took effect


@dataclass(frozen=True, order=True)
class Migration:
    app: str
    name: str

    def __str__(self) -> str:
        return f"{self.app}.{self.name}"

    @classmethod
    def parse(cls, text: str) -> Migration:
        """`app.0005_name` (headers.py has checked the form)."""
        app, _, name = text.partition(".")
        return cls(app, name)


def carried(files: Sequence[AltersFile]) -> dict[Migration, str]:
    """Every migration a block of the files carries -> that block's id."""
    return {Migration.parse(text): block.id for file in files for block in file.blocks
            for text in block.migrations}


def to_record(files: Sequence[AltersFile], plan: LedgerPlan,
              recorded: Iterable[Migration]) -> list[Migration]:
    """The migrations of blocks done in the environment that its record lacks, in file order."""
    done = {state.block_id for state in plan.blocks if state.state in DONE_STATES}
    have = set(recorded)
    wanted = [Migration.parse(text) for file in files for block in file.blocks
              if block.id in done for text in block.migrations]
    return [m for index, m in enumerate(wanted) if m not in have and m not in wanted[:index]]


def unaccounted(present: Iterable[Migration], recorded: Iterable[Migration],
                files: Sequence[AltersFile]) -> list[Migration]:
    """Migrations in the code that the database has not recorded and no block carries."""
    known = set(recorded) | set(carried(files))
    return sorted(m for m in set(present) if m not in known)
