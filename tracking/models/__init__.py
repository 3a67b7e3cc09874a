from .calendar import KeyGradeConfig, TermBreak
from .delivery import ActivityKind, ClassActivity, DeliveryChange, FamilyVisitTally, ParentLecture
from .ledger import LedgerEntry, LedgerSource, TrainingTarget

__all__ = [
    "ActivityKind",
    "ClassActivity",
    "DeliveryChange",
    "FamilyVisitTally",
    "KeyGradeConfig",
    "LedgerEntry",
    "LedgerSource",
    "ParentLecture",
    "TermBreak",
    "TrainingTarget",
]
