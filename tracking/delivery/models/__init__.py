from .activities import ActivityKind, ClassActivity, FamilyVisitTally, ParentLecture
from .calendar import KeyGradeConfig, TermBreak
from .staffing import CoverageArrangement, CoverageKind

__all__ = [
    "ActivityKind",
    "ClassActivity",
    "CoverageArrangement",
    "CoverageKind",
    "FamilyVisitTally",
    "KeyGradeConfig",
    "ParentLecture",
    "TermBreak",
]
