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

__all__ = [
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
