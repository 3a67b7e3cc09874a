"""Celery tasks of the ledger room (the task name stays `tracking.*` for the beat schedule)."""

from celery import shared_task

from accounts.models import TrainingYear

from .totals import rebuild_totals


@shared_task(name="tracking.rebuild_training_totals", acks_late=True)
def rebuild_training_totals() -> int:
    """Nightly: recompute the per-teacher roll-up of the current year from the ledger (safety net
    for rows loaded without the model, e.g. COPY or bulk_create). Idempotent."""
    year = TrainingYear.current()
    return rebuild_totals(year) if year is not None else 0
