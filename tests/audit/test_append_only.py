"""The ledger and the audit trail are append-only in the database itself: raw SQL cannot
change or delete a row (SQLite and PostgreSQL alike); the one exception is clearing the
link to a person for identity removal, and then amounts and dates still never change."""

from decimal import Decimal

import pytest

from django.apps import apps
from django.db import IntegrityError, connection, transaction

from accounts import append_only, audit
from accounts.models import AuditEvent
from accounts.signal_handlers import guard_append_only_tables
from tests.factories import AuditEventFactory, LedgerEntryFactory, TeacherProfileFactory, UserFactory
from tracking.ledger.services import forget_person
from tracking.models import LedgerEntry, TeacherYearTotal

pytestmark = pytest.mark.django_db

LEDGER = LedgerEntry._meta.db_table  # tracking_ledgerentry, written out in the SQL below


def raw(sql: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def refused(sql: str, params=()) -> bool:
    try:
        raw(sql, params)
    except IntegrityError as exc:
        return "append-only" in str(exc)
    return False


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE tracking_ledgerentry SET hours = 99 WHERE id = %s",
        "UPDATE tracking_ledgerentry SET activity_date = '2020-01-01' WHERE id = %s",
        "UPDATE tracking_ledgerentry SET school_id = school_id WHERE id = %s AND 1 = 0",  # matches nothing: allowed
        "DELETE FROM tracking_ledgerentry WHERE id = %s",
    ],
    ids=["hours", "date", "no-row", "delete"],
)
def test_raw_sql_cannot_rewrite_or_delete_a_ledger_entry(sql):
    entry = LedgerEntryFactory(hours=Decimal("4"))
    if "1 = 0" in sql:
        assert not refused(sql, [entry.pk])
    else:
        assert refused(sql, [entry.pk])
    after = LedgerEntry.objects.get(pk=entry.pk)
    assert (after.hours, after.activity_date) == (Decimal("4"), entry.activity_date)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE accounts_auditevent SET action = 'claim.approve' WHERE id = %s",
        "UPDATE accounts_auditevent SET created_at = created_at WHERE id = %s AND 1 = 0",
        "UPDATE accounts_auditevent SET after = NULL WHERE id = %s",
        "DELETE FROM accounts_auditevent WHERE id = %s",
    ],
    ids=["action", "no-row", "after", "delete"],
)
def test_raw_sql_cannot_rewrite_or_delete_an_audit_event(sql):
    event = AuditEventFactory(action="claim.reject", after={"reason": "材料不全"})
    assert refused(sql, [event.pk]) is ("1 = 0" not in sql)
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.action, event.after) == ("claim.reject", {"reason": "材料不全"})


def test_a_person_link_can_only_be_cleared_never_moved():
    entry = LedgerEntryFactory()
    other = TeacherProfileFactory()
    assert refused("UPDATE tracking_ledgerentry SET teacher_id = %s WHERE id = %s", [other.pk, entry.pk])
    assert refused("UPDATE tracking_ledgerentry SET teacher_id = NULL, hours = 0 WHERE id = %s", [entry.pk])
    raw("UPDATE tracking_ledgerentry SET teacher_id = NULL WHERE id = %s", [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).teacher_id is None


def test_forget_person_keeps_the_hours_and_dates_but_not_the_teacher(training_year):
    teacher = TeacherProfileFactory()
    coordinator = UserFactory()
    mine = LedgerEntryFactory(teacher=teacher, training_year=training_year, hours=Decimal("6"))
    recorded = LedgerEntryFactory(training_year=training_year, recorded_by=teacher.user, hours=Decimal("2"))
    untouched = LedgerEntryFactory(training_year=training_year, recorded_by=coordinator)
    assert forget_person(teacher.user) == 2
    rows = {e.pk: e for e in LedgerEntry.objects.all()}
    assert (rows[mine.pk].teacher_id, rows[mine.pk].hours, rows[mine.pk].school_id) == (
        None,
        Decimal("6"),
        mine.school_id,
    )
    assert rows[mine.pk].activity_date == mine.activity_date
    assert (rows[recorded.pk].recorded_by_id, rows[recorded.pk].hours) == (None, Decimal("2"))
    assert rows[untouched.pk].recorded_by_id == coordinator.pk
    assert not TeacherYearTotal.objects.filter(teacher=teacher).exists()


def test_forget_actor_keeps_the_event(org):
    actor = UserFactory()
    event = audit.record(actor=actor, action="claim.approve", school=org["school_a1"], summary="通过", after={"h": 1})
    assert audit.forget_actor(actor) == 1
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.actor_id, event.action, event.after, event.school_id) == (
        None,
        "claim.approve",
        {"h": 1},
        event.school_id,
    )


def test_python_refuses_too():
    event = AuditEventFactory()
    with pytest.raises(ValueError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_suspended_lifts_the_guard_for_one_transaction_only():
    entry = LedgerEntryFactory()
    with append_only.suspended(LedgerEntry):
        raw("DELETE FROM tracking_ledgerentry WHERE id = %s", [entry.pk])
    assert not LedgerEntry.objects.filter(pk=entry.pk).exists()
    again = LedgerEntryFactory()
    assert refused("DELETE FROM tracking_ledgerentry WHERE id = %s", [again.pk])


def test_the_guard_is_put_back_after_migrate_rebuilds_a_table():
    """SQLite drops triggers when a migration rebuilds the table; post_migrate reinstalls them."""
    tracking = apps.get_app_config("tracking")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP TRIGGER "{LEDGER}_append_only_update"')
            cursor.execute(f'DROP TRIGGER "{LEDGER}_append_only_delete"')
    guard_append_only_tables(sender=tracking, app_config=tracking, using="default")
    entry = LedgerEntryFactory()
    assert refused("UPDATE tracking_ledgerentry SET hours = 1 WHERE id = %s", [entry.pk])
