"""AL001: every statement must parse with sqlfluff's MySQL dialect.

sqlfluff skips files above 20,000 bytes and gives up on very large parse trees, so it never
sees a whole file: statements are parsed in small batches (a statement whose body holds `;`,
a routine, alone). Results are cached by the statement's text and sqlfluff's version, in
SQLite under the repository's git directory, and a large number of uncached statements is
spread over one process per core. sqlfluff is imported here only, and only when needed.
"""

from __future__ import annotations

import gc
import hashlib
import importlib.util
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from release.alters.cache import Cache
from release.alters.findings import Finding
from release.alters.parse import Statement

_BATCH_STATEMENTS = 40
_BATCH_BYTES = 12_000
_POOL_THRESHOLD = 200  # below this many uncached statements a pool costs more than it saves

Violation = tuple[int, int, str]  # line and column relative to the statement, message


def syntax_findings(path: str, statements: Sequence[Statement], *, cache: Cache,
                    processes: int | None = None) -> list[Finding]:
    salt = _sqlfluff_version()
    keys = [hashlib.sha256(f"{salt}\0{s.text}".encode()).hexdigest() for s in statements]
    known: dict[str, list[Violation]] = {
        key: [(int(line), int(col), str(message)) for line, col, message in value]
        for key, value in cache.get("al001", keys).items()
    }
    missing = {key: s.text for key, s in zip(keys, statements, strict=True) if key not in known}
    if missing:
        parsed = _parse_all(list(missing.values()), processes)
        fresh = dict(zip(missing, parsed, strict=True))
        known.update(fresh)
        cache.put("al001", fresh)
    findings = []
    for key, statement in zip(keys, statements, strict=True):
        for line, col, message in known[key]:
            at_line = statement.line + line - 1
            at_col = statement.col + col - 1 if line == 1 else col
            findings.append(Finding(path, at_line, at_col, "AL001", message,
                                    end_line=statement.end_line))
    return findings


def _parse_all(texts: list[str], processes: int | None) -> list[list[Violation]]:
    batches = list(_batches(texts))
    workers = processes or os.cpu_count() or 1
    if workers > 1 and len(texts) >= _POOL_THRESHOLD:
        # build the parser once, then fork: the workers inherit it instead of each loading
        # the dialect, and frozen objects are not copied by the collector touching them
        _parse("SELECT 1;\n")
        gc.freeze()
        try:
            with ProcessPoolExecutor(max_workers=workers,
                                     mp_context=get_context("fork")) as pool:
                results = list(pool.map(parse_batch, batches, chunksize=4))
        finally:
            gc.unfreeze()
    else:
        results = [parse_batch(batch) for batch in batches]
    return [violations for result in results for violations in result]


def _batches(texts: list[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    size = 0
    for text in texts:
        if ";" in text:
            yield [text]  # a routine or trigger body: parse it on its own
            continue
        if batch and (len(batch) >= _BATCH_STATEMENTS or size + len(text) > _BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(text)
        size += len(text)
    if batch:
        yield batch


def _sqlfluff_version() -> str:
    """sqlfluff's version (and its Rust parser's, which it uses when installed) from the
    dist-info folder names: importing importlib.metadata (or sqlfluff) would cost the hook
    more than the whole lint of a small change."""
    spec = importlib.util.find_spec("sqlfluff")
    if spec is None or spec.origin is None:
        return "unknown"
    site = Path(spec.origin).parent.parent
    names = sorted(p.name for p in site.glob("sqlfluff*-*.dist-info"))
    return " ".join(names) if names else spec.origin


_linter: Any = None


def parse_batch(texts: list[str]) -> list[list[Violation]]:
    """Parse statements together; if anything fails, again one by one to place it exactly."""
    if len(texts) > 1:
        together = _parse("".join(f"{text};\n" for text in texts))
        if not together:
            return [[] for _ in texts]
    return [_parse(f"{text};\n") for text in texts]


def _parse(sql: str) -> list[Violation]:
    global _linter
    if _linter is None:
        from sqlfluff.core import FluffConfig, Linter

        _linter = Linter(config=FluffConfig(overrides={"dialect": "mysql", "templater": "raw"}))
    try:
        parsed = _linter.parse_string(sql)
    except Exception as error:  # sqlfluff's own failures must become a finding, not a crash
        return [(1, 1, f"sqlfluff could not parse this statement: {error}")]
    return [(v.line_no, v.line_pos, _describe(v.desc())) for v in parsed.violations]


def _describe(desc: str) -> str:
    if desc.startswith("Line ") and ": " in desc:
        desc = desc.split(": ", 1)[1]
    desc = desc.split(". Expected:")[0]
    if len(desc) > 160:
        desc = desc[:157] + "..."
    return f"does not parse as MySQL/MariaDB: {desc}"
