from .activities import ActivityKind, ClassActivity, FamilyVisitTally, ParentLecture
from .calendar import KeyGradeConfig, TermBreak

__all__ = [
    "ActivityKind",
    "ClassActivity",
    "FamilyVisitTally",
    "KeyGradeConfig",
    "ParentLecture",
    "TermBreak",
]
