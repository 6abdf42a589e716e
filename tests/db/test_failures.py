from __future__ import annotations

import pytest

from release.db.failures import reported
from release.errors import Failed
from tests.conftest import MariaDB


def test_a_refused_statement_becomes_a_message_naming_where(mariadb: MariaDB,
                                                            database: str) -> None:
    with (mariadb.connect(database) as conn, conn.cursor() as cur,
          pytest.raises(Failed, match=r"environment 'qa': .* \(error 1146: "),
          reported("environment 'qa'")):
        cur.execute("SELECT * FROM no_such_table")
