from .learning import (
    Certificate,
    Enrolment,
    LessonProgress,
    Quiz,
    QuizAttempt,
    QuizAttemptGrant,
    QuizQuestion,
    StudyClock,
)
from .pages import Audience, CourseIndexPage, CoursePage, LessonPage, Topic

__all__ = [
    "Audience",
    "Certificate",
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "LessonPage",
    "LessonProgress",
    "Quiz",
    "QuizAttempt",
    "QuizAttemptGrant",
    "QuizQuestion",
    "StudyClock",
    "Topic",
]
