"""The demo loader is idempotent, and every management page renders for each coordinator level."""

import pytest

from django.apps import apps
from django.urls import reverse

from accounts import demo as accounts_demo
from tests.auth import login_with_mfa
from tests.factories import ExternalClaimFactory
from tracking.ledger import demo

pytestmark = pytest.mark.django_db


def tracking_counts():
    return {m._meta.label: m.objects.count() for m in apps.get_app_config("tracking").get_models()}


def test_demo_loader_is_idempotent_and_fills_every_source():
    accounts_demo.load()
    demo.load()
    first = tracking_counts()
    demo.load()
    assert tracking_counts() == first
    assert first["tracking.OfflineSession"] == 4
    assert first["tracking.Attendance"] > 0
    # the reports have something to show: teachers who met the target and teachers on the way
    from accounts.models import TeacherProfile, TrainingYear
    from tracking.ledger.services import annotate_status

    year = TrainingYear.current()
    statuses = set(annotate_status(TeacherProfile.objects.all(), year).values_list("status", flat=True))
    assert {"met", "in_progress"} <= statuses
    from tracking.models import ExternalClaim

    assert set(ExternalClaim.objects.values_list("status", flat=True)) == {"pending", "approved", "rejected"}


@pytest.mark.parametrize("who", ["city_coordinator", "district_coordinator", "school_coordinator"])
def test_management_pages_render(client, request, session, teacher, who):
    user = request.getfixturevalue(who)
    ExternalClaimFactory(teacher=teacher, training_year=session.training_year)
    login_with_mfa(client, user)
    for name in ("manage", "session_list", "session_create", "manage_claims", "audit_log"):
        assert client.get(reverse(f"ledger:{name}")).status_code == 200, name
    assert client.get(reverse("ledger:manage_claims"), {"status": "approved"}).status_code == 200
    assert client.get(reverse("ledger:teacher_ledger", args=[teacher.pk])).status_code == 200


def test_pending_claims_are_counted_for_the_coordinator(client, session, teacher, school_coordinator):
    ExternalClaimFactory(teacher=teacher, training_year=session.training_year)
    login_with_mfa(client, school_coordinator)
    assert client.get(reverse("ledger:manage")).context["pending"] == 1
