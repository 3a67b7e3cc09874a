from .exports import ExportJob
from .ledger import LedgerEntry, LedgerSource, TrainingTarget
from .notifications import Notification

__all__ = ["ExportJob", "LedgerEntry", "LedgerSource", "Notification", "TrainingTarget"]
