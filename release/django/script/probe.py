"""What the application's Django expects of its database, asked of Django itself.

Stagecraft never imports Django: it runs this file with the application's own interpreter,
in a checkout of the commit in question, and reads the JSON it writes. Usage:

    python probe.py schema|migrations PROJECT_ROOT OUTPUT_JSON

`schema` has Django create every managed model's table (many-to-many tables included) and
its migration record table in the database the option file's [client] section and
STAGECRAFT_DJANGO_DATABASE name (a scratch schema), and writes which model and field each
table and column belongs to. `migrations` writes the migrations present in the code. The
settings module is STAGECRAFT_DJANGO_SETTINGS; the password only ever travels in the option
file (STAGECRAFT_DJANGO_OPTION_FILE), never on a command line.
"""

from __future__ import annotations

import configparser
import json
import os
import sys
from typing import Any

_CONNECTION_KEYS = ("read_default_file", "unix_socket", "host", "port", "user", "passwd",
                    "password", "db", "database")


def _unquoted(value: str) -> str:
    # Stagecraft writes "value" with \\ and \" escaped (release.db.credentials).
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
        return value.replace('\\"', '"').replace("\\\\", "\\")
    return value


def _database(settings: Any) -> dict[str, Any]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(os.environ["STAGECRAFT_DJANGO_OPTION_FILE"], encoding="utf-8")
    client = {key: _unquoted(value) for key, value in parser.items("client")}
    current = dict(settings.DATABASES.get("default", {}))
    engine = current.get("ENGINE", "")
    options = {k: v for k, v in current.get("OPTIONS", {}).items() if k not in _CONNECTION_KEYS}
    return {**current,
            "ENGINE": engine if "mysql" in engine else "django.db.backends.mysql",
            "NAME": os.environ["STAGECRAFT_DJANGO_DATABASE"],
            "USER": client.get("user", ""), "PASSWORD": client.get("password", ""),
            "HOST": client.get("socket") or client.get("host", ""),
            "PORT": "" if "socket" in client else client.get("port", ""),
            "OPTIONS": options}


def _label(model: Any) -> str:
    owner = model._meta.auto_created
    if owner:  # the table of a ManyToManyField without a `through` model
        field = next(f for f in owner._meta.local_many_to_many
                     if f.remote_field.through is model)
        return f"{owner._meta.label}.{field.name} (many-to-many)"
    return str(model._meta.label)


def _schema(output: str) -> None:
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    managed = [m for m in apps.get_models(include_auto_created=True)
               if m._meta.managed and not m._meta.proxy and not m._meta.swapped]
    with connection.cursor() as cursor:
        # The scratch schema is empty: adding a foreign key need not copy its table to check
        # rows (MariaDB does it in place when checks are off), which makes this several
        # times faster.
        cursor.execute("SET SESSION foreign_key_checks = 0")
    with connection.schema_editor() as editor:
        for model in managed:
            if not model._meta.auto_created:  # create_model makes the M2M tables itself
                editor.create_model(model)
    MigrationRecorder(connection).ensure_schema()
    tables = {m._meta.db_table: {"model": _label(m),
                                 "fields": {f.column: f.name
                                            for f in m._meta.local_concrete_fields}}
              for m in managed}
    _write(output, {"tables": tables})


def _migrations(output: str) -> None:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    _write(output, {"migrations": sorted(f"{app}.{name}" for app, name in
                                         loader.disk_migrations)})


def _write(output: str, found: dict[str, Any]) -> None:
    import django

    with open(output, "w", encoding="utf-8") as handle:
        json.dump({"django": django.get_version(), **found}, handle)


def main(argv: list[str]) -> int:
    mode, root, output = argv[1:4]
    sys.path.insert(0, root)
    os.environ["DJANGO_SETTINGS_MODULE"] = os.environ["STAGECRAFT_DJANGO_SETTINGS"]
    from django.conf import settings

    if mode == "schema":
        settings.DATABASES["default"] = _database(settings)
    import django

    django.setup()
    (_schema if mode == "schema" else _migrations)(output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
