import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from django.core.files.base import ContentFile
from django.utils import timezone

from tracking.models import (
    Attendance,
    ExternalClaim,
    ImportBatch,
    LedgerEntry,
    LedgerSource,
    OfflineSession,
)

from .accounts import SchoolFactory, TeacherProfileFactory, TrainingYearFactory, UserFactory

# The smallest valid PDF header is enough for the content sniffing.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class LedgerEntryFactory(DjangoModelFactory):
    class Meta:
        model = LedgerEntry

    teacher = factory.SubFactory(TeacherProfileFactory)
    training_year = factory.SubFactory(TrainingYearFactory)
    school = factory.SelfAttribute("teacher.school")
    hours = Decimal("2")
    source = LedgerSource.ONLINE_COURSE
    source_ref = factory.Sequence(lambda n: f"test:{n}")
    title = factory.Sequence(lambda n: f"课程{n}")
    activity_date = datetime.date(2026, 3, 5)


class OfflineSessionFactory(DjangoModelFactory):
    class Meta:
        model = OfflineSession

    title = factory.Sequence(lambda n: f"心理健康教育面授培训{n}")
    kind = OfflineSession.Kind.FACE_TO_FACE
    starts_at = factory.LazyFunction(
        lambda: timezone.make_aware(datetime.datetime(2026, 3, 5, 9, 0))  # Asia/Shanghai
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    hours = Decimal("3")
    place = "市教育局报告厅"
    organiser = "市教育局"
    audience = OfflineSession.Audience.SCHOOL
    school = factory.SubFactory(SchoolFactory)
    district = None
    training_year = factory.SubFactory(TrainingYearFactory, year=2026)
    created_by = factory.SubFactory(UserFactory)


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(OfflineSessionFactory)
    teacher = factory.SubFactory(TeacherProfileFactory, school=factory.SelfAttribute("..session.school"))
    hours = factory.SelfAttribute("session.hours")
    method = Attendance.Method.QR
    recorded_by = factory.SelfAttribute("teacher.user")


class ImportBatchFactory(DjangoModelFactory):
    class Meta:
        model = ImportBatch

    session = factory.SubFactory(OfflineSessionFactory)
    uploaded_by = factory.SelfAttribute("session.created_by")
    filename = "签到表.xlsx"
    sha256 = "0" * 64
    rows = factory.LazyFunction(list)


class ExternalClaimFactory(DjangoModelFactory):
    class Meta:
        model = ExternalClaim

    teacher = factory.SubFactory(TeacherProfileFactory)
    training_year = factory.SubFactory(TrainingYearFactory, year=2026)
    title = "国家中小学智慧教育平台心理健康专题培训"
    organiser = "国家中小学智慧教育平台"
    activity_date = datetime.date(2026, 4, 1)
    hours = Decimal("6")
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="certificate.pdf"))
    content_type = "application/pdf"
