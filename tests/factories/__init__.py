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
from .delivery import (
    ClassActivityFactory,
    DeliveryChangeFactory,
    FamilyVisitTallyFactory,
    KeyGradeConfigFactory,
    ParentLectureFactory,
    TermBreakFactory,
)

__all__ = [
    "AcademicYearFactory",
    "ClassActivityFactory",
    "CoordinatorRoleFactory",
    "DeliveryChangeFactory",
    "DistrictFactory",
    "FamilyVisitTallyFactory",
    "KeyGradeConfigFactory",
    "ParentLectureFactory",
    "ParentProfileFactory",
    "SchoolClassFactory",
    "SchoolFactory",
    "TeacherProfileFactory",
    "TermBreakFactory",
    "TermFactory",
    "TrainingYearFactory",
    "UserFactory",
]
