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
from .reports import ExportJobFactory, NotificationFactory

__all__ = [
    "ExportJobFactory",
    "NotificationFactory",
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
