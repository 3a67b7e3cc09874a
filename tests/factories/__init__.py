from .accounts import (
    AcademicYearFactory,
    CoordinatorRoleFactory,
    DistrictFactory,
    ParentProfileFactory,
    SchoolClassFactory,
    SchoolFactory,
    TeacherProfileFactory,
    TermFactory,
    TrainingYearFactory,
    UserFactory,
)
from .ledger import (
    AttendanceFactory,
    AuditEventFactory,
    ExternalClaimFactory,
    ImportBatchFactory,
    LedgerEntryFactory,
    OfflineSessionFactory,
)

__all__ = [
    "AttendanceFactory",
    "AuditEventFactory",
    "ExternalClaimFactory",
    "ImportBatchFactory",
    "LedgerEntryFactory",
    "OfflineSessionFactory",
    "AcademicYearFactory",
    "CoordinatorRoleFactory",
    "DistrictFactory",
    "ParentProfileFactory",
    "SchoolClassFactory",
    "SchoolFactory",
    "TeacherProfileFactory",
    "TermFactory",
    "TrainingYearFactory",
    "UserFactory",
]
