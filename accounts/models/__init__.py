from .audit import AuditEvent
from .membership import SchoolMembership
from .parents import JoinCode
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
    "AuditEvent",
    "CoordinatorRole",
    "District",
    "JoinCode",
    "ParentProfile",
    "School",
    "SchoolClass",
    "SchoolMembership",
    "TeacherCategory",
    "TeacherProfile",
    "Term",
    "TrainingYear",
    "User",
]
