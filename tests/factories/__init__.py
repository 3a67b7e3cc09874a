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
from .courses import (
    CertificateFactory,
    CourseIndexPageFactory,
    CoursePageFactory,
    EnrolmentFactory,
    LessonPageFactory,
    QuizFactory,
)

__all__ = [
    "CertificateFactory",
    "CourseIndexPageFactory",
    "CoursePageFactory",
    "EnrolmentFactory",
    "LessonPageFactory",
    "QuizFactory",
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
