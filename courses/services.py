"""Course operations shared by views, the demo loader and tests.

A lesson's requirements: engaged time (its share of the course's minimum study time),
the watched share of its videos, and its quizzes passed (plain lessons: the learner marks
them finished). Time is measured on the server from explicit progress events posted by the
lesson page while it is visible; a plain GET of a lesson writes nothing.

Completion is evaluated when a lesson's last requirement is met (a progress event, a
finished lesson, a passed quiz). The first completion is decided by a conditional UPDATE
on a locked enrolment row, and `course_completed` is sent inside that transaction: two
requests at once, a replayed request or a second evaluation never complete (or credit) twice.

Locks are always taken in one order: enrolment, study clock, lesson progress.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import audit
from accounts.models import TeacherProfile, TrainingYear
from accounts.scope import scope_for

from .media import video_duration
from .models import (
    Certificate,
    CoursePage,
    Enrolment,
    H5PResult,
    LessonPage,
    LessonProgress,
    Quiz,
    QuizAttempt,
    QuizAttemptGrant,
    StudyClock,
)
from .signals import course_completed

# One progress event credits at most this many seconds: the page posts a heartbeat every
# LESSON_HEARTBEAT_SECONDS while it is visible, so a longer gap is a closed lid or a lost tab.
MAX_CREDIT_PER_EVENT = 60
# Watched video may grow at most this fast against the server's clock (the player's 2× speed).
MAX_PLAYBACK_RATE = 2
# A lesson's videos count as watched at this share of their length.
VIDEO_SHARE_REQUIRED = 0.9
PROGRESS_EVENTS = ("open", "beat", "pause")


class Refused(Exception):
    """An action the user may not take; the message is shown to them as is."""


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


# --- study requirements -------------------------------------------------------------------


@dataclass
class LessonRequirement:
    """What one lesson asks of a learner before it counts as finished."""

    lesson_id: int
    seconds: int = 0  # engaged time
    video_total: int = 0  # length of the lesson's videos (seconds), when known
    quiz_ids: list[int] = field(default_factory=list)
    h5p_ids: list[int] = field(default_factory=list)  # H5P content to pass (each block's own pass mark)

    @property
    def video_seconds(self) -> int:
        return math.ceil(self.video_total * VIDEO_SHARE_REQUIRED)

    @property
    def needs_mark(self) -> bool:
        """Lessons without an assessment are finished by the learner saying so."""
        return not self.quiz_ids and not self.h5p_ids

    def h5p_met(self, progress: LessonProgress) -> bool:
        """Every H5P block of the lesson has a passing result (courses.h5p.xapi records them)."""
        if not self.h5p_ids:
            return True
        passed = set(
            H5PResult.objects.filter(
                enrolment_id=progress.enrolment_id, lesson_id=progress.lesson_id, passed_at__isnull=False
            ).values_list("content_id", flat=True)
        )
        return set(self.h5p_ids) <= passed

    def time_met(self, progress: LessonProgress) -> bool:
        return progress.seconds_spent >= self.seconds and progress.video_seconds >= self.video_seconds

    def met(self, progress: LessonProgress, marked: bool = False) -> bool:
        if not self.time_met(progress):
            return False
        if self.quiz_ids and progress.quiz_passed_at is None:
            return False
        if not self.h5p_met(progress):
            return False
        return not self.needs_mark or marked or progress.completed_at is not None

    def minutes_left(self, progress: LessonProgress | None) -> int:
        spent = progress.seconds_spent if progress else 0
        return math.ceil(max(0, self.seconds - spent) / 60)


def _time_shares(course: CoursePage, rows) -> dict[int, int]:
    """Seconds each lesson requires. rows: (pk, required, estimated_minutes, minimum_minutes).

    A lesson's own minimum wins; the rest of the course's minimum is shared among the other
    required lessons in proportion to their estimated minutes. Optional lessons ask nothing
    unless they set their own minimum.
    """
    explicit = {pk: minimum * 60 for pk, _required, _est, minimum in rows if minimum is not None}
    derived = [(pk, max(est or 0, 1)) for pk, required, est, minimum in rows if required and minimum is None]
    claimed = sum(minimum * 60 for _pk, required, _est, minimum in rows if required and minimum is not None)
    remaining = max(0, course.study_minutes * 60 - claimed)
    weight = sum(w for _pk, w in derived)
    shares = {pk: remaining * w // weight for pk, w in derived} if weight else {}
    return {pk: explicit.get(pk, shares.get(pk, 0)) for pk, *_rest in rows}


def _video_total(lesson: LessonPage) -> int:
    from wagtail.documents import get_document_model

    ids = lesson.video_document_ids()
    if not ids:
        return 0
    documents = get_document_model().objects.filter(pk__in=ids)
    return int(sum(video_duration(doc) or 0 for doc in documents))


def lesson_requirement(lesson: LessonPage, course: CoursePage | None = None) -> LessonRequirement:
    course = course or CoursePage.objects.get(pk=lesson.get_parent().pk)
    rows = list(course.lessons().values_list("pk", "required", "estimated_minutes", "minimum_minutes"))
    if lesson.pk not in {r[0] for r in rows}:
        rows.append((lesson.pk, lesson.required, lesson.estimated_minutes, lesson.minimum_minutes))
    return LessonRequirement(
        lesson_id=lesson.pk,
        seconds=_time_shares(course, rows)[lesson.pk],
        video_total=_video_total(lesson),
        quiz_ids=lesson.quiz_ids(),
        h5p_ids=list(lesson.h5p_blocks()),
    )


def course_requirements(course: CoursePage, lessons: list[LessonPage]) -> dict[int, LessonRequirement]:
    rows = [(lesson.pk, lesson.required, lesson.estimated_minutes, lesson.minimum_minutes) for lesson in lessons]
    shares = _time_shares(course, rows)
    return {
        lesson.pk: LessonRequirement(
            lesson_id=lesson.pk,
            seconds=shares[lesson.pk],
            video_total=_video_total(lesson),
            quiz_ids=lesson.quiz_ids(),
            h5p_ids=list(lesson.h5p_blocks()),
        )
        for lesson in lessons
    }


# --- progress -------------------------------------------------------------------------------


@dataclass
class ProgressReport:
    """The answer to a progress event: what the lesson page shows the learner."""

    progress: LessonProgress
    requirement: LessonRequirement
    lesson_done: bool = False
    course_completed: bool = False

    def as_json(self) -> dict:
        return {
            "seconds": self.progress.seconds_spent,
            "required_seconds": self.requirement.seconds,
            "video_seconds": self.progress.video_seconds,
            "video_required": self.requirement.video_seconds,
            "video_percent": _video_percent(self.progress, self.requirement),
            "minutes": self.progress.seconds_spent // 60,
            "minutes_left": self.requirement.minutes_left(self.progress),
            "lesson_done": self.lesson_done,
            "course_completed": self.course_completed,
        }


def _credit(clock: StudyClock, now) -> int:
    """Seconds since the learner's previous event, capped: never more than the time that really passed."""
    if clock.last_event_at is None:
        return 0
    return max(0, min(MAX_CREDIT_PER_EVENT, int((now - clock.last_event_at).total_seconds())))


