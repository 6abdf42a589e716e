"""The sample application Stagecraft brings along: "Pagewell", a fictional Django + MariaDB
clinic messaging and paging product, so the demo, the tests and the benchmarks need nothing
from outside the package. Deterministic: the same size and seed give the same database.

- `database_sql(size, seed)`: the production database as SQL text (schema, rows, trigger,
  view), to feed to the `mariadb` client; any size, a million rows a big table included.
- `alters_sql()`, `push_instructions()`: the application's alters history and push
  instructions, in the style its team kept them before Stagecraft.
- `scrub_toml()`: the `[scrub]` rules that make a QA clone of it safe, as a user writes them.
- `checklist_toml()`: its team's own QA checks (`[[checklist.steps]]`: paging, IVR, test
  numbers...), the part of its release.toml that makes the checklist its own.
"""

from __future__ import annotations

from importlib.resources import files

from release.demo.sample.rows import Size, insert_sql
from release.demo.sample.schema import TABLES, TRIGGER, VIEW, create_tables_sql

__all__ = ["DANGEROUS_BLOCK", "SAFE_BLOCK", "TABLES", "Size", "alters_sql", "checklist_toml",
           "database_sql", "push_instructions", "scrub_toml"]

SEED = 2026
PRODUCTION = "pagewell"       # the production database's name in the demo

# What a developer tries to add in the demo, and what the hook makes of it: running code
# that inserts pager logs without knowing the column fails until the reload (AL020).
DANGEROUS_BLOCK = ("-- alter: 2026-02-pager-carrier\n-- author: rgomez\n"
                   "ALTER TABLE `paging_pagerlog` ADD COLUMN `carrier` varchar(20) NOT NULL;\n")
SAFE_BLOCK = ("-- alter: 2026-02-pager-carrier\n-- author: rgomez\n"
              "ALTER TABLE `paging_pagerlog` ADD COLUMN `carrier` varchar(20) NOT NULL "
              "DEFAULT '', ALGORITHM=INSTANT;\n")


DEFAULT_SIZE = Size()


def database_sql(size: Size = DEFAULT_SIZE, seed: int = SEED, *,
                 tables: list[str] | None = None) -> str:
    """The whole production database (or just `tables`, for benchmarks) as one SQL script.

    Loaded the way a dump loads: foreign keys checked off while rows go in, the trigger and
    the view created after the tables they read."""
    script = ["SET FOREIGN_KEY_CHECKS = 0;\nSET UNIQUE_CHECKS = 0;\n",
              create_tables_sql(tables), insert_sql(size, seed, tables),
              "SET FOREIGN_KEY_CHECKS = 1;\nSET UNIQUE_CHECKS = 1;\n"]
    if tables is None:
        script += [TRIGGER, VIEW]
    return "\n".join(script)


def _text(name: str) -> str:
    return files(__package__).joinpath(name).read_text(encoding="utf-8")


def alters_sql() -> str:
    return _text("alters.sql")


def push_instructions() -> str:
    return _text("production_push_instructions.txt")


def scrub_toml() -> str:
    return _text("scrub.toml")


def checklist_toml() -> str:
    return _text("checklist.toml")
