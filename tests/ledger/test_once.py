"""Every create form of the ledger is idempotent (issue 12, item 3): the page's one-time token
makes a double tap or Back + resubmit of the same page a no-op, and a re-fetched session form
refilled with the same entries finds the session already created."""

from decimal import Decimal

import pytest

from django.urls import reverse

from accounts.models import AuditEvent
from tracking.models import ExternalClaim, LedgerEntry, LedgerSource, OfflineSession

from .test_claims import PDF_BYTES, claim_form, now_2026  # noqa: F401

pytestmark = pytest.mark.django_db


def page_token(client, url):
    return client.get(url).context["form"].initial["once"]


def test_session_form_submitted_twice_creates_one_session(client, org, training_year, school_coordinator):
    client.force_login(school_coordinator)
    url = reverse("ledger:session_create")
    form = {
        "title": "班主任心理健康讲座",
        "kind": "lecture",
        "starts_at": "2026-05-10T14:00",
        "ends_at": "2026-05-10T16:00",
        "hours": "2",
        "place": "报告厅",
        "organiser": "学校",
        "audience": "school",
        "school": org["school_a1"].pk,
        "once": page_token(client, url),
    }
    client.post(url, form)
    session = OfflineSession.objects.get()
    again = client.post(url, form)  # the same page again
    assert again.status_code == 303 and again["Location"] == reverse("ledger:session_detail", args=[session.pk])
    refetched = client.post(url, {**form, "once": page_token(client, url)}, follow=True)
    assert "已保存过" in refetched.text
    assert OfflineSession.objects.count() == 1
    assert AuditEvent.objects.filter(action="session.create").count() == 1
    # Another session at another time is another session.
    client.post(
        url, {**form, "starts_at": "2026-05-11T14:00", "ends_at": "2026-05-11T16:00", "once": page_token(client, url)}
    )
    assert OfflineSession.objects.count() == 2


def test_claim_page_submitted_twice_files_one_claim(client, teacher, training_year, now_2026):  # noqa: F811
    client.force_login(teacher.user)
    url = reverse("ledger:my_claims")
    token = page_token(client, url)
    client.post(url, {**claim_form(PDF_BYTES), "once": token})
    response = client.post(url, {**claim_form(PDF_BYTES, title="另一份证书"), "once": token}, follow=True)
    assert "已保存过" in response.text
    assert ExternalClaim.objects.count() == 1


def test_correction_page_submitted_twice_corrects_once(client, teacher, training_year, school_coordinator):
    client.force_login(school_coordinator)
    url = reverse("ledger:teacher_ledger", args=[teacher.pk])
    data = {"training_year": training_year.pk, "hours": "2", "reason": "补录线下培训", "once": page_token(client, url)}
    first = client.post(url, data)
    assert first.status_code == 303
    client.post(url, data)
    assert LedgerEntry.objects.filter(source=LedgerSource.CORRECTION).count() == 1
    assert LedgerEntry.objects.get(source=LedgerSource.CORRECTION).hours == Decimal("2")
    # A new page (new token) is a deliberate second correction.
    client.post(url, {**data, "once": page_token(client, url)})
    assert LedgerEntry.objects.filter(source=LedgerSource.CORRECTION).count() == 2


def test_school_coordinator_form_is_preset_to_their_school(client, org, training_year, school_coordinator):
    client.force_login(school_coordinator)
    form = client.get(reverse("ledger:session_create")).context["form"]
    assert "district" not in form.fields
    assert form.fields["school"].initial == org["school_a1"].pk and form.fields["school"].widget.is_hidden
    assert form.fields["audience"].widget.is_hidden


def test_district_coordinator_still_picks_the_audience(client, org, training_year, district_coordinator):
    client.force_login(district_coordinator)
    form = client.get(reverse("ledger:session_create")).context["form"]
    assert "district" in form.fields and not form.fields["audience"].widget.is_hidden
