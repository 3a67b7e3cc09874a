"""Django loads the `tracking` app's models from here; each room defines its own
(`tracking/<room>/models`), so the app label, the tables and the migrations stay `tracking`."""

from .delivery.models import (
    ActivityKind,
    ClassActivity,
    ClassTermTotal,
    CoverageArrangement,
    CoverageKind,
    FamilyVisitTally,
    KeyGradeConfig,
    ParentLecture,
    TermBreak,
)
from .ledger.models import (
    Attendance,
    ExternalClaim,
    ImportBatch,
    LedgerEntry,
    LedgerSource,
    OfflineSession,
    TeacherYearTotal,
    TrainingTarget,
    validate_half_hours,
)
from .notices.models import Notification
from .reports.models import ExportJob

__all__ = [
    "ActivityKind",
    "Attendance",
    "ClassActivity",
    "ClassTermTotal",
    "CoverageArrangement",
    "CoverageKind",
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
