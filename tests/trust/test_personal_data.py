"""A teacher or parent downloads their data (JSON and a readable page) and asks for deletion; the
deletion keeps ledger and audit rows with the identity removed (issue 9, personal data)."""

import json
from decimal import Decimal
from io import StringIO

import pytest

from django.core.management import call_command
from django.urls import reverse

from accounts import audit
from accounts.models import AuditEvent, User
from cms.core.personal_data import collect, forget
from tests.auth import give_totp, login_with_mfa
from tests.factories import ParentProfileFactory
from tracking.ledger.services import record_correction
from tracking.models import LedgerEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(teacher, school_coordinator, training_year):
    """A correction on the teacher's ledger, recorded by the coordinator, and its audit event."""
    record_correction(
        teacher=teacher, training_year=training_year, hours=Decimal("2"), reason="补录", recorded_by=school_coordinator
    )
    audit.record(
        actor=teacher.user, action="delivery.create", school=teacher.school, summary=f"{teacher.user.name} 上课"
    )
    return teacher


def test_a_teacher_downloads_their_data_as_json(client, history):
    login_with_mfa(client, history.user)
    response = client.get(reverse("my_data_json"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    titles = {section["model"] for section in data["sections"]}
    assert {"accounts.user", "accounts.teacherprofile", "tracking.ledgerentry", "accounts.auditevent"} <= titles
    user_row = data["sections"][0]["rows"][0]
    assert history.user.name in user_row.values()
    assert not any("pbkdf2" in str(v) or "md5" in str(v) for v in user_row.values())  # no password hash


def test_the_readable_page_is_in_chinese_and_carries_no_script(client, history):
    login_with_mfa(client, history.user)
    body = client.get(reverse("my_data_html")).content.decode()
    assert "我的个人数据" in body and history.user.name in body and history.staff_number in body
    assert "<script" not in body


def test_a_parent_downloads_theirs(client):
    parent = ParentProfileFactory()
    login_with_mfa(client, parent.user)
    data = json.loads(client.get(reverse("my_data_json")).content)
    assert "accounts.parentprofile" in {section["model"] for section in data["sections"]}


def test_two_step_secrets_are_never_in_the_download(school_coordinator):
    authenticator = give_totp(school_coordinator)
    text = json.dumps(collect(school_coordinator), ensure_ascii=False)
    assert authenticator.data["secret"] not in text
    assert "totp" in text  # that it exists is the person's data


def test_the_page_offers_both_downloads_and_records_a_deletion_request(client, history):
    login_with_mfa(client, history.user)
    page = client.get(reverse("my_data")).content.decode()
    assert reverse("my_data_json") in page and reverse("my_data_html") in page and "申请删除" in page
    refused = client.post(reverse("my_data_delete"), {}, follow=True)
    assert "勾选" in refused.content.decode()
    assert not AuditEvent.objects.filter(action="privacy.deletion_requested").exists()
    done = client.post(reverse("my_data_delete"), {"confirm": "yes"}, follow=True)
    assert "已记录" in done.content.decode()
    client.post(reverse("my_data_delete"), {"confirm": "yes"})  # asking twice records it once
    assert AuditEvent.objects.filter(action="privacy.deletion_requested", actor=history.user).count() == 1
    out = StringIO()
    call_command("forget_user", stdout=out)
    assert history.user.username in out.getvalue()


def test_deletion_keeps_the_ledger_and_the_trail_without_the_person(client, history, password):
    user = history.user
    name, username = user.name, user.username
    entries, events = LedgerEntry.objects.count(), AuditEvent.objects.count()
    hours = sum(e.hours for e in LedgerEntry.objects.all())
    call_command("forget_user", username, stdout=StringIO())

    assert LedgerEntry.objects.count() == entries
    assert sum(e.hours for e in LedgerEntry.objects.all()) == hours
    assert not LedgerEntry.objects.filter(teacher=history).exists()
    assert AuditEvent.objects.count() == events + 1  # the deletion itself is on the trail
    assert not AuditEvent.objects.filter(actor=user).exists()
    assert not AuditEvent.objects.filter(summary__contains=name).exists()

    user.refresh_from_db()
    assert (user.name, user.email, user.is_active) == ("", "", False)
    assert user.username != username and not user.has_usable_password()
    assert not User.objects.filter(username=username).exists()
    history.refresh_from_db()
    assert history.staff_number.startswith("已删除")
    assert not client.login(username=username, password=password)


def test_a_coordinators_deletion_removes_their_roles_and_secrets(school_coordinator):
    give_totp(school_coordinator)
    counts = forget(school_coordinator)
    assert counts["authenticators"] == 1
    assert not school_coordinator.coordinator_roles.exists()


@pytest.mark.parametrize("name", ["my_data", "my_data_json", "my_data_html"])
def test_anonymous_visitors_are_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
