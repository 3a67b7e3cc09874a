from .claims import ExternalClaim
from .entries import LedgerEntry, LedgerSource, TrainingTarget
from .sessions import Attendance, ImportBatch, OfflineSession, validate_half_hours
from .totals import TeacherYearTotal

__all__ = [
    "Attendance",
    "ExternalClaim",
    "ImportBatch",
    "LedgerEntry",
    "LedgerSource",
    "OfflineSession",
    "TeacherYearTotal",
    "TrainingTarget",
    "validate_half_hours",
]
