import datetime

import factory
from factory.django import DjangoModelFactory

from tracking.models import (
    ActivityKind,
    ClassActivity,
    FamilyVisitTally,
    KeyGradeConfig,
    ParentLecture,
    TermBreak,
)

from .accounts import (
    AcademicYearFactory,
    AuditEventFactory,
    SchoolClassFactory,
    SchoolFactory,
    TermFactory,
    UserFactory,
)


class TermBreakFactory(DjangoModelFactory):
    class Meta:
        model = TermBreak

    term = factory.SubFactory(TermFactory)
    name = "国庆节"
    start_date = datetime.date(2026, 10, 1)
    end_date = datetime.date(2026, 10, 7)


class KeyGradeConfigFactory(DjangoModelFactory):
    class Meta:
        model = KeyGradeConfig
        django_get_or_create = ("academic_year", "school_type")

    academic_year = factory.SubFactory(AcademicYearFactory)
    school_type = "primary"
    grades = factory.LazyFunction(lambda: [1, 6])


class ClassActivityFactory(DjangoModelFactory):
    class Meta:
        model = ClassActivity

    school_class = factory.SubFactory(SchoolClassFactory)
    kind = ActivityKind.PSYCHOLOGY_LESSON
    date = datetime.date(2026, 9, 15)
    periods = 1
    topic = "认识情绪"
    created_by = factory.SubFactory(UserFactory)


class FamilyVisitTallyFactory(DjangoModelFactory):
    class Meta:
        model = FamilyVisitTally

    school_class = factory.SubFactory(SchoolClassFactory)
    term = factory.SubFactory(TermFactory)
    families_visited = 10
    updated_by = factory.SubFactory(UserFactory)


class ParentLectureFactory(DjangoModelFactory):
    class Meta:
        model = ParentLecture

    school = factory.SubFactory(SchoolFactory)
    date = datetime.date(2026, 10, 20)
    topic = "青春期亲子沟通"
    created_by = factory.SubFactory(UserFactory)


class DeliveryChangeFactory(AuditEventFactory):
    """A class-log change as delivery writes it into the one audit trail."""

    action = "delivery.create"
    object_type = "tracking.classactivity"
    summary = ""
    after = factory.LazyFunction(dict)
