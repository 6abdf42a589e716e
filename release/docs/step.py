"""One step of a checklist (pure): what to do, whether `release.run` does it, its values; and
a section of them."""

from __future__ import annotations

from dataclasses import dataclass

from release.docs.context import AltersBlock, PushEntry


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    automated: bool
    text: str
    commands: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    entries: tuple[PushEntry, ...] = ()
    blocks: tuple[AltersBlock, ...] = ()
    empty: str = ""
    number: int = 0

    @property
    def mode(self) -> str:
        return "automated" if self.automated else "manual"


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    intro: str
    steps: tuple[Step, ...]