def _settle(progress: LessonProgress, requirement: LessonRequirement, now, marked: bool = False) -> bool:
    """Finish the (locked) lesson progress if every requirement holds. True when it just finished."""
    if progress.completed_at is None and requirement.met(progress, marked=marked):
        progress.completed_at = now
        return True
    return False


def record_progress(
    enrolment: Enrolment, lesson: LessonPage, event: str, video_watched: float | None = None, *, mark: bool = False
) -> ProgressReport:
    """A progress event from the lesson page (open / beat / pause) or the learner's finish mark.

    `open` starts the clock (crediting nothing: the time before it was not spent here);
    `beat` credits the time since the learner's previous event; `pause` credits it and
    stops the clock. `video_watched` is the page's total of played video seconds; it may
    grow at most MAX_PLAYBACK_RATE times as fast as the credited time.
    """
    if event not in PROGRESS_EVENTS:
        raise Refused(_("Unknown progress event."))
    requirement = lesson_requirement(lesson)
    now = timezone.now()
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        clock, _created = StudyClock.objects.select_for_update().get_or_create(user_id=locked.user_id)
        credit = 0 if event == "open" else _credit(clock, now)
        clock.last_event_at = None if event == "pause" else now
        clock.save(update_fields=["last_event_at"])
        progress, _created = LessonProgress.objects.select_for_update().get_or_create(enrolment=locked, lesson=lesson)
        progress.seconds_spent += credit
        if video_watched is not None and requirement.video_total:
            ceiling = min(progress.video_seconds + credit * MAX_PLAYBACK_RATE, requirement.video_total)
            progress.video_seconds = max(progress.video_seconds, min(int(video_watched), ceiling))
        progress.last_viewed_at = now
        just_done = _settle(progress, requirement, now, marked=mark)
        progress.save(update_fields=["seconds_spent", "video_seconds", "last_viewed_at", "completed_at"])
        if event == "open" and locked.last_lesson_id != lesson.pk:
            Enrolment.objects.filter(pk=locked.pk).update(last_lesson=lesson)
    report = ProgressReport(progress=progress, requirement=requirement, lesson_done=progress.completed_at is not None)
    if just_done:
        report.course_completed = evaluate_completion(enrolment.pk)
    return report


