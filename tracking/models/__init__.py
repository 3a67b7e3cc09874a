from .audit import AuditEvent
from .calendar import KeyGradeConfig, TermBreak
from .claims import ExternalClaim
from .delivery import ActivityKind, ClassActivity, DeliveryChange, FamilyVisitTally, ParentLecture
from .ledger import LedgerEntry, LedgerSource, TrainingTarget
from .sessions import Attendance, ImportBatch, OfflineSession, validate_half_hours

__all__ = [
    "ActivityKind",
    "Attendance",
    "AuditEvent",
    "ClassActivity",
    "DeliveryChange",
    "ExternalClaim",
    "FamilyVisitTally",
    "ImportBatch",
    "KeyGradeConfig",
    "LedgerEntry",
    "LedgerSource",
    "OfflineSession",
    "ParentLecture",
    "TermBreak",
    "TrainingTarget",
    "validate_half_hours",
]
