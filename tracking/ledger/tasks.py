"""Celery tasks of the ledger room (the task name stays `tracking.*` for the beat schedule)."""

import datetime

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import TrainingYear
from accounts.scope import scope_for

from . import importers
from .models import ImportBatch
from .models.sessions import count_rows
from .totals import rebuild_totals


@shared_task(name="tracking.rebuild_training_totals", acks_late=True)
def rebuild_training_totals() -> int:
    """Nightly: recompute the per-teacher roll-up of the current year from the ledger (safety net
    for rows loaded without the model, e.g. COPY or bulk_create). Idempotent."""
    year = TrainingYear.current()
    return rebuild_totals(year) if year is not None else 0


@shared_task(
    name="tracking.parse_attendance_import",
    acks_late=True,
    soft_time_limit=settings.LEDGER_IMPORT_PARSE_SECONDS,
    time_limit=settings.LEDGER_IMPORT_PARSE_SECONDS + 30,
)
def parse_attendance_import(batch_id: int) -> str:
    """Read a big sign-in sheet in a worker (the upload view queues it), with the uploader's scope
    *now*. Past the soft time limit the batch is refused with a message; a retry of finished
    work does nothing."""
    batch = ImportBatch.objects.select_related("session", "uploaded_by").filter(pk=batch_id).first()
    if batch is None:
        return "missing"
    try:
        batch = importers.parse_queued(batch, scope_for(batch.uploaded_by))
    except SoftTimeLimitExceeded:
        importers.fail_queued(batch, _("Reading the file took too long; split it into smaller files and upload again."))
        return "failed"
    return batch.state


@shared_task(name="tracking.purge_import_rows", acks_late=True)
def purge_import_rows() -> int:
    """Daily: the rows of a sign-in sheet repeat what the sheet said (names, schools, notes), so they
    are kept only `LEDGER_IMPORT_KEEP_DAYS` after confirmation; the batch, its counts and the
    attendances stay. Unconfirmed or refused batches older than that are deleted. Idempotent."""
    cutoff = timezone.now() - datetime.timedelta(days=settings.LEDGER_IMPORT_KEEP_DAYS)
    purged = 0
    confirmed = ImportBatch.objects.filter(confirmed_at__lt=cutoff, rows_purged_at__isnull=True)
    for batch in confirmed.iterator(chunk_size=200):
        batch.row_counts = count_rows(batch.rows)
        batch.rows, batch.rows_purged_at = [], timezone.now()
        batch.save(update_fields=["rows", "row_counts", "rows_purged_at"])
        purged += 1
    stale = ImportBatch.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff, attendances__isnull=True)
    for batch in stale.iterator(chunk_size=200):
        importers.discard_upload(batch)
        batch.delete()
        purged += 1
    return purged
