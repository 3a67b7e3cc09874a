"""The access matrix (issue 9, "Prove it stays fixed"): every URL pattern of the URLconf has an
entry, and every role gets the status the table says, for ids inside and outside its scope.
The table is tests/access/matrix.py; docs/access-matrix.md says how to extend it."""

from __future__ import annotations

import uuid

import pytest

from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter

from . import world
from .matrix import ADMIN_KEPT_OUT, ADMIN_PREFIX, ADMIN_PUBLIC, rows
from .probe import login_as, request, status_of, walk

ROWS = rows()


@pytest.fixture(scope="module")
def the_world(django_db_setup, django_db_blocker, access_media):
    """Built once for the module, inside a transaction rolled back at its end; each test runs in a
    savepoint of it, so what one POST changes never reaches the next test."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = world.build()
        yield built
        transaction.set_rollback(True)


def test_every_url_pattern_has_an_entry():
    missing = sorted(
        {
            name or route
            for name, route, _pattern in walk()
            if not route.startswith(ADMIN_PREFIX) and (name or route) not in ROWS
        }
    )
    assert not missing, (
        "URLs without a row in the access matrix (tests/access/matrix.py; see docs/access-matrix.md): "
        + ", ".join(missing)
    )


def test_every_row_is_a_url_of_the_site():
    names = {name for name, _route, _pattern in walk()}
    assert not set(ROWS) - names, f"rows for URLs that no longer exist: {sorted(set(ROWS) - names)}"


@pytest.mark.parametrize("name", sorted(ROWS))
def test_each_role_gets_the_expected_status(the_world, db, name):
    row = ROWS[name]
    client = Client(raise_request_exception=False)
    inside, outside = the_world["ids"][row.ids] if row.ids else (None, None)
    observed, expected = {}, {}
    for role in world.ROLES:
        login_as(client, the_world["users"][role])
        got_in = request(client, row.method, name, inside)
        got_out = request(client, row.method, name, outside) if row.ids else got_in
        observed[role], expected[role] = (got_in, got_out), row.expected[role]
    wrong = {
        role: f"{'|'.join(observed[r])} (table: {'|'.join(expected[r])})"
        for r in world.ROLES
        if observed[r] != expected[r]
        for role in [r]
    }
    assert not wrong, f"{name}: {wrong}"


SAMPLES = {
    IntConverter: 1,
    StringConverter: "x",
    SlugConverter: "x",
    PathConverter: "x",
    UUIDConverter: uuid.UUID(int=1),
}


def _admin_paths():
    """A path for every admin URL pattern, with sample values for its arguments."""
    paths, unbuildable = [], []
    for name, route, pattern in walk():
        if not route.startswith(ADMIN_PREFIX):
            continue
        converters = getattr(pattern.pattern, "converters", {})
        groups = pattern.pattern.regex.groupindex
        n_positional = pattern.pattern.regex.groups - len(groups)
        attempts = []
        if converters:
            attempts.append(({k: SAMPLES[type(c)] for k, c in converters.items()}, ()))
        else:
            for value in ("1", "x"):
                attempts.append((dict.fromkeys(groups, value), (value,) * n_positional))
        for kwargs, args in attempts:
            try:
                paths.append((name or route, reverse(name, kwargs=kwargs or None, args=args or None) if name else None))
                break
            except NoReverseMatch:
                continue
        else:
            unbuildable.append(name or route)
    return paths, unbuildable


def test_no_admin_url_opens_for_roles_without_admin_access(the_world, db):
    paths, unbuildable = _admin_paths()
    assert not unbuildable, f"admin URLs the matrix cannot build a path for: {unbuildable}"
    assert len(paths) > 250  # the whole admin, not a sample
    client = Client(raise_request_exception=False)
    opened = []
    for role in ADMIN_KEPT_OUT:
        login_as(client, the_world["users"][role])
        for name, path in paths:
            if path is None:
                continue
            got = status_of(client.get(path))
            if got not in ("login", "302", "403", "404", "405") and name not in ADMIN_PUBLIC:
                opened.append(f"{role} {name} {path} → {got}")
    assert not opened, "admin URLs reachable without admin access:\n" + "\n".join(opened)
