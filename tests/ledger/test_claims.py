"""External certificates: submit (content-checked), decide in scope, credit once, private files."""

import io
from decimal import Decimal

import pytest
from PIL import Image

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent
from tests.factories import CoordinatorRoleFactory, ExternalClaimFactory, TeacherProfileFactory
from tests.factories.ledger import PDF_BYTES
from tracking.ledger import workflows
from tracking.ledger.services import teacher_status
from tracking.models import ExternalClaim, LedgerEntry, LedgerSource

pytestmark = pytest.mark.django_db


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(out, format="PNG")
    return out.getvalue()


def claim_form(file_bytes, name="证书.pdf", **overrides):
    return {
        "title": "心理健康教育专题网络培训",
        "organiser": "国家中小学智慧教育平台",
        "activity_date": "2026-04-01",
        "hours": "6",
        "file": SimpleUploadedFile(name, file_bytes),
        **overrides,
    }


@pytest.fixture
def now_2026(monkeypatch):
    import datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2026, 6, 1))


@pytest.mark.parametrize(
    ("data", "name", "content_type"), [(PDF_BYTES, "a.pdf", "application/pdf"), (png_bytes(), "a.jpg", "image/png")]
)
def test_teacher_submits_a_certificate(client, teacher, training_year, now_2026, data, name, content_type):
    client.force_login(teacher.user)
    response = client.post(reverse("ledger:my_claims"), claim_form(data, name))
    assert response.status_code == 303
    claim = ExternalClaim.objects.get()
    assert (claim.teacher, claim.status, claim.content_type) == (teacher, "pending", content_type)
    assert claim.training_year == training_year
    assert LedgerEntry.objects.count() == 0  # nothing counts before approval
    from django.conf import settings

    assert claim.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not claim.file.path.startswith(str(settings.MEDIA_ROOT))


@pytest.mark.parametrize(
    ("data", "overrides"),
    [
        (b"MZ\x90\x00 this is an exe renamed to pdf", {}),
        (b"<html><script>alert(1)</script></html>", {}),
        (PDF_BYTES, {"hours": "0"}),
        (PDF_BYTES, {"hours": "2.3"}),
        (PDF_BYTES, {"activity_date": "2031-01-01"}),
    ],
)
def test_bad_claims_are_refused(client, teacher, training_year, now_2026, data, overrides):
    client.force_login(teacher.user)
    response = client.post(reverse("ledger:my_claims"), claim_form(data, **overrides))
    assert response.status_code == 200 and response.context["form"].errors
    assert ExternalClaim.objects.count() == 0


def test_resubmitting_the_same_certificate_is_refused(client, teacher, training_year, now_2026):
    client.force_login(teacher.user)
    client.post(reverse("ledger:my_claims"), claim_form(PDF_BYTES))
    response = client.post(reverse("ledger:my_claims"), claim_form(PDF_BYTES))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert ExternalClaim.objects.count() == 1
    ExternalClaim.objects.update(status="rejected", decision_reason="模糊")
    client.post(reverse("ledger:my_claims"), claim_form(PDF_BYTES))  # a rejected claim may be resubmitted
    assert ExternalClaim.objects.count() == 2


def test_oversized_certificate_is_refused(client, teacher, training_year, now_2026, monkeypatch):
    from tracking.ledger import forms as ledger_forms

    monkeypatch.setattr(ledger_forms, "CLAIM_MAX_BYTES", 10)
    client.force_login(teacher.user)
    response = client.post(reverse("ledger:my_claims"), claim_form(PDF_BYTES))
    assert "file" in response.context["form"].errors


def test_non_teacher_cannot_claim(client, school_coordinator):
    client.force_login(school_coordinator)
    assert client.get(reverse("ledger:my_claims")).status_code == 403


