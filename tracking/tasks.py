"""Celery tasks of the tracking app: report exports and reminders. All take ids, all are
safe to retry: an export rewrites the same file, a reminder is unique per (user, kind, period)."""

from __future__ import annotations

import io
import logging

from celery import shared_task

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(name="tracking.build_report_export", acks_late=True, max_retries=2)
def build_report_export(job_id: str) -> str:
    """Build one export file for its requester, with the requester's scope *now*."""
    from accounts.scope import scope_for

    from .models import ExportJob
    from .reports import REPORTS
    from .reports.base import ReportContext
    from .reports.exports import export_filename, export_rows, write_csv, write_xlsx

    job = ExportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None:
        return "missing"
    if job.state == ExportJob.State.DONE and job.file:
        return "done"  # a retry after success: nothing to do
    report = REPORTS.get(job.report)
    scope = scope_for(job.user)
    if report is None or not scope.is_coordinator:
        ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.FAILED, error="not allowed")
        return "failed"
    ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.RUNNING, rows_done=0)
    try:
        ctx = ReportContext.from_params(job.params, scope)
    except Http404:  # the requester's scope shrank since asking: export nothing
        ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.FAILED, error="outside scope")
        return "failed"
    try:
        columns, rows, totals, count = export_rows(report, ctx, streaming=True)
        ExportJob.objects.filter(pk=job.pk).update(rows_total=count)

        def progress(n: int) -> None:
            ExportJob.objects.filter(pk=job.pk).update(rows_done=n)

        if job.format == ExportJob.Format.CSV:
            text = io.StringIO()
            write_csv(text, report, ctx, columns, rows, totals, progress)
            content = ContentFile(text.getvalue().encode("utf-8"))
        else:
            binary = io.BytesIO()
            write_xlsx(binary, report, ctx, columns, rows, totals, progress)
            content = ContentFile(binary.getvalue())
        filename = export_filename(report, ctx, job.format)
        with transaction.atomic():
            job.refresh_from_db()
            if job.file:
                job.file.delete(save=False)
            job.file.save(f"{job.pk}.{job.format}", content, save=False)
            job.filename = filename
            job.state = ExportJob.State.DONE
            job.rows_done = count
            job.finished_at = timezone.now()
            job.save(update_fields=["file", "filename", "state", "rows_done", "finished_at"])
    except Exception as exc:
        logger.exception("export %s failed", job_id)
        ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.FAILED, error=str(exc)[:1000])
        raise
    return "done"


@shared_task(name="tracking.purge_old_exports", acks_late=True)
def purge_old_exports() -> int:
    """Daily: export files hold personal data; keep them only REPORT_EXPORT_KEEP_DAYS."""
    import datetime

    from django.conf import settings

    from .models import ExportJob

    cutoff = timezone.now() - datetime.timedelta(days=settings.REPORT_EXPORT_KEEP_DAYS)
    n = 0
    for job in ExportJob.objects.filter(created_at__lt=cutoff).iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        n += 1
    return n


@shared_task(name="tracking.rebuild_training_totals", acks_late=True)
def rebuild_training_totals() -> int:
    """Nightly: recompute the per-teacher roll-up of the current year from the ledger (safety net
    for rows loaded without the model, e.g. COPY or bulk_create). Idempotent."""
    from accounts.models import TrainingYear

    from .ledger.totals import rebuild_totals

    year = TrainingYear.current()
    return rebuild_totals(year) if year is not None else 0


@shared_task(name="tracking.send_pace_reminders", acks_late=True)
def send_pace_reminders(on: str | None = None) -> int:
    """Daily: at each configured point of the year, notify teachers behind pace (once per point)."""
    from .reports.reminders import send_pace_reminders as run

    return run(_date(on))


@shared_task(name="tracking.send_coordinator_digests", acks_late=True)
def send_coordinator_digests(on: str | None = None) -> int:
    """Weekly: each coordinator gets one digest of the laggards in their scope."""
    from .reports.reminders import send_coordinator_digests as run

    return run(_date(on))


def _date(value: str | None):
    import datetime

    return datetime.date.fromisoformat(value) if value else timezone.localdate()
