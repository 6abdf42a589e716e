"""AL001: every statement must parse with sqlfluff's MySQL or MariaDB dialect.

sqlfluff skips files above 20,000 bytes and gives up on very large parse trees, so it never
sees a whole file: statements are parsed in small batches (a statement whose body holds `;`,
a routine, alone). A batch's clean parse counts only when sqlfluff cut it into exactly the
batch's statements; otherwise each is parsed alone. So a statement's verdict is the verdict
on its own text, whatever its neighbours, and the cache can be keyed by what it depends on:
the verdict's format, sqlfluff's version, the dialect and the exact text parsed. The cache is
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
from release.alters.registry import AL001

_BATCH_STATEMENTS = 40
_BATCH_BYTES = 12_000
_POOL_THRESHOLD = 200  # below this many uncached statements a pool costs more than it saves

Violation = tuple[int, int, str]  # line and column relative to the statement, message
Batch = tuple[str, list[str]]  # dialect, statement texts
DIALECTS = {"mysql": "MySQL", "mariadb": "MariaDB"}
# how a verdict is reached and worded: change it and every cached verdict is dropped
_VERDICT = "alone-or-cut-exactly/2"


def syntax_findings(path: str, statements: Sequence[Statement], *, cache: Cache,
                    dialect: str = "mysql", processes: int | None = None) -> list[Finding]:
    salt = f"{_VERDICT}\0{_sqlfluff_version()}\0{dialect}"
    keys = [hashlib.sha256(f"{salt}\0{_as_parsed(s.text)}".encode()).hexdigest()
            for s in statements]
    known: dict[str, list[Violation]] = {
        key: [(int(line), int(col), str(message)) for line, col, message in value]
        for key, value in cache.get("al001", keys).items()
    }
    missing = {key: s.text for key, s in zip(keys, statements, strict=True) if key not in known}
    if missing:
        parsed = _parse_all(list(missing.values()), dialect, processes)
        fresh = dict(zip(missing, parsed, strict=True))
        known.update(fresh)
        cache.put("al001", fresh)
    findings = []
    for key, statement in zip(keys, statements, strict=True):
        for line, col, message in known[key]:
            at_line = statement.line + line - 1
            at_col = statement.col + col - 1 if line == 1 else col
            findings.append(Finding(path, at_line, at_col, AL001, message,
                                    end_line=statement.end_line))
    return findings


def _parse_all(texts: list[str], dialect: str,
               processes: int | None) -> list[list[Violation]]:
    batches = [(dialect, batch) for batch in _batches(texts)]
    workers = processes or os.cpu_count() or 1
    if workers > 1 and len(texts) >= _POOL_THRESHOLD:
        # build the parser once, then fork: the workers inherit it instead of each loading
        # the dialect, and frozen objects are not copied by the collector touching them
        _parse("SELECT 1;\n", dialect)
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


_linters: dict[str, Any] = {}


def _as_parsed(text: str) -> str:
    return f"{text};\n"


def parse_batch(batch: Batch) -> list[list[Violation]]:
    """Parse statements together; unless that cuts them exactly where they were cut, again
    one by one (which also places a problem exactly)."""
    dialect, texts = batch
    if len(texts) > 1:
        sql = "".join(_as_parsed(text) for text in texts)
        ends, offset = set(), -2
        for text in texts:
            offset += len(_as_parsed(text))
            ends.add(offset)
        if _cut_at(sql, dialect) == ends:
            return [[] for _ in texts]
    return [_verdict(_as_parsed(text), dialect) for text in texts]


def _verdict(sql: str, dialect: str) -> list[Violation]:
    found = _parse(sql, dialect)
    if not found:
        return []
    other = "mariadb" if dialect == "mysql" else "mysql"
    hint = ""
    if not _parse(sql, other):
        hint = (f" (it is valid {DIALECTS[other]}: set [alters] dialect = \"{other}\" in "
                f"release.toml if your servers run {DIALECTS[other]})")
    return [(line, col, f"does not parse as {DIALECTS[dialect]} (dialect \"{dialect}\"): "
             f"{_describe(desc)}{hint}") for line, col, desc in found]


def _linter(dialect: str) -> Any:
    if dialect not in _linters:
        from sqlfluff.core import FluffConfig, Linter

        _linters[dialect] = Linter(config=FluffConfig(
            overrides={"dialect": dialect, "templater": "raw"}))
    return _linters[dialect]


def _parse(sql: str, dialect: str) -> list[Violation]:
    try:
        parsed = _linter(dialect).parse_string(sql)
    except Exception as error:  # sqlfluff's own failures must become a finding, not a crash
        return [(1, 1, f"sqlfluff could not parse this statement: {error}")]
    return [(v.line_no, v.line_pos, v.desc()) for v in parsed.violations]


def _cut_at(sql: str, dialect: str) -> set[int] | None:
    """Where sqlfluff ends the statements of a clean parse (None if it is not clean)."""
    try:
        parsed = _linter(dialect).parse_string(sql)
    except Exception:  # parsed one by one, the failure becomes a finding
        return None
    if parsed.violations or parsed.tree is None:
        return None
    return {segment.pos_marker.source_slice.start for segment in parsed.tree.segments
            if segment.is_type("statement_terminator")}


def _describe(desc: str) -> str:
    if desc.startswith("Line ") and ": " in desc:
        desc = desc.split(": ", 1)[1]
    desc = desc.split(". Expected:")[0]
    if len(desc) > 160:
        desc = desc[:157] + "..."
    return desc
