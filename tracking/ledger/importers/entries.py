"""Writing an import: preview (parse + validate, stored server-side) → confirm, which writes every
ok row as attendance + ledger entry in one transaction (bulk_create, totals recomputed), and
records the import on the audit trail. Confirming twice is refused.

A file above `LEDGER_IMPORT_ASYNC_BYTES` is not parsed in the request: `queue_import` keeps it
(private storage) on a batch in state "parsing", and the Celery task `tracking.parse_attendance_import`
runs `parse_queued`, which reports progress on the batch for the preview page's bar.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import TeacherProfile
from accounts.scope import scope_for

from ...notices.models import Notification
from ...notices.services import notify
from .. import totals
from ..models import Attendance, ImportBatch, LedgerEntry, LedgerSource, OfflineSession
from .rows import validate_rows
from .sheet import ImportFileError, parse_sheet

PARSE_SHARE = 90  # percent of the bar for reading the file; validation takes the rest


# --- the two steps the views call -------------------------------------------------------------
def preview_import(*, data: bytes, filename: str, session: OfflineSession, scope, user) -> ImportBatch:
    """Parse and validate; store the result server-side for confirm."""
    sheet = parse_sheet(data)
    rows = validate_rows(sheet, session, scope)
    return ImportBatch.objects.create(
        session=session,
        uploaded_by=user,
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        rows=rows,
    )


def queue_import(*, data: bytes, filename: str, session: OfflineSession, user) -> ImportBatch:
    """Keep a big upload on a batch in state 'parsing', for `parse_queued` to read in a worker."""
    batch = ImportBatch(
        session=session,
        uploaded_by=user,
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        state=ImportBatch.State.PARSING,
    )
    batch.upload.save(f"{batch.sha256[:16]}.bin", ContentFile(data), save=False)
    batch.save()
    return batch


def parse_queued(batch: ImportBatch, scope) -> ImportBatch:
    """Parse and validate a queued upload, with progress on the batch. A refusal is kept as the
    batch's `error` (state 'failed'); either way the uploaded file is deleted."""
    if batch.state != ImportBatch.State.PARSING:
        return batch  # a retry after the work was done

    def progress(fraction: float) -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(progress=int(fraction * PARSE_SHARE))

    try:
        with batch.upload.open("rb") as f:
            data = f.read()
        sheet = parse_sheet(data, progress)
        ImportBatch.objects.filter(pk=batch.pk).update(progress=PARSE_SHARE)
        batch.rows = validate_rows(sheet, batch.session, scope)
        batch.state = ImportBatch.State.READY
    except ImportFileError as exc:
        batch.state, batch.error, batch.rows = ImportBatch.State.FAILED, str(exc), []
    batch.progress = 100
    discard_upload(batch)
    batch.save(update_fields=["rows", "state", "error", "progress", "upload"])
    return batch


def fail_queued(batch: ImportBatch, message: str) -> None:
    batch.state, batch.error, batch.rows, batch.progress = ImportBatch.State.FAILED, message, [], 100
    discard_upload(batch)
    batch.save(update_fields=["rows", "state", "error", "progress", "upload"])


def discard_upload(batch: ImportBatch) -> None:
    if batch.upload:
        batch.upload.delete(save=False)


class AlreadyConfirmed(Exception):
    pass


class NotReady(Exception):
    """The batch is still being read, or was refused: nothing to confirm."""


