from .activities import ActivityKind, ClassActivity, FamilyVisitTally, ParentLecture
from .calendar import KeyGradeConfig, TermBreak
from .staffing import CoverageArrangement, CoverageKind
from .totals import ClassTermTotal

__all__ = [
    "ActivityKind",
    "ClassActivity",
    "ClassTermTotal",
    "CoverageArrangement",
    "CoverageKind",
    "FamilyVisitTally",
    "KeyGradeConfig",
    "ParentLecture",
    "TermBreak",
]
