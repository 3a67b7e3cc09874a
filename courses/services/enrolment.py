"""Enrolment: who may enrol in a course, self-enrolment and a coordinator's bulk assignment."""

from django.utils.translation import gettext as _

from accounts.models import TeacherProfile

from ..models import (
    CoursePage,
    Enrolment,
)
from .refusals import Refused

# --- enrolment -----------------------------------------------------------------------------


def enrolment_refusal(user, course: CoursePage) -> str | None:
    """Why `user` may not enrol themselves in `course`, or None when they may."""
    if not course.live:
        return _("This course is not published.")
    if not course.is_for(user):
        return _("This course is meant for %(audience)s; it is not open to you.") % {
            "audience": _(", ").join(course.audience_labels()) or "—"
        }
    if not course.enrolment_open():
        return _("Enrolment for this course is closed.")
    if not course.lessons().exists():
        return _("This course has no lessons yet; enrolment opens when its lessons are published.")
    return None


def _teacher_of(user) -> TeacherProfile | None:
    return TeacherProfile.objects.filter(user=user, is_active=True).first()


def enrol(user, course: CoursePage) -> tuple[Enrolment, bool]:
    """Self-enrolment: (enrolment, created). Raises Refused with a message the user can read."""
    existing = Enrolment.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing, False
    reason = enrolment_refusal(user, course)
    if reason:
        raise Refused(reason)
    return Enrolment.objects.get_or_create(user=user, course=course, defaults={"teacher": _teacher_of(user)})


def bulk_assign(course: CoursePage, teachers, assigned_by) -> tuple[int, int]:
    """Enrol the given (already scope-filtered) teachers: (newly enrolled, skipped).

    Teachers outside the course's audience or already enrolled are skipped.
    """
    if not course.lessons().exists():
        raise Refused(_("This course has no lessons yet; enrolment opens when its lessons are published."))
    teachers = list(teachers.filter(is_active=True).values_list("pk", "user_id", "category"))
    audience = set(course.teacher_categories)
    existing = set(
        Enrolment.objects.filter(course=course, user_id__in=[u for _pk, u, _c in teachers]).values_list(
            "user_id", flat=True
        )
    )
    new = [
        Enrolment(user_id=user_id, teacher_id=pk, course=course, assigned_by=assigned_by)
        for pk, user_id, category in teachers
        if category in audience and user_id not in existing
    ]
    Enrolment.objects.bulk_create(new, ignore_conflicts=True)
    return len(new), len(teachers) - len(new)
