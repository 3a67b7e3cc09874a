"""Append-only history, enforced by the database, not only by Python.

Two tables are history: the hours ledger (`tracking.LedgerEntry`) and the audit trail
(`accounts.AuditEvent`). Their models refuse `save()` of an existing row and `delete()`,
but raw SQL, a queryset `.update()` or a careless migration never pass through those
methods. So each table marked with `@append_only(...)` carries a trigger:

- DELETE is refused.
- UPDATE is refused unless every column keeps its value, except the model's *clearable*
  columns (the links to a person, free text that may name one), which may only be set to
  NULL. That is the one legitimate rewrite: removing a person's identity when their
  personal data must be deleted (PIPL). The row, its amounts, dates, source and school
  stay. The documented operations are `accounts.audit.forget_actor(user)` and
  `tracking.ledger.services.forget_person(user)`.

Both refusals surface in Django as `IntegrityError`.

PostgreSQL: one PL/pgSQL function, `xinyu_append_only()`, compares the old and the new row
as jsonb once the clearable columns (the trigger's arguments) are taken out. SQLite: a DELETE
trigger and an UPDATE trigger per table, the latter listing the table's columns as the
database reports them.

Installing: the migration that creates (or first guards) a table calls `install()`;
`post_migrate` calls `install_app()` again, because SQLite silently drops a table's triggers
whenever a migration rebuilds that table. TRUNCATE (PostgreSQL, table owner only) is not
guarded: it is how the test runner empties tables between tests.

`suspended()` lifts the guard inside one transaction for maintenance that must really remove
history rows: regenerating the synthetic benchmark city, emptying the test database. It is
DDL (ALTER TABLE … DISABLE TRIGGER / DROP TRIGGER), needs the table owner's rights and is
never reached from a request.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping

from django.apps import AppConfig
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

TRIGGER = "xinyu_append_only"

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb := to_jsonb(OLD);
    new_row jsonb;
    clearable text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '% is append-only: rows cannot be deleted', TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    new_row := to_jsonb(NEW);
    FOR i IN 0 .. TG_NARGS - 1 LOOP
        clearable := TG_ARGV[i];
        IF new_row -> clearable <> 'null'::jsonb AND new_row -> clearable IS DISTINCT FROM old_row -> clearable THEN
            RAISE EXCEPTION '% is append-only: % may only be cleared', TG_TABLE_NAME, clearable
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        old_row := old_row - clearable;
        new_row := new_row - clearable;
    END LOOP;
    IF new_row IS DISTINCT FROM old_row THEN
        RAISE EXCEPTION '% is append-only: rows cannot be changed', TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;
"""


def append_only(*, clearable: Iterable[str] = ()):
    """Class decorator: mark a model's table append-only; the `clearable` fields may be set to NULL."""

    def mark(model: type[Model]) -> type[Model]:
        model.append_only_clearable = tuple(clearable)
        return model

    return mark


def is_guarded(model: type[Model]) -> bool:
    return hasattr(model, "append_only_clearable")


def clearable_columns(model: type[Model]) -> list[str]:
    return [model._meta.get_field(name).column for name in model.append_only_clearable]


def install(connection: BaseDatabaseWrapper, table: str, clearable: Iterable[str] = ()) -> None:
    """Create (or re-create) the guard on `table`; `clearable` columns may be set to NULL."""
    clearable = list(clearable)
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arguments = ", ".join("'" + column.replace("'", "''") + "'" for column in clearable)
            cursor.execute(POSTGRES_FUNCTION)
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {qn(table)}")
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {qn(table)} "
                f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER}({arguments})"
            )
        elif connection.vendor == "sqlite":
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            kept = [f"NEW.{qn(c)} IS OLD.{qn(c)}" for c in columns if c not in clearable]
            cleared = [f"(NEW.{qn(c)} IS OLD.{qn(c)} OR NEW.{qn(c)} IS NULL)" for c in clearable]
            _drop_sqlite(cursor, connection, table)
            cursor.execute(
                f"CREATE TRIGGER {qn(table + '_append_only_delete')} BEFORE DELETE ON {qn(table)} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: rows cannot be deleted'); END"
            )
            cursor.execute(
                f"CREATE TRIGGER {qn(table + '_append_only_update')} BEFORE UPDATE ON {qn(table)} "
                f"WHEN NOT ({' AND '.join(kept + cleared)}) "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: rows cannot be changed'); END"
            )
        else:  # pragma: no cover - the platform runs on PostgreSQL and SQLite only
            raise NotImplementedError(f"No append-only guard for {connection.vendor}")


def _drop_sqlite(cursor, connection: BaseDatabaseWrapper, table: str) -> None:
    qn = connection.ops.quote_name
    for suffix in ("_append_only_delete", "_append_only_update"):
        cursor.execute(f"DROP TRIGGER IF EXISTS {qn(table + suffix)}")


def install_model(model: type[Model], using: str = "default") -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        if model._meta.db_table not in connection.introspection.table_names(cursor):
            return  # migrated back to before the table existed
    install(connection, model._meta.db_table, clearable_columns(model))


def install_app(app_config: AppConfig, using: str = "default") -> None:
    """Guard every append-only model of one app (the `post_migrate` handler calls this)."""
    for model in app_config.get_models():
        if is_guarded(model):
            install_model(model, using)


@contextlib.contextmanager
def suspended(*models: type[Model], using: str = "default") -> Iterator[None]:
    """Lift the guard on `models` for the enclosed block, inside one transaction (maintenance only)."""
    with suspended_tables({m._meta.db_table: clearable_columns(m) for m in models}, using=using):
        yield


@contextlib.contextmanager
def suspended_tables(tables: Mapping[str, Iterable[str]], using: str = "default") -> Iterator[None]:
    """`suspended()` by table name and clearable columns, for migrations (historical models carry no marks)."""
    connection = connections[using]
    qn = connection.ops.quote_name
    postgres = connection.vendor == "postgresql"
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            if postgres:  # PostgreSQL will not ALTER a table with deferred FK checks still pending: run them now
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                if postgres:
                    cursor.execute(f"ALTER TABLE {qn(table)} DISABLE TRIGGER {TRIGGER}")
                else:
                    _drop_sqlite(cursor, connection, table)
        yield
        with connection.cursor() as cursor:
            if postgres:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table, clearable in tables.items():
                if postgres:
                    cursor.execute(f"ALTER TABLE {qn(table)} ENABLE TRIGGER {TRIGGER}")
                else:
                    install(connection, table, clearable)
            if postgres:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # back to Django's INITIALLY DEFERRED FKs
