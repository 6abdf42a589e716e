"""The scrub plan: which SQL makes each covered column safe. Pure: values in, SQL text out.

One UPDATE per table; the values come from `scrub_values` (a keyed hash of the old value, so
joins keep matching). NULL and '' stay as they are (they reach nobody). Each expression is built
for its column's type and length, and a rule that cannot fit its column is refused while
planning, before any row changes, so a clone never stops half-way on a value that is too long.
The UPDATE changes nothing the rules do not name: `ON UPDATE CURRENT_TIMESTAMP` columns are set
to themselves (which keeps them), and the table's UPDATE triggers are named in the plan so that
the scrub can set them aside while it runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from release.config import ScrubRule
from release.db.clones.scrub_values import KEY, expression
from release.db.schema import Column, quote
from release.errors import Refused

__all__ = ["KEY", "TableScrub", "expression", "plan"]


@dataclass(frozen=True)
class TableScrub:
    """One UPDATE (all the table's covered columns in a single pass), batched by `batch_key`."""

    table: str
    assignments: tuple[tuple[str, str], ...]   # (column, SQL expression)
    batch_key: str | None = None
    kinds: tuple[str, ...] = ()                # each assignment's rule kind, for people
    keep: tuple[str, ...] = ()                 # ON UPDATE columns, set to themselves
    triggers: tuple[str, ...] = ()             # UPDATE triggers, set aside during the scrub

    def describe(self) -> str:
        columns = ", ".join(f"{column} ({kind})" for (column, _), kind
                            in zip(self.assignments, self.kinds, strict=False))
        batches = f", in ranges of {self.batch_key}" if self.batch_key else ""
        kept = f"; keeps {', '.join(self.keep)} (ON UPDATE)" if self.keep else ""
        triggers = (f"; trigger(s) {', '.join(self.triggers)} dropped for the scrub and "
                    "recreated after it") if self.triggers else ""
        return f"UPDATE {self.table}: {columns}{batches}{kept}{triggers}"

    def statement(self) -> str:
        sets = ", ".join([f"{quote(column)} = {expr}" for column, expr in self.assignments]
                         + [f"{quote(column)} = {quote(column)}" for column in self.keep])
        return f"UPDATE {quote(self.table)} SET {sets}"

    def batch_statement(self) -> str:
        """The UPDATE for one key range; parameters: (low, high), high exclusive."""
        assert self.batch_key is not None
        key = quote(self.batch_key)
        # The expressions may hold '%' (modulo, literals): escape them for the driver's format.
        body = self.statement().replace("%", "%%")
        return f"{body} WHERE {key} >= %s AND {key} < %s"


def plan(rules: Iterable[ScrubRule], columns: Mapping[str, Column],
         batch_keys: Mapping[str, str | None],
         triggers: Mapping[str, tuple[str, ...]] | None = None) -> list[TableScrub]:
    """The UPDATEs that apply `rules`; Refused naming every rule that cannot be applied."""
    problems: list[str] = []
    by_table: dict[str, list[tuple[str, str]]] = {}
    kinds: dict[str, list[str]] = {}
    for rule in rules:
        column = columns.get(f"{rule.table}.{rule.column}")
        if column is None:
            problems.append(f"{rule.table}.{rule.column}: no such column in the database")
            continue
        try:
            expr = expression(rule.kind, column)
        except ValueError as error:
            problems.append(f"{column.key} ({rule.kind}): {error}")
            continue
        assignments = by_table.setdefault(column.table, [])
        if any(name == column.name for name, _ in assignments):
            problems.append(f"{column.key}: more than one rule")
            continue
        assignments.append((column.name, expr))
        kinds.setdefault(column.table, []).append(rule.kind)
    if problems:
        raise Refused("the scrub rules cannot be applied; nothing was changed:\n  "
                      + "\n  ".join(problems)
                      + "\nFix [[scrub.rules]] in the configuration and retry.")
    return [TableScrub(table, tuple(assignments), batch_keys.get(table), tuple(kinds[table]),
                       keep=tuple(c.name for c in columns.values()
                                  if c.table == table and c.on_update),
                       triggers=(triggers or {}).get(table, ()))
            for table, assignments in sorted(by_table.items())]
