"""Issue 12, item 8 and the coordinator tools: teachers hear when a claim is decided or hours are
imported; coordinators approve claims in bulk or for fewer hours (with a reason) and remind the
teachers behind pace (催办: once a week per teacher, audited, only in their scope)."""

import datetime
from decimal import Decimal

import pytest

from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from accounts.scope import scope_for
from tests.factories import ExternalClaimFactory, LedgerEntryFactory, TeacherProfileFactory, TrainingYearFactory
from tracking.ledger import importers
from tracking.models import ExternalClaim, LedgerEntry, Notification

from .conftest import xlsx_bytes

pytestmark = pytest.mark.django_db


def notices(user, kind):
    return list(Notification.objects.filter(user=user, kind=kind))


# --- claims ----------------------------------------------------------------------------------
def test_teacher_is_told_when_a_claim_is_approved_or_rejected(client, org, teacher, training_year, school_coordinator):
    approved = ExternalClaimFactory(teacher=teacher, training_year=training_year, hours=Decimal("6"), title="网络培训")
    rejected = ExternalClaimFactory(teacher=teacher, training_year=training_year, title="另一份")
    client.force_login(school_coordinator)
    client.post(reverse("ledger:claim_decide", args=[approved.pk]), {"decision": "approve", "reason": ""})
    client.post(reverse("ledger:claim_decide", args=[rejected.pk]), {"decision": "reject", "reason": "证书模糊"})
    got = {n.period: n for n in notices(teacher.user, Notification.Kind.CLAIM_DECIDED)}
    assert got[f"claim:{approved.pk}"].title == "证书已通过审核：网络培训"
    assert "6.0 学时" in got[f"claim:{approved.pk}"].message
    assert "证书模糊" in got[f"claim:{rejected.pk}"].message
    client.force_login(teacher.user)
    assert "证书已通过审核：网络培训" in client.get(reverse("notices:list")).text


def test_fewer_hours_than_claimed_need_a_reason_and_are_what_counts(client, teacher, training_year, school_coordinator):
    claim = ExternalClaimFactory(teacher=teacher, training_year=training_year, hours=Decimal("6"))
    client.force_login(school_coordinator)
    url = reverse("ledger:claim_decide", args=[claim.pk])
    client.post(url, {"decision": "approve", "hours": "4", "reason": ""})  # no reason: refused
    assert not LedgerEntry.objects.exists()
    client.post(url, {"decision": "approve", "hours": "8", "reason": "多填了"})  # more than claimed: refused
    client.post(url, {"decision": "approve", "hours": "4.3", "reason": "x"})  # not a half-hour step
    assert not LedgerEntry.objects.exists()
    client.post(url, {"decision": "approve", "hours": "4", "reason": "其中 2 学时与线下培训重复"})
    claim.refresh_from_db()
    assert (claim.status, claim.hours, claim.approved_hours) == ("approved", Decimal("6"), Decimal("4"))
    assert LedgerEntry.objects.get().hours == Decimal("4")
    event = AuditEvent.objects.get(action="claim.approve")
    assert (Decimal(event.after["hours"]), Decimal(event.after["claimed_hours"])) == (4, 6)
    assert "4.0 / 6.0" in client.get(reverse("ledger:manage_claims") + "?status=approved").text
    notice = notices(teacher.user, Notification.Kind.CLAIM_DECIDED)[0]
    assert "其中 2 学时与线下培训重复" in notice.message and "4" in notice.message


