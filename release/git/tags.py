"""Release tag names from `[git] tag_format` (pure: values in, values out).

The format is a Python format string with `{date:<strftime>}`, `{n}` (counts releases
that day, from 1) and optionally `{version}`.
"""

from __future__ import annotations

import fnmatch
import re
import string
from collections.abc import Iterable
from datetime import date

from release.errors import UsageError


def tag_glob(tag_format: str) -> str:
    """A `git for-each-ref`/`describe --match` glob matching every name the format makes."""
    parts = []
    for literal, field_name, _spec, _conv in string.Formatter().parse(tag_format):
        parts.append(_glob_escape(literal))
        if field_name is not None:
            parts.append("*")
    return re.sub(r"\*+", "*", "".join(parts))


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def next_tag_name(
    tag_format: str, *, today: date, existing: Iterable[str], version: str | None = None
) -> str:
    """The name for the next release today: the smallest unused counter above any used one."""
    taken = set(existing)
    if version is not None and "{version}" not in tag_format:
        name = version
        if not fnmatch.fnmatchcase(name, tag_glob(tag_format)):
            raise UsageError(
                f"--version {version!r} does not match [git] tag_format {tag_format!r}, so "
                "later releases would not find it as the previous release. Use a matching "
                "name, or put {version} in tag_format."
            )
        return name
    n = 1
    highest = 0
    while n <= len(taken) + 1:
        if _format(tag_format, today, n, version) in taken:
            highest = n
        n += 1
    return _format(tag_format, today, highest + 1, version)


def _format(tag_format: str, today: date, n: int, version: str | None) -> str:
    try:
        return tag_format.format(date=today, n=n, version=version or "")
    except (KeyError, ValueError, IndexError) as error:
        raise UsageError(
            f"[git] tag_format {tag_format!r} cannot be used: {error}. Use fields "
            "{date:%Y.%m.%d}, {n} and {version}."
        ) from None
