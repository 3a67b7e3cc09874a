"""The context a course page and a lesson page render with (the pages ask this module, never the reverse)."""

import hashlib
import math

from django.conf import settings
from django.core.cache import cache
from django.db.models import FilteredRelation, Q
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from wagtail.blocks import ChooserBlock, StreamValue, StructBlock

from accounts.scope import scope_for
from cms.core import readahead, template_sources, versions
from cms.core.prepared import Prepared

from ..models import (
    Certificate,
    CoursePage,
    Enrolment,
    H5PContent,
    H5PResult,
    LessonPage,
    LessonProgress,
    Quiz,
)
from .enrolment import enrolment_refusal
from .quizzes import QuizState, quiz_state
from .study import VIDEO_SHARE_REQUIRED, course_requirements, lesson_requirement, video_percent

# --- page contexts --------------------------------------------------------------------------


def _is_preview(request) -> bool:
    return bool(getattr(request, "is_preview", False))


def _enrolment_for(request, course_id: int) -> Enrolment | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return Enrolment.objects.filter(user=user, course_id=course_id).first()


EXAMPLE_USER, EXAMPLE_COURSE, EXAMPLE_LESSON = -730_241_901, -730_241_902, -730_241_903  # no row has these


def _enrolment_with_lesson_progress(user_id: int, course_id: int, lesson_id: int):
    return (
        Enrolment.objects.filter(user_id=user_id, course_id=course_id)
        .annotate(this_lesson=FilteredRelation("lesson_progress", condition=Q(lesson_progress__lesson_id=lesson_id)))
        .select_related("this_lesson")[:1]
    )


# The lesson GET's own query, compiled once (cms.core.prepared): the LEFT JOIN costs more to
# compile than to run.
_enrolment_query = Prepared(
    _enrolment_with_lesson_progress, user_id=EXAMPLE_USER, course_id=EXAMPLE_COURSE, lesson_id=EXAMPLE_LESSON
)


def _enrolment_and_progress(request, course_id: int, lesson_id: int) -> tuple[Enrolment | None, LessonProgress | None]:
    """The learner's enrolment and their progress in this lesson, in one query (a LEFT JOIN)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None, None
    enrolment = _enrolment_query.first(user_id=user.pk, course_id=course_id, lesson_id=lesson_id)
    if enrolment is None:
        return None, None
    return enrolment, getattr(enrolment, "this_lesson", None)  # unset when the learner has no row yet


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


# --- the lesson page (decision 0025) ---------------------------------------------------------
# What is the same for every learner — the course, its catalogue, the neighbouring lessons, the
# lesson's requirement, its quizzes (with their questions) and H5P contents, and the HTML of
# every block that does not depend on the learner — is cached per lesson, published revision
# and content version (cms.core.versions: any publish, move, delete or snippet/image/document
# save starts a new one). What is the learner's own — enrolment, progress, quiz attempts, H5P
# results and the quiz and H5P blocks drawn from them — is read on every request.

LESSON_SECONDS = 3600  # a backstop: the content version already changes on every publish
LIVE_BLOCKS = ("quiz", "h5p")  # drawn per learner (attempts, tokens, results)


def _lesson_key(kind: str, lesson: LessonPage) -> str:
    return f"lesson:{kind}:{versions.current(versions.CONTENT)}:{lesson.pk}:{lesson.live_revision_id}"


def _body_key(lesson: LessonPage) -> str:
    return _lesson_key("body", lesson) + f":{get_language()}"


def lesson_static(lesson: LessonPage, found: dict | None = None) -> dict:
    """The part of a lesson page that is the same for every learner (cached, see above).
    `found`: what one read of the cache returned for this lesson's keys (lesson_context)."""
    key = _lesson_key("static", lesson)
    data = (found if found is not None else {key: cache.get(key)}).get(key)
    if data is None:
        course = CoursePage.objects.get(pk=lesson.get_parent().pk)
        siblings = list(course.lessons())
        index = next((i for i, s in enumerate(siblings) if s.pk == lesson.pk), 0)
        requirement = lesson_requirement(lesson, course)
        data = {
            "course": course,
            "catalogue": course.get_parent(),
            "requirement": requirement,
            "next_lesson": siblings[index + 1] if index + 1 < len(siblings) else None,
            "previous_lesson": siblings[index - 1] if index > 0 else None,
            "quizzes": {
                q.pk: q for q in Quiz.objects.filter(pk__in=requirement.quiz_ids).prefetch_related("questions")
            },
            "h5p_contents": {c.pk: c for c in H5PContent.objects.filter(pk__in=requirement.h5p_ids)},
        }
        for quiz in data["quizzes"].values():
            list(quiz.questions.all())  # the prefetched questions travel with the quiz
        cache.set(key, data, LESSON_SECONDS)
    return data


def _rendered_blocks(lesson: LessonPage, request, found: dict | None = None) -> list[str | None]:
    """Each block's HTML, or None for a block drawn per learner; cached per revision and language."""
    key = _body_key(lesson)
    parts = (found if found is not None else {key: cache.get(key)}).get(key)
    if parts is None:
        context = {"page": lesson, "self": lesson, "request": request}
        parts = [
            None if child.block_type in LIVE_BLOCKS else str(child.render(context=context)) for child in lesson.body
        ]
        cache.set(key, parts, LESSON_SECONDS)
    return parts


