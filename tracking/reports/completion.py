"""Training completion (学时达标) against the yearly targets: counts and rates by status.

City level: one row per district; district level: one row per school; school level: one
row per teacher, linked to the teacher's ledger. Group rows come from one GROUP BY query
(`completion_rollup`), teacher rows from `annotate_status_from_totals`; both read the
maintained per-teacher roll-up, and the query count does not depend on the number of rows.
"""

from __future__ import annotations

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import TeacherCategory

from ..figures import round_percent
from ..ledger.services import Status, annotate_status_from_totals, completion_rollup, rollup_counts
from .base import Column, ReportContext, ReportTable

STATUS_LABELS = dict(Status.choices)
# A year's report counts each teacher under the school of that year (accounts.membership).
YEAR_SCHOOL = "year_membership__school"


class CompletionReport:
    key = "completion"
    title = _("Training completion")
    description = _("Teachers meeting their yearly training target (40 / 10 hours, 1 session), by status.")
    url_name = "reports:completion"
    chart_url_name = "reports:completion_chart"
    filter_fields = ("year", "district", "school", "category", "status")
    rule_notes = ("target", "session", "year_school", "percent")
    distribution_unit = _("Teachers")

    group_columns = [
        Column("name", _("Name")),
        Column("total", _("Teachers"), "int", total=True),
        Column("met", _("Target met"), "int", total=True),
        Column("in_progress", _("In progress"), "int", total=True),
        Column("not_met", _("Target not met"), "int", total=True),
        Column("no_target", _("No target"), "int", total=True),
        Column("rate", _("Completion rate"), "percent"),
    ]
    teacher_columns = [
        Column("district", _("District / county")),
        Column("school", _("School")),
        Column("name", _("Full name")),
        Column("staff_number", _("Staff number")),
        Column("category", _("Teacher category")),
        Column("hours", _("Hours"), "hours", total=True),
        Column("sessions", _("Sessions"), "int", total=True),
        Column("target", _("Target")),
        Column("percent", _("Progress"), "percent"),
        Column("status", _("Status")),
    ]

    def build(self, ctx: ReportContext) -> ReportTable:
        if ctx.training_year is None:
            return ReportTable(columns=self.group_columns, rows=[], totals=None)
        if ctx.detail == "teachers" or ctx.level == "school":
            return self.teacher_table(ctx)
        if ctx.level == "city":
            return self.group_table(ctx, by="district", groups=ctx.district_groups())
        return self.group_table(ctx, by="school", groups=ctx.school_groups())

    # --- groups (districts or schools) ----------------------------------------------------
    def group_table(self, ctx: ReportContext, *, by: str, groups) -> ReportTable:
        counts = completion_rollup(
            ctx.teachers(), ctx.training_year, by, status=ctx.status or None, school_path=YEAR_SCHOOL
        )
        rows = []
        for group in groups:
            row = {"id": group.pk, "name": group.name, **counts.get(group.pk, rollup_counts())}
            row["_url"] = ctx.url(
                self.url_name, **({"district": group.pk} if by == "district" else {"school": group.pk})
            )
            rows.append(row)
        totals = rollup_counts(
            sum(r["total"] for r in rows),
            sum(r["met"] for r in rows),
            sum(r["in_progress"] for r in rows),
            sum(r["not_met"] for r in rows),
        )
        totals["name"] = _("Total")
        label = _("District / county") if by == "district" else _("School")
        columns = [Column("name", label), *self.group_columns[1:]]
        return ReportTable(columns=columns, rows=rows, totals=totals, row_label=str(label))

    # --- teachers ---------------------------------------------------------------------------
    def teacher_queryset(self, ctx: ReportContext):
        qs = annotate_status_from_totals(ctx.teachers(), ctx.training_year)
        if ctx.status:
            qs = qs.filter(status=ctx.status)
        return qs.values(
            "id",
            "staff_number",
            "category",
            "hours",
            "sessions",
            "target_hours",
            "target_sessions",
            "percent",
            "status",
            "user__name",
            "user__username",
            school_name=F(f"{YEAR_SCHOOL}__name"),
            district_name=F(f"{YEAR_SCHOOL}__district__name"),
        ).order_by(f"{YEAR_SCHOOL}__district__sort_order", f"{YEAR_SCHOOL}__code", "staff_number")

    def teacher_rows(self, ctx: ReportContext, queryset=None):
        """Yields row dicts; with an iterator queryset this streams (exports of 50,000 rows)."""
        categories = dict(TeacherCategory.choices)
        detail = reverse("reports:teacher", args=[0])[:-2]  # ".../teachers/" + id + "/"
        # The teacher's page for the same year: the old school reads a mover's past year there.
        year_query = f"?year={ctx.training_year.pk}" if ctx.training_year else ""
        for t in queryset if queryset is not None else self.teacher_queryset(ctx):
            target = []
            if t["target_hours"] is not None:
                target.append(_("%(h)s h") % {"h": t["target_hours"]})
            if t["target_sessions"] is not None:
                target.append(_("%(n)s session(s)") % {"n": t["target_sessions"]})
            yield {
                "id": t["id"],
                "district": t["district_name"],
                "school": t["school_name"],
                "name": t["user__name"] or t["user__username"],
                "staff_number": t["staff_number"],
                "category": str(categories.get(t["category"], t["category"])),
                "hours": t["hours"],
                "sessions": t["sessions"],
                "target": " + ".join(str(x) for x in target) or "—",
                "percent": round_percent(t["percent"]),
                "status": str(STATUS_LABELS.get(t["status"], _("No target"))),
                "status_key": t["status"],
                "_detail_url": f"{detail}{t['id']}/{year_query}",
            }

    def teacher_table(self, ctx: ReportContext) -> ReportTable:
        rows = list(self.teacher_rows(ctx))
        totals = {
            "district": _("Total"),
            "hours": sum((r["hours"] for r in rows), start=0),
            "sessions": sum(r["sessions"] for r in rows),
            "name": _("%(n)s teachers") % {"n": len(rows)},
        }
        return ReportTable(columns=self.teacher_columns, rows=rows, totals=totals, row_label=str(_("Teacher")))

    def status_distribution(self, ctx: ReportContext, table: ReportTable) -> list[dict]:
        """Totals per status for the pie chart and its table."""
        if table.totals is None:
            return []
        if table.columns is self.teacher_columns or ctx.detail == "teachers" or ctx.level == "school":
            counts = dict.fromkeys(("met", "in_progress", "not_met", ""), 0)
            for row in table.rows:
                counts[row["status_key"]] = counts.get(row["status_key"], 0) + 1
            values = {"met": counts["met"], "in_progress": counts["in_progress"], "not_met": counts["not_met"]}
            values["no_target"] = counts[""]
        else:
            values = {k: table.totals[k] for k in ("met", "in_progress", "not_met", "no_target")}
        labels = {**STATUS_LABELS, "no_target": _("No target")}
        return [{"key": k, "name": str(labels[k]), "value": v} for k, v in values.items()]
