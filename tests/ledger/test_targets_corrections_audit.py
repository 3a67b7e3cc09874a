"""Targets (city only), corrections in scope with a reason, and the scoped audit trail."""

from decimal import Decimal

import pytest

from django.urls import reverse

from accounts.models import AuditEvent, TeacherCategory
from tests.auth import login_with_mfa
from tests.factories import AuditEventFactory, LedgerEntryFactory, TeacherProfileFactory
from tracking.ledger.services import teacher_status
from tracking.models import LedgerEntry, LedgerSource, TrainingTarget

pytestmark = pytest.mark.django_db


def target_post(year):
    targets = list(TrainingTarget.objects.filter(training_year=year).order_by("category"))
    data = {"form-TOTAL_FORMS": len(targets), "form-INITIAL_FORMS": len(targets)}
    for i, t in enumerate(targets):
        data[f"form-{i}-id"] = t.pk
        data[f"form-{i}-hours"] = "" if t.hours is None else str(t.hours)
        data[f"form-{i}-sessions"] = "" if t.sessions is None else str(t.sessions)
    return targets, data


def test_city_coordinator_edits_targets_with_audit(client, training_year, city_coordinator):
    login_with_mfa(client, city_coordinator)
    assert client.get(reverse("ledger:targets"), {"year": 2026}).status_code == 200
    targets, data = target_post(training_year)
    index = next(i for i, t in enumerate(targets) if t.category == TeacherCategory.PART_TIME_PSYCHOLOGY)
    data[f"form-{index}-hours"] = "24"
    client.post(reverse("ledger:targets") + "?year=2026", data)
    target = TrainingTarget.objects.get(training_year=training_year, category=TeacherCategory.PART_TIME_PSYCHOLOGY)
    assert target.hours == Decimal("24")
    event = AuditEvent.objects.get(action="target.change")
    assert Decimal(event.before["hours"]) == 20
    assert Decimal(event.after["hours"]) == 24


def test_target_needs_hours_or_sessions(client, training_year, city_coordinator):
    login_with_mfa(client, city_coordinator)
    targets, data = target_post(training_year)
    data["form-0-hours"] = data["form-0-sessions"] = ""
    response = client.post(reverse("ledger:targets") + "?year=2026", data)
    assert response.status_code == 200
    assert not AuditEvent.objects.exists()


def test_only_city_coordinators_edit_targets(client, training_year, district_coordinator, teacher):
    for user in (district_coordinator, teacher.user):
        login_with_mfa(client, user)
        assert client.get(reverse("ledger:targets")).status_code == 403
        targets, data = target_post(training_year)
        data["form-0-hours"] = "99"
        assert client.post(reverse("ledger:targets"), data).status_code == 403
    assert not TrainingTarget.objects.filter(hours=99).exists()


def test_correction_in_scope_with_reason(client, teacher, training_year, school_coordinator):
    LedgerEntryFactory(teacher=teacher, training_year=training_year, hours=Decimal("5"))
    login_with_mfa(client, school_coordinator)
    url = reverse("ledger:teacher_ledger", args=[teacher.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"training_year": training_year.pk, "hours": "-2", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    client.post(url, {"training_year": training_year.pk, "hours": "-2", "reason": "线下培训重复登记"})
    correction = LedgerEntry.objects.get(source=LedgerSource.CORRECTION)
    assert (correction.hours, correction.note, correction.recorded_by) == (
        Decimal("-2"),
        "线下培训重复登记",
        school_coordinator,
    )
    assert teacher_status(teacher, training_year).hours == Decimal("3")
    assert AuditEvent.objects.get(action="ledger.correction").school_id == teacher.school_id


def test_correction_outside_scope_is_404(client, org, training_year, school_coordinator):
    other = TeacherProfileFactory(school=org["school_b1"])
    login_with_mfa(client, school_coordinator)
    url = reverse("ledger:teacher_ledger", args=[other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"training_year": training_year.pk, "hours": "5", "reason": "x"}).status_code == 404
    assert LedgerEntry.objects.count() == 0


def test_audit_trail_is_scoped(client, org, school_coordinator, city_coordinator):
    mine = AuditEventFactory(school=org["school_a1"], summary="甲一事件")
    AuditEventFactory(school=org["school_b1"], summary="乙一事件")
    AuditEventFactory(district=org["district_b"], summary="西湖区事件")
    login_with_mfa(client, school_coordinator)
    assert list(client.get(reverse("ledger:audit_log")).context["page"]) == [mine]
    login_with_mfa(client, city_coordinator)
    assert len(client.get(reverse("ledger:audit_log")).context["page"]) == 3


def test_audit_events_are_append_only(org):
    event = AuditEventFactory()
    event.summary = "changed"
    with pytest.raises(ValueError):
        event.save()
