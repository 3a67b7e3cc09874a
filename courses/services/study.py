"""Study: what a lesson requires and how study time is measured.

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

import math
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.core import versions

from ..media import video_duration
from ..models import (
    CoursePage,
    Enrolment,
    H5PResult,
    LessonPage,
    LessonProgress,
    StudyClock,
)
from .completion import evaluate_completion
from .refusals import Refused

# One progress event credits at most this many seconds: the page posts a heartbeat every
# LESSON_HEARTBEAT_SECONDS while it is visible, so a longer gap is a closed lid or a lost tab.
MAX_CREDIT_PER_EVENT = 60
# Watched video may grow at most this fast against the server's clock (the player's 2× speed).
MAX_PLAYBACK_RATE = 2
# A lesson's videos count as watched at this share of their length.
VIDEO_SHARE_REQUIRED = 0.9
PROGRESS_EVENTS = ("open", "beat", "pause")


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
            "video_percent": video_percent(self.progress, self.requirement),
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


@dataclass(frozen=True)
class StudyFacts:
    """What a progress event needs to know about a live lesson: its course and its requirement.
    The same for every learner, so cached (see `study_facts`)."""

    lesson_id: int
    course_id: int
    requirement: LessonRequirement


# A backstop: the content version (cms.core.versions) already changes on every publish, unpublish,
# move or delete of a page and every save or delete of a quiz, H5P content or document — everything
# a requirement is computed from.
FACTS_SECONDS = 3600


def study_facts(lesson_id: int) -> StudyFacts | None:
    """The facts of the live lesson `lesson_id`, or None when there is no such live lesson.

    A lesson page posts a progress event every LESSON_HEARTBEAT_SECONDS while it is open: the
    deadline week's most frequent request. Computing the requirement takes six to eight queries
    (the lesson, its course, the course's lessons, its videos, quizzes and H5P contents); it is
    cached per lesson and content version, so a heartbeat reads only the learner's own rows."""
    key = f"study:facts:{versions.current(versions.CONTENT)}:{lesson_id}"
    facts = cache.get(key)
    if facts is None:
        lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
        if lesson is None:
            return None  # not cached: a made-up id must not fill the cache
        course = CoursePage.objects.get(pk=lesson.get_parent().pk)
        facts = StudyFacts(lesson.pk, course.pk, lesson_requirement(lesson, course))
        cache.set(key, facts, FACTS_SECONDS)
    return facts


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
    facts = StudyFacts(lesson.pk, enrolment.course_id, lesson_requirement(lesson))
    report = progress_event(enrolment.user_id, facts, event, video_watched, mark=mark)
    if report is None:
        raise Enrolment.DoesNotExist
    return report


def progress_event(
    user_id: int, facts: StudyFacts, event: str, video_watched: float | None = None, *, mark: bool = False
) -> ProgressReport | None:
    """`record_progress` for the learner `user_id` on the lesson of `facts`: None (nothing written)
    when they are not enrolled in its course.

    What a heartbeat costs the database: the enrolment row locked (it is also the lookup), the study
    clock read and moved, the lesson progress read and credited — five statements, two of them
    small writes; the lesson and its requirement come from the cache (`study_facts`)."""
    requirement = facts.requirement
    now = timezone.now()
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().filter(user_id=user_id, course_id=facts.course_id).first()
        if locked is None:
            return None
        if event not in PROGRESS_EVENTS:
            raise Refused(_("Unknown progress event."))
        clock, _created = StudyClock.objects.select_for_update().get_or_create(user_id=user_id)
        credit = 0 if event == "open" else _credit(clock, now)
        clock.last_event_at = None if event == "pause" else now
        clock.save(update_fields=["last_event_at"])
        progress, _created = LessonProgress.objects.select_for_update().get_or_create(
            enrolment=locked, lesson_id=facts.lesson_id
        )
        progress.seconds_spent += credit
        if video_watched is not None and requirement.video_total:
            ceiling = min(progress.video_seconds + credit * MAX_PLAYBACK_RATE, requirement.video_total)
            progress.video_seconds = max(progress.video_seconds, min(int(video_watched), ceiling))
        progress.last_viewed_at = now
        just_done = _settle(progress, requirement, now, marked=mark)
        progress.save(update_fields=["seconds_spent", "video_seconds", "last_viewed_at", "completed_at"])
        if event == "open" and locked.last_lesson_id != facts.lesson_id:
            Enrolment.objects.filter(pk=locked.pk).update(last_lesson_id=facts.lesson_id)
    report = ProgressReport(progress=progress, requirement=requirement, lesson_done=progress.completed_at is not None)
    if just_done:
        report.course_completed = evaluate_completion(locked.pk)
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


def video_percent(progress: LessonProgress | None, requirement: LessonRequirement) -> int | None:
    if not requirement.video_total:
        return None
    watched = progress.video_seconds if progress else 0
    return min(100, round(100 * watched / requirement.video_total))
