"""Django configuration and the harness's own throw-away database."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SQLITE_PATH = BASE_DIR / "var" / "bench.sqlite3"


def configure_django() -> None:
    """Load the test settings: production code paths, but no TLS redirect and local email."""
    # Forced, not defaulted: a developer's DEBUG=true would make Django keep every
    # query in memory and render templates in debug mode, which skews the timings.
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ["DEBUG"] = "false"
    import django

    django.setup()


def create_database() -> str:
    """Create and migrate the bench database; returns the name to give back to drop_database.

    Django's test-database machinery does exactly this for both backends: SQLite gets
    var/bench.sqlite3, PostgreSQL gets `<DATABASE_URL's name>_bench` (created from the
    `postgres` maintenance database), and the database DATABASE_URL names is left alone.
    """
    from django.db import connection

    original_name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        bench_name = str(SQLITE_PATH)
    else:
        bench_name = f"{original_name}_bench"
    connection.settings_dict["TEST"]["NAME"] = bench_name
    # autoclobber: a database left over from an interrupted run is replaced without asking.
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    return original_name


def drop_database(original_name: str) -> None:
    from django.db import connection

    connection.creation.destroy_test_db(original_name, verbosity=0)


def describe_database() -> str:
    from django.db import connection

    version = ".".join(str(part) for part in connection.get_database_version())
    return f"{connection.display_name} {version}, database {connection.settings_dict['NAME']}"
