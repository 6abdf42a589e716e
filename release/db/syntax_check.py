"""Asking a server whether statements parse, never running them.

Each statement is `PREPARE`d (and never executed): the server parses it whole before anything
else, so an error from its parser (1064 and the others in SYNTAX_ERRORS) means it does not
parse, and any other error (an unknown table, column or database, a missing privilege, a lock
wait) came after a good parse. The few statements that cannot be prepared (PREPARE, EXECUTE,
DEALLOCATE, EXECUTE IMMEDIATE: error 1295) are parsed as the body of an anonymous block,
`BEGIN NOT ATOMIC ... END`, itself prepared and never executed, so nothing is created anywhere.
A statement the server can check neither way (a server without anonymous blocks, a statement
not allowed in a body) gets an honest "not checked", never a syntax error.

One connection serves a whole run, with a short lock wait so that a busy table never holds the
check up; statements are sent as string literals, so a `%` or a quote in them is only text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from release.alters.server_syntax import Verdict
from release.db.connection import (
    Connection,
    ServerError,
    error_code,
    failure,
    lost_connection,
    server_words,
)

# Errors the server's parser raises about a statement's text (sql_yacc.yy, sql_lex.cc, the
# routine parser, the data type and partition parsers): the statement does not parse there.
SYNTAX_ERRORS = frozenset({
    1064,  # ER_PARSE_ERROR
    1149,  # ER_SYNTAX_ERROR
    1059,  # ER_TOO_LONG_IDENT
    1074,  # ER_TOO_BIG_FIELDLENGTH
    1102, 1103, 1166,  # ER_WRONG_DB_NAME, ER_WRONG_TABLE_NAME, ER_WRONG_COLUMN_NAME
    1221,  # ER_WRONG_USAGE ("Incorrect usage of UNION and ORDER BY")
    1234,  # ER_CANT_USE_OPTION_HERE
    1235,  # ER_NOT_SUPPORTED_YET
    1248,  # ER_DERIVED_MUST_HAVE_ALIAS
    1250,  # ER_TABLENAME_NOT_ALLOWED_HERE
    1303, 1308, 1309, 1310, 1313, 1314, 1319, 1320, 1323, 1324, 1325, 1327, 1330, 1331,
    1332, 1333, 1337, 1338, 1413, 1415, 1422,  # a routine body's own rules (labels,
    # declarations, cursors, handlers, statements not allowed there)
    1367,  # ER_ILLEGAL_VALUE_FOR_TYPE (a literal the parser cannot read)
    1425, 1426, 1427, 1439,  # scale, precision, M < D, display width
    1470,  # ER_WRONG_STRING_LENGTH
    1479, 1480, 1481, 1496, 1512, 1653,  # partition definitions
    1582, 1583,  # a built-in function's arguments
    4161,  # ER_UNKNOWN_DATA_TYPE
})
UNSUPPORTED_PS = 1295  # ER_UNSUPPORTED_PS: parsed, but not preparable
# refused only because the statement was put in a block's body
_NOT_IN_A_BODY = frozenset({1303, 1314, 1422})
_AT_LINE = re.compile(r" at line (\d+)\s*$")
_STATEMENT = "stagecraft_parse_check"


class ServerSyntax:
    """A server asked over one lazily opened connection (SyntaxServer for release.alters)."""

    def __init__(self, connect: Callable[[], Connection], where: str,
                 version: Callable[[], str] | None = None) -> None:
        self._connect, self._where, self._version = connect, where, version
        self._conn: Connection | None = None
        self._identity = ""
        self._mariadb = True

    @property
    def name(self) -> str:
        return f"{self._known_version()}, {self._where}"

    def identity(self) -> str:
        if self._version is not None:
            # a private server started with --no-defaults: its version fixes its SQL mode
            return f"{self._version()}\0--no-defaults"
        self._connection()
        return self._identity

    def check(self, texts: Sequence[str]) -> list[Verdict]:
        conn = self._connection()
        try:
            return [self._verdict(conn, text) for text in texts]
        finally:
            _forget(conn)

    def close(self) -> None:
        if self._conn is not None and self._conn.open:
            self._conn.close()
        self._conn = None

    def _known_version(self) -> str:
        if self._version is not None:
            return self._version()
        self._connection()
        return self._identity.split("\0")[0]

    def _connection(self) -> Connection:
        if self._conn is None:
            conn = self._connect()
            with conn.cursor() as cur:
                cur.execute("SET SESSION lock_wait_timeout = 5")
                cur.execute("SELECT VERSION(), @@SESSION.sql_mode")
                row = cur.fetchone()
            version, mode = (str(row[0]), str(row[1])) if row else ("unknown", "")
            self._identity, self._mariadb = f"{version}\0{mode}", "mariadb" in version.lower()
            self._conn = conn
        return self._conn

    def _verdict(self, conn: Connection, text: str) -> Verdict:
        error = _prepare(conn, text)
        if error is None:
            return Verdict(True)
        code, message = error
        if code == UNSUPPORTED_PS:
            return self._in_a_body(conn, text)
        if code in SYNTAX_ERRORS:
            return Verdict(False, _line(message), message)
        return Verdict(True)  # parsed; what failed was about names, rights or state

    def _in_a_body(self, conn: Connection, text: str) -> Verdict:
        if not self._mariadb:
            return Verdict(True, message="this server cannot prepare it, and has no "
                           "anonymous blocks to parse it in", checked=False)
        error = _prepare(conn, f"BEGIN NOT ATOMIC\n{text}\n;\nEND")
        if error is None:
            return Verdict(True)
        code, message = error
        if code in _NOT_IN_A_BODY or code == UNSUPPORTED_PS:
            return Verdict(True, message=f"it cannot be prepared, nor parsed in a block's body "
                           f"({message})", checked=False)
        if code in SYNTAX_ERRORS:
            return Verdict(False, max(1, _line(message) - 1), message)
        return Verdict(True)


def _prepare(conn: Connection, text: str) -> tuple[int, str] | None:
    try:
        with conn.cursor() as cur:
            cur.execute(f"PREPARE {_STATEMENT} FROM %s", (text,))
    except ServerError as error:
        if lost_connection(error) or not conn.open:
            raise failure(error, "the server checking the statements",
                          "went away", "Nothing was changed; retry.") from None
        return error_code(error), server_words(error)
    return None


def _forget(conn: Connection) -> None:
    if conn.open:
        try:
            with conn.cursor() as cur:
                cur.execute(f"DEALLOCATE PREPARE {_STATEMENT}")
        except ServerError:
            pass  # nothing was prepared


def _line(message: str) -> int:
    found = _AT_LINE.search(message)
    return int(found.group(1)) if found else 1


def environment_syntax(connect: Callable[[], Connection], environment: str,
                       where: str) -> ServerSyntax:
    """An environment's server (alters.check_with, or the target of alters.apply)."""
    return ServerSyntax(connect, f"environment {environment!r} at {where}")