def complete_lesson_if_met(enrolment: Enrolment, lesson: LessonPage) -> bool:
    """Finish the lesson if its requirements now hold (after an assessment was passed), then
    evaluate the course. True only when this call completed the course.

    The one way an assessment (quiz, H5P) result reaches completion.
    """
    requirement = lesson_requirement(lesson)
    now = timezone.now()
    with transaction.atomic():
        Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
        progress, _created = LessonProgress.objects.select_for_update().get_or_create(
            enrolment=enrolment, lesson=lesson
        )
        just_done = _settle(progress, requirement, now)
        if just_done:
            progress.save(update_fields=["completed_at"])
    return evaluate_completion(enrolment.pk) if just_done else False


def lesson_done(enrolment: Enrolment, lesson: LessonPage) -> bool:
    return LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson, completed_at__isnull=False).exists()


def finish_lesson(enrolment: Enrolment, lesson: LessonPage) -> bool:
    """The learner says they finished reading. Lessons with a quiz or H5P exercise finish when it
    is passed; every lesson needs its study time (and its videos watched) first."""
    if lesson.quiz_ids():
        raise Refused(_("Pass the quiz to finish this lesson."))
    if lesson.h5p_blocks():
        raise Refused(_("Complete the interactive exercise to finish this lesson."))
    report = record_progress(enrolment, lesson, "beat", mark=True)
    if not report.lesson_done:
        raise Refused(_time_refusal(report.requirement, report.progress))
    return report.course_completed


def _time_refusal(requirement: LessonRequirement, progress: LessonProgress) -> str:
    if progress.seconds_spent < requirement.seconds:
        return _(
            "This lesson asks for %(required)s minutes of study; you have studied %(spent)s. "
            "Keep the lesson open for %(left)s more minutes."
        ) % {
            "required": math.ceil(requirement.seconds / 60),
            "spent": progress.seconds_spent // 60,
            "left": requirement.minutes_left(progress),
        }
    return _("Watch the lesson's video to the end (at least %(share)s%% of it) to finish this lesson.") % {
        "share": round(VIDEO_SHARE_REQUIRED * 100)
    }


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


# --- quizzes --------------------------------------------------------------------------------

ATTEMPT_SALT = "courses.quiz-attempt"


def attempt_token(enrolment_id: int, quiz_id: int, lesson_id: int, number: int) -> str:
    """The signed name of the attempt a form will become: showing a form writes nothing."""
    return signing.dumps([enrolment_id, quiz_id, lesson_id, number], salt=ATTEMPT_SALT)


def _read_token(token: str) -> tuple[int, int, int, int] | None:
    try:
        values = signing.loads(token or "", salt=ATTEMPT_SALT)
    except signing.BadSignature:
        return None
    if not (isinstance(values, list) and len(values) == 4 and all(isinstance(v, int) for v in values)):
        return None
    return tuple(values)


