from .activities import ActivityKind, ClassActivity, DeliveryChange, FamilyVisitTally, ParentLecture
from .calendar import KeyGradeConfig, TermBreak

__all__ = [
    "ActivityKind",
    "ClassActivity",
    "DeliveryChange",
    "FamilyVisitTally",
    "KeyGradeConfig",
    "ParentLecture",
    "TermBreak",
]
