"""The context a course page and a lesson page render with (the pages ask this module, never the reverse)."""

import math

from django.conf import settings

from accounts.scope import scope_for

from ..models import (
    Certificate,
    CoursePage,
    Enrolment,
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
            "video_percent": video_percent(progress, requirement),
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


def quiz_preview_state(quiz: Quiz) -> QuizState:
    return QuizState(quiz=quiz, questions=[(q, q.choices()) for q in quiz.questions.all()])
