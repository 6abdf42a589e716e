"""One connection to an environment's server for a check of the application's models: its
schema's shape, scratch schemas for Django to create its tables in, and empty copies of every
table with the pending alters applied (the schema a deploy leaves behind, at no cost in rows).
Nothing in the environment's schema changes; every scratch schema is dropped on exit."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from release.alters.ledger_plan import Pending
from release.db.connection import Connection, ServerError, connect, reported, server_words
from release.db.credentials import Credentials
from release.db.explain.scratch import copy_all, scratch_schema
from release.db.shape import TableShape, read_shape
from release.db.target import Database


@dataclass
class Copies:
    """The scratch schema of copies, and the pending statements not tried or failing there."""

    schema: str
    untried: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


class ModelServer:
    """The environment's server, as a model check uses it."""

    def __init__(self, db: Database, conn: Connection, skip: Iterable[str]) -> None:
        self.db, self.conn, self.skip = db, conn, frozenset(skip)

    def shape(self, schema: str | None = None) -> dict[str, TableShape]:
        """The tables of `schema` (default: the environment's), Stagecraft's own left out."""
        return read_shape(self.conn, schema or self.db.name, skip=self.skip)

    @contextmanager
    def scratch(self) -> Iterator[Credentials]:
        """An empty scratch schema, as credentials whose database it is (for Django)."""
        with scratch_schema(self.conn, like=self.db.name) as name:
            yield replace(self.db.credentials, database=name)

    @contextmanager
    def after(self, pending: Sequence[Pending]) -> Iterator[Copies]:
        """Empty copies of every table with `pending` applied to them, in order."""
        with scratch_schema(self.conn, like=self.db.name) as name:
            copy_all(self.conn, self.db.name, name, skip=self.skip)
            copies = Copies(name)
            self._apply(copies, pending)
            yield copies

    def _apply(self, copies: Copies, pending: Sequence[Pending]) -> None:
        scratch = copies.schema
        self.conn.select_db(scratch)
        try:
            for item in pending:
                if _names_schema(item, self.db.name):
                    copies.untried.append(f"{item.statement_id} ({item.where}) names the "
                                          f"schema {self.db.name} itself: not tried on copies")
                    continue
                try:
                    with self.conn.cursor() as cur:
                        cur.execute(item.statement.text)
                except ServerError as error:
                    copies.failed.append(f"{item.statement_id} ({item.where}) fails on an "
                                         f"empty copy: {server_words(error)}")
        finally:
            self.conn.select_db(self.db.name)


def _names_schema(item: Pending, schema: str) -> bool:
    """Whether a statement qualifies a name with the environment's schema (it would change
    the real table, not the copy)."""
    tokens = item.statement.tokens
    wanted = schema.lower()
    return any(token.strip("`").lower() == wanted and index + 1 < len(tokens)
               and tokens[index + 1] == "." for index, token in enumerate(tokens))


@contextmanager
def model_server(db: Database, skip: Iterable[str]) -> Iterator[ModelServer]:
    """The server reached once; a database error becomes a message naming the environment."""
    conn = connect(db.credentials)
    try:
        with reported(f"environment {db.environment!r}", "database error while comparing the "
                      "schema with the models", f"Nothing in {db.name} was changed."):
            yield ModelServer(db, conn, skip)
    finally:
        if conn.open:
            conn.close()
