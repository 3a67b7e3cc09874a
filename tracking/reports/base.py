"""The report framework: filters, drill-down levels, breadcrumbs and the table every report returns.

A report is a class with a `key`, a `title` and `build(ctx) -> ReportTable`. The
`ReportContext` is made from the request by `ReportContext.from_request`, which checks
every id in the query string against the user's scope (outside → 404) and decides the
drill-down level: city → district → school → teacher. Views, chart endpoints and exports
all go through the same context, so they show exactly the same rows.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple
from urllib.parse import quote_plus, urlencode

from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import District, School, TeacherCategory, Term, TrainingYear
from accounts.scope import Scope

from ..figures import round_percent
from ..ledger.services import Status

LEVELS = ("city", "district", "school")
_ROW_MARKER = "ROWVALUE"  # urlencode leaves it as it is; no filter value contains it


@dataclass
class Column:
    key: str
    label: str
    kind: str = "text"  # text | int | percent | hours
    total: bool = False  # summed in the totals row


@dataclass
class ReportTable:
    columns: list[Column]
    rows: list[dict]  # or any iterable of dicts for exports of long lists
    totals: dict | None = None
    row_label: str = ""
    # Rows may carry "_url" (drill-down link) and "_detail_url" (e.g. a teacher's ledger).

    def header(self) -> list[str]:
        return [str(c.label) for c in self.columns]


def _never(initial) -> bool:
    return False


class FilterSelect(forms.Select):
    """The filters' <select>, written out directly: the same markup as Django's Select (one
    selected option), without a template per widget and per option, which cost about a fifth
    of the city report page (issue 17)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = next(iter(self.format_value(value)), None)
        options = []
        for option_value, label in self.choices:
            text = "" if option_value is None else str(option_value)
            selected = text == chosen
            if selected:
                chosen = None  # like Django's Select: only the first match is selected
            mark = " selected" if selected else ""
            # As format_html would write it, without its per-call wrapping (a district page has 100).
            options.append(f'<option value="{html.escape(text)}"{mark}>{escape_text(label)}</option>')
        head = format_html('<select name="{}"{}>', name, flatatt(self.build_attrs(self.attrs, attrs)))
        return mark_safe("\n".join([head, *options, "</select>"]))  # noqa: S308 (each part escaped above)


def escape_text(text) -> str:
    """`conditional_escape` without its lazy-string wrapper (called for every option and cell)."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


class ListedChoiceIterator(ModelChoiceIterator):
    """The options read with one plain query. Django's iterator reads them through
    `QuerySet.iterator()`, a server-side cursor on PostgreSQL (DECLARE, FETCH, CLOSE: three
    round trips and more Python for a dozen districts)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():  # a copy: the field's queryset keeps no result cache
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    iterator = ListedChoiceIterator


