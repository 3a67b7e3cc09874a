"""Celery looks for an app's tasks in `<app>.tasks`; tracking's live in its rooms."""

from .ledger.tasks import parse_attendance_import, purge_import_rows, rebuild_training_totals
from .reports.tasks import build_report_export, purge_old_exports, send_coordinator_digests, send_pace_reminders

__all__ = [
    "build_report_export",
    "parse_attendance_import",
    "purge_import_rows",
    "purge_old_exports",
    "rebuild_training_totals",
    "send_coordinator_digests",
    "send_pace_reminders",
]
