"""Everyday safety of the class log (issue 12, item 3): Back + 保存 makes no second record,
and a teacher withdraws their own log within the window, audited."""

import datetime

import pytest

from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from tests.factories import ClassActivityFactory
from tracking.models import ClassActivity

from .test_views import current_term, head, lesson_post, login, my_class, psy  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_form_fetched_again_and_saved_with_the_same_entries_logs_once(client, psy, my_class):  # noqa: F811
    """What a phone sends after Back: a fresh form (a new token) refilled with the remembered fields."""
    client = login(client, psy.user)
    url = reverse("delivery:log", args=[my_class.pk])
    assert client.post(url, lesson_post()).status_code == 303
    again = client.post(url, lesson_post(), follow=True)  # lesson_post() draws a new token
    assert ClassActivity.objects.count() == 1
    assert "已保存过" in again.text
    assert again.context["classes"][0].lessons == 1
    # A different topic the same day is a different lesson.
    client.post(url, lesson_post(topic="学会倾听"))
    assert ClassActivity.objects.count() == 2


def test_the_same_entries_after_a_withdrawal_log_again(client, psy, my_class):  # noqa: F811
    client = login(client, psy.user)
    url = reverse("delivery:log", args=[my_class.pk])
    client.post(url, lesson_post())
    first = ClassActivity.objects.get()
    client.post(reverse("delivery:withdraw", args=[first.pk]))
    client.post(url, lesson_post())
    assert ClassActivity.objects.active().count() == 1
    assert ClassActivity.objects.active().get().pk != first.pk


def test_teacher_withdraws_own_log_within_the_window_audited(client, psy, my_class):  # noqa: F811
    client = login(client, psy.user)
    client.post(reverse("delivery:log", args=[my_class.pk]), lesson_post())
    activity = ClassActivity.objects.get()
    history = client.get(reverse("delivery:history"))
    assert reverse("delivery:withdraw", args=[activity.pk]) in history.text
    response = client.post(reverse("delivery:withdraw", args=[activity.pk]), follow=True)
    assert "已撤回" in response.text
    activity.refresh_from_db()
    assert activity.is_void and activity.voided_by == psy.user
    event = AuditEvent.objects.get(action="delivery.withdraw")
    assert (event.actor, event.object_id, event.school_id) == (psy.user, activity.pk, my_class.school_id)
    assert client.get(reverse("delivery:my_classes")).context["classes"][0].lessons == 0


def test_withdraw_refused_after_the_window_and_for_others_logs(client, psy, head, my_class, settings):  # noqa: F811
    settings.DELIVERY_WITHDRAW_HOURS = 48
    old = ClassActivityFactory(school_class=my_class, created_by=psy.user, teacher=psy)
    ClassActivity.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=49))
    theirs = ClassActivityFactory(school_class=my_class, created_by=head.user, teacher=head)
    client = login(client, psy.user)
    assert reverse("delivery:withdraw", args=[old.pk]) not in client.get(reverse("delivery:history")).text
    response = client.post(reverse("delivery:withdraw", args=[old.pk]), follow=True)
    assert "48 小时" in response.text
    assert client.post(reverse("delivery:withdraw", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("delivery:withdraw", args=[old.pk])).status_code == 405
    assert not AuditEvent.objects.filter(action="delivery.withdraw").exists()
    assert ClassActivity.objects.active().count() == 2


def test_due_this_week_lists_only_what_the_user_can_record(client, psy, head, my_class, monkeypatch):  # noqa: F811
    """Item 9: the head teacher of a key-grade class is not told to give its psychology lessons."""
    from tracking.delivery import rules

    original = rules.class_delivery_status

    def with_lessons_due(classes, term, on=None):
        from django.db.models import Value

        return original(classes, term, on).annotate(lessons_due_this_week=Value(2), is_key_grade=Value(True))

    monkeypatch.setattr(rules, "class_delivery_status", with_lessons_due)
    as_psy = login(client, psy.user).get(reverse("delivery:my_classes"))
    assert as_psy.context["due_this_week"] == 2
    assert "本周日前应上 2 节心理健康活动课" in as_psy.text
    client.logout()
    as_head = login(client, head.user).get(reverse("delivery:my_classes"))
    assert as_head.context["due_this_week"] == 0
    assert "本周日前" not in as_head.text and "本周应上" not in as_head.text