def allowed_attempts(enrolment: Enrolment, quiz: Quiz) -> int | None:
    """The quiz's limit plus the extra attempts coordinators granted; None: unlimited."""
    if not quiz.max_attempts:
        return None
    granted = QuizAttemptGrant.objects.filter(enrolment=enrolment, quiz=quiz).aggregate(n=Sum("extra_attempts"))["n"]
    return quiz.max_attempts + (granted or 0)


@dataclass
class QuizState:
    """What the quiz block needs to render for one learner (never the answers, unless the quiz allows it)."""

    quiz: Quiz
    token: str | None = None
    used: int = 0
    passed: bool = False
    last_score: int | None = None
    allowed: int | None = None  # None: unlimited
    attempts_left: int | None = None  # None: unlimited
    questions: list = field(default_factory=list)
    wrong: list = field(default_factory=list)  # after a failed attempt: (number, question, correct option texts)

    @property
    def left_after_this(self) -> int | None:
        return None if self.attempts_left is None else self.attempts_left - 1


def quiz_state(enrolment: Enrolment, quiz: Quiz, lesson: LessonPage) -> QuizState:
    submitted = list(
        QuizAttempt.objects.filter(enrolment=enrolment, quiz=quiz)
        .order_by("-number")
        .values_list("number", "score", "passed", "answers")
    )
    state = QuizState(quiz=quiz, used=len(submitted), passed=any(p for _n, _s, p, _a in submitted))
    questions = list(quiz.questions.all())
    state.questions = [(q, q.choices()) for q in questions]
    state.allowed = allowed_attempts(enrolment, quiz)
    if state.allowed is not None:
        state.attempts_left = max(0, state.allowed - state.used)
    if submitted:
        _number, state.last_score, last_passed, answers = submitted[0]
        if not last_passed:
            state.wrong = _wrong_questions(quiz, questions, answers or {})
    if not state.passed and state.attempts_left != 0:
        number = (submitted[0][0] if submitted else 0) + 1
        state.token = attempt_token(enrolment.pk, quiz.pk, lesson.pk, number)
    return state


def _wrong_questions(quiz: Quiz, questions, answers: dict) -> list[tuple[int, object, list[str]]]:
    wrong = []
    for n, q in enumerate(questions, start=1):
        if frozenset(answers.get(str(q.pk), [])) != q.correct_set():
            shown = [text for text, correct in q.parsed_options() if correct] if quiz.show_answers else []
            wrong.append((n, q, shown))
    return wrong


@dataclass
class QuizResult:
    attempt: QuizAttempt
    replay: bool = False
    completed_course: bool = False
    lesson_done: bool = False


def _chosen(q, data) -> list[int]:
    raw = data.getlist(f"q{q.pk}") if hasattr(data, "getlist") else data.get(f"q{q.pk}", [])
    if isinstance(raw, str):
        raw = [raw]
    n_options = len(q.parsed_options())
    chosen = sorted({int(v) for v in raw if str(v).isdigit() and int(v) < n_options})
    if q.kind == q.Kind.SINGLE:
        chosen = chosen[:1] if len(chosen) == 1 else []
    return chosen


def score_answers(quiz: Quiz, data) -> tuple[int, dict]:
    """Score from the submitted option numbers only (any score/passed field sent is ignored)."""
    questions = list(quiz.questions.all())
    correct = 0
    answers = {}
    for q in questions:
        chosen = _chosen(q, data)
        answers[str(q.pk)] = chosen
        if chosen and frozenset(chosen) == q.correct_set():
            correct += 1
    score = round(100 * correct / len(questions)) if questions else 0
    return score, answers


def unanswered(quiz: Quiz, data) -> list[int]:
    """Question numbers (1, 2 …) with no valid answer: such a sheet is refused, not counted."""
    return [n for n, q in enumerate(quiz.questions.all(), start=1) if not _chosen(q, data)]