def test_bulk_approval_of_ticked_claims_in_scope_only(client, org, teacher, training_year, school_coordinator):
    mine = [ExternalClaimFactory(teacher=teacher, training_year=training_year, title=f"培训{i}") for i in range(3)]
    elsewhere = ExternalClaimFactory(
        teacher=TeacherProfileFactory(school=org["school_b1"]), training_year=training_year
    )
    client.force_login(school_coordinator)
    page = client.get(reverse("ledger:manage_claims"))
    assert 'form="bulk-approve"' in page.text
    response = client.post(
        reverse("ledger:claims_bulk_approve"), {"claim": [mine[0].pk, mine[1].pk, elsewhere.pk]}, follow=True
    )
    assert ExternalClaim.objects.get(pk=elsewhere.pk).status == "pending"  # a forged id approves nothing
    assert not LedgerEntry.objects.filter(teacher=elsewhere.teacher).exists()
    client.post(reverse("ledger:claims_bulk_approve"), {"claim": [mine[0].pk, mine[1].pk]}, follow=True)
    statuses = {c.pk: c.status for c in ExternalClaim.objects.all()}
    assert [statuses[c.pk] for c in mine] == ["approved", "approved", "pending"]
    assert LedgerEntry.objects.filter(teacher=teacher).count() == 2
    assert AuditEvent.objects.filter(action="claim.approve").count() == 2
    assert len(notices(teacher.user, Notification.Kind.CLAIM_DECIDED)) == 2
    assert response.status_code == 200


# --- attendance import -------------------------------------------------------------------------
def test_teachers_are_told_when_hours_are_imported_and_the_ledger_names_no_file(session, people, school_coordinator):
    batch = importers.preview_import(
        data=xlsx_bytes([["1001", "", "", 3, ""], ["1002", "", "", "1.5", ""]]),
        filename="2026春季讲座签到-final(2).xlsx",
        session=session,
        scope=scope_for(school_coordinator),
        user=school_coordinator,
    )
    importers.confirm_import(batch, school_coordinator)
    wang = notices(people["wang"].user, Notification.Kind.HOURS_IMPORTED)
    li = notices(people["li"].user, Notification.Kind.HOURS_IMPORTED)
    assert len(wang) == len(li) == 1
    assert session.title in wang[0].title and "3 学时" in wang[0].message and "1.5 学时" in li[0].message
    assert not notices(people["liu_a1"].user, Notification.Kind.HOURS_IMPORTED)
    entry = LedgerEntry.objects.get(teacher=people["wang"])
    assert entry.note == "线下培训签到导入" and "final" not in entry.note
    assert AuditEvent.objects.get(action="attendance.import").after["file"] == "2026春季讲座签到-final(2).xlsx"


# --- 催办 -----------------------------------------------------------------------------------------
@pytest.fixture
def this_year(db):
    today = timezone.localdate()
    return TrainingYearFactory(
        year=today.year, start_date=today - datetime.timedelta(days=200), end_date=today + datetime.timedelta(days=100)
    )


def test_coordinator_reminds_teachers_behind_in_scope_once_a_week(client, org, this_year, school_coordinator):
    from tracking.ledger.targets import ensure_targets

    ensure_targets(this_year)
    behind = TeacherProfileFactory(school=org["school_a1"], category="psy_full")
    on_pace = TeacherProfileFactory(school=org["school_a1"], category="psy_full")
    LedgerEntryFactory(teacher=on_pace, training_year=this_year, hours=Decimal("38"))
    other_school = TeacherProfileFactory(school=org["school_b1"], category="psy_full")
    client.force_login(school_coordinator)
    page = client.get(reverse("ledger:behind"))
    listed = [t.pk for t in page.context["page"].object_list]
    assert behind.pk in listed and on_pace.pk not in listed and other_school.pk not in listed

    client.post(reverse("ledger:behind"), {"teacher": [behind.pk, other_school.pk]})  # a forged id is ignored
    assert len(notices(behind.user, Notification.Kind.NUDGE)) == 1
    assert not notices(other_school.user, Notification.Kind.NUDGE)
    again = client.post(reverse("ledger:behind"), {"all": "1"}, follow=True)
    assert "本周已催办过" in again.text
    assert len(notices(behind.user, Notification.Kind.NUDGE)) == 1  # rate-limited: once a week
    events = AuditEvent.objects.filter(action="teacher.nudge")
    assert events.count() == 2 and events.first().school_id == org["school_a1"].pk
    assert events.order_by("pk").first().after["reminded"] == 1


def test_teachers_cannot_open_the_behind_list(client, teacher, this_year):
    client.force_login(teacher.user)
    assert client.get(reverse("ledger:behind")).status_code == 403
    assert client.post(reverse("ledger:behind"), {"all": "1"}).status_code == 403
    assert not Notification.objects.exists()
