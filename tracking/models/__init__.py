from .ledger import LedgerEntry, LedgerSource, TrainingTarget

__all__ = ["LedgerEntry", "LedgerSource", "TrainingTarget"]
