"""Course operations shared by views, the demo loader and tests, one module per concern:

- `enrolment`: who may enrol, self-enrolment, a coordinator's bulk assignment;
- `study`: a lesson's requirements (engaged time, watched video share, assessments) and the
  progress events that measure study time on the server;
- `completion`: the one evaluation that completes an enrolment, issues its certificate and
  sends `course_completed`, exactly once;
- `quizzes`: signed attempt tokens, attempts left, scoring, extra attempts granted (audited);
- `pages`: the context course and lesson pages render with;
- `refusals`: `Refused`, whose message is shown to the user as is.

Callers import from `courses.services`; the names below are its public surface.

Locks are always taken in one order: enrolment, study clock, lesson progress.
"""

from .completion import (
    DEFAULT_CERTIFICATE_ISSUER,
    certificate_issuer,
    evaluate_completion,
    set_certificate_issuer_lookup,
)
from .enrolment import bulk_assign, enrol, enrolment_refusal
from .pages import course_context, lesson_context, quiz_preview_state
from .quizzes import (
    AUDIT_ACTIONS,
    QuizResult,
    QuizState,
    allowed_attempts,
    attempt_token,
    grant_attempts,
    quiz_state,
    score_answers,
    submit_quiz,
    unanswered,
)
from .refusals import Refused
from .study import (
    MAX_CREDIT_PER_EVENT,
    MAX_PLAYBACK_RATE,
    PROGRESS_EVENTS,
    VIDEO_SHARE_REQUIRED,
    LessonRequirement,
    ProgressReport,
    StudyFacts,
    complete_lesson_if_met,
    course_requirements,
    finish_lesson,
    lesson_done,
    lesson_requirement,
    progress_event,
    record_progress,
    study_facts,
    video_percent,
)

__all__ = [
    "AUDIT_ACTIONS",
    "DEFAULT_CERTIFICATE_ISSUER",
    "MAX_CREDIT_PER_EVENT",
    "MAX_PLAYBACK_RATE",
    "PROGRESS_EVENTS",
    "VIDEO_SHARE_REQUIRED",
    "LessonRequirement",
    "ProgressReport",
    "QuizResult",
    "QuizState",
    "Refused",
    "StudyFacts",
    "allowed_attempts",
    "attempt_token",
    "bulk_assign",
    "certificate_issuer",
    "complete_lesson_if_met",
    "course_context",
    "course_requirements",
    "enrol",
    "enrolment_refusal",
    "evaluate_completion",
    "finish_lesson",
    "grant_attempts",
    "lesson_context",
    "lesson_done",
    "lesson_requirement",
    "progress_event",
    "quiz_preview_state",
    "quiz_state",
    "record_progress",
    "score_answers",
    "set_certificate_issuer_lookup",
    "study_facts",
    "submit_quiz",
    "unanswered",
    "video_percent",
]
