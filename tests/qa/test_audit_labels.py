"""The audit trail names actions in Chinese words (it showed codes like claim.approve)."""

import pytest

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import audit
from tests.auth import login_with_mfa

pytestmark = pytest.mark.django_db


def test_audit_trail_names_actions_in_words(client, org, school_coordinator):
    audit.record(actor=school_coordinator, action="claim.approve", school=org["school_a1"], summary="通过")
    login_with_mfa(client, school_coordinator)
    body = client.get(reverse("ledger:audit_log")).content.decode()
    assert ">claim.approve<" not in body
    assert _("Certificate approved") in body
