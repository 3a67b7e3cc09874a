"""Splitting `tracking/` into rooms keeps the app label `tracking`: the migrations that built
its tables must emit exactly the SQL they emitted before the move (`manage.py sqlmigrate`
output recorded from `main` under `sqlmigrate/`, one file per database vendor). `make lint`
adds `makemigrations --check`: the moved models need no new migration, so no table is
renamed and no row moves."""

from pathlib import Path

import pytest

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader

RECORDED = Path(__file__).with_name("sqlmigrate")


def sqlmigrate(app_label: str, name: str) -> tuple[str, str]:
    """What `manage.py sqlmigrate app name` prints, on a connection of its own: SQLite's schema
    editor refuses to collect SQL inside the test's transaction, and nothing is executed."""
    conn = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        loader = MigrationLoader(conn, replace_migrations=False)
        migration = loader.graph.nodes[(app_label, name)]
        statements = loader.collect_sql([(migration, False)])
        if migration.atomic and conn.features.can_rollback_ddl:  # as sqlmigrate wraps its output
            statements = ["BEGIN;", *statements, "COMMIT;"]
        return conn.vendor, "\n".join(statements) + "\n"
    finally:
        conn.close()


@pytest.mark.parametrize("migration", ["0001_initial", "0002_sessions_claims_delivery_reports"], ids=["0001", "0002"])
def test_tracking_migrations_emit_the_sql_recorded_before_the_rooms_move(db, migration):
    vendor, sql = sqlmigrate("tracking", migration)
    recorded = (RECORDED / f"tracking_{migration[:4]}.{vendor}.sql").read_text(encoding="utf-8")
    assert sql == recorded
