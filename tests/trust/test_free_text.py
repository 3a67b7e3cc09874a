"""Every free-text field that may end up holding a pupil's details says "请勿填写学生姓名等个人信息"
and has a length limit checked on the server (issue 9 #10)."""

import pytest

from django.urls import reverse

from accounts.privacy import REASON_MAX, SHORT_TEXT_MAX
from courses.forms import GrantAttemptsForm
from tests.factories import ExternalClaimFactory, SchoolClassFactory
from tracking.delivery.forms import ActivityForm, CoordinatorActivityForm, ParentLectureForm, VoidForm
from tracking.ledger.forms import CorrectionForm, DecisionForm
from tracking.models import ExternalClaim

HINT = "请勿填写学生姓名等个人信息。"

pytestmark = pytest.mark.django_db


@pytest.fixture
def school_class(org):
    return SchoolClassFactory(school=org["school_a1"])


def forms_and_fields(school_class):
    return [
        (ActivityForm(school_class=school_class, kinds=["psych_lesson"]), "topic", SHORT_TEXT_MAX),
        (CoordinatorActivityForm(school_class=school_class), "topic", SHORT_TEXT_MAX),
        (ParentLectureForm(), "topic", SHORT_TEXT_MAX),
        (VoidForm(), "reason", SHORT_TEXT_MAX),
        (DecisionForm(), "reason", REASON_MAX),
        (CorrectionForm(), "reason", REASON_MAX),
        (GrantAttemptsForm(quizzes=[]), "reason", SHORT_TEXT_MAX),
    ]


def test_every_free_text_field_carries_the_hint_and_a_limit(school_class):
    for form, name, limit in forms_and_fields(school_class):
        field = form.fields[name]
        assert HINT in str(field.help_text), (type(form).__name__, name)
        assert field.max_length == limit and field.widget.attrs["maxlength"] == str(limit)
        assert f'maxlength="{limit}"' in str(form[name])
        # The limit holds on the server too: one character over is an error.
        assert field.clean("x" * limit) == "x" * limit
        with pytest.raises(Exception, match=str(limit)):
            field.clean("x" * (limit + 1))


def test_an_existing_help_text_is_kept_before_the_hint():
    field = ActivityForm.base_fields["lesson_plan_title"]  # untouched: a plan's title, not free text
    assert HINT not in str(field.help_text)
    from django import forms

    from accounts.privacy import free_text

    combined = free_text(forms.CharField(help_text="先说明。"), 50)
    assert str(combined.help_text) == f"先说明。 {HINT}" and combined.max_length == 50


def test_the_claim_queue_shows_the_hint_and_refuses_an_overlong_reason(
    client, teacher, training_year, school_coordinator
):
    claim = ExternalClaimFactory(teacher=teacher, training_year=training_year)
    client.force_login(school_coordinator)
    page = client.get(reverse("ledger:manage_claims")).content.decode()
    assert HINT in page and 'maxlength="500"' in page
    response = client.post(
        reverse("ledger:claim_decide", args=[claim.pk]), {"decision": "reject", "reason": "很" * 501}, follow=True
    )
    assert any("500" in str(m) for m in response.context["messages"])
    claim.refresh_from_db()
    assert claim.status == ExternalClaim.Status.PENDING