def submit_quiz(user, token: str, data) -> QuizResult:
    parsed = _read_token(token)
    enrolment = Enrolment.objects.filter(pk=parsed[0], user=user).first() if parsed else None
    if enrolment is None:
        raise Refused(_("This quiz form is not valid for your account. Enrol in the course and open the lesson again."))
    _enrolment_id, quiz_id, lesson_id, number = parsed
    quiz = Quiz.objects.filter(pk=quiz_id).first()
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    in_course = lesson is not None and lesson.get_parent().pk == enrolment.course_id
    if quiz is None or not in_course or quiz.pk not in lesson.quiz_ids():
        raise Refused(_("This quiz is no longer part of the lesson."))
    existing = QuizAttempt.objects.filter(enrolment=enrolment, quiz=quiz, number=number).first()
    if existing is not None:
        return QuizResult(attempt=existing, replay=True)
    missing = unanswered(quiz, data)
    if missing:
        raise Refused(
            _("Answer every question before submitting: question %(numbers)s has no answer. Nothing was counted.")
            % {"numbers": _(", ").join(str(n) for n in missing)}
        )
    score, answers = score_answers(quiz, data)
    now = timezone.now()
    with transaction.atomic():
        # Lock the enrolment: attempts of one learner are counted one at a time.
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        submitted = QuizAttempt.objects.filter(enrolment=enrolment, quiz=quiz)
        existing = submitted.filter(number=number).first()
        if existing is not None:
            return QuizResult(attempt=existing, replay=True)
        if submitted.filter(passed=True).exists():
            raise Refused(_("You have already passed this quiz."))
        allowed = allowed_attempts(enrolment, quiz)
        if allowed is not None and submitted.count() >= allowed:
            raise Refused(_("You have used all %(n)s attempts for this quiz.") % {"n": allowed})
        passed = score >= quiz.pass_mark
        try:
            with transaction.atomic():
                attempt = QuizAttempt.objects.create(
                    enrolment=enrolment,
                    quiz=quiz,
                    lesson=lesson,
                    number=number,
                    submitted_at=now,
                    score=score,
                    passed=passed,
                    answers=answers,
                )
        except IntegrityError:  # the same sheet submitted twice at once: the other request counted it
            return QuizResult(attempt=submitted.get(number=number), replay=True)
        just_done = lesson_done = False
        if passed:
            progress, _created = LessonProgress.objects.select_for_update().get_or_create(
                enrolment=enrolment, lesson=lesson
            )
            passed_quizzes = set(
                QuizAttempt.objects.filter(enrolment=enrolment, lesson=lesson, passed=True).values_list(
                    "quiz_id", flat=True
                )
            )
            if set(lesson.quiz_ids()) <= passed_quizzes:
                progress.quiz_passed_at = progress.quiz_passed_at or now
            just_done = _settle(progress, lesson_requirement(lesson), now)
            progress.save(update_fields=["quiz_passed_at", "completed_at"])
            lesson_done = progress.completed_at is not None
    completed = evaluate_completion(enrolment.pk) if just_done else False
    return QuizResult(attempt=attempt, completed_course=completed, lesson_done=passed and lesson_done)


# --- coordinators: extra attempts -----------------------------------------------------------


# The courses app's entries in the audit trail, as coordinators read them (registered in CoursesConfig.ready).
AUDIT_ACTIONS = {"quiz.grant_attempts": gettext_lazy("Extra quiz attempts granted")}


