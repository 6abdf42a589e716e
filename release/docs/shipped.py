"""Reading alters files and push instructions as they are at a commit (never the work tree),
and what a commit has that an earlier release lacks. Light on imports: staging.status uses it.
"""

from __future__ import annotations

from release.alters.baselined import shipped_pairs
from release.alters.parse import AltersFile, parse_alters
from release.alters.push_instructions import parse_push_instructions
from release.config import Config
from release.docs.context import AltersBlock, PushEntry
from release.docs.pending import new_entries, pending_blocks
from release.errors import Failed
from release.git.repo import Repository
from release.state import state_dir


def pending_since(repo: Repository, config: Config, sha: str, previous: str | None
                  ) -> tuple[list[AltersBlock], tuple[PushEntry, ...]]:
    """The alters blocks and push-instruction entries at `sha` that `previous` lacks."""
    blocks: list[AltersBlock] = []
    for path in config.alters.files:
        text = text_at(repo, sha, path)
        if text is not None:
            blocks += pending_blocks(parse_alters(text, path), alters_at(repo, previous, path),
                                     [], baselined=baselined(repo, path))
    return blocks, entries_since(repo, config.alters.push_instructions, sha, previous)


def baselined(repo: Repository, path: str) -> frozenset[tuple[str, str]]:
    """(id, checksum) of the file's blocks alters.baseline recorded from this repository."""
    return shipped_pairs(state_dir(repo.common_dir()), path)


def text_at(repo: Repository, ref: str | None, path: str) -> str | None:
    if ref is None:
        return None
    try:
        text = repo.show_file(ref, path)
        if text is not None:
            text.encode("utf-8")  # git output is decoded with surrogate escapes
        return text
    except (UnicodeDecodeError, UnicodeEncodeError):
        raise Failed(f"{path} at {ref} is not UTF-8 text, so its alters or instructions "
                     "cannot be read. Save it as UTF-8 and commit it.") from None


def alters_at(repo: Repository, ref: str | None, path: str) -> AltersFile | None:
    text = text_at(repo, ref, path)
    return parse_alters(text, path) if text is not None else None


def entries_since(repo: Repository, path: str, sha: str, previous: str | None
                  ) -> tuple[PushEntry, ...]:
    text = text_at(repo, sha, path)
    if text is None:
        return ()
    before = text_at(repo, previous, path)
    shipped = parse_push_instructions(before) if before is not None else None
    return new_entries(parse_push_instructions(text), shipped)


def pending_lines(repo: Repository, config: Config, ref: str, last: str | None) -> list[str]:
    """staging.status's account of what ships next: pending blocks and new entries."""
    blocks, entries = pending_since(repo, config, ref, last)
    since = f"since {last}" if last else "(no release yet)"
    if any(baselined(repo, path) for path in config.alters.files):
        since += ", baselined blocks count as shipped"
    lines = [f"alters blocks pending {since}: {len(blocks)}"]
    lines += [f"  {b.file}:{b.line} {b.id}" + (f" ({b.author})" if b.author else "")
              for b in blocks]
    lines.append(f"push-instruction entries pending {since}: {len(entries)}")
    lines += [f"  {config.alters.push_instructions}:{e.line} {e.date} {e.author}"
              for e in entries]
    return lines
