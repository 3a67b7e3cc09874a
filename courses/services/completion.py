"""Course completion: the one evaluation that completes an enrolment, issues its certificate and
sends `course_completed` (which the ledger listens to), exactly once."""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from accounts.models import TrainingYear

from ..models import (
    Certificate,
    CoursePage,
    Enrolment,
    LessonProgress,
)
from ..signals import course_completed

# The issuing authority printed on certificates. The site's organiser lives in the site settings
# of `cms` (the wiring layer above courses), so cms plugs its lookup in at start-up
# (cms/core/apps.py) instead of courses importing upwards; without it, the city's education bureau.
DEFAULT_CERTIFICATE_ISSUER = "南昌市教育局"
_issuer_lookup: Callable[[], str | None] | None = None


def set_certificate_issuer_lookup(lookup: Callable[[], str | None]) -> None:
    """Called once by cms at start-up with a function returning the site's organiser."""
    global _issuer_lookup
    _issuer_lookup = lookup


def certificate_issuer() -> str:
    """The issuing authority printed on certificates: the site's organiser (site settings)."""
    issuer = _issuer_lookup() if _issuer_lookup is not None else None
    return issuer or DEFAULT_CERTIFICATE_ISSUER


def evaluate_completion(enrolment_id: int) -> bool:
    """Update progress; complete the enrolment if every required lesson is finished. True only on first completion.

    A lesson is finished only when its time, video and assessment requirements all hold, so
    the course's minimum study time is part of "every required lesson finished".
    """
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
        course = CoursePage.objects.get(pk=enrolment.course_id)
        required = list(course.lessons().filter(required=True).values_list("pk", flat=True))
        done = LessonProgress.objects.filter(
            enrolment_id=enrolment_id, lesson_id__in=required, completed_at__isnull=False
        )
        n_done = done.count()
        percent = int(100 * n_done / len(required)) if required else 0
        if enrolment.completed_at is not None:
            return False
        complete = bool(required) and n_done == len(required)
        if not complete:
            if percent != enrolment.progress_percent:
                Enrolment.objects.filter(pk=enrolment_id).update(progress_percent=min(percent, 99))
            return False
        now = timezone.now()
        year = course.training_year or TrainingYear.current(timezone.localdate(now))
        # The conditional UPDATE is the guard: only one caller can move completed_at from NULL.
        won = Enrolment.objects.filter(pk=enrolment_id, completed_at__isnull=True).update(
            completed_at=now, status=Enrolment.Status.COMPLETED, progress_percent=100, training_year=year
        )
        if won != 1:
            return False
        user = enrolment.user
        teacher = enrolment.teacher
        Certificate.objects.create(
            enrolment=enrolment,
            learner_name=user.display_name,
            school_name=teacher.school.name if teacher is not None else "",
            course_title=course.title,
            hours=course.credit_hours,
            training_year=year.year if year is not None else None,
            issuer=certificate_issuer(),
            completed_on=timezone.localdate(now),
        )
        course_completed.send(
            sender=CoursePage,
            user=user,
            teacher=enrolment.teacher,
            course_id=course.pk,
            course_title=course.title,
            hours=course.credit_hours,
            counts_as_session=course.counts_as_session,
            training_year=year,
            completion_id=enrolment.pk,
            completed_at=now,
        )
        return True
