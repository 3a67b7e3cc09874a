from .h5p import H5PContent, H5PLibrary, H5PResult, H5PStatement, H5PUserData
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
    "H5PContent",
    "H5PLibrary",
    "H5PResult",
    "H5PStatement",
    "H5PUserData",
    "LessonPage",
    "LessonProgress",
    "Quiz",
    "QuizAttempt",
    "QuizAttemptGrant",
    "QuizQuestion",
    "StudyClock",
    "Topic",
]
