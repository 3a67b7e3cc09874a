"""After logging, the confirmation names the class with its grade ("已保存：1班" was ambiguous)."""

import datetime
import uuid

import pytest

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tests.factories import AcademicYearFactory, SchoolClassFactory, TeacherProfileFactory, TermFactory
from tracking.models import ActivityKind

pytestmark = pytest.mark.django_db


def test_saved_message_names_grade_and_class(client, org):
    today = timezone.localdate()
    year = AcademicYearFactory(
        name="current", start_date=today - datetime.timedelta(days=100), end_date=today + datetime.timedelta(days=200)
    )
    TermFactory(
        academic_year=year,
        start_date=today - datetime.timedelta(days=60),
        end_date=today + datetime.timedelta(days=60),
    )
    head = TeacherProfileFactory(school=org["school_a1"], category="head")
    school_class = SchoolClassFactory(
        school=org["school_a1"], academic_year=year, grade=2, name="1班", head_teacher=head
    )
    client.force_login(head.user)
    response = client.post(
        reverse("delivery:log", args=[school_class.pk]),
        {
            "kind": ActivityKind.THEME_MEETING,
            "date": today.isoformat(),
            "periods": 1,
            "topic": "学会感恩",
            "token": str(uuid.uuid4()),
        },
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any(_("Grade %(grade)s %(name)s") % {"grade": 2, "name": "1班"} in m for m in messages), messages
