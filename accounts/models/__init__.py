from .people import (
    AcademicYear,
    AgeStage,
    CoordinatorRole,
    District,
    ParentProfile,
    School,
    SchoolClass,
    TeacherCategory,
    TeacherProfile,
    Term,
    TrainingYear,
    User,
)

__all__ = [
    "AcademicYear",
    "AgeStage",
    "CoordinatorRole",
    "District",
    "ParentProfile",
    "School",
    "SchoolClass",
    "TeacherCategory",
    "TeacherProfile",
    "Term",
    "TrainingYear",
    "User",
]
