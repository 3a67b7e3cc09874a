"""Recording a school's campaign activity, and counting it as its classes' 专题活动.

The delivery room owns the rule (`rules.campaign_activity_counts`) and the class logs
(`services.log_activity`); this module only asks the one and calls the other. Each class's
log gets a token derived from the activity and the class, so a replayed submit, or a second
call, never logs a class twice.
"""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts import audit
from tracking.delivery import rules
from tracking.delivery import services as delivery_services
from tracking.delivery.models import ActivityKind as DeliveryKind

from .models import CampaignActivity

NAMESPACE = uuid.UUID("6a1f0c5e-0b7e-4d1f-9a51-2f5e2f9f1a14")
AUDIT_ACTIONS = {"campaign.activity": _("Campaign activity reported")}


def class_log_token(activity: CampaignActivity, class_id: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"campaign-activity:{activity.pk}:class:{class_id}")


def record_activity(*, actor, form) -> tuple[CampaignActivity, bool]:
    """Save a reported activity (once per submission token) and log its 专题活动 where it qualifies."""
    token = form.cleaned_data.get("token")
    existing = CampaignActivity.objects.filter(client_token=token).first() if token else None
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            activity = form.save(commit=False)
            activity.created_by = actor
            activity.client_token = token
            activity.save()
            form.save_m2m()
            count_as_special_activities(activity, actor=actor)
            audit.record(
                actor=actor,
                action="campaign.activity",
                obj=activity,
                school=activity.school_id,
                summary=f"{activity.school.name} · {activity}",
                after={"participants": activity.participants, "classes": activity.classes.count()},
            )
    except IntegrityError:
        existing = CampaignActivity.objects.filter(client_token=token).first() if token else None
        if existing is None:
            raise
        return existing, False
    return activity, True


def count_as_special_activities(activity: CampaignActivity, *, actor) -> int:
    """Log a 专题活动 for each class that took part, if the theme qualifies; returns how many were new."""
    if not rules.campaign_activity_counts(activity.theme):
        return 0
    topic = activity.campaign.theme if activity.campaign else activity.get_kind_display()
    created = 0
    for school_class in activity.classes.all():
        _log, new = delivery_services.log_activity(
            actor=actor,
            school_class=school_class,
            kind=DeliveryKind.SPECIAL_ACTIVITY,
            date=activity.date,
            topic=f"{topic}（{activity.get_kind_display()}）"[:200],
            client_token=class_log_token(activity, school_class.pk),
        )
        created += new
    return created
