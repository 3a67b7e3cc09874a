"""Nobody acts on their own claim, ledger, import row or target; a coordinator's items go to the
next level up (issue 9 #4). Refused on the server with a clear message, shown in the queues."""

import datetime
from decimal import Decimal

import pytest

from django.urls import reverse
from django.utils import timezone

from accounts.scope import scope_for
from tests.factories import (
    CoordinatorRoleFactory,
    ExternalClaimFactory,
    OfflineSessionFactory,
    TeacherProfileFactory,
    UserFactory,
)
from tests.ledger.conftest import xlsx_bytes
from tracking.ledger import importers, workflows
from tracking.ledger.targets import ensure_targets
from tracking.models import ExternalClaim, LedgerEntry, TrainingTarget

pytestmark = pytest.mark.django_db

ESCALATE = "您不能处理这条记录：它是您本人或与您同级（或更高级别）培训管理员的记录，由上一级培训管理员处理。"


@pytest.fixture
def staff(org, training_year):
    """Coordinators who also teach: S (school A1) and a colleague S2 at A1, D (district A, teaches
    at A2), C (city, teaches at B1), a superuser, and an ordinary teacher T at A1."""

    def coordinator(username, staff_number, teaches_at, **role):
        user = UserFactory(username=username)
        CoordinatorRoleFactory(user=user, **role)
        TeacherProfileFactory(user=user, school=org[teaches_at], staff_number=staff_number)
        return user

    return {
        "S": coordinator("s", "S001", "school_a1", level="school", school=org["school_a1"]),
        "S2": coordinator("s2", "S002", "school_a1", level="school", school=org["school_a1"]),
        "D": coordinator("d", "D001", "school_a2", level="district", district=org["district_a"]),
        "C": coordinator("c", "C001", "school_b1", level="city"),
        "root": UserFactory(username="root", is_superuser=True, is_staff=True),
        "T": TeacherProfileFactory(school=org["school_a1"], staff_number="T001").user,
    }


def claim_of(user, training_year):
    return ExternalClaimFactory(teacher=user.teacher_profile, training_year=training_year)


def decide(client, user, claim):
    client.force_login(user)
    return client.post(reverse("ledger:claim_decide", args=[claim.pk]), {"decision": "approve"}, follow=True)


@pytest.mark.parametrize(
    ("owner", "refused", "allowed"),
    [
        ("S", ["S", "S2"], "D"),  # a school coordinator's claim: not they, not a colleague; the district
        ("D", ["D"], "C"),  # a district coordinator's: the city
        ("C", ["C"], "root"),  # a city coordinator's: a superuser
        ("T", [], "S"),  # an ordinary teacher's: their school coordinator, as before
    ],
)
def test_claims_go_to_the_next_level_up(client, staff, training_year, owner, refused, allowed):
    claim = claim_of(staff[owner], training_year)
    for name in refused:
        response = decide(client, staff[name], claim)
        assert response.status_code == 200
        assert ESCALATE in [str(m) for m in response.context["messages"]]
        claim.refresh_from_db()
        assert claim.status == ExternalClaim.Status.PENDING and not LedgerEntry.objects.exists()
    decide(client, staff[allowed], claim)
    claim.refresh_from_db()
    assert claim.status == ExternalClaim.Status.APPROVED and claim.decided_by == staff[allowed]
    assert LedgerEntry.objects.get().teacher.user == staff[owner]


def test_the_workflow_refuses_self_approval_even_without_the_view(staff, training_year):
    claim = claim_of(staff["S"], training_year)
    with pytest.raises(workflows.WorkflowError, match="上一级培训管理员"):
        workflows.decide_claim(claim, approve=True, reason="", user=staff["S"])
    assert not LedgerEntry.objects.exists()


def test_the_queues_show_who_decides(client, staff, training_year):
    claim = claim_of(staff["S"], training_year)
    decide_url = reverse("ledger:claim_decide", args=[claim.pk])

    client.force_login(staff["S"])
    own = client.get(reverse("ledger:manage_claims")).content.decode()
    assert "转交上一级处理" in own and decide_url not in own

    client.force_login(staff["D"])
    upper = client.get(reverse("ledger:manage_claims")).content.decode()
    assert "下级培训管理员提交，由您审核" in upper and decide_url in upper


