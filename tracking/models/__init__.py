from .audit import AuditEvent
from .claims import ExternalClaim
from .ledger import LedgerEntry, LedgerSource, TrainingTarget
from .sessions import Attendance, ImportBatch, OfflineSession, validate_half_hours

__all__ = [
    "Attendance",
    "AuditEvent",
    "ExternalClaim",
    "ImportBatch",
    "LedgerEntry",
    "LedgerSource",
    "OfflineSession",
    "TrainingTarget",
    "validate_half_hours",
]