class ReportFilterForm(forms.Form):
    year = ListedModelChoiceField(
        label=gettext_lazy("Training year"),
        queryset=TrainingYear.objects.all(),
        required=False,
        empty_label=None,
        widget=FilterSelect,
    )
    term = ListedModelChoiceField(
        label=gettext_lazy("Semester"),
        queryset=Term.objects.select_related("academic_year").order_by("-start_date"),
        required=False,
        empty_label=None,
        widget=FilterSelect,
    )
    # Empty choices say what they mean, never Django's "---------".
    district = ListedModelChoiceField(
        label=gettext_lazy("District / county"),
        queryset=District.objects.none(),
        required=False,
        empty_label=gettext_lazy("All districts"),
        widget=FilterSelect,
    )
    school = ListedModelChoiceField(
        label=gettext_lazy("School"),
        queryset=School.objects.none(),
        required=False,
        empty_label=gettext_lazy("All schools"),
        widget=FilterSelect,
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Teacher category"),
        choices=[("", gettext_lazy("All categories")), *TeacherCategory.choices],
        required=False,
        widget=FilterSelect,
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("All statuses")), *Status.choices],
        required=False,
        widget=FilterSelect,
    )

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            # Every filter is optional: no `required` attribute to decide, so the select's first
            # option is not fetched with a query of its own before the options are (issue 17).
            form_field.widget.use_required_attribute = _never
        self.fields["district"].queryset = scope.districts()
        # Unbound: values arrive as `initial` (already checked against scope in ReportContext).
        values = self.initial
        district_id = values.get("district")
        schools = scope.schools().only("id", "name", "district_id")
        if district_id and str(district_id).isdigit():
            schools = schools.filter(district_id=district_id)
        elif scope.city:  # 1,200 options help nobody: pick a district first (or arrive by drill-down)
            school_id = values.get("school")
            # No school chosen: no options, and no query for them (the city page's common case).
            schools = schools.filter(pk=school_id) if school_id and str(school_id).isdigit() else schools.none()
        self.fields["school"].queryset = schools

    def use_known_options(self, scope: Scope, district: District | None, school: School | None) -> None:
        """Options the checked selection already holds, without the query that would read the same
        rows: the chosen school alone (the city without a district, or a coordinator of that one
        school) and its district (that coordinator's only district), or the chosen district (a
        coordinator of that one district). A school coordinator's school page and a district
        coordinator's district page read their filters' options with no query (issue 17)."""
        only_that_school = (
            school is not None and not scope.city and not scope.district_ids and scope.school_ids == {school.pk}
        )
        if school is not None and ((scope.city and district is None) or only_that_school):
            field = self.fields["school"]
            field.choices = [("", field.empty_label), (school.pk, str(school))]
        if only_that_school:
            field = self.fields["district"]
            field.choices = [("", field.empty_label), (school.district_id, str(school.district))]
        elif district is not None and not scope.city and not scope.school_ids and scope.district_ids == {district.pk}:
            field = self.fields["district"]
            field.choices = [("", field.empty_label), (district.pk, str(district))]


class Group(NamedTuple):
    """A table row's district or school: what the reports read of it."""

    pk: int
    name: str


