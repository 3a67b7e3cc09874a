from .exports import ExportJob
from .ledger import LedgerEntry, LedgerSource, TrainingTarget
from .notifications import Notification
from .totals import TeacherYearTotal

__all__ = ["ExportJob", "LedgerEntry", "LedgerSource", "Notification", "TeacherYearTotal", "TrainingTarget"]
