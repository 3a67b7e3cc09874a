"""A small world for the rounds app: districts A and B, a junior school in each, coordinators at
every level (two at the city, so one can decide what the other did), a semester around today."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

import pytest
from PIL import Image

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests.auth import login_with_mfa
from tests.factories import (
    AcademicYearFactory,
    CoordinatorRoleFactory,
    DistrictFactory,
    SchoolFactory,
    TeacherProfileFactory,
    TermFactory,
    TrainingYearFactory,
    UserFactory,
)


@dataclass
class World:
    a: object
    b: object
    a1: object
    b1: object
    school: object
    school_b: object
    district: object
    city: object
    city2: object
    teacher: object


@pytest.fixture
def world(db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    today = timezone.localdate()
    year = AcademicYearFactory(
        name="本学年", start_date=today - datetime.timedelta(days=100), end_date=today + datetime.timedelta(days=200)
    )
    TermFactory(
        academic_year=year,
        number=1,
        start_date=today - datetime.timedelta(days=90),
        end_date=today + datetime.timedelta(days=60),
    )
    TrainingYearFactory(year=today.year)
    a, b = DistrictFactory(code="R-A", name="甲区"), DistrictFactory(code="R-B", name="乙区")
    a1 = SchoolFactory(code="R-A1", name="甲区第一中学", district=a, school_type="junior", student_count=500)
    b1 = SchoolFactory(code="R-B1", name="乙区第一中学", district=b, school_type="junior", student_count=500)

    def role(name, **kw):
        return CoordinatorRoleFactory(user=UserFactory(username=name), **kw).user

    return World(
        a=a,
        b=b,
        a1=a1,
        b1=b1,
        school=role("r_school", level="school", school=a1),
        school_b=role("r_school_b", level="school", school=b1),
        district=role("r_district", level="district", district=a),
        city=role("r_city", level="city"),
        city2=role("r_city2", level="city"),
        teacher=TeacherProfileFactory(user=UserFactory(username="r_teacher"), school=a1).user,
    )


@pytest.fixture
def as_user():
    def login(user) -> Client:
        client = Client()
        login_with_mfa(client, user)
        return client

    return login


def png(name="room.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf(name="plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", content_type="application/pdf")
