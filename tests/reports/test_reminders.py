import datetime

import pytest

from django.core import mail

from tests.factories import CoordinatorRoleFactory
from tracking.models import Notification
from tracking.reports.reminders import reminder_point
from tracking.tasks import send_coordinator_digests, send_pace_reminders

POINT = "2026-06-30"  # configured point: 50 % expected by June 30


@pytest.mark.django_db
def test_pace_reminder_goes_to_teachers_behind_once(settings, boundary, training_year):
    settings.TRAINING_REMINDER_EMAIL = True
    created = send_pace_reminders(POINT)
    users = set(Notification.objects.filter(kind="pace_reminder").values_list("user_id", flat=True))
    # behind 50 %: full_short is at 98.75 % (not behind); other_none, other_no_session, b_full_none at 0 %
    expected = {boundary[k].user_id for k in ("other_none", "other_no_session", "b_full_none")}
    assert users == expected and created == 3
    assert len(mail.outbox) == 3
    # a retried task (same day or a few days later within the same period) sends nothing again
    assert send_pace_reminders(POINT) == 0
    assert send_pace_reminders("2026-07-03") == 0
    assert len(mail.outbox) == 3
    assert Notification.objects.count() == 3


@pytest.mark.django_db
def test_no_reminder_between_points(boundary, training_year):
    assert reminder_point(training_year, datetime.date(2026, 5, 1)) is None
    assert send_pace_reminders("2026-05-01") == 0
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_weekly_digest_once_per_coordinator_and_week(settings, boundary, training_year, district_coordinator):
    settings.TRAINING_REMINDER_EMAIL = True
    CoordinatorRoleFactory(user=district_coordinator, level="city")  # two roles, still one digest
    assert send_coordinator_digests("2026-06-01") == 1
    notice = Notification.objects.get(user=district_coordinator)
    assert "5" in notice.message  # 5 teachers city-wide have not met the target yet
    assert send_coordinator_digests("2026-06-02") == 0  # same ISO week
    assert len(mail.outbox) == 1
    assert send_coordinator_digests("2026-06-08") == 1  # next week


@pytest.mark.django_db
def test_my_notices_page_and_badge(client, password, boundary, training_year):
    send_pace_reminders(POINT)
    user = boundary["other_none"].user
    client.login(username=user.username, password=password)
    page = client.get("/me/notices/")
    assert page.status_code == 200 and len(page.context["notices"]) == 1
    assert any(link.get("badge") == 1 for link in page.context["nav_links"])
    client.post("/me/notices/read/")
    assert Notification.objects.get(user=user).read_at is not None


@pytest.mark.django_db
def test_without_beat_the_first_login_of_the_day_sends_the_days_reminders(
    client, settings, boundary, training_year, district_coordinator, monkeypatch
):
    """Issue 12, item 8: under `make run` (no broker, so no beat) notices are not empty."""
    from django.core.cache import cache
    from django.utils import timezone

    settings.TRAINING_REMINDERS_ON_LOGIN = True
    cache.clear()
    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2026, 6, 30))
    client.force_login(district_coordinator)
    assert Notification.objects.filter(kind="pace_reminder").count() == 3
    assert Notification.objects.filter(kind="coordinator_digest", user=district_coordinator).count() == 1
    # The day's run happens once, whoever logs in next; nothing doubles.
    teacher = boundary["other_none"]
    client.force_login(teacher.user)
    assert Notification.objects.count() == 4
    assert "培训提醒" in client.get("/me/notices/").text


@pytest.mark.django_db
def test_with_beat_a_login_sends_nothing(client, settings, boundary, training_year, district_coordinator, monkeypatch):
    from django.core.cache import cache
    from django.utils import timezone

    settings.TRAINING_REMINDERS_ON_LOGIN = False
    cache.clear()
    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2026, 6, 30))
    client.force_login(district_coordinator)
    assert not Notification.objects.exists()
