"""Class delivery compliance (课程落实情况) for one semester.

City level: one row per district; district level: one row per school; school level: one
row per class, linked to the class's delivery page. Every number comes from
`tracking.delivery.rules` — `rollup` for districts and schools, `class_delivery_status` for classes,
`parent_lecture_status` for the school's lectures — so the report applies exactly the
rules the teachers' and coordinators' delivery pages apply. Constant number of queries.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import School

from ..delivery import figures_cache, rules
from ..delivery.rules import DeliveryStatus
from ..figures import percent
from .base import Column, ReportContext, ReportTable

STATUS_KEYS = (DeliveryStatus.MET, DeliveryStatus.ON_TRACK, DeliveryStatus.BEHIND)
# What the school page reads of each class (`rules.class_delivery_status`).
CLASS_FIELDS = (
    "id",
    "grade",
    "name",
    "is_key_grade",
    "is_career_class",
    "lessons",
    "lessons_due",
    "lessons_expected",
    "theme_meetings",
    "special_activities",
    "families_visited",
    "family_count",
    "career_periods",
    "career_expected",
    "status",
)


def _status_label(key: str) -> str:
    return str(DeliveryStatus.LABELS[key])


class DeliveryReport:
    key = "delivery"
    title = _("Class delivery compliance")
    description = _(
        "Psychology lessons, theme class meetings, special activities, family visits, parent lectures "
        "and vocational career periods delivered this semester, by district, school and class."
    )
    url_name = "reports:delivery"
    chart_url_name = "reports:delivery_chart"
    filter_fields = ("term", "district", "school")
    rule_notes = ("lessons", "class_status", "percent")
    distribution_unit = _("Classes")

    metric_columns = [
        Column("classes", _("Classes"), "int", total=True),
        Column("key_classes", _("Key-grade classes"), "int", total=True),
        Column("lessons", _("Psychology lessons delivered"), "int", total=True),
        Column("lessons_due", _("Lessons due by now"), "int", total=True),
        Column("lessons_expected", _("Lessons expected this semester"), "int", total=True),
        Column("classes_behind_on_lessons", _("Classes behind on lessons"), "int", total=True),
        Column("classes_with_theme_meeting", _("Classes with a theme class meeting"), "int", total=True),
        Column("classes_with_special_activity", _("Classes with a special activity"), "int", total=True),
        Column("families_visited", _("Families visited"), "int", total=True),
        Column("families", _("Families"), "int", total=True),
        Column("schools_with_parent_lecture", _("Schools with a parent lecture"), "int", total=True),
        Column("schools", _("Schools"), "int", total=True),
        Column("career_periods", _("Career periods (vocational grade 1)"), "int", total=True),
        Column("career_expected", _("Career periods expected (36 per class)"), "int", total=True),
        Column("met", _("Classes: met"), "int", total=True),
        Column("on_track", _("Classes: on track"), "int", total=True),
        Column("behind", _("Classes: behind"), "int", total=True),
    ]
    class_columns = [
        Column("name", _("Class")),
        Column("key_grade", _("Key grade")),
        Column("lessons", _("Psychology lessons delivered"), "int", total=True),
        Column("lessons_due", _("Lessons due by now"), "int", total=True),
        Column("lessons_expected", _("Lessons expected this semester"), "int", total=True),
        Column("theme_meetings", _("Theme class meetings"), "int", total=True),
        Column("special_activities", _("Special activities"), "int", total=True),
        Column("families_visited", _("Families visited"), "int", total=True),
        Column("families", _("Families"), "int", total=True),
        Column("career_periods", _("Career periods (vocational grade 1)"), "int", total=True),
        Column("career_expected", _("Career periods expected (36 per class)"), "int", total=True),
        Column("status", _("Status")),
    ]

    # --- the table ------------------------------------------------------------------------
    def classes(self, ctx: ReportContext):
        """Classes of active schools in scope and in the selection (rules keep the term's year)."""
        qs = ctx.scope.classes().filter(school__is_active=True)
        if ctx.school is not None:
            qs = qs.filter(school=ctx.school)
        elif ctx.district is not None:
            qs = qs.filter(school__district=ctx.district)
        return qs

    def _cached(self, ctx: ReportContext, part: str, compute):
        """The figures of `part` for `self.classes(ctx)`, from the delivery figures' cache
        (tracking/delivery/figures_cache.py): the page and its chart endpoint, and every
        coordinator with the same scope and selection, share one computation per generation.

        The key holds what `classes` is made of — the scope (city, its districts, its schools)
        and the selection (district, school) — the semester and today's date, so no key crosses
        scopes. It used to hold the classes' SQL, compiled on every request for the key alone
        (about a tenth of a warm school page's CPU)."""
        scope = ctx.scope
        if not scope.is_coordinator:  # report views admit coordinators only; nothing worth keeping
            return compute()
        selection = (
            ("city", scope.city),
            ("districts", tuple(sorted(scope.district_ids))),
            ("schools", tuple(sorted(scope.school_ids))),
            ("district", ctx.district.pk if ctx.district is not None else None),
            ("school", ctx.school.pk if ctx.school is not None else None),
        )
        return figures_cache.cached((part, selection, ctx.term.pk, timezone.localdate().isoformat()), compute)

    def build(self, ctx: ReportContext) -> ReportTable:
        if ctx.term is None:
            return ReportTable(columns=[Column("name", _("Name")), *self.metric_columns], rows=[], totals=None)
        if ctx.level == "school":
            return self.class_table(ctx)
        if ctx.level == "city":
            return self.group_table(ctx, by="district", groups=ctx.district_groups())
        return self.group_table(ctx, by="school", groups=ctx.school_groups())

    def group_table(self, ctx: ReportContext, *, by: str, groups) -> ReportTable:
        key = "school__district_id" if by == "district" else "school_id"
        figures = self._cached(ctx, f"rollup:{by}", lambda: rules.rollup(self.classes(ctx), ctx.term, by=by))
        found = {row[key]: row for row in figures}
        rows = []
        drill = ctx.row_urls(self.url_name, "district" if by == "district" else "school")
        for group in groups if isinstance(groups, list) else groups.only("id", "name"):
            row = {"id": group.pk, "name": group.name, **self._metrics(found.get(group.pk, {}))}
            row["_url"] = drill(group.pk)
            rows.append(row)
        totals = {c.key: sum(r[c.key] for r in rows) for c in self.metric_columns}
        totals["name"] = _("Total")
        label = _("District / county") if by == "district" else _("School")
        return ReportTable(
            columns=[Column("name", label), *self.metric_columns], rows=rows, totals=totals, row_label=str(label)
        )

    @staticmethod
    def _metrics(r: dict) -> dict:
        classes = r.get("classes", 0)
        return {
            "classes": classes,
            "key_classes": r.get("key_classes", 0),
            "lessons": r.get("lessons", 0),
            "lessons_due": r.get("lessons_due", 0),
            "lessons_expected": r.get("lessons_expected", 0),
            "classes_behind_on_lessons": r.get("classes_behind_on_lessons", 0),
            "classes_with_theme_meeting": classes - r.get("classes_without_theme_meeting", 0),
            "classes_with_special_activity": classes - r.get("classes_without_special_activity", 0),
            "families_visited": r.get("families_visited", 0),
            "families": r.get("families", 0),
            "schools_with_parent_lecture": r.get("schools_with_parent_lecture", 0),
            "schools": r.get("schools", 0),
            "career_periods": r.get("career_periods", 0),
            "career_expected": r.get("career_expected", 0),
            "met": r.get("met", 0),
            "on_track": r.get("on_track", 0),
            "behind": r.get("behind", 0),
        }

    def class_table(self, ctx: ReportContext) -> ReportTable:
        term = ctx.term

        def figures():
            per_class = rules.class_delivery_status(self.classes(ctx), term).order_by("grade", "name")
            lectures = (
                rules.parent_lecture_status(School.objects.filter(pk=ctx.school.pk), term)
                .values_list("parent_lectures", flat=True)
                .first()
            )
            return list(per_class.values(*CLASS_FIELDS)), lectures or 0

        per_class, lectures = self._cached(ctx, "classes", figures)
        detail = reverse("delivery:manage_class", args=[0])[:-2]  # ".../class/" + id + "/"
        rows = []
        for c in per_class:
            rows.append(
                {
                    "id": c["id"],
                    "name": _("Grade %(grade)s %(name)s") % {"grade": c["grade"], "name": c["name"]},
                    "key_grade": str(_("yes") if c["is_key_grade"] else _("no")),
                    "lessons": c["lessons"] if c["is_key_grade"] else 0,
                    "lessons_due": c["lessons_due"],
                    "lessons_expected": c["lessons_expected"],
                    "theme_meetings": c["theme_meetings"],
                    "special_activities": c["special_activities"],
                    "families_visited": c["families_visited"],
                    "families": c["family_count"],
                    "career_periods": c["career_periods"] if c["is_career_class"] else 0,
                    "career_expected": c["career_expected"],
                    "status": _status_label(c["status"]),
                    "status_key": c["status"],
                    "_detail_url": f"{detail}{c['id']}/",
                }
            )
        totals = {col.key: sum(r[col.key] for r in rows) for col in self.class_columns if col.total}
        totals["name"] = _("Total")
        totals["status"] = _("Parent lectures this semester: %(n)s") % {"n": lectures}
        totals["parent_lectures"] = lectures
        return ReportTable(columns=self.class_columns, rows=rows, totals=totals, row_label=str(_("Class")))

    # --- charts ------------------------------------------------------------------------------
    def status_distribution(self, ctx: ReportContext, table: ReportTable) -> list[dict]:
        if table.totals is None:
            return []
        if ctx.level == "school":
            counts = dict.fromkeys(STATUS_KEYS, 0)
            for row in table.rows:
                counts[row["status_key"]] += 1
        else:
            counts = {k: table.totals[k] for k in STATUS_KEYS}
        return [{"key": k, "name": _status_label(k), "value": counts[k]} for k in STATUS_KEYS]

    def chart_bar(self, ctx: ReportContext, table: ReportTable) -> dict | None:
        """Behind / on track / met classes per district or school, with the share behind."""
        if ctx.level == "school" or table.totals is None:
            return None
        return {
            "categories": [r["name"] for r in table.rows],
            "series": [
                {"key": k, "name": _status_label(k), "data": [r[k] for r in table.rows]}
                for k in (DeliveryStatus.BEHIND, DeliveryStatus.ON_TRACK, DeliveryStatus.MET)
            ],
            "rates": [_float(percent(r["behind"], r["classes"])) for r in table.rows],
        }


def _float(value):
    return float(value) if value is not None else None