def grant_attempts(coordinator, enrolment: Enrolment, quiz: Quiz, extra: int, reason: str) -> QuizAttemptGrant:
    """A coordinator whose scope holds the learner gives extra attempts at one quiz of the course."""
    teacher = enrolment.teacher
    if teacher is None or not scope_for(coordinator).can_see_teacher(teacher):
        raise Refused(_("This learner is outside your scope."))
    course = CoursePage.objects.get(pk=enrolment.course_id)
    quiz_ids = {qid for lesson in course.lessons() for qid in lesson.quiz_ids()}
    if quiz.pk not in quiz_ids:
        raise Refused(_("This quiz is not part of the course."))
    if not 1 <= extra <= 10:
        raise Refused(_("Grant between 1 and 10 extra attempts."))
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Give a reason for the extra attempts."))
    with transaction.atomic():
        Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
        allowed_before = allowed_attempts(enrolment, quiz)
        grant = QuizAttemptGrant.objects.create(
            enrolment=enrolment, quiz=quiz, extra_attempts=extra, reason=reason[:200], granted_by=coordinator
        )
        audit.record(
            actor=coordinator,
            action="quiz.grant_attempts",
            obj=grant,
            school=teacher.school_id,
            summary=_("%(n)s extra attempts at %(quiz)s for %(name)s")
            % {"n": extra, "quiz": quiz.title, "name": enrolment.user.display_name},
            before={"allowed": allowed_before},
            after={"allowed": allowed_attempts(enrolment, quiz), "extra": extra, "reason": grant.reason},
        )
    return grant


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
    requirements = course_requirements(course, lessons)
    progress = {}
    if enrolment is not None:
        progress = {p.lesson_id: p for p in LessonProgress.objects.filter(enrolment=enrolment)}
    rows = []
    for lesson in lessons:
        mine = progress.get(lesson.pk)
        rows.append(
            {
                "lesson": lesson,
                "opened": mine is not None,
                "done": bool(mine and mine.completed_at),
                "minutes": (mine.seconds_spent // 60) if mine else 0,
                "required_minutes": math.ceil(requirements[lesson.pk].seconds / 60),
            }
        )
    resume = None
    if enrolment is not None:
        resume = next((r["lesson"] for r in rows if not r["done"]), None) or enrolment.last_lesson
    user = getattr(request, "user", None)
    refusal = None
    if enrolment is None and user is not None and user.is_authenticated:
        refusal = enrolment_refusal(user, course)
    certificate = Certificate.objects.filter(enrolment=enrolment).first() if enrolment else None
    required_rows = [r for r in rows if r["lesson"].required]
    return {
        "enrolment": enrolment,
        "lesson_rows": rows,
        "resume_lesson": resume,
        "enrol_refusal": refusal,
        "certificate": certificate,
        "can_manage": scope_for(user).is_coordinator if user is not None else False,
        "study_minutes": sum(r["minutes"] for r in rows),
        "study_required_minutes": sum(r["required_minutes"] for r in required_rows),
    }


def lesson_context(lesson: LessonPage, request) -> dict:
    """Read-only: a GET of a lesson writes nothing (time and views arrive as progress events)."""
    course = CoursePage.objects.get(pk=lesson.get_parent().pk)
    h5p_ids = lesson.h5p_blocks()
    context = {"course": course, "enrolment": None, "quiz_states": {}, "progress": None, "has_h5p": bool(h5p_ids)}
    if _is_preview(request):
        context["quiz_states"] = {q.pk: quiz_preview_state(q) for q in Quiz.objects.filter(pk__in=lesson.quiz_ids())}
        return context
    enrolment = _enrolment_for(request, course.pk)
    if enrolment is None:
        return context
    siblings = list(course.lessons())
    index = next((i for i, s in enumerate(siblings) if s.pk == lesson.pk), 0)
    progress = LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson).first()
    requirement = lesson_requirement(lesson, course)
    context.update(
        enrolment=enrolment,
        progress=progress,
        requirement=requirement,
        study={
            "minutes": (progress.seconds_spent // 60) if progress else 0,
            "required_minutes": math.ceil(requirement.seconds / 60),
            "minutes_left": requirement.minutes_left(progress),
            "video_percent": _video_percent(progress, requirement),
            "video_required_percent": round(VIDEO_SHARE_REQUIRED * 100),
            "time_met": bool(progress and requirement.time_met(progress)),
            "heartbeat": getattr(settings, "LESSON_HEARTBEAT_SECONDS", 20),
        },
        quiz_states={
            q.pk: quiz_state(enrolment, q, lesson)
            for q in Quiz.objects.filter(pk__in=requirement.quiz_ids).prefetch_related("questions")
        },
        h5p_states={r.content_id: r for r in H5PResult.objects.filter(enrolment=enrolment, lesson=lesson)},
        next_lesson=siblings[index + 1] if index + 1 < len(siblings) else None,
        previous_lesson=siblings[index - 1] if index > 0 else None,
    )
    return context


def _video_percent(progress: LessonProgress | None, requirement: LessonRequirement) -> int | None:
    if not requirement.video_total:
        return None
    watched = progress.video_seconds if progress else 0
    return min(100, round(100 * watched / requirement.video_total))


def quiz_preview_state(quiz: Quiz) -> QuizState:
    return QuizState(quiz=quiz, questions=[(q, q.choices()) for q in quiz.questions.all()])