def confirm_import(batch: ImportBatch, user) -> int:
    """Write every 'ok' row as attendance + ledger entry, all or nothing. Returns rows added.

    Rows recorded meanwhile (another sheet, a QR scan) are skipped, so a corrected file or
    a repeated confirm adds only what is missing.
    """
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().select_related("session").get(pk=batch.pk)
        if batch.confirmed_at is not None:
            raise AlreadyConfirmed
        if batch.state != ImportBatch.State.READY:
            raise NotReady
        session = batch.session
        existing = set(Attendance.objects.filter(session=session).values_list("teacher_id", flat=True))
        todo = [r for r in batch.rows if r["status"] == "ok" and r["teacher_id"] not in existing]
        # Whoever confirms must be allowed to act on every row, not only whoever uploaded:
        # rows outside their scope, their own and their level's colleagues' are left out.
        scope = scope_for(user)
        allowed = set(
            scope.teachers()
            .filter(pk__in=[r["teacher_id"] for r in todo])
            .exclude(scope.needs_higher_level())
            .values_list("pk", flat=True)
        )
        todo = [r for r in todo if r["teacher_id"] in allowed]
        now = timezone.now()
        activity_date = session.local_dates()[0]
        Attendance.objects.bulk_create(
            [
                Attendance(
                    session=session,
                    teacher_id=r["teacher_id"],
                    hours=Decimal(r["credit_hours"]),
                    method=Attendance.Method.IMPORT,
                    batch=batch,
                    recorded_by=user,
                    recorded_at=now,
                )
                for r in todo
            ],
            batch_size=5000,  # PostgreSQL: ≤ 55k parameters per INSERT; SQLite caps it itself
        )
        LedgerEntry.objects.bulk_create(
            [
                LedgerEntry(
                    teacher_id=r["teacher_id"],
                    training_year_id=session.training_year_id,
                    school_id=r["school_id"],
                    hours=Decimal(r["credit_hours"]),
                    counts_as_session=True,
                    source=LedgerSource.OFFLINE_SESSION,
                    source_ref=session.source_ref,
                    title=session.title[:255],
                    activity_date=activity_date,
                    recorded_by=user,
                    # What the teacher reads on their ledger; the file name stays on the audit trail.
                    note=_("Offline training sign-in sheet import"),
                )
                for r in todo
            ],
            batch_size=5000,  # PostgreSQL: ≤ 55k parameters per INSERT; SQLite caps it itself
            ignore_conflicts=True,
        )
        # bulk_create sends no post_save: bring the reports' per-teacher totals up to date here.
        totals.recompute_for([r["teacher_id"] for r in todo], session.training_year_id)
        batch.confirmed_at = now
        batch.imported_count = len(todo)
        batch.save(update_fields=["confirmed_at", "imported_count"])
        counts = batch.counts()
        audit.record(
            actor=user,
            action="attendance.import",
            obj=batch,
            school=session.school_id,
            district=session.district_id,
            summary=_("Imported %(n)s attendances into %(session)s") % {"n": len(todo), "session": session.title},
            after={
                "session_id": session.pk,
                "file": batch.filename,
                "sha256": batch.sha256,
                "imported": len(todo),
                "already": counts.get("exists", 0),
                "errors": counts.get("error", 0),
            },
        )
        _notify_imported(session, todo)
    return len(todo)


def _notify_imported(session: OfflineSession, rows: list[dict]) -> None:
    """Each teacher whose attendance was imported gets a notice (one per session: a second
    sheet for the same session adds none). Grouped by hours: a few bulk inserts, not one per row."""
    users = dict(TeacherProfile.objects.filter(pk__in=[r["teacher_id"] for r in rows]).values_list("pk", "user_id"))
    by_hours: dict[str, list[int]] = {}
    for r in rows:
        by_hours.setdefault(r["credit_hours"], []).append(users[r["teacher_id"]])
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Training hours recorded: %(session)s") % {"session": session.title}
        for hours, user_ids in by_hours.items():
            notify(
                user_ids,
                kind=Notification.Kind.HOURS_IMPORTED,
                period=f"session:{session.pk}",
                title=title,
                message=_("Your attendance at %(session)s on %(date)s was recorded: %(hours)s hours.")
                % {"session": session.title, "date": session.local_dates()[0], "hours": hours},
                url=reverse("tracking:dashboard"),
                count=False,
            )
