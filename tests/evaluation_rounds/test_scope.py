"""Scope on every page: school coordinator their school, district their district, city all, others 403;
ids outside scope 404."""

from __future__ import annotations

import datetime

import pytest

from django.urls import reverse
from django.utils import timezone

from evaluation.rounds.models import Application, DistrictStaff, FacilityEntry, Round

from .conftest import pdf


@pytest.fixture
def records(world):
    today = timezone.localdate()
    entries = {}
    for key, school, user in (("in", world.a1, world.school), ("out", world.b1, world.school_b)):
        entry = FacilityEntry(
            school=school,
            item="leading_group",
            submitted_by=user,
            evidence_name="x.pdf",
            evidence_type="application/pdf",
        )
        entry.evidence.save("x.pdf", pdf(), save=False)
        entry.save()
        entries[key] = entry
    round_ = Round.objects.create(
        kind="standard",
        title="达标",
        opens_on=today,
        closes_on=today + datetime.timedelta(days=9),
        indicators=["leading_group"],
        created_by=world.city,
    )
    Application.objects.create(round=round_, school=world.b1, status="submitted")
    staff_b = DistrictStaff.objects.create(district=world.b, role="researcher", name="王老师", created_by=world.city)
    return {"entries": entries, "round": round_, "staff_b": staff_b}


def test_pages_by_role(world, records, as_user):
    round_ = records["round"]
    pages = [
        reverse("evaluation_rounds:facilities"),
        reverse("evaluation_rounds:rounds"),
        reverse("evaluation_rounds:round", args=[round_.pk]),
    ]
    for user in (world.school, world.district, world.city):
        client = as_user(user)
        for url in pages:
            assert client.get(url).status_code == 200, (user, url)
    teacher = as_user(world.teacher)
    for url in [*pages, reverse("evaluation_rounds:duties"), reverse("evaluation_rounds:round_create")]:
        assert teacher.get(url).status_code == 403, url
    assert as_user(world.school).get(reverse("evaluation_rounds:duties")).status_code == 403
    assert as_user(world.district).get(reverse("evaluation_rounds:round_create")).status_code == 403
    assert as_user(world.city).get(reverse("evaluation_rounds:round_create")).status_code == 200


def test_forged_ids_are_404(world, records, as_user):
    inside, outside = records["entries"]["in"], records["entries"]["out"]
    round_ = records["round"]
    for user in (world.school, world.district):
        client = as_user(user)
        for name in ("evaluation_rounds:facility", "evaluation_rounds:facility_evidence"):
            assert client.get(reverse(name, args=[inside.pk])).status_code == 200
            assert client.get(reverse(name, args=[outside.pk])).status_code == 404
            assert client.get(reverse(name, args=[999999])).status_code == 404
        assert client.get(reverse("evaluation_rounds:application", args=[round_.pk, world.b1.pk])).status_code == 404
    district = as_user(world.district)
    assert district.get(reverse("evaluation_rounds:duty_staff", args=[world.a.pk])).status_code == 200
    assert district.get(reverse("evaluation_rounds:duty_staff", args=[world.b.pk])).status_code == 404
    assert district.post(reverse("evaluation_rounds:duty_staff_end", args=[records["staff_b"].pk])).status_code == 404
    assert DistrictStaff.objects.get(pk=records["staff_b"].pk).active
    city = as_user(world.city)
    assert city.get(reverse("evaluation_rounds:application", args=[round_.pk, world.b1.pk])).status_code == 200
    assert city.get(reverse("evaluation_rounds:round", args=[999999])).status_code == 404


def test_the_district_sees_only_its_own_duties(world, records, as_user):
    body = as_user(world.district).get(reverse("evaluation_rounds:duties")).content.decode()
    assert "甲区" in body and "乙区" not in body
    body = as_user(world.city).get(reverse("evaluation_rounds:duties")).content.decode()
    assert "甲区" in body and "乙区" in body and "王老师" in body


def test_the_school_list_shows_only_its_own_entries(world, records, as_user):
    body = as_user(world.school).get(reverse("evaluation_rounds:facilities")).content.decode()
    assert "甲区第一中学" in body and "乙区第一中学" not in body
