"""Staffing compliance (心理健康教师配备): one psychology teacher per 800 students, a school with
more than 800 students needs at least one full-time psychology teacher, and a school with
fewer than 800 students may be covered by another school's help or a visiting teacher
(对口援助 / 定点支教, `CoverageArrangement`).

The rule lives once, in `tracking.delivery.rules` (`staffing_status`, the SQL annotation, and its
constants). `annotate_staffing` only renames its annotations for this report's columns, and
`staffing_requirement` / `is_compliant` state the same numbers for a single school in
Python (tests check both agree). Counts use active teachers of the two psychology
categories (full-time and part-time) at the school.
"""

from __future__ import annotations

from django.db.models import Case, F, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from ..delivery.rules import (
    COVERAGE_ALLOWED_BELOW,
    FULL_TIME_PSYCHOLOGY_TEACHER_ABOVE,
    STUDENTS_PER_PSYCHOLOGY_TEACHER,
    staffing_status,
)
from ..figures import percent
from .base import Column, ReportContext, ReportTable

FULL_TIME_REQUIRED_ABOVE = FULL_TIME_PSYCHOLOGY_TEACHER_ABOVE


def staffing_requirement(student_count: int) -> dict:
    """Psychology teachers a school needs: ceil(students / 800), and whether one must be full-time."""
    required = -(-student_count // STUDENTS_PER_PSYCHOLOGY_TEACHER) if student_count > 0 else 0
    return {"required": required, "full_time_required": student_count > FULL_TIME_REQUIRED_ABOVE}


def is_compliant(student_count: int, full_time: int, part_time: int, covered: bool = False) -> bool:
    need = staffing_requirement(student_count)
    if full_time + part_time < need["required"] and not (covered and student_count < COVERAGE_ALLOWED_BELOW):
        return False
    return not (need["full_time_required"] and full_time < 1)


def shortfalls(school: dict) -> list[str]:
    """Every reason a school falls short, in words (a school can have two: an 801-student school
    with one part-time teacher needs a full-time one and needs 2 teachers)."""
    if school["compliant"]:
        if school["covered"]:
            return [_("Covered by %(who)s (aid / visiting teacher)") % {"who": school["covered_by"]}]
        return [str(_("Compliant"))]
    reasons = []
    if school["needs_full_time"]:
        reasons.append(_("Needs a full-time psychology teacher"))
    if school["needs_coverage"]:
        reasons.append(_("Needs partner-school aid or a visiting teacher"))
    elif school["full_time"] + school["part_time"] < school["required"]:
        reasons.append(
            _("Needs %(required)s psychology teachers (has %(has)s)")
            % {"required": school["required"], "has": school["full_time"] + school["part_time"]}
        )
    return [str(r) for r in reasons]


def annotate_staffing(schools):
    """`rules.staffing_status` with this report's names: full_time, part_time, required,
    needs_full_time (bool) and compliant (0/1, so districts can SUM it). One SQL query."""
    return staffing_status(schools).annotate(
        full_time=F("full_time_psychology"),
        part_time=F("part_time_psychology"),
        required=F("required_psychology_teachers"),
        compliant=Case(When(staffing_ok=True, then=Value(1)), default=Value(0), output_field=IntegerField()),
        covered_n=Case(When(covered=True, then=Value(1)), default=Value(0), output_field=IntegerField()),
        needs_coverage_n=Case(When(needs_coverage=True, then=Value(1)), default=Value(0), output_field=IntegerField()),
    )


class StaffingReport:
    key = "staffing"
    title = _("Psychology teacher staffing")
    description = _(
        "One psychology teacher per 800 students; schools above 800 students need a full-time one; "
        "schools under 800 may be covered by partner-school aid or a visiting teacher."
    )
    url_name = "reports:staffing"
    chart_url_name = "reports:staffing_chart"
    rule_notes = ("staffing", "percent")
    distribution_unit = _("Schools")
    filter_fields = ("district", "school")  # staffing is a snapshot of today's teachers

    district_columns = [
        Column("name", _("District / county")),
        Column("schools", _("Schools"), "int", total=True),
        Column("students", _("Students"), "int", total=True),
        Column("full_time", _("Full-time psychology teachers"), "int", total=True),
        Column("part_time", _("Part-time psychology teachers"), "int", total=True),
        Column("required", _("Required (1 per 800 students)"), "int", total=True),
        Column("covered", _("Schools covered by aid"), "int", total=True),
        Column("needs_coverage", _("Schools needing aid"), "int", total=True),
        Column("compliant", _("Compliant schools"), "int", total=True),
        Column("rate", _("Compliance rate"), "percent"),
    ]
    school_columns = [
        Column("name", _("School")),
        Column("students", _("Students"), "int", total=True),
        Column("full_time", _("Full-time psychology teachers"), "int", total=True),
        Column("part_time", _("Part-time psychology teachers"), "int", total=True),
        Column("required", _("Required (1 per 800 students)"), "int", total=True),
        Column("result", _("Result")),
    ]

    def build(self, ctx: ReportContext) -> ReportTable:
        schools = annotate_staffing(ctx.schools())
        if ctx.level == "city":
            return self.district_table(ctx, schools)
        return self.school_table(ctx, schools)

    def district_table(self, ctx, schools) -> ReportTable:
        # GROUP BY district over the annotated schools, wrapped so each school is counted once.
        from django.db import connection

        inner = schools.order_by().values(
            "district_id",
            "student_count",
            "full_time",
            "part_time",
            "required",
            "compliant",
            "covered_n",
            "needs_coverage_n",
        )
        sql, params = inner.query.sql_with_params()
        outer = (
            "SELECT t.district_id, COUNT(*), SUM(t.student_count), SUM(t.full_time), SUM(t.part_time),"  # noqa: S608
            f" SUM(t.required), SUM(t.compliant), SUM(t.covered_n), SUM(t.needs_coverage_n)"
            f" FROM ({sql}) t GROUP BY t.district_id"
        )
        with connection.cursor() as cursor:
            cursor.execute(outer, params)
            by_district = {row[0]: row[1:] for row in cursor.fetchall()}
        rows = []
        for district in ctx.district_groups():
            n, students, full, part, required, compliant, covered, needs_coverage = (
                int(v or 0) for v in by_district.get(district.pk, (0,) * 8)
            )
            rows.append(
                {
                    "id": district.pk,
                    "name": district.name,
                    "schools": n,
                    "students": students,
                    "full_time": full,
                    "part_time": part,
                    "required": required,
                    "covered": covered,
                    "needs_coverage": needs_coverage,
                    "compliant": compliant,
                    "rate": percent(compliant, n),
                    "_url": ctx.url(self.url_name, district=district.pk),
                }
            )
        totals = {c.key: sum(r[c.key] for r in rows) for c in self.district_columns if c.total}
        totals["name"] = _("Total")
        totals["rate"] = percent(totals["compliant"], totals["schools"])
        return ReportTable(
            columns=self.district_columns, rows=rows, totals=totals, row_label=str(_("District / county"))
        )

    def school_table(self, ctx, schools) -> ReportTable:
        rows = []
        for s in schools.order_by("code").values(
            "id",
            "name",
            "student_count",
            "full_time",
            "part_time",
            "required",
            "compliant",
            "needs_full_time",
            "covered",
            "covered_by",
            "needs_coverage",
        ):
            result = str(_("; ")).join(shortfalls(s))  # "；" in Chinese
            rows.append(
                {
                    "id": s["id"],
                    "name": s["name"],
                    "students": s["student_count"],
                    "full_time": s["full_time"],
                    "part_time": s["part_time"],
                    "required": s["required"],
                    "result": result,
                    "compliant": s["compliant"],
                    "_url": "",
                    "_detail_url": ctx.url("reports:completion", school=s["id"]),
                }
            )
        totals = {c.key: sum(r[c.key] for r in rows) for c in self.school_columns if c.total}
        totals["name"] = _("Total")
        n_ok = sum(r["compliant"] for r in rows)
        totals["result"] = _("%(ok)s of %(n)s schools compliant") % {"ok": n_ok, "n": len(rows)}
        return ReportTable(columns=self.school_columns, rows=rows, totals=totals, row_label=str(_("School")))

    def status_distribution(self, ctx, table: ReportTable) -> list[dict]:
        if ctx.level == "city":
            ok = table.totals["compliant"] if table.totals else 0
            n = table.totals["schools"] if table.totals else 0
        else:
            ok = sum(r["compliant"] for r in table.rows)
            n = len(table.rows)
        return [
            {"key": "compliant", "name": str(_("Compliant")), "value": ok},
            {"key": "not_compliant", "name": str(_("Not compliant")), "value": n - ok},
        ]
