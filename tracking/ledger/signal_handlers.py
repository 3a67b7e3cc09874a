from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import TrainingYear
from courses.signals import course_completed

from .models import LedgerSource
from .services import record_entry
from .targets import ensure_targets


@receiver(course_completed, dispatch_uid="tracking.credit_course_completion")
def credit_course_completion(
    sender,
    *,
    teacher,
    course_id,
    course_title,
    hours,
    training_year,
    completion_id,
    completed_at,
    counts_as_session=True,
    **kwargs,
):
    """Online course completed → exactly one ledger entry (idempotent on the completion id)."""
    if teacher is None or training_year is None:
        return  # parents and other non-teachers earn no training hours
    record_entry(
        teacher=teacher,
        training_year=training_year,
        hours=hours,
        source=LedgerSource.ONLINE_COURSE,
        source_ref=f"course:{course_id}:{completion_id}",
        title=course_title,
        activity_date=completed_at.date() if hasattr(completed_at, "date") else completed_at,
        counts_as_session=counts_as_session,
        note="",
    )


@receiver(post_save, sender=TrainingYear, dispatch_uid="tracking.seed_targets_for_new_year")
def seed_targets_for_new_year(sender, instance, created, raw=False, **kwargs):
    """A new training year starts with the policy's 40 / 10 / 1 targets; coordinators edit them."""
    if created and not raw:
        ensure_targets(instance)