def test_nobody_corrects_their_own_ledger(client, staff, training_year):
    me = staff["S"].teacher_profile
    url = reverse("ledger:teacher_ledger", args=[me.pk])
    form = {"training_year": training_year.pk, "hours": "30", "reason": "补录"}
    client.force_login(staff["S"])
    page = client.get(url).content.decode()
    assert ESCALATE in page and 'name="hours"' not in page
    response = client.post(url, form)
    assert response.status_code == 403 and ESCALATE in response.content.decode()
    with pytest.raises(workflows.WorkflowError):
        workflows.correct(
            teacher=me, training_year=training_year, hours=Decimal(30), reason="x", add_session=False, user=staff["S"]
        )
    assert not LedgerEntry.objects.exists()

    client.force_login(staff["D"])  # the next level up may
    assert client.post(url, form).status_code == 303
    assert LedgerEntry.objects.get().hours == 30


@pytest.fixture
def session(org, training_year):
    start = timezone.make_aware(datetime.datetime(2026, 3, 5, 9, 0))
    return OfflineSessionFactory(
        school=org["school_a1"],
        training_year=training_year,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        hours=Decimal("3"),
    )


def test_import_rows_about_oneself_or_a_colleague_go_to_the_next_level(staff, session):
    data = xlsx_bytes([["S001", "", "", 3, ""], ["S002", "", "", 3, ""], ["T001", "", "", 3, ""]])
    batch = importers.preview_import(
        data=data, filename="a.xlsx", session=session, scope=scope_for(staff["S"]), user=staff["S"]
    )
    codes = [r["code"] for r in batch.rows]
    assert codes == ["needs_higher_level", "needs_higher_level", ""]
    assert "由上一级培训管理员导入" in batch.rows[0]["reason"]
    assert importers.confirm_import(batch, staff["S"]) == 1

    upper = importers.preview_import(
        data=data, filename="a.xlsx", session=session, scope=scope_for(staff["D"]), user=staff["D"]
    )
    assert [r["status"] for r in upper.rows] == ["ok", "ok", "exists"]
    assert importers.confirm_import(upper, staff["D"]) == 2


def test_confirming_checks_the_confirmer_not_only_the_uploader(staff, session):
    data = xlsx_bytes([["S001", "", "", 3, ""], ["T001", "", "", 3, ""]])
    batch = importers.preview_import(
        data=data, filename="a.xlsx", session=session, scope=scope_for(staff["D"]), user=staff["D"]
    )
    assert [r["status"] for r in batch.rows] == ["ok", "ok"]
    assert importers.confirm_import(batch, staff["S"]) == 1  # S's own row is left out
    assert list(LedgerEntry.objects.values_list("teacher__staff_number", flat=True)) == ["T001"]


def test_nobody_changes_their_own_categorys_target(client, staff, training_year):
    city = staff["C"]
    own = city.teacher_profile.category
    ensure_targets(training_year)
    targets = list(TrainingTarget.objects.filter(training_year=training_year).order_by("category"))
    other = next(t for t in targets if t.category != own)
    mine = next(t for t in targets if t.category == own)
    with pytest.raises(workflows.WorkflowError, match="本人所属教师类别"):
        workflows.change_target(mine, hours=Decimal(99), sessions=None, user=city)
    assert workflows.change_target(other, hours=Decimal(99), sessions=None, user=city)

    client.force_login(city)
    page = client.get(reverse("ledger:targets")).content.decode()
    assert "您本人所属的类别" in page
    data = {"form-TOTAL_FORMS": len(targets), "form-INITIAL_FORMS": len(targets)}
    for i, t in enumerate(targets):
        data.update({f"form-{i}-id": t.pk, f"form-{i}-hours": "77", f"form-{i}-sessions": ""})
    response = client.post(reverse("ledger:targets"), data, follow=True)
    assert any("本人所属教师类别" in str(m) for m in response.context["messages"])
    mine.refresh_from_db()
    assert mine.hours != 77
    assert TrainingTarget.objects.filter(hours=77).count() == len(targets) - 1
