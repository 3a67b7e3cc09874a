"""The audit trail's two doors: `record()` writes one event, `visible_to(scope)` reads them.

Every room writes here (ledger corrections, attendance imports, claim decisions, target
changes, class-log changes, report exports, role changes) and nothing writes
`AuditEvent` rows any other way. The trail lives in `accounts`, the bottom layer, so that
every app can write to it and `accounts` itself can record role changes (docs/decisions/0007).

    from accounts import audit

    audit.record(actor=request.user, action="claim.approve", obj=claim, school=claim.teacher.school_id,
                 summary="…", before=None, after={"hours": claim.hours})
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from .models import AuditEvent, District, School


def register_actions(labels: Mapping[str, str]) -> None:
    """Name a room's action codes for readers (called from the room's AppConfig.ready)."""
    AuditEvent.labels.update(labels)


def _pk(value: models.Model | int | None) -> int | None:
    return value.pk if isinstance(value, models.Model) else value


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    school: School | int | None = None,
    district: District | int | None = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `obj` is the record acted on (its model label and id are kept); `school`
    or `district` say whose coordinators may read the event (neither: the city's only)."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=obj.pk if obj is not None else None,
        school_id=_pk(school),
        district_id=_pk(district),
        summary=str(summary)[:255],
        before=before,
        after=after,
    )


def visible_to(scope) -> QuerySet[AuditEvent]:
    """Events a coordinator may read: their schools' and their districts' (city: everything).

    `scope` is an `accounts.scope.Scope`; everyone who coordinates nothing reads nothing."""
    if not scope.is_coordinator:
        return AuditEvent.objects.none()
    if scope.city:
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(scope.school_filter("school") | Q(district_id__in=scope.district_ids))


def forget_actor(user) -> int:
    """Identity removal (personal-data deletion): the user's events stay, without the link to them.

    The one UPDATE the database guard lets through on the trail (accounts/append_only.py).
    Summaries written before may still name the person; the deletion feature decides about them."""
    return AuditEvent.objects.filter(actor=user).update(actor=None)
