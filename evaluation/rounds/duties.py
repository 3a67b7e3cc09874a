"""District duties per month: station with full-time staff, a teaching researcher, a research activity.

The station is the public directory's record (cms.help `CounsellingStation`): cms sits above
this app, so `HelpConfig.ready` registers a source here (`register_station_source`) that answers
{district id: [station names]}; this module never imports cms. Research activities are
tracking's offline sessions of kind "research" for one district; their month is the month they
start (Asia/Shanghai) and their attendance the sign-ins / imported rows that earned hours.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from tracking.models import OfflineSession

from .models import DistrictStaff

RESEARCH_ACTIVITIES_PER_MONTH = 1  # 每月至少组织1次辖区内的教研活动
RESEARCHERS_PER_DISTRICT = 1  # 教师发展中心至少配备1名心理教研员
STATION_FULL_TIME_STAFF = 1  # 辅导站有专职人员

StationSource = Callable[[Iterable[int]], dict[int, list[str]]]
_station_sources: list[StationSource] = []


def register_station_source(source: StationSource) -> StationSource:
    if source not in _station_sources:
        _station_sources.append(source)
    return source


def stations(district_ids) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for source in _station_sources:
        for district_id, names in (source(list(district_ids)) or {}).items():
            out.setdefault(district_id, []).extend(names)
    return out


@dataclass
class Month:
    month: datetime.date
    activities: int = 0
    attendance: int = 0
    future: bool = False
    running: bool = False  # the current month: not met yet is not a failure yet

    @property
    def met(self) -> bool:
        return self.activities >= RESEARCH_ACTIVITIES_PER_MONTH


@dataclass
class DistrictDuties:
    district: object
    stations: list[str]
    station_staff: list[DistrictStaff] = field(default_factory=list)
    researchers: list[DistrictStaff] = field(default_factory=list)
    months: list[Month] = field(default_factory=list)

    @property
    def station_met(self) -> bool:
        return bool(self.stations) and len(self.station_staff) >= STATION_FULL_TIME_STAFF

    @property
    def researcher_met(self) -> bool:
        return len(self.researchers) >= RESEARCHERS_PER_DISTRICT

    @property
    def months_met(self) -> int:
        return sum(1 for m in self.months if m.met and not m.future and not m.running)

    @property
    def months_due(self) -> int:
        """Months that have ended (the current one is judged when it is over)."""
        return sum(1 for m in self.months if not m.future and not m.running)

    @property
    def months_missed(self) -> int:
        return self.months_due - self.months_met

    @property
    def activities(self) -> int:
        """Research activities held in the year so far (the current month included)."""
        return sum(m.activities for m in self.months if not m.future)

    @property
    def duties_not_met(self) -> int:
        """Of the three duties, how many are not met (a missed month fails the monthly one)."""
        return (not self.station_met) + (not self.researcher_met) + (self.months_missed > 0)


def months_of(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    out, day = [], start.replace(day=1)
    while day <= end:
        out.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return out


def research_by_month(district_ids, start: datetime.date, end: datetime.date) -> dict[tuple[int, datetime.date], tuple]:
    """{(district id, first of month): (activities, attendances)}: two grouped queries."""
    tz = timezone.get_current_timezone()
    sessions = OfflineSession.objects.filter(
        kind=OfflineSession.Kind.RESEARCH,
        audience=OfflineSession.Audience.DISTRICT,
        district_id__in=list(district_ids),
        starts_at__date__gte=start,
        starts_at__date__lte=end,
    ).annotate(month=TruncMonth("starts_at", tzinfo=tz))
    counts = sessions.values("district_id", "month").annotate(n=Count("id", distinct=True), a=Count("attendances"))
    out = {}
    for row in counts:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        out[(row["district_id"], month)] = (row["n"], row["a"])
    return out


def table(districts, start: datetime.date, end: datetime.date) -> list[DistrictDuties]:
    districts = list(districts)
    ids = [d.pk for d in districts]
    staff = DistrictStaff.objects.filter(district_id__in=ids, active=True).order_by("name")
    by_district: dict[int, list[DistrictStaff]] = {}
    for member in staff:
        by_district.setdefault(member.district_id, []).append(member)
    research = research_by_month(ids, start, end)
    station_names = stations(ids)
    today = timezone.localdate()
    this_month = today.replace(day=1)
    rows = []
    for district in districts:
        members = by_district.get(district.pk, [])
        months = []
        for m in months_of(start, end):
            month = Month(m, *research.get((district.pk, m), (0, 0)), future=m > today)
            # The current month is judged when it is over: without an activity yet it is in
            # progress (not counted as due), with one it is already met.
            month.running = m == this_month and not month.met
            months.append(month)
        rows.append(
            DistrictDuties(
                district=district,
                stations=station_names.get(district.pk, []),
                station_staff=[s for s in members if s.role == DistrictStaff.Role.STATION_STAFF],
                researchers=[s for s in members if s.role == DistrictStaff.Role.RESEARCHER],
                months=months,
            )
        )
    return rows


def add_staff(*, actor, form) -> DistrictStaff:
    with transaction.atomic():
        member = form.save(commit=False)
        member.created_by = actor
        member.save()
        audit.record(
            actor=actor,
            action="district_staff.add",
            obj=member,
            district=member.district_id,
            summary=f"{member.district.name} · {member.get_role_display()} · {member.name}",
        )
    return member


def end_staff(*, actor, member: DistrictStaff) -> None:
    with transaction.atomic():
        member = DistrictStaff.objects.select_for_update().get(pk=member.pk)
        if not member.active:
            return
        member.active = False
        member.ended_at = timezone.now()
        member.save(update_fields=["active", "ended_at"])
        audit.record(
            actor=actor,
            action="district_staff.end",
            obj=member,
            district=member.district_id,
            summary=f"{member.district.name} · {member.get_role_display()} · {member.name}",
        )


def end_consequences(member: DistrictStaff) -> list[str]:
    """What ending a post does, in the words the confirmation page shows."""
    names = {"name": member.name, "role": member.get_role_display(), "district": member.district.name}
    out = [
        _("From today %(name)s no longer counts as %(district)s's %(role)s.") % names,
        _("The row stays in the list with the day they left; this cannot be undone (add the person again if needed)."),
    ]
    others = (
        DistrictStaff.objects.filter(district_id=member.district_id, role=member.role, active=True)
        .exclude(pk=member.pk)
        .count()
    )
    if not others:
        out.append(_("%(district)s will then have no %(role)s in post: that duty shows as not met.") % names)
    return out