def _live_child(lesson: LessonPage, raw: dict, objects: dict) -> StreamValue.StreamChild:
    """A quiz or H5P block's value built from the raw data and the cached snippets (no query)."""
    block = lesson.body.stream_block.child_blocks[raw["type"]]
    raw_value = raw.get("value") or {}
    items = []
    for name, child in block.child_blocks.items():
        value = raw_value.get(name)
        if isinstance(child, ChooserBlock):
            items.append((name, objects.get(int(value)) if value else None))
        else:
            items.append((name, child.to_python(value) if value is not None else child.get_default()))
    assert isinstance(block, StructBlock)
    return StreamValue.StreamChild(block, block._to_struct_value(items), id=raw.get("id"))


def lesson_body(lesson: LessonPage, request, static: dict, found: dict | None = None) -> list:
    """The body as parts for the template: {"html": …} for cached blocks, {"block": …} for live ones."""
    objects = {"quiz": static["quizzes"], "h5p": static["h5p_contents"]}
    parts = []
    for raw, html in zip(lesson.body.raw_data, _rendered_blocks(lesson, request, found), strict=True):
        if html is None:
            parts.append({"block": _live_child(lesson, raw, objects[raw["type"]])})
        else:
            parts.append({"html": mark_safe(html)})  # noqa: S308 (our own templates' output, cached)
    return parts


def lesson_context(lesson: LessonPage, request) -> dict:
    """Read-only: a GET of a lesson writes nothing (time and views arrive as progress events)."""
    if _is_preview(request):
        course = CoursePage.objects.get(pk=lesson.get_parent().pk)
        return {
            "course": course,
            "catalogue": course.get_parent(),
            "enrolment": None,
            "progress": None,
            "has_h5p": bool(lesson.h5p_blocks()),
            "quiz_states": {q.pk: quiz_preview_state(q) for q in Quiz.objects.filter(pk__in=lesson.quiz_ids())},
        }
    # One round trip for both, and for the menu's keys (cms.core.readahead).
    found = readahead.get_many([_lesson_key("static", lesson), _body_key(lesson)])
    static = lesson_static(lesson, found)
    course, requirement = static["course"], static["requirement"]
    context = {
        "course": course,
        "catalogue": static["catalogue"],
        "enrolment": None,
        "quiz_states": {},
        "progress": None,
        "has_h5p": bool(requirement.h5p_ids),
        "body_parts": lesson_body(lesson, request, static, found),
    }
    enrolment, progress = _enrolment_and_progress(request, course.pk, lesson.pk)
    if enrolment is None:
        return _with_content_key(lesson, request, context)
    context.update(
        enrolment=enrolment,
        progress=progress,
        requirement=requirement,
        study={
            "minutes": (progress.seconds_spent // 60) if progress else 0,
            "required_minutes": math.ceil(requirement.seconds / 60),
            "minutes_left": requirement.minutes_left(progress),
            "video_percent": video_percent(progress, requirement),
            "video_required_percent": round(VIDEO_SHARE_REQUIRED * 100),
            "time_met": bool(progress and requirement.time_met(progress)),
            "heartbeat": getattr(settings, "LESSON_HEARTBEAT_SECONDS", 20),
        },
        quiz_states={pk: quiz_state(enrolment, quiz, lesson) for pk, quiz in static["quizzes"].items()},
        h5p_states=(
            {r.content_id: r for r in H5PResult.objects.filter(enrolment=enrolment, lesson_id=lesson.pk)}
            if requirement.h5p_ids
            else {}
        ),
        next_lesson=static["next_lesson"],
        previous_lesson=static["previous_lesson"],
    )
    return _with_content_key(lesson, request, context)


LESSON_TEMPLATE = "courses/lesson_page.html"


def _with_content_key(lesson: LessonPage, request, context: dict) -> dict:
    """The key of the lesson's main column as rendered HTML ({% fragment %}, decision 0044): made of
    everything that column shows — the lesson's revision and the content generation (titles, the
    course's and neighbours' addresses, the body), the site, the language, the template's source,
    and the learner's state as the column draws it (enrolled or not, course percentage, finished
    or not, the study-time figures). Learners in the same state share it; a lesson with a quiz or
    an H5P block (drawn from the learner's own attempts and grants) is rendered every time."""
    if any("block" in part for part in context["body_parts"]):
        return context
    enrolment, progress = context["enrolment"], context["progress"]
    requirement = context.get("requirement")
    site = getattr(request, "_wagtail_site", None)
    facts = (
        template_sources.digest(LESSON_TEMPLATE),
        site.pk if site is not None else None,
        enrolment is not None,
        enrolment.progress_percent if enrolment is not None else None,
        bool(progress and progress.completed_at),
        tuple(sorted((context.get("study") or {}).items())),
        bool(requirement and requirement.needs_mark),
    )
    digest = hashlib.blake2b(repr(facts).encode(), digest_size=16).hexdigest()
    key = f"{_lesson_key('page', lesson)}:{get_language()}:{digest}"
    context.update(content_key=key, fragment_keys=[key])
    return context


def quiz_preview_state(quiz: Quiz) -> QuizState:
    return QuizState(quiz=quiz, questions=[(q, q.choices()) for q in quiz.questions.all()])
