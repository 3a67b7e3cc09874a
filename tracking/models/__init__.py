from .audit import AuditEvent
from .calendar import KeyGradeConfig, TermBreak
from .claims import ExternalClaim
from .delivery import ActivityKind, ClassActivity, DeliveryChange, FamilyVisitTally, ParentLecture
from .exports import ExportJob
from .ledger import LedgerEntry, LedgerSource, TrainingTarget
from .notifications import Notification
from .sessions import Attendance, ImportBatch, OfflineSession, validate_half_hours
from .totals import TeacherYearTotal

__all__ = [
    "ActivityKind",
    "Attendance",
    "AuditEvent",
    "ClassActivity",
    "DeliveryChange",
    "ExportJob",
    "ExternalClaim",
    "FamilyVisitTally",
    "ImportBatch",
    "KeyGradeConfig",
    "LedgerEntry",
    "LedgerSource",
    "Notification",
    "OfflineSession",
    "ParentLecture",
    "TeacherYearTotal",
    "TermBreak",
    "TrainingTarget",
    "validate_half_hours",
]
