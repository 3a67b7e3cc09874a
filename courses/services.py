"""Course operations shared by views, the demo loader and tests.

Completion is evaluated on every progress event (lesson viewed or finished, quiz
submitted). The first completion is decided by a conditional UPDATE on a locked
enrolment row, and `course_completed` is sent inside that transaction: two requests at
once, a replayed request or a second evaluation never complete (or credit) twice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import TeacherProfile, TrainingYear
from accounts.scope import scope_for

from .models import Certificate, CoursePage, Enrolment, LessonPage, LessonProgress, Quiz, QuizAttempt
from .signals import course_completed

# Time between opening a lesson and finishing it counts up to this much (an open tab is not learning).
MAX_SECONDS_PER_EVENT = 60 * 60


class Refused(Exception):
    """An action the user may not take; the message is shown to them as is."""


# --- enrolment -----------------------------------------------------------------------------


def enrolment_refusal(user, course: CoursePage) -> str | None:
    """Why `user` may not enrol themselves in `course`, or None when they may."""
    if not course.live:
        return _("This course is not published.")
    if not course.is_for(user):
        return _("This course is meant for %(audience)s; it is not open to you.") % {
            "audience": "、".join(course.audience_labels()) or "—"
        }
    if not course.enrolment_open():
        return _("Enrolment for this course is closed.")
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


# --- progress -------------------------------------------------------------------------------


def record_view(enrolment: Enrolment, lesson: LessonPage) -> LessonProgress:
    """A lesson was opened: remember it for resuming, then evaluate completion."""
    now = timezone.now()
    progress, created = LessonProgress.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    if not created:
        LessonProgress.objects.filter(pk=progress.pk).update(last_viewed_at=now)
    if enrolment.last_lesson_id != lesson.pk:
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson)
        enrolment.last_lesson = lesson
    evaluate_completion(enrolment.pk)
    return progress


def _elapsed(progress: LessonProgress, now: datetime.datetime) -> int:
    return max(0, min(MAX_SECONDS_PER_EVENT, int((now - progress.last_viewed_at).total_seconds())))


def finish_lesson(enrolment: Enrolment, lesson: LessonPage) -> bool:
    """The learner finished reading a lesson. Lessons with a quiz finish when the quiz is passed."""
    if lesson.quiz_ids():
        raise Refused(_("Pass the quiz to finish this lesson."))
    now = timezone.now()
    with transaction.atomic():
        progress, _created = LessonProgress.objects.select_for_update().get_or_create(
            enrolment=enrolment, lesson=lesson
        )
        if progress.completed_at is None:
            progress.completed_at = now
            progress.seconds_spent += _elapsed(progress, now)
            progress.save(update_fields=["completed_at", "seconds_spent"])
    return evaluate_completion(enrolment.pk)


def evaluate_completion(enrolment_id: int) -> bool:
    """Update progress; complete the enrolment if the course rule holds. True only on first completion."""
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
        seconds = LessonProgress.objects.filter(enrolment_id=enrolment_id).aggregate(s=Sum("seconds_spent"))["s"] or 0
        complete = bool(required) and n_done == len(required) and seconds >= course.minimum_minutes * 60
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
        Certificate.objects.create(
            enrolment=enrolment,
            learner_name=user.display_name,
            course_title=course.title,
            hours=course.credit_hours,
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


# --- quizzes --------------------------------------------------------------------------------


@dataclass
class QuizState:
    """What the quiz block needs to render for one learner (never the answers)."""

    quiz: Quiz
    token: str | None = None
    used: int = 0
    passed: bool = False
    last_score: int | None = None
    attempts_left: int | None = None  # None: unlimited
    questions: list = field(default_factory=list)


def quiz_state(enrolment: Enrolment, quiz: Quiz, lesson: LessonPage, issue_token: bool = True) -> QuizState:
    submitted = list(
        QuizAttempt.objects.filter(enrolment=enrolment, quiz=quiz, submitted_at__isnull=False)
        .order_by("-submitted_at")
        .values_list("score", "passed")
    )
    state = QuizState(quiz=quiz, used=len(submitted), passed=any(p for _s, p in submitted))
    state.last_score = submitted[0][0] if submitted else None
    if quiz.max_attempts:
        state.attempts_left = max(0, quiz.max_attempts - state.used)
    state.questions = [(q, q.choices()) for q in quiz.questions.all()]
    if issue_token and not state.passed and state.attempts_left != 0:
        # Reuse the open (unsubmitted) attempt so reloading the page does not pile up tokens.
        attempt = QuizAttempt.objects.filter(
            enrolment=enrolment, quiz=quiz, lesson=lesson, submitted_at__isnull=True
        ).first() or QuizAttempt.objects.create(enrolment=enrolment, quiz=quiz, lesson=lesson)
        state.token = attempt.token
    return state


@dataclass
class QuizResult:
    attempt: QuizAttempt
    replay: bool = False
    completed_course: bool = False


def score_answers(quiz: Quiz, data) -> tuple[int, dict]:
    """Score from the submitted option numbers only (any score/passed field sent is ignored)."""
    questions = list(quiz.questions.all())
    correct = 0
    answers = {}
    for q in questions:
        raw = data.getlist(f"q{q.pk}") if hasattr(data, "getlist") else data.get(f"q{q.pk}", [])
        if isinstance(raw, str):
            raw = [raw]
        n_options = len(q.parsed_options())
        chosen = sorted({int(v) for v in raw if str(v).isdigit() and int(v) < n_options})
        if q.kind == q.Kind.SINGLE:
            chosen = chosen[:1] if len(chosen) == 1 else []
        answers[str(q.pk)] = chosen
        if chosen and frozenset(chosen) == q.correct_set():
            correct += 1
    score = round(100 * correct / len(questions)) if questions else 0
    return score, answers


def submit_quiz(user, token: str, data) -> QuizResult:
    attempt = (
        QuizAttempt.objects.select_related("quiz", "lesson", "enrolment")
        .filter(token=token or "", enrolment__user=user)
        .first()
    )
    if attempt is None:
        raise Refused(_("This quiz form is not valid for your account. Enrol in the course and open the lesson again."))
    if attempt.submitted_at is not None:
        return QuizResult(attempt=attempt, replay=True)
    quiz = attempt.quiz
    if attempt.lesson.get_parent().pk != attempt.enrolment.course_id or quiz.pk not in attempt.lesson.quiz_ids():
        raise Refused(_("This quiz is no longer part of the lesson."))
    score, answers = score_answers(quiz, data)
    now = timezone.now()
    with transaction.atomic():
        # Lock the enrolment: attempts of one learner are counted one at a time.
        enrolment = Enrolment.objects.select_for_update().get(pk=attempt.enrolment_id)
        submitted = QuizAttempt.objects.filter(enrolment=enrolment, quiz=quiz, submitted_at__isnull=False)
        if submitted.filter(passed=True).exists():
            raise Refused(_("You have already passed this quiz."))
        if quiz.max_attempts and submitted.count() >= quiz.max_attempts:
            raise Refused(_("You have used all %(n)s attempts for this quiz.") % {"n": quiz.max_attempts})
        passed = score >= quiz.pass_mark
        won = QuizAttempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(
            submitted_at=now, score=score, passed=passed, answers=answers
        )
        attempt.refresh_from_db()
        if won != 1:
            return QuizResult(attempt=attempt, replay=True)
        if passed:
            progress, _created = LessonProgress.objects.select_for_update().get_or_create(
                enrolment=enrolment, lesson=attempt.lesson
            )
            passed_quizzes = set(
                QuizAttempt.objects.filter(enrolment=enrolment, lesson=attempt.lesson, passed=True).values_list(
                    "quiz_id", flat=True
                )
            )
            progress.quiz_passed_at = progress.quiz_passed_at or now
            if progress.completed_at is None and set(attempt.lesson.quiz_ids()) <= passed_quizzes:
                progress.completed_at = now
                progress.seconds_spent += _elapsed(progress, now)
            progress.save(update_fields=["quiz_passed_at", "completed_at", "seconds_spent"])
    completed = evaluate_completion(attempt.enrolment_id)
    return QuizResult(attempt=attempt, completed_course=completed)


# --- page contexts --------------------------------------------------------------------------


def _is_preview(request) -> bool:
    return bool(getattr(request, "is_preview", False))


def _enrolment_for(request, course_id: int) -> Enrolment | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return Enrolment.objects.filter(user=user, course_id=course_id).first()


def course_context(course: CoursePage, request) -> dict:
    enrolment = None if _is_preview(request) else _enrolment_for(request, course.pk)
    lessons = list(course.lessons())
    done = {}
    if enrolment is not None:
        done = dict(LessonProgress.objects.filter(enrolment=enrolment).values_list("lesson_id", "completed_at"))
    rows = [{"lesson": lesson, "opened": lesson.pk in done, "done": bool(done.get(lesson.pk))} for lesson in lessons]
    resume = None
    if enrolment is not None:
        resume = next((r["lesson"] for r in rows if not r["done"]), None) or enrolment.last_lesson
    user = getattr(request, "user", None)
    refusal = None
    if enrolment is None and user is not None and user.is_authenticated:
        refusal = enrolment_refusal(user, course)
    certificate = Certificate.objects.filter(enrolment=enrolment).first() if enrolment else None
    return {
        "enrolment": enrolment,
        "lesson_rows": rows,
        "resume_lesson": resume,
        "enrol_refusal": refusal,
        "certificate": certificate,
        "can_manage": scope_for(user).is_coordinator if user is not None else False,
    }


def lesson_context(lesson: LessonPage, request) -> dict:
    course = CoursePage.objects.get(pk=lesson.get_parent().pk)
    context = {"course": course, "enrolment": None, "quiz_states": {}, "progress": None}
    if _is_preview(request):
        context["quiz_states"] = {q.pk: quiz_preview_state(q) for q in Quiz.objects.filter(pk__in=lesson.quiz_ids())}
        return context
    enrolment = _enrolment_for(request, course.pk)
    if enrolment is None:
        return context
    progress = record_view(enrolment, lesson)
    enrolment.refresh_from_db()
    siblings = list(course.lessons())
    index = next((i for i, s in enumerate(siblings) if s.pk == lesson.pk), 0)
    context.update(
        enrolment=enrolment,
        progress=LessonProgress.objects.get(pk=progress.pk),
        quiz_states={
            q.pk: quiz_state(enrolment, q, lesson)
            for q in Quiz.objects.filter(pk__in=lesson.quiz_ids()).prefetch_related("questions")
        },
        next_lesson=siblings[index + 1] if index + 1 < len(siblings) else None,
        previous_lesson=siblings[index - 1] if index > 0 else None,
    )
    return context


def quiz_preview_state(quiz: Quiz) -> QuizState:
    return QuizState(quiz=quiz, questions=[(q, q.choices()) for q in quiz.questions.all()])
