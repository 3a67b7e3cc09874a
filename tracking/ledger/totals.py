"""Keep `TeacherYearTotal` equal to the ledger's sums.

`add_entry` runs on every new LedgerEntry (post_save, inside `record_entry`'s transaction),
so the roll-up commits or rolls back with the entry itself. The session rule is the
ledger's: an entry counts as a session when `counts_as_session` and its hours are ≥ 0.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import LedgerEntry, TeacherYearTotal


def add_entry(entry: LedgerEntry) -> None:
    session = 1 if entry.counts_as_session and entry.hours >= 0 else 0
    key = {"teacher_id": entry.teacher_id, "training_year_id": entry.training_year_id}
    change = {"hours": F("hours") + entry.hours, "sessions": F("sessions") + session, "entries": F("entries") + 1}
    if TeacherYearTotal.objects.filter(**key).update(**change):
        return
    try:
        with transaction.atomic():
            TeacherYearTotal.objects.create(**key, hours=entry.hours, sessions=session, entries=1)
    except IntegrityError:  # a concurrent first entry created the row: add to it instead
        TeacherYearTotal.objects.filter(**key).update(**change)


@receiver(post_save, sender=LedgerEntry, dispatch_uid="tracking.totals.add_entry")
def _on_ledger_entry(sender, instance: LedgerEntry, created: bool, raw: bool = False, **kwargs):
    if created and not raw:
        add_entry(instance)


def rebuild_totals(training_year=None, batch_size: int = 5000) -> int:
    """Recompute the roll-up from the ledger (for one year or all). Idempotent."""
    entries = LedgerEntry.objects.all()
    totals = TeacherYearTotal.objects.all()
    if training_year is not None:
        entries = entries.filter(training_year=training_year)
        totals = totals.filter(training_year=training_year)
    sums = (
        entries.filter(teacher__isnull=False)  # entries whose teacher was forgotten count for no one
        .order_by()
        .values("teacher_id", "training_year_id")
        .annotate(
            h=Sum("hours"),
            s=Count("id", filter=Q(counts_as_session=True, hours__gte=0)),
            n=Count("id"),
        )
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Hold new entries back while recomputing, so none is summed twice or lost.
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {LedgerEntry._meta.db_table} IN SHARE MODE")  # noqa: S608
        rows = [
            TeacherYearTotal(
                teacher_id=r["teacher_id"],
                training_year_id=r["training_year_id"],
                hours=r["h"] or Decimal("0"),
                sessions=r["s"],
                entries=r["n"],
            )
            for r in sums.iterator(chunk_size=batch_size)
        ]
        totals.delete()
        TeacherYearTotal.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


def recompute_for(teacher_ids, training_year_id: int, chunk: int = 5000) -> None:
    """Recompute the totals of some teachers for one year from the ledger (after a bulk insert).

    `bulk_create` sends no post_save, so bulk writers (the attendance import) call this inside
    their transaction. The existing total rows are locked first: a concurrent `add_entry`
    waits, then adds its own entry on top of the recomputed sum, so nothing is lost or doubled.
    """
    ids = sorted(set(teacher_ids))
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        list(
            TeacherYearTotal.objects.select_for_update()
            .filter(teacher_id__in=part, training_year_id=training_year_id)
            .values_list("id", flat=True)
        )
        sums = (
            LedgerEntry.objects.filter(teacher_id__in=part, training_year_id=training_year_id)
            .order_by()
            .values("teacher_id")
            .annotate(h=Sum("hours"), s=Count("id", filter=Q(counts_as_session=True, hours__gte=0)), n=Count("id"))
        )
        TeacherYearTotal.objects.bulk_create(
            [
                TeacherYearTotal(
                    teacher_id=r["teacher_id"],
                    training_year_id=training_year_id,
                    hours=r["h"] or Decimal("0"),
                    sessions=r["s"],
                    entries=r["n"],
                )
                for r in sums
            ],
            update_conflicts=True,
            unique_fields=["teacher", "training_year"],
            update_fields=["hours", "sessions", "entries"],
            batch_size=chunk,
        )
