import datetime

import factory
from factory.django import DjangoModelFactory

from accounts.models import (
    AcademicYear,
    AgeStage,
    AuditEvent,
    CoordinatorRole,
    District,
    JoinCode,
    ParentProfile,
    School,
    SchoolClass,
    TeacherCategory,
    TeacherProfile,
    Term,
    TrainingYear,
    User,
)

PASSWORD = "pass-1234-xinyu"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"教师{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.cn")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试区{n}")
    code = factory.Sequence(lambda n: f"D{n:04d}")
    kind = District.Kind.DISTRICT


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试学校{n}")
    code = factory.Sequence(lambda n: f"S{n:05d}")
    district = factory.SubFactory(DistrictFactory)
    school_type = School.SchoolType.PRIMARY
    student_count = 600


class TrainingYearFactory(DjangoModelFactory):
    class Meta:
        model = TrainingYear
        django_get_or_create = ("year",)

    year = 2026
    start_date = factory.LazyAttribute(lambda o: datetime.date(o.year, 1, 1))
    end_date = factory.LazyAttribute(lambda o: datetime.date(o.year, 12, 31))


class AcademicYearFactory(DjangoModelFactory):
    class Meta:
        model = AcademicYear
        django_get_or_create = ("name",)

    name = "2026—2027学年"
    start_date = datetime.date(2026, 9, 1)
    end_date = datetime.date(2027, 8, 31)


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ("academic_year", "number")

    academic_year = factory.SubFactory(AcademicYearFactory)
    number = 1
    start_date = datetime.date(2026, 9, 1)
    end_date = datetime.date(2027, 1, 20)


class TeacherProfileFactory(DjangoModelFactory):
    class Meta:
        model = TeacherProfile

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    staff_number = factory.Sequence(lambda n: f"GH{n:06d}")
    category = TeacherCategory.OTHER


class SchoolClassFactory(DjangoModelFactory):
    class Meta:
        model = SchoolClass

    school = factory.SubFactory(SchoolFactory)
    academic_year = factory.SubFactory(AcademicYearFactory)
    grade = 1
    name = factory.Sequence(lambda n: f"{n}班")
    student_count = 45
    family_count = 44


class ParentProfileFactory(DjangoModelFactory):
    class Meta:
        model = ParentProfile

    user = factory.SubFactory(UserFactory)
    age_stages = factory.LazyFunction(lambda: [AgeStage.PRIMARY_LOWER.value])


class CoordinatorRoleFactory(DjangoModelFactory):
    class Meta:
        model = CoordinatorRole

    user = factory.SubFactory(UserFactory)
    level = CoordinatorRole.Level.CITY


class AuditEventFactory(DjangoModelFactory):
    class Meta:
        model = AuditEvent

    actor = factory.SubFactory(UserFactory)
    action = "test.action"
    object_type = "tracking.offlinesession"
    object_id = 1
    summary = "测试事件"


class JoinCodeFactory(DjangoModelFactory):
    class Meta:
        model = JoinCode

    school = factory.SubFactory(SchoolFactory)
    created_by = factory.SubFactory(UserFactory)
