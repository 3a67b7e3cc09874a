"""Quizzes: signed attempt tokens, attempts left, scoring, and coordinators' extra attempts (audited)."""

from dataclasses import dataclass, field

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import audit
from accounts.scope import scope_for

from ..models import (
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    Quiz,
    QuizAttempt,
    QuizAttemptGrant,
)
from .completion import evaluate_completion
from .refusals import Refused
from .study import _settle, lesson_requirement

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
