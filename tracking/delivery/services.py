"""Writing delivery records: every create / change / void goes through here and is audited.

Views (teacher and coordinator) and the demo loader call these; nothing else writes
`ClassActivity`, `FamilyVisitTally` or `ParentLecture` rows.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import audit
from accounts.models import School, SchoolClass, TeacherProfile, Term

from .models import ClassActivity, FamilyVisitTally, ParentLecture

# Delivery's entries in the audit trail, as coordinators read them (registered in TrackingConfig.ready).
CREATE, CHANGE, VOID = "delivery.create", "delivery.change", "delivery.void"
WITHDRAW = "delivery.withdraw"
AUDIT_ACTIONS = {
    CREATE: _("Delivery record added"),
    CHANGE: _("Delivery record corrected"),
    VOID: _("Delivery record voided"),
    WITHDRAW: _("Delivery record withdrawn by its teacher"),
}


def withdraw_window() -> datetime.timedelta:
    """How long a teacher may take back their own log (a wrong class, a slip of the thumb);
    after that a coordinator voids it. settings.DELIVERY_WITHDRAW_HOURS, 48 by default."""
    return datetime.timedelta(hours=getattr(settings, "DELIVERY_WITHDRAW_HOURS", 48))


class WithdrawRefused(Exception):
    """The log is not the user's, is already voided, or the window has passed (message translated)."""


AUDITED_FIELDS = {
    ClassActivity: [
        "school_class",
        "kind",
        "date",
        "teacher",
        "periods",
        "topic",
        "lesson_plan_title",
        "lesson_plan_url",
        "resource",
    ],
    FamilyVisitTally: ["school_class", "term", "families_visited"],
    ParentLecture: ["school", "date", "topic", "participants"],
}


def _snapshot(obj) -> dict:
    data = model_to_dict(obj, fields=AUDITED_FIELDS[type(obj)])
    return {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in data.items()}


def _school_id(obj) -> int:
    return obj.school_id if isinstance(obj, ParentLecture) else obj.school_class.school_id


def _summary(obj) -> str:
    """What the trail's "What" column shows: the record with its class or school."""
    if isinstance(obj, ClassActivity):
        return f"{obj.school_class} · {obj}"
    if isinstance(obj, ParentLecture):
        return f"{obj.school.name} · {obj}"
    return str(obj)  # a family-visit tally names its class and semester itself


def _audit(actor, action: str, obj, before: dict | None, after: dict | None) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        school=_school_id(obj),
        summary=_summary(obj),
        before=before,
        after=after,
    )


def log_activity(
    *,
    actor,
    school_class: SchoolClass,
    kind: str,
    date: datetime.date,
    topic: str,
    teacher: TeacherProfile | None = None,
    periods: int = 1,
    lesson_plan_title: str = "",
    lesson_plan_url: str = "",
    resource=None,
    client_token: uuid.UUID | None = None,
) -> tuple[ClassActivity, bool]:
    """Log one delivered activity. Returns (activity, created).

    Never twice: a replayed token returns the first record, and so does the same user logging
    the same kind, class, day and topic again — what Back + 保存 on a phone sends, since the
    browser may fetch the form afresh (new token) and refill the fields it remembers."""
    if client_token is not None:
        existing = ClassActivity.objects.filter(client_token=client_token).first()
        if existing is not None:
            return existing, False
    same = (
        ClassActivity.objects.active()
        .filter(school_class=school_class, kind=kind, date=date, topic__iexact=topic.strip(), created_by=actor)
        .first()
    )
    if same is not None:
        return same, False
    try:
        with transaction.atomic():
            activity = ClassActivity.objects.create(
                school_class=school_class,
                kind=kind,
                date=date,
                topic=topic,
                teacher=teacher,
                periods=periods,
                lesson_plan_title=lesson_plan_title,
                lesson_plan_url=lesson_plan_url,
                resource=resource,
                created_by=actor,
                client_token=client_token,
            )
            _audit(actor, CREATE, activity, None, _snapshot(activity))
    except IntegrityError:
        # Two identical submits raced: the other one won; report it, count once.
        existing = ClassActivity.objects.filter(client_token=client_token).first() if client_token else None
        if existing is None:
            raise
        return existing, False
    return activity, True


@transaction.atomic
def change_record(*, actor, obj, **changes):
    """Correct fields of an activity or parent lecture; audited with before/after."""
    before = _snapshot(obj)
    for field, value in changes.items():
        setattr(obj, field, value)
    after = _snapshot(obj)
    if before == after:
        return obj
    obj.save()
    _audit(actor, CHANGE, obj, before, after)
    return obj


@transaction.atomic
def void_record(*, actor, obj, reason: str):
    """Void an activity or parent lecture: it stays in the history but no longer counts."""
    if obj.voided_at is not None:
        return obj
    obj.voided_at = timezone.now()
    obj.voided_by = actor
    obj.void_reason = reason
    obj.save(update_fields=["voided_at", "voided_by", "void_reason"])
    _audit(actor, VOID, obj, _snapshot(obj), {"void_reason": reason})
    return obj


def may_withdraw(activity: ClassActivity, user, now=None) -> bool:
    return (
        activity.created_by_id == user.pk
        and activity.voided_at is None
        and (now or timezone.now()) - activity.created_at <= withdraw_window()
    )


@transaction.atomic
def withdraw_activity(*, actor, activity: ClassActivity) -> ClassActivity:
    """The teacher takes back their own log within the window: voided (it stays in the history)
    and audited as a withdrawal, so nobody has to ask a coordinator."""
    activity = ClassActivity.objects.select_for_update().get(pk=activity.pk)
    if not may_withdraw(activity, actor):
        raise WithdrawRefused(
            _("Only your own log can be withdrawn, within %(hours)s hours of saving it; ask your coordinator.")
            % {"hours": int(withdraw_window().total_seconds() // 3600)}
        )
    activity.voided_at = timezone.now()
    activity.voided_by = actor
    activity.void_reason = str(_("Withdrawn by the teacher"))
    activity.save(update_fields=["voided_at", "voided_by", "void_reason"])
    _audit(actor, WITHDRAW, activity, _snapshot(activity), {"void_reason": activity.void_reason})
    return activity


@transaction.atomic
def set_family_visits(*, actor, school_class: SchoolClass, term: Term, families_visited: int) -> FamilyVisitTally:
    """Record how many of the class's families were visited this term (a running tally)."""
    tally = FamilyVisitTally.objects.select_for_update().filter(school_class=school_class, term=term).first()
    if tally is None:
        tally = FamilyVisitTally(school_class=school_class, term=term, updated_by=actor)
        tally.families_visited = families_visited
        tally.full_clean()
        tally.save()
        _audit(actor, CREATE, tally, None, _snapshot(tally))
        return tally
    before = _snapshot(tally)
    tally.families_visited = families_visited
    tally.updated_by = actor
    tally.full_clean()
    tally.save()
    if _snapshot(tally) != before:
        _audit(actor, CHANGE, tally, before, _snapshot(tally))
    return tally


@transaction.atomic
def log_parent_lecture(
    *, actor, school: School, date: datetime.date, topic: str, participants: int | None = None
) -> ParentLecture:
    lecture = ParentLecture.objects.create(
        school=school, date=date, topic=topic, participants=participants, created_by=actor
    )
    _audit(actor, CREATE, lecture, None, _snapshot(lecture))
    return lecture
