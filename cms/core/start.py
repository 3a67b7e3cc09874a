"""The start page after login (我的首页): what each kind of user should do next.

`cms` sits on top of the layers, so it may read `courses` and `tracking`. The coordinator's
to-do counts are read in `coordinator_todos`, the one place this page touches tracking
(public services and the two models whose counts it shows); once tracking's rooms are laid
out, that function moves behind a narrow service there and this module calls it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import TeacherProfile, TrainingYear
from accounts.scope import Scope
from courses.models import CoursePage, Enrolment, LessonProgress
from tracking.ledger.models import ExternalClaim, ImportBatch, OfflineSession
from tracking.ledger.services import completion_rollup, teacher_status

# Uploaded sign-in sheets not yet confirmed are a to-do for this many days.
IMPORT_REMINDER_DAYS = 30


@dataclass
class TeacherStart:
    teacher: TeacherProfile
    status: object | None
    continue_learning: list = field(default_factory=list)  # (enrolment, lesson to resume)
    compulsory_to_start: list = field(default_factory=list)


def teacher_start(teacher: TeacherProfile, year: TrainingYear | None) -> TeacherStart:
    start = TeacherStart(teacher=teacher, status=teacher_status(teacher, year) if year else None)
    enrolments = list(
        Enrolment.objects.filter(user=teacher.user, completed_at__isnull=True)
        .select_related("course", "last_lesson")
        .order_by("-enrolled_at")[:5]
    )
    done = set(
        LessonProgress.objects.filter(enrolment__in=enrolments, completed_at__isnull=False).values_list(
            "enrolment_id", "lesson_id"
        )
    )
    for enrolment in enrolments:
        lesson = next((ls for ls in enrolment.course.lessons() if (enrolment.pk, ls.pk) not in done), None)
        start.continue_learning.append((enrolment, lesson or enrolment.last_lesson))
    enrolled = Enrolment.objects.filter(user=teacher.user).values("course_id")
    start.compulsory_to_start = list(
        CoursePage.objects.live()
        .filter(compulsory=True, teacher_categories__contains=f",{teacher.category},")
        .exclude(pk__in=enrolled)
        .order_by("title")[:5]
    )
    return start


@dataclass
class CoordinatorTodos:
    pending_claims: int = 0
    unconfirmed_imports: int = 0
    behind: int = 0
    teachers: int = 0


def coordinator_todos(scope: Scope, year: TrainingYear | None) -> CoordinatorTodos:
    """Counts inside the coordinator's scope: claims to decide, imports to confirm, teachers behind."""
    todos = CoordinatorTodos()
    todos.pending_claims = ExternalClaim.objects.filter(
        scope.school_filter("teacher__school"), status=ExternalClaim.Status.PENDING
    ).count()
    recent = timezone.now() - datetime.timedelta(days=IMPORT_REMINDER_DAYS)
    todos.unconfirmed_imports = ImportBatch.objects.filter(
        session__in=OfflineSession.managed_by(scope),
        confirmed_at__isnull=True,
        created_at__gte=recent,
        state=ImportBatch.State.READY,  # a refused file, or one still being read, is nothing to confirm
    ).count()
    if year is not None:
        counts = completion_rollup(scope.teachers().filter(is_active=True), year, "all").get(None)
        if counts:
            todos.behind = counts["in_progress"] + counts["not_met"]
            todos.teachers = counts["total"]
    return todos
