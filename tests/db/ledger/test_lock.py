from __future__ import annotations

import pytest

from release.db.credentials import Credentials
from release.db.ledger.lock import alters_lock, holder, lock_name, require_free
from release.errors import Refused
from tests.support.mariadb import MariaDB


def creds(mariadb: MariaDB, database: str) -> Credentials:
    return Credentials("qa", database, mariadb.host, mariadb.port, "", mariadb.user,
                       mariadb.password)


def test_a_second_holder_is_refused_at_once_naming_the_first(
        mariadb: MariaDB, database: str) -> None:
    first, second = mariadb.connect(database), mariadb.connect(database)
    with alters_lock(first, creds(mariadb, database)):
        with pytest.raises(Refused) as caught, alters_lock(second, creds(mariadb, database)):
            pass
        message = str(caught.value)
        assert f"connection {first.thread_id()} of stagecraft@" in message
        assert "environment 'qa'" in message and "Nothing was changed" in message
        with pytest.raises(Refused):
            require_free(second, creds(mariadb, database))
    assert holder(second, creds(mariadb, database)) is None
    with alters_lock(second, creds(mariadb, database)):
        pass


def test_long_database_names_still_make_a_valid_lock_name() -> None:
    assert len(lock_name("x" * 64)) <= 64
    assert lock_name("qatest") == "stagecraft.alters.qatest"
