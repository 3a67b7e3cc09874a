"""Demo: a 达标 round open this month, a few facility entries of 滨江实验小学 (one approved, one
waiting for 东湖区), 东湖区's teaching researcher. Keyed on natural keys: a re-run adds nothing."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import CoordinatorRole, User

from .models import DistrictStaff, FacilityEntry, Item, RoomPart, Round, RoundKind

DEMO_PDF = b"%PDF-1.4\n% Xinyu demo evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def load() -> str:
    school_role = CoordinatorRole.objects.filter(user__username="school_coord").select_related("school").first()
    district_role = CoordinatorRole.objects.filter(user__username="donghu_coord").first()
    city = User.objects.filter(username="city_coord").first()
    if school_role is None or district_role is None or city is None:
        return "skipped (no demo coordinators)"
    school, school_user = school_role.school, school_role.user
    today = timezone.localdate()
    Round.objects.get_or_create(
        kind=RoundKind.STANDARD,
        title=f"{today.year}年心理健康教育达标学校评估",
        defaults={
            "opens_on": today.replace(day=1),
            "closes_on": today.replace(day=1) + datetime.timedelta(days=60),
            "indicators": [
                "staffing_ratio",
                "training_full_time",
                "theme_meetings",
                "counselling_room",
                "leading_group",
                "crisis_group",
                "budget_line",
            ],
            "thresholds": {"training_full_time": "90"},
            "created_by": city,
        },
    )
    entries = (
        (Item.LEADING_GROUP, {}, FacilityEntry.Status.APPROVED),
        (Item.CRISIS_GROUP, {}, FacilityEntry.Status.APPROVED),
        (
            Item.COUNSELLING_ROOM,
            {"room_parts": [RoomPart.INDIVIDUAL, RoomPart.GROUP, RoomPart.RECEPTION]},
            FacilityEntry.Status.PENDING,
        ),
    )
    for item, extra, status in entries:
        if FacilityEntry.objects.filter(school=school, item=item).exists():
            continue
        entry = FacilityEntry(
            school=school,
            item=item,
            submitted_by=school_user,
            evidence_name="佐证材料.pdf",
            evidence_type="application/pdf",
            status=status,
            **extra,
        )
        if status == FacilityEntry.Status.APPROVED:
            entry.decided_by, entry.decided_at = district_role.user, timezone.now()
        entry.evidence.save("demo.pdf", ContentFile(DEMO_PDF), save=False)
        entry.save()
    DistrictStaff.objects.get_or_create(
        district_id=district_role.district_id,
        role=DistrictStaff.Role.RESEARCHER,
        name="周老师",
        defaults={"unit": "东湖区教师发展中心", "created_by": district_role.user},
    )
    return f"{Round.objects.count()} round(s), {FacilityEntry.objects.count()} facility entries"
