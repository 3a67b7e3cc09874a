"""Querysets compiled to SQL once per process and run again with new values (decision 0044).

Django compiles a queryset to SQL every time it is evaluated: it resolves the lookups, the
select list, the joins of `select_related`, the ordering. For the three small queries every
signed-in lesson GET makes (the session, the user, the learner's enrolment with their progress)
that compiling took more of the worker's CPU than the database took to answer them.

A `Prepared` builds its queryset once with example values, keeps the compiler's SQL and the
state the model iterable reads (the select list, the related-object layout, the converters'
fields), and for each use binds the new values into the same SQL. The rows still go through
Django's own iterable: instances, `select_related` objects and field converters are built
exactly as for the queryset itself.

On PostgreSQL the statement is also prepared on the server, once per database connection
(psycopg's `prepare=True` on a server-binding cursor): PostgreSQL then skips parsing and
planning it on every request. The rest of the site keeps Django's client-side binding and no
prepared statements (Django's default, which keeps transaction-mode poolers working); with
PgBouncer in transaction mode set its `max_prepared_statements` (1.21+), or turn this off with
`DATABASE_PREPARED_STATEMENTS=false`.

Only integer and string values can be bound (they reach the SQL unchanged on every database);
the example values must not occur anywhere else in the query. A queryset whose SQL would
depend on the values themselves (an `__in` list, a None that becomes IS NULL) cannot be
prepared; `Prepared` refuses an example it cannot find in the parameters.

Part of cms.core's shared kit: it imports no app.
"""

from __future__ import annotations

import copy
import functools
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.utils import CursorDebugWrapper
from django.db.models import QuerySet

ONLY_WHEN_ASKED = 2**31 - 1


def _server_prepared(connection):
    """A Django cursor (logging, error wrapping as usual) over a psycopg cursor that binds on the
    server and prepares every statement it runs. None where that does not apply."""
    if connection.vendor != "postgresql" or not getattr(settings, "DATABASE_PREPARED_STATEMENTS", True):
        return None
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # Django turns psycopg's preparing off (None); a threshold never reached turns it on for
        # the statements that ask (prepare=True) and for no other: Django's own cursors bind on
        # the client, and those never prepare.
        raw.prepare_threshold = ONLY_WHEN_ASKED
    with connection.wrap_database_errors:
        cursor = connection._prepare_cursor(_preparing_cursor_class()(raw))
    if isinstance(cursor, CursorDebugWrapper):  # queries logged (DEBUG, tests): log them readable
        cursor.__class__ = _PreparedDebugWrapper
    return cursor


def prepared_cursor(connection):
    """A cursor whose statements are prepared on the PostgreSQL server (see above), or Django's
    own cursor elsewhere: for hot raw SQL of a fixed shape (the xAPI statement INSERTs)."""
    return _server_prepared(connection) or connection.cursor()


class _PreparedDebugWrapper(CursorDebugWrapper):
    """Django's query log reads the SQL text back from the cursor, which a prepared run (sent by
    its name) does not keep: it logs the SQL with its values put in instead."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params)):
            return self._execute_with_wrappers(sql, params, many=False, executor=self._execute)


@functools.cache
def _preparing_cursor_class():
    import psycopg  # PostgreSQL only: SQLite installs need not have it

    class PreparingCursor(psycopg.Cursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    return PreparingCursor


class _PreparingConnection:
    """The database connection as the compiler sees it, with `cursor()` giving a preparing cursor."""

    def __init__(self, connection):
        self._connection = connection

    def __getattr__(self, name):
        return getattr(self._connection, name)

    def cursor(self):
        return _server_prepared(self._connection) or self._connection.cursor()


class _Compiled:
    def __init__(self, queryset: QuerySet, compiler, sql: str, params: tuple, slots: list[str | None]):
        self.queryset = queryset
        self.compiler = compiler
        self.sql = sql
        self.params = params
        self.slots = slots


class Prepared:
    """`Prepared(lambda pk: User.objects.filter(pk=pk)[:1], pk=-734_019)`, then
    `prepared.all(pk=user_id)` → the list the queryset would give for that pk."""

    def __init__(self, build: Callable[..., QuerySet], **examples: int | str):
        for name, value in examples.items():
            if type(value) not in (int, str):
                raise TypeError(f"{name}: only int and str values can be bound, not {type(value).__name__}")
        self.build = build
        self.examples = examples
        self._compiled: dict[tuple[str, str], _Compiled] = {}
        self._lock = threading.Lock()

    def _compile(self, using: str) -> _Compiled:
        connection = connections[using]
        key = (using, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is not None:
            return compiled
        with self._lock:
            queryset = self.build(**self.examples)
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            slots = []
            for param in params:
                names = [n for n, v in self.examples.items() if type(param) is type(v) and param == v]
                slots.append(names[0] if names else None)
            missing = set(self.examples) - {s for s in slots if s}
            if missing:
                raise ValueError(f"values not found in the compiled query's parameters: {sorted(missing)}")
            compiled = _Compiled(queryset, compiler, sql, tuple(params), slots)
            self._compiled[key] = compiled
        return compiled

    def queryset(self, using: str = DEFAULT_DB_ALIAS, **values: int | str) -> QuerySet:
        """The queryset for these values, evaluated with the SQL compiled once. Evaluate it as it
        is (iterate, list): a further filter, slice or `first()` would need new SQL."""
        if set(values) != set(self.examples):
            raise TypeError(f"expected the values {sorted(self.examples)}, got {sorted(values)}")
        compiled = self._compile(using)
        pairs = zip(compiled.slots, compiled.params, strict=True)
        bound = tuple(values[slot] if slot else param for slot, param in pairs)
        queryset = compiled.queryset._chain()

        def get_compiler(using=None, connection=None, elide_empty=True):
            compiler = copy.copy(compiled.compiler)
            compiler.connection = _PreparingConnection(
                connection if connection is not None else connections[using or DEFAULT_DB_ALIAS]
            )
            compiler.as_sql = lambda *args, **kwargs: (compiled.sql, bound)
            return compiler

        queryset.query.get_compiler = get_compiler
        return queryset

    def all(self, using: str = DEFAULT_DB_ALIAS, **values: int | str) -> list:
        return list(self.queryset(using, **values))

    def first(self, using: str = DEFAULT_DB_ALIAS, **values: int | str):
        found = self.all(using, **values)
        return found[0] if found else None
