"""Pace reminders for teachers and weekly digests for coordinators.

Idempotent by construction: each notice has a unique (user, kind, period) key and is
created with ``bulk_create(ignore_conflicts=True)``; e-mail is sent only after a notice
is *claimed* (``emailed_at`` set by a conditional UPDATE), so a retried or parallel run
never e-mails twice.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import CoordinatorRole, School, TeacherProfile, TrainingYear
from accounts.scope import scope_for

from ..ledger.services import Status, annotate_status_joined, completion_rollup
from ..notices.models import Notification

logger = logging.getLogger(__name__)
CATCH_UP_DAYS = 7  # a missed daily run still sends within a week of the reminder point


def reminder_point(year: TrainingYear, on: datetime.date) -> tuple[datetime.date, int] | None:
    """The configured point (date, expected %) that applies on `on`, or None."""
    best = None
    for month, day, expected in settings.TRAINING_REMINDER_POINTS:
        point = datetime.date(year.year, month, day)
        applies = year.start_date <= point <= on and (on - point).days <= CATCH_UP_DAYS
        if applies and (best is None or point > best[0]):
            best = (point, int(expected))
    return best


def send_pace_reminders(on: datetime.date | None = None) -> int:
    on = on or timezone.localdate()
    year = TrainingYear.current(on)
    if year is None:
        return 0
    point = reminder_point(year, on)
    if point is None:
        return 0
    point_date, expected = point
    period = point_date.isoformat()
    kind = Notification.Kind.PACE_REMINDER
    behind = (
        annotate_status_joined(TeacherProfile.objects.filter(is_active=True, user__is_active=True), year, on)
        .filter(status=Status.IN_PROGRESS, percent__lt=expected)
        .values_list("user_id", "percent")
    )
    url = reverse("accounts:profile")
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Training reminder: you are behind pace")
        notices = [
            Notification(
                user_id=user_id,
                kind=kind,
                period=period,
                title=title,
                message=_(
                    "By %(date)s about %(expected)s%% of the yearly training target should be done; "
                    "you have completed %(percent)s%%. Please plan your remaining training."
                )
                % {"date": point_date.strftime("%Y-%m-%d"), "expected": expected, "percent": percent or 0},
                url=url,
            )
            for user_id, percent in behind
        ]
    before = Notification.objects.filter(kind=kind, period=period).count()
    Notification.objects.bulk_create(notices, batch_size=2000, ignore_conflicts=True)
    created = Notification.objects.filter(kind=kind, period=period).count() - before
    _email_pending(kind, period)
    return created


def send_coordinator_digests(on: datetime.date | None = None) -> int:
    on = on or timezone.localdate()
    year = TrainingYear.current(on)
    if year is None:
        return 0
    iso = on.isocalendar()
    period = f"{iso.year}-W{iso.week:02d}"
    kind = Notification.Kind.COORDINATOR_DIGEST
    done = set(Notification.objects.filter(kind=kind, period=period).values_list("user_id", flat=True))
    user_ids = (
        CoordinatorRole.objects.filter(user__is_active=True)
        .exclude(user_id__in=done)
        .values_list("user_id", flat=True)
        .distinct()
    )
    from django.contrib.auth import get_user_model

    created = 0
    url = reverse("reports:completion") + f"?year={year.pk}&status={Status.IN_PROGRESS.value}"
    for user in get_user_model().objects.filter(pk__in=list(user_ids)):
        scope = scope_for(user)
        counts = completion_rollup(scope.teachers().filter(is_active=True), year, "school", on=on)
        behind = {k: v["in_progress"] + v["not_met"] for k, v in counts.items() if v["in_progress"] + v["not_met"]}
        total = sum(behind.values())
        top = sorted(behind.items(), key=lambda kv: -kv[1])[:10]
        names = dict(School.objects.filter(pk__in=[k for k, _n in top]).values_list("pk", "name"))
        with translation.override(settings.LANGUAGE_CODE):
            lines = [
                _("%(n)s teachers in your scope have not yet met their %(year)s training target.")
                % {"n": total, "year": year.year}
            ]
            lines += [f"· {names.get(k, k)}：{n}" for k, n in top]
            title = _("Weekly digest: teachers behind their training target")
        _obj, was_created = Notification.objects.get_or_create(
            user=user, kind=kind, period=period, defaults={"title": title, "message": "\n".join(lines), "url": url}
        )
        created += was_created
    _email_pending(kind, period)
    return created


def _email_pending(kind: str, period: str) -> int:
    """E-mail each notice at most once: claim it first, then send."""
    if not settings.TRAINING_REMINDER_EMAIL:
        return 0
    sent = 0
    pending = Notification.objects.filter(kind=kind, period=period, emailed_at__isnull=True).exclude(user__email="")
    for notice in pending.select_related("user").iterator(chunk_size=500):
        claimed = Notification.objects.filter(pk=notice.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
        if not claimed:
            continue
        try:
            send_mail(notice.title, notice.message, None, [notice.user.email])
            sent += 1
        except Exception:  # a mail outage must not stop the other notices; the notice stays in-app
            logger.exception("reminder e-mail to user %s failed", notice.user_id)
    return sent