def test_approval_credits_once_and_teacher_sees_it(client, teacher, training_year, school_coordinator):
    claim = ExternalClaimFactory(teacher=teacher, training_year=training_year, hours=Decimal("6"))
    client.force_login(school_coordinator)
    url = reverse("ledger:claim_decide", args=[claim.pk])
    client.post(url, {"decision": "approve", "reason": ""})
    client.post(url, {"decision": "approve", "reason": ""})  # double click / replay
    entry = LedgerEntry.objects.get()
    assert (entry.source, entry.source_ref, entry.hours) == (LedgerSource.EXTERNAL_CERTIFICATE, f"claim:{claim.pk}", 6)
    assert teacher_status(teacher, training_year).hours == Decimal("6")
    assert AuditEvent.objects.filter(action="claim.approve", object_id=str(claim.pk)).count() == 1

    client.force_login(teacher.user)
    page = client.get(reverse("ledger:my_claims"))
    assert [c.status for c in page.context["claims"]] == ["approved"]


def test_decision_race_credits_once(teacher, training_year, school_coordinator, city_coordinator):
    claim = ExternalClaimFactory(teacher=teacher, training_year=training_year)
    workflows.decide_claim(claim, approve=True, reason="", user=school_coordinator)
    with pytest.raises(workflows.WorkflowError):
        workflows.decide_claim(claim, approve=False, reason="late", user=city_coordinator)
    claim.refresh_from_db()
    assert claim.status == "approved" and LedgerEntry.objects.count() == 1


def test_rejection_needs_a_reason_and_writes_nothing(client, teacher, training_year, school_coordinator):
    claim = ExternalClaimFactory(teacher=teacher, training_year=training_year)
    client.force_login(school_coordinator)
    url = reverse("ledger:claim_decide", args=[claim.pk])
    client.post(url, {"decision": "reject", "reason": " "})
    claim.refresh_from_db()
    assert claim.status == "pending"
    client.post(url, {"decision": "reject", "reason": "证书与本人信息不符"})
    claim.refresh_from_db()
    assert (claim.status, claim.decision_reason, claim.decided_by) == (
        "rejected",
        "证书与本人信息不符",
        school_coordinator,
    )
    assert LedgerEntry.objects.count() == 0
    assert AuditEvent.objects.filter(action="claim.reject").exists()


def test_coordinators_see_and_decide_only_claims_in_scope(
    client, org, training_year, school_coordinator, district_coordinator
):
    mine = ExternalClaimFactory(teacher=TeacherProfileFactory(school=org["school_a1"]), training_year=training_year)
    a2 = ExternalClaimFactory(teacher=TeacherProfileFactory(school=org["school_a2"]), training_year=training_year)
    b1 = ExternalClaimFactory(teacher=TeacherProfileFactory(school=org["school_b1"]), training_year=training_year)

    client.force_login(school_coordinator)
    assert list(client.get(reverse("ledger:manage_claims")).context["claims"]) == [mine]
    for other in (a2, b1):
        assert client.get(reverse("ledger:claim_file", args=[other.pk])).status_code == 404
        response = client.post(reverse("ledger:claim_decide", args=[other.pk]), {"decision": "approve"})
        assert response.status_code == 404
    assert LedgerEntry.objects.count() == 0

    client.force_login(district_coordinator)
    assert set(client.get(reverse("ledger:manage_claims")).context["claims"]) == {mine, a2}


def test_certificate_file_only_for_owner_and_scope(client, org, training_year, school_coordinator):
    owner = TeacherProfileFactory(school=org["school_a1"])
    colleague = TeacherProfileFactory(school=org["school_a1"])
    claim = ExternalClaimFactory(teacher=owner, training_year=training_year)
    url = reverse("ledger:claim_file", args=[claim.pk])

    client.force_login(owner.user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"

    client.force_login(school_coordinator)
    assert client.get(url).status_code == 200
    client.force_login(colleague.user)
    assert client.get(url).status_code == 404
    assert client.get(reverse("ledger:claim_file", args=[claim.pk + 999])).status_code == 404
    b1_coordinator = CoordinatorRoleFactory(level="school", school=org["school_b1"]).user
    client.force_login(b1_coordinator)
    assert client.get(url).status_code == 404
