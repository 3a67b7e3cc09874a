"""Parent-school participation (家长学校参与情况): parents' enrolments in parent courses.

Counts enrolments of users with a `ParentProfile` in courses whose audience includes parents
(`CoursePage.parent_age_stages` not empty); "completed" = the enrolment has `completed_at`.
Rows: city level one per district (plus "no school given" for parents who did not name a
school — city coordinators only, and only at city level), district level one per school,
school level one per age stage. A parent with children at two age stages counts under
both stages, so stage columns may add up to more than the total (which counts each
enrolment once).

Everything is counted in SQL: one GROUP BY (group, the parent's list of age stages) query
for enrolments and one for parents, whatever the number of rows. There are at most 32
stage combinations, so the Python that spreads combinations over stages is tiny.
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import AgeStage, ParentProfile, SchoolClass
from courses.models import Enrolment
from tracking.delivery.models import FamilyVisitTally, ParentLecture

from ..figures import percent
from .base import Column, ReportContext, ReportTable

STAGES = list(AgeStage.choices)


def _rate(done: int, total: int):
    return percent(done, total)


class ParentsReport:
    key = "parents"
    title = _("Parent-school participation")
    description = _("Parents enrolled in and completing parent-school courses, by school and children's age stage.")
    url_name = "reports:parents"
    chart_url_name = "reports:parents_chart"
    filter_fields = ("district", "school")  # a snapshot of all parent-course enrolments
    rule_notes = ("percent",)
    distribution_unit = _("Enrolments")

    summary_columns = [
        Column("parents", _("Registered parents"), "int", total=True),
        Column("enrolled", _("Enrolments"), "int", total=True),
        Column("completed", _("Completed"), "int", total=True),
        Column("in_progress", _("In progress"), "int", total=True),
        Column("rate", _("Completion rate"), "percent"),
    ]
    # Next to the parents' own participation: the school's family work this semester (issue 14).
    family_columns = [
        Column("families", _("Families"), "int", total=True),
        Column("families_visited", _("Families visited this semester"), "int", total=True),
        Column("parent_lectures", _("Parent lectures this semester"), "int", total=True),
    ]
    stage_columns = [
        col
        for value, label in STAGES
        for col in (
            Column(f"enrolled_{value}", format_lazy("{}：{}", label, _("enrolments")), "int", total=True),
            Column(f"completed_{value}", format_lazy("{}：{}", label, _("completed")), "int", total=True),
        )
    ]

    # --- querysets (scope first) --------------------------------------------------------------
    def _school_q(self, ctx: ReportContext, path: str) -> Q:
        q = ctx.scope.school_filter(path) & (Q(**{f"{path}__isnull": True}) | Q(**{f"{path}__is_active": True}))
        if ctx.school is not None:
            q &= Q(**{path: ctx.school})
        elif ctx.district is not None:
            q &= Q(**{f"{path}__district": ctx.district})
        return q

    def enrolments(self, ctx: ReportContext):
        return Enrolment.objects.filter(
            self._school_q(ctx, "user__parent_profile__school"), user__parent_profile__isnull=False
        ).exclude(course__parent_age_stages="")

    def parents(self, ctx: ReportContext):
        return ParentProfile.objects.filter(self._school_q(ctx, "school"))

    def counts(self, ctx: ReportContext, key: str | None) -> dict:
        """{group id (None = no school): {"parents", "enrolled", "completed", "enrolled_<stage>", …}}."""
        e_key = f"user__parent_profile__{key}" if key else None
        p_key = key
        groups: dict = {}

        def bucket(k):
            return groups.setdefault(
                k, {"parents": 0, "enrolled": 0, "completed": 0, **{f"parents_{v}": 0 for v, _l in STAGES}}
            )

        enrol_rows = (
            self.enrolments(ctx)
            .order_by()
            .values(*([e_key] if e_key else []), "user__parent_profile__age_stages")
            .annotate(enrolled=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False)))
        )
        for row in enrol_rows:
            b = bucket(row[e_key] if e_key else None)
            b["enrolled"] += row["enrolled"]
            b["completed"] += row["completed"]
            for stage in set(row["user__parent_profile__age_stages"] or []):
                b[f"enrolled_{stage}"] = b.get(f"enrolled_{stage}", 0) + row["enrolled"]
                b[f"completed_{stage}"] = b.get(f"completed_{stage}", 0) + row["completed"]
        parent_rows = (
            self.parents(ctx).order_by().values(*([p_key] if p_key else []), "age_stages").annotate(n=Count("pk"))
        )
        for row in parent_rows:
            b = bucket(row[p_key] if p_key else None)
            b["parents"] += row["n"]
            for stage in set(row["age_stages"] or []):
                if f"parents_{stage}" in b:
                    b[f"parents_{stage}"] += row["n"]
        return groups

    def family_work(self, ctx: ReportContext, key: str) -> dict:
        """{group id: {"families", "families_visited", "parent_lectures"}} for the semester, in three
        GROUP BY queries; `key` is the school's path to the group ("school_id" / "school__district_id")."""
        term = ctx.term
        groups: dict = {}
        if term is None:
            return groups
        schools = ctx.scope.schools()
        classes = SchoolClass.objects.filter(school__in=schools, academic_year_id=term.academic_year_id)
        visits = FamilyVisitTally.objects.filter(term=term, school_class__school__in=schools)
        lectures = ParentLecture.objects.active().filter(
            school__in=schools, date__gte=term.start_date, date__lte=term.end_date
        )
        for qs, path, name, agg in (
            (classes, key, "families", Sum("family_count")),
            (visits, f"school_class__{key}", "families_visited", Sum("families_visited")),
            (lectures, key, "parent_lectures", Count("pk")),
        ):
            for row in qs.order_by().values(path).annotate(n=agg):
                groups.setdefault(row[path], {})[name] = row["n"] or 0
        return groups

    # --- the table ------------------------------------------------------------------------------
    def build(self, ctx: ReportContext) -> ReportTable:
        if ctx.level == "school":
            return self.stage_table(ctx)
        if ctx.level == "city":
            return self.group_table(ctx, by="district", groups=ctx.district_groups())
        return self.group_table(ctx, by="school", groups=ctx.school_groups())

    def _row(self, values: dict) -> dict:
        enrolled, completed = values.get("enrolled", 0), values.get("completed", 0)
        row = {
            "parents": values.get("parents", 0),
            "enrolled": enrolled,
            "completed": completed,
            "in_progress": enrolled - completed,
            "rate": _rate(completed, enrolled),
        }
        for value, _label in STAGES:
            row[f"enrolled_{value}"] = values.get(f"enrolled_{value}", 0)
            row[f"completed_{value}"] = values.get(f"completed_{value}", 0)
        return row

    def group_table(self, ctx: ReportContext, *, by: str, groups) -> ReportTable:
        key = "school__district_id" if by == "district" else "school_id"
        counts = self.counts(ctx, key)
        work = self.family_work(ctx, key)
        rows = []
        for group in groups if isinstance(groups, list) else groups.only("id", "name"):
            row = {"id": group.pk, "name": group.name, **self._row(counts.get(group.pk, {}))}
            row.update({c.key: work.get(group.pk, {}).get(c.key, 0) for c in self.family_columns})
            drill = {"district": group.pk} if by == "district" else {"school": group.pk}
            row["_url"] = ctx.url(self.url_name, **drill)
            rows.append(row)
        if by == "district" and ctx.scope.city and None in counts:
            no_school = {"id": None, "name": str(_("No school given")), **self._row(counts[None]), "_url": ""}
            rows.append({**no_school, **{c.key: 0 for c in self.family_columns}})
        columns = [*self.summary_columns, *self.family_columns, *self.stage_columns]
        totals = {c.key: sum(r[c.key] for r in rows) for c in columns if c.total}
        totals["name"] = _("Total")
        totals["rate"] = _rate(totals["completed"], totals["enrolled"])
        label = _("District / county") if by == "district" else _("School")
        return ReportTable(columns=[Column("name", label), *columns], rows=rows, totals=totals, row_label=str(label))

    def stage_table(self, ctx: ReportContext) -> ReportTable:
        """One school: a row per age stage (a parent may count under several stages)."""
        values = self.counts(ctx, None).get(None, {})
        rows = []
        for value, label in STAGES:
            enrolled, completed = values.get(f"enrolled_{value}", 0), values.get(f"completed_{value}", 0)
            rows.append(
                {
                    "id": value,
                    "name": str(label),
                    "parents": values.get(f"parents_{value}", 0),
                    "enrolled": enrolled,
                    "completed": completed,
                    "in_progress": enrolled - completed,
                    "rate": _rate(completed, enrolled),
                }
            )
        # Totals count each parent and enrolment once, even when a parent has two age stages.
        totals = self._row(values)
        totals = {k: totals[k] for k in ("parents", "enrolled", "completed", "in_progress", "rate")}
        totals["name"] = _("Total")
        return ReportTable(
            columns=[Column("name", _("Age stage")), *self.summary_columns],
            rows=rows,
            totals=totals,
            row_label=str(_("Age stage")),
        )

    # --- charts ------------------------------------------------------------------------------
    def status_distribution(self, ctx: ReportContext, table: ReportTable) -> list[dict]:
        if table.totals is None:
            return []
        return [
            {"key": "completed", "name": str(_("Completed")), "value": table.totals["completed"]},
            {"key": "in_progress", "name": str(_("In progress")), "value": table.totals["in_progress"]},
        ]

    def chart_bar(self, ctx: ReportContext, table: ReportTable) -> dict:
        return {
            "categories": [r["name"] for r in table.rows],
            "series": [
                {"key": k, "name": str(label), "data": [r[k] for r in table.rows]}
                for k, label in (("completed", _("Completed")), ("in_progress", _("In progress")))
            ],
            "rates": [float(r["rate"]) if r["rate"] is not None else None for r in table.rows],
        }
