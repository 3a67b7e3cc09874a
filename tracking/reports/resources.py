"""Resource library usage (资源使用): downloads from the library and lessons logged with a library
plan, per district (city level) or per school, for exactly the coordinator's scope.

Downloads count in the school the teacher belonged to when downloading (a snapshot on the row,
as the ledger keeps hours); "used in class" counts active class logs that name a library plan,
in the class's school. Two grouped queries, whatever the number of rows.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from resources.services import usage_by_school

from ..delivery.models import ClassActivity
from .base import Column, ReportContext, ReportTable


def lessons_with_plans(schools) -> dict[int, tuple[int, int]]:
    """{school id: (lessons logged with a library plan, distinct plans)} for these schools."""
    rows = (
        ClassActivity.objects.active()
        .filter(resource__isnull=False, school_class__school__in=schools)
        .values("school_class__school_id")
        .annotate(lessons=Count("pk"), plans=Count("resource", distinct=True))
    )
    return {r["school_class__school_id"]: (r["lessons"], r["plans"]) for r in rows}


class ResourceUsageReport:
    key = "resources"
    title = _("Resource library usage")
    description = _("Downloads from the resource library and lessons taught with a library plan.")
    url_name = "reports:resources"
    chart_url_name = "reports:resources_chart"
    filter_fields = ("district", "school")
    rule_notes = ()  # plain counts: downloads where the teacher was, logs in the class's school (docstring)

    district_columns = [
        Column("name", _("District / county")),
        Column("downloads", _("Downloads"), "int", total=True),
        Column("teachers", _("Teachers who downloaded"), "int", total=True),
        Column("lessons", _("Lessons taught with a library plan"), "int", total=True),
    ]
    school_columns = [
        Column("name", _("School")),
        Column("downloads", _("Downloads"), "int", total=True),
        Column("resources", _("Resources downloaded"), "int", total=True),
        Column("teachers", _("Teachers who downloaded"), "int", total=True),
        Column("lessons", _("Lessons taught with a library plan"), "int", total=True),
        Column("plans", _("Plans used in class"), "int", total=True),
    ]

    def build(self, ctx: ReportContext) -> ReportTable:
        schools = ctx.schools()
        downloads = {row["school_id"]: row for row in usage_by_school(schools)}
        lessons = lessons_with_plans(schools)
        if ctx.level == "city":
            return self.district_table(ctx, schools, downloads, lessons)
        return self.school_table(ctx, schools, downloads, lessons)

    def district_table(self, ctx, schools, downloads, lessons) -> ReportTable:
        per_district: dict[int, dict] = {}
        for school_id, district_id in schools.values_list("pk", "district_id"):
            row = per_district.setdefault(district_id, {"downloads": 0, "teachers": 0, "lessons": 0})
            d = downloads.get(school_id)
            if d:
                row["downloads"] += d["downloads"]
                row["teachers"] += d["teachers"]
            row["lessons"] += lessons.get(school_id, (0, 0))[0]
        rows = []
        for district in ctx.district_groups():
            counts = per_district.get(district.pk, {"downloads": 0, "teachers": 0, "lessons": 0})
            rows.append(
                {
                    "id": district.pk,
                    "name": district.name,
                    **counts,
                    "_url": ctx.url(self.url_name, district=district.pk),
                }
            )
        totals = {c.key: sum(r[c.key] for r in rows) for c in self.district_columns if c.total}
        totals["name"] = _("Total")
        return ReportTable(
            columns=self.district_columns, rows=rows, totals=totals, row_label=str(_("District / county"))
        )

    def school_table(self, ctx, schools, downloads, lessons) -> ReportTable:
        rows = []
        for school in schools.order_by("code").values("id", "name"):
            d = downloads.get(school["id"], {})
            taught, plans = lessons.get(school["id"], (0, 0))
            rows.append(
                {
                    "id": school["id"],
                    "name": school["name"],
                    "downloads": d.get("downloads", 0),
                    "resources": d.get("resources", 0),
                    "teachers": d.get("teachers", 0),
                    "lessons": taught,
                    "plans": plans,
                    "_url": "",
                }
            )
        totals = {c.key: sum(r[c.key] for r in rows) for c in self.school_columns if c.total}
        totals["name"] = _("Total")
        return ReportTable(columns=self.school_columns, rows=rows, totals=totals, row_label=str(_("School")))

    def status_distribution(self, ctx, table: ReportTable) -> list[dict]:
        used = sum(1 for r in table.rows if r["downloads"] or r["lessons"])
        return [
            {"key": "used", "name": str(_("Using the library")), "value": used},
            {"key": "not_used", "name": str(_("Not using it yet")), "value": len(table.rows) - used},
        ]

    def chart_bar(self, ctx, table: ReportTable) -> dict:
        return {
            "categories": [r["name"] for r in table.rows],
            "series": [
                {"key": "downloads", "name": str(_("Downloads")), "data": [r["downloads"] for r in table.rows]},
                {
                    "key": "lessons",
                    "name": str(_("Lessons taught with a library plan")),
                    "data": [r["lessons"] for r in table.rows],
                },
            ],
        }
