"""Facility and organisation entries: submit, decide, and the figures the scorecard reads.

Who decides (seeing is not acting, accounts.scope): the district coordinator of the school's
district or the city. Nobody decides their own entry; an entry submitted by a district
coordinator of that district (or by the city) goes to the city (or a superuser).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import CoordinatorRole, SchoolClass
from tracking.figures import percent

from .models import REQUIRED_ROOM_PARTS, FacilityEntry, Item, RoomPart


class NotAllowed(Exception):
    """The user may see this entry but not decide it (a Chinese message for the page)."""


def _submitter_level(entry: FacilityEntry) -> str:
    user = entry.submitted_by
    if user.is_superuser:
        return "superuser"
    roles = CoordinatorRole.objects.filter(user=user)
    if roles.filter(level=CoordinatorRole.Level.CITY).exists():
        return "city"
    if roles.filter(level=CoordinatorRole.Level.DISTRICT, district_id=entry.school.district_id).exists():
        return "district"
    return "school"


def decide_problem(scope, entry: FacilityEntry) -> str | None:
    """Why this coordinator may not decide the entry (None: they may)."""
    if entry.status != FacilityEntry.Status.PENDING:
        return _("This entry has already been decided.")
    if scope.user is not None and entry.submitted_by_id == scope.user.pk:
        return _("You submitted this entry: it is decided at the next level up.")
    if not (scope.city or entry.school.district_id in scope.district_ids):
        return _("Entries are approved by the district coordinator or the city.")
    level = _submitter_level(entry)
    if level == "district" and not scope.city:
        return _("A district coordinator's entry is approved by the city.")
    if level in ("city", "superuser") and not scope.user.is_superuser:
        return _("A city coordinator's entry is approved by an administrator.")
    return None


def submit(*, actor, form) -> FacilityEntry:
    with transaction.atomic():
        entry = form.save(commit=False)
        entry.submitted_by = actor
        entry.status = FacilityEntry.Status.PENDING
        entry.save()
        audit.record(
            actor=actor,
            action="facility.submit",
            obj=entry,
            school=entry.school_id,
            summary=f"{entry.school.name} · {entry.get_item_display()}",
            after=describe(entry),
        )
    return entry


def decide(*, scope, entry_id: int, approve: bool, reason: str) -> FacilityEntry:
    """Approve or return a pending entry (a return needs a reason). One transaction, row locked."""
    with transaction.atomic():
        entry = FacilityEntry.objects.select_for_update().select_related("school", "submitted_by").get(pk=entry_id)
        problem = decide_problem(scope, entry)
        if problem:
            raise NotAllowed(problem)
        if not approve and not reason.strip():
            raise NotAllowed(_("Say why the entry is returned, so the school can correct it."))
        entry.status = FacilityEntry.Status.APPROVED if approve else FacilityEntry.Status.RETURNED
        entry.decided_by = scope.user
        entry.decided_at = timezone.now()
        entry.reason = reason.strip()
        entry.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        audit.record(
            actor=scope.user,
            action="facility.approve" if approve else "facility.return",
            obj=entry,
            school=entry.school_id,
            summary=f"{entry.school.name} · {entry.get_item_display()}",
            after={"status": entry.status, "reason": entry.reason},
        )
    return entry


def describe(entry: FacilityEntry) -> dict:
    data = {"item": entry.item, "present": entry.present, "file": entry.evidence_name}
    if entry.item == Item.COUNSELLING_ROOM:
        data["room_parts"] = list(entry.room_parts or [])
    if entry.item == Item.BUDGET and entry.amount is not None:
        data["amount"] = str(entry.amount)
    if entry.item == Item.COMMITTEE:
        data.update(classes=entry.classes, classes_with_members=entry.classes_with_members, members=entry.members)
    return data


def approved(school_ids) -> dict[int, dict[str, FacilityEntry]]:
    """The latest approved entry per school and item: two queries whatever the number of schools."""
    latest = (
        FacilityEntry.objects.filter(school_id__in=list(school_ids), status=FacilityEntry.Status.APPROVED)
        .values("school_id", "item")
        .annotate(last=Max("id"))
        .values_list("last", flat=True)
    )
    out: dict[int, dict[str, FacilityEntry]] = {}
    for entry in FacilityEntry.objects.filter(pk__in=list(latest)):
        out.setdefault(entry.school_id, {})[entry.item] = entry
    return out


def secondary_classes(school_ids, academic_year) -> dict[int, int]:
    """Junior and senior secondary classes (grades 7–12) per school in the academic year."""
    if academic_year is None:
        return {}
    rows = (
        SchoolClass.objects.filter(school_id__in=list(school_ids), academic_year=academic_year, grade__gte=7)
        .values("school_id")
        .annotate(n=Count("id"))
    )
    return {row["school_id"]: row["n"] for row in rows}


def room_missing(entry: FacilityEntry | None) -> list[str]:
    """The guide's main areas the approved room lacks (all of them when there is no room)."""
    parts = set(entry.room_parts or []) if entry is not None and entry.present else set()
    return [str(RoomPart(p).label) for p in REQUIRED_ROOM_PARTS if p not in parts]


def committee_share(entry: FacilityEntry | None, platform_classes: int | None):
    """(value %, numerator, denominator): classes with members over the secondary classes the
    platform knows for the year (the school's own count when the platform has none)."""
    if entry is None or entry.classes_with_members is None:
        return None, None, platform_classes
    denominator = platform_classes or entry.classes or 0
    numerator = min(entry.classes_with_members, denominator) if denominator else entry.classes_with_members
    return percent(numerator, denominator), numerator, denominator
