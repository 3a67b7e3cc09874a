"""A person's own data: download it (JSON and a readable page), and have it deleted (PIPL).

Collected generically: every model with a foreign key to the user, or to their teacher or parent
profile, contributes the rows that point at them, so a model added later is in the download
without anyone remembering to add it. Secrets are never part of it (password hash, two-step
secrets, session keys: `SECRET_FIELDS`, `SKIPPED_MODELS`).

Deletion keeps what the programme's history needs and removes who it was about: ledger entries
stay with their hours, dates and school but no teacher (`forget_person`); audit events stay with
their action and time but no actor and no summary that could name them (`forget_actor`, and the
events about this person); then the account itself is emptied and closed (`forget`). This lives
in `cms` because it wires every app: accounts, courses and tracking may not import each other
upwards.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from allauth.mfa.models import Authenticator

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from accounts import audit
from accounts.models import AuditEvent, ParentProfile, TeacherProfile, User
from tracking.ledger.services import forget_person

SECRET_FIELDS = {"password", "secret", "data", "session_key", "session_data", "key", "token"}
# Models whose rows are security machinery, not information about the person: listed by type only.
SKIPPED_MODELS = {"sessions.session", "mfa.authenticator", "account.emailconfirmation"}
MAX_ROWS = 2000  # per model; a download is for reading, the rest is counted
MAX_TEXT = 2000


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return value[:MAX_TEXT] + "…"
    if isinstance(value, (list, dict, int, float, bool)) or value is None:
        return value
    return str(value)


def _row(obj: models.Model) -> dict[str, Any]:
    row = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            continue
        if field.is_relation:
            related = getattr(obj, field.name, None)
            row[str(field.verbose_name)] = str(related) if related is not None else None
        else:
            row[str(field.verbose_name)] = _plain(field.value_from_object(obj))
    return row


def _links(user: User) -> dict[type[models.Model], list[int]]:
    links: dict[type[models.Model], list[int]] = {User: [user.pk]}
    for profile in (TeacherProfile, ParentProfile):
        ids = list(profile.objects.filter(user=user).values_list("pk", flat=True))
        if ids:
            links[profile] = ids
    return links


def collect(user: User) -> dict[str, Any]:
    """Everything stored about `user`, as plain JSON-able data, grouped by kind of record."""
    links = _links(user)
    sections = [{"title": str(User._meta.verbose_name), "model": "accounts.user", "rows": [_row(user)]}]
    for model in apps.get_models():
        label = model._meta.label_lower
        if label == "accounts.user":
            continue
        lookups = [
            models.Q(**{f"{field.name}__in": links[field.related_model]})
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model in links
        ]
        if not lookups:
            continue
        condition = lookups[0]
        for lookup in lookups[1:]:
            condition |= lookup
        queryset = model._default_manager.filter(condition).distinct()
        count = queryset.count()
        if not count:
            continue
        section = {"title": str(model._meta.verbose_name_plural), "model": label, "count": count}
        if label in SKIPPED_MODELS:
            section["rows"] = []
            section["note"] = "security records: kinds only" if label != "mfa.authenticator" else ""
            if label == "mfa.authenticator":
                section["rows"] = [{"type": a.type, "created_at": _plain(a.created_at)} for a in queryset]
        else:
            section["rows"] = [_row(obj) for obj in queryset.order_by("pk")[:MAX_ROWS]]
        sections.append(section)
    return {
        "generated_at": _plain(timezone.now()),
        "user": user.get_username(),
        "sections": sections,
    }


@transaction.atomic
def forget(user: User, *, by: User | None = None) -> dict[str, int]:
    """Delete a person's identity, keeping the rows the programme's history needs (see module doc).

    The account row stays (other records point at it) but holds nothing about the person: no
    name, username, e-mail or password, no profiles' identifying fields, no two-step secrets."""
    teacher_ids = list(TeacherProfile.objects.filter(user=user).values_list("pk", flat=True))
    AuditEvent.objects.filter(actor=user).exclude(summary=None).update(summary=None)  # may name them
    counts = {"ledger_entries": forget_person(user), "audit_events": audit.forget_actor(user)}
    about = models.Q(object_type="accounts.user", object_id=user.pk)
    if teacher_ids:
        about |= models.Q(object_type="accounts.teacherprofile", object_id__in=teacher_ids)
    counts["audit_events"] += AuditEvent.objects.filter(about).exclude(summary=None).update(summary=None)
    counts["authenticators"] = Authenticator.objects.filter(user=user).delete()[0]
    counts["parent_profiles"] = ParentProfile.objects.filter(user=user).delete()[0]
    TeacherProfile.objects.filter(user=user).update(staff_number=f"已删除-{user.pk}")
    user.emailaddress_set.all().delete()
    user.username = f"deleted-{user.pk}"
    user.name = ""
    user.first_name = user.last_name = ""
    user.email = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.password = make_password(None)
    user.save()
    user.groups.clear()
    user.coordinator_roles.all().delete()
    audit.record(actor=by, action="privacy.forget", obj=user)
    return counts