@dataclass
class ReportContext:
    """Everything a report needs: who asks, which year, which filters, which level."""

    scope: Scope
    chosen_year: TrainingYear | None
    district: District | None = None
    school: School | None = None
    category: str = ""
    status: str = ""
    detail: str = ""  # "teachers": a flat teacher list for the whole selection (exports)
    form: ReportFilterForm | None = None
    params: dict = field(default_factory=dict)
    # The semester (delivery report): an explicit ?term= is checked in from_params; without it
    # `term` resolves lazily to the current one, so reports that ignore terms pay no query.
    chosen_term: Term | None = None

    @classmethod
    def from_request(cls, request, scope: Scope) -> ReportContext:
        return cls.from_params(request.GET, scope)

    @classmethod
    def from_params(cls, data: QueryDict | dict, scope: Scope) -> ReportContext:
        """Validate ids against scope: a district or school the user may not see is a 404, never data."""
        district = school = None
        raw_district, raw_school = data.get("district") or "", data.get("school") or ""
        if raw_district:
            if not str(raw_district).isdigit() or not scope.can_see_district(int(raw_district)):
                raise Http404(_("No such district in your scope."))
            district = District.objects.filter(pk=raw_district).first()
            if district is None:
                raise Http404(_("No such district in your scope."))
        if raw_school:
            if not str(raw_school).isdigit():
                raise Http404(_("No such school in your scope."))
            school = scope.schools().select_related("district").filter(pk=raw_school).first()
            if school is None or (district is not None and school.district_id != district.pk):
                raise Http404(_("No such school in your scope."))
        year, years = None, None
        raw_year = data.get("year") or ""
        if raw_year:
            if not str(raw_year).isdigit():
                raise Http404(_("No such training year."))
            # All years at once (a short list): it also fills the filter's options.
            years = list(TrainingYear.objects.all())
            year = next((y for y in years if y.pk == int(raw_year)), None)
            if year is None:
                raise Http404(_("No such training year."))
        # Without ?year= the current training year is looked up lazily (`training_year`).
        term, terms = None, None
        raw_term = data.get("term") or ""
        if raw_term:
            if not str(raw_term).isdigit():
                raise Http404(_("No such semester."))
            # All semesters at once (a short list): it also fills the filter's options.
            terms = list(Term.objects.select_related("academic_year").order_by("-start_date"))
            term = next((t for t in terms if t.pk == int(raw_term)), None)
            if term is None:
                raise Http404(_("No such semester."))
        category = data.get("category") or ""
        status = data.get("status") or ""
        if category not in TeacherCategory.values:
            category = ""
        if status not in Status.values:
            status = ""
        params = {
            "year": year.pk if year else "",
            "term": term.pk if term else "",
            "district": district.pk if district else "",
            "school": school.pk if school else "",
            "category": category,
            "status": status,
        }
        form = ReportFilterForm(initial={k: v for k, v in params.items() if v != ""}, scope=scope)
        form.use_known_options(scope, district, school)
        detail = data.get("detail") or ""
        ctx = cls(
            scope=scope,
            chosen_year=year,
            district=district,
            school=school,
            category=category,
            status=status,
            detail=detail if detail in {"teachers"} else "",
            form=form,
            params=params,
            chosen_term=term,
        )
        ctx._terms = terms
        ctx._years = years
        return ctx

    @property
    def training_year(self) -> TrainingYear | None:
        """The chosen training year, else the current one (else the latest); remembered in the
        filters and links once resolved. One query: all years are read once and also fill the
        filter's options. Reports that do not use years never query them."""
        if getattr(self, "_years", None) is None:
            self._years = list(TrainingYear.objects.all())  # newest first
        if self.form is not None and "year" in self.form.fields and not self.__dict__.get("_year_choices"):
            self.form.fields["year"].choices = [(y.pk, str(y)) for y in self._years]
            self._year_choices = True
        if self.chosen_year is None:
            today = timezone.localdate()
            current = [y for y in self._years if y.start_date <= today <= y.end_date]
            self.chosen_year = (current or self._years or [None])[0]
            if self.chosen_year is not None:
                self.params["year"] = self.chosen_year.pk
                if self.form is not None:
                    self.form.initial["year"] = self.chosen_year.pk
        return self.chosen_year

    @property
    def term(self) -> Term | None:
        """The chosen semester, else the current one (else the latest). One query: all terms
        are read once and also fill the filter's options."""
        if getattr(self, "_terms", None) is None:
            self._terms = list(Term.objects.select_related("academic_year").order_by("-start_date"))
        if self.form is not None and "term" in self.form.fields and not self.__dict__.get("_term_choices"):
            self.form.fields["term"].choices = [(t.pk, str(t)) for t in self._terms]
            self._term_choices = True
        if self.chosen_term is None:
            today = timezone.localdate()
            current = [t for t in self._terms if t.start_date <= today <= t.end_date]
            self.chosen_term = (current or self._terms or [None])[0]
            if self.chosen_term is not None:
                self.params["term"] = self.chosen_term.pk
                if self.form is not None:
                    self.form.initial["term"] = self.chosen_term.pk
        return self.chosen_term

    # --- drill-down --------------------------------------------------------------------
    @property
    def level(self) -> str:
        """Which rows the table shows: 'city' (one row per district), 'district' (per school),
        'school' (per teacher). Narrow scopes start lower down."""
        if self.school is not None:
            return "school"
        if self.district is not None:
            return "district"
        if self.scope.city or len(self.scope.district_ids) > 1:
            return "city"
        if self.scope.district_ids:
            return "district"
        return "district"  # school coordinators: their schools, one row each

    def teachers(self):
        """Teachers of the training year, each under the school they belonged to in that year
        (`year_membership__school`, see accounts.membership), in scope and in the selection
        (district, school, category). Active schools only."""
        conditions = [Q(year_membership__school__is_active=True)]
        if self.school is not None:
            conditions.append(Q(year_membership__school=self.school))
        elif self.district is not None:
            conditions.append(Q(year_membership__school__district=self.district))
        qs = self.scope.teachers_in_year(self.training_year, *conditions)  # one filter: one join
        if self.category:
            qs = qs.filter(category=self.category)
        return qs

    def schools(self):
        qs = self.scope.schools().filter(is_active=True)
        if self.school is not None:
            qs = qs.filter(pk=self.school.pk)
        elif self.district is not None:
            qs = qs.filter(district=self.district)
        return qs

    def district_groups(self) -> list[District]:
        """Districts in scope (id, name), in the city's order, for reports with one row per
        district. The same list fills the district filter's options, which saves a query per page."""
        districts = list(self.scope.districts().order_by("sort_order", "code").only("id", "name"))
        if self.form is not None and "district" in self.form.fields:
            field = self.form.fields["district"]
            field.choices = [("", field.empty_label), *((d.pk, d.name) for d in districts)]
        return districts

    def school_groups(self) -> list[Group]:
        """Schools of the selection (id, name), by code, for reports with one row per school.
        The same list fills the school filter's options, which saves a query per page. Plain
        (pk, name) pairs: a district page has 100 schools, and a model instance each (deferred
        fields and all) cost more than the rest of the row."""
        schools = [Group(pk, name) for pk, name in self.schools().order_by("code").values_list("id", "name")]
        if self.form is not None and "school" in self.form.fields and self.district is not None:
            field = self.form.fields["school"]
            field.choices = [("", field.empty_label), *((s.pk, s.name) for s in schools)]
        return schools

    def query(self, **changes) -> str:
        params = {**self.params, **changes}
        return urlencode([(key, value) for key, value in params.items() if value not in ("", None)])

    def url(self, name: str, **changes) -> str:
        """A report URL with the current filters (`changes` applied); called once per table row."""
        paths = self.__dict__.setdefault("_paths", {})
        if name not in paths:
            paths[name] = reverse(name)
        query = self.query(**changes)
        return paths[name] + (f"?{query}" if query else "")

    def row_urls(self, name: str, key: str):
        """`lambda value: self.url(name, **{key: value})` for one link per table row (a district
        page has 100): the query string is encoded once, around a marker, instead of per row.
        For ids (never empty, which `url` would leave out)."""
        head, _marker, tail = self.url(name, **{key: _ROW_MARKER}).partition(_ROW_MARKER)
        return lambda value: f"{head}{quote_plus(str(value))}{tail}"

    def breadcrumbs(self, report_url_name: str) -> list[dict]:
        top = _("Whole city") if self.scope.city else _("My scope")
        crumbs = [{"label": top, "url": self.url(report_url_name, district="", school="")}]
        district = self.district or (self.school.district if self.school is not None else None)
        if district is not None and self.scope.can_see_district(district):
            crumbs.append({"label": district.name, "url": self.url(report_url_name, district=district.pk, school="")})
        if self.school is not None:
            crumbs.append({"label": self.school.name, "url": self.url(report_url_name, school=self.school.pk)})
        crumbs[-1]["url"] = ""
        return crumbs

    def describe_scope(self) -> str:
        if self.school is not None:
            return f"{self.school.district.name} · {self.school.name}"
        if self.district is not None:
            return self.district.name
        return str(_("Whole city")) if self.scope.city else str(_("My scope"))

    def describe_filters(self, fields=("year", "category", "status")) -> str:
        parts = []
        if "year" in fields and self.training_year is not None:
            parts.append(str(self.training_year))
        if "term" in fields and self.term is not None:
            parts.append(str(self.term))
        if self.category and "category" in fields:
            parts.append(str(TeacherCategory(self.category).label))
        if self.status and "status" in fields:
            parts.append(str(Status(self.status).label))
        return "；".join(parts) or str(_("No filters"))

    def generated_at(self) -> str:
        return timezone.localtime().strftime("%Y-%m-%d %H:%M")


def fmt(value: Any, kind: str) -> str:
    """Plain text for a cell (HTML tables and CSV); xlsx keeps numbers as numbers."""
    if value is None or value == "":
        return "—"
    if kind == "percent":
        return f"{round_percent(value)}%"
    if kind == "hours":
        return f"{Decimal(value):.1f}"
    return str(value)
