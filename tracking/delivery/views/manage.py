"""Class delivery pages for coordinators: classes, schools and parent lectures in their scope,
corrections and voids with the change history. Every page goes through `scope_for(user)`;
ids outside the scope are 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import audit
from accounts.models import AuditEvent, SchoolClass, TeacherProfile, Term
from accounts.scope import scope_for

from .. import rules
from ..forms import CoordinatorActivityForm, FamilyVisitForm, ParentLectureForm, VoidForm
from ..models import ActivityKind, ClassActivity, FamilyVisitTally, ParentLecture
from ..services import (
    AUDITED_FIELDS,
    change_record,
    log_activity,
    log_parent_lecture,
    set_family_visits,
    void_record,
)
from .common import PAGE_SIZE, requested_term, status_labels


def _describe_changes(changes) -> list[AuditEvent]:
    """Readable before/after for the change history: field labels, kind labels, teacher and semester names.

    The audit rows store raw snapshots ({"kind": "psy_lesson", "teacher": 4, ...}); coordinators
    read "类型：心理健康活动课". Two queries in all, however many changes.
    """
    changes = list(changes)
    models_by_label = {model._meta.label_lower: model for model in AUDITED_FIELDS}
    snapshots = [snap for change in changes for snap in (change.before or {}, change.after or {})]
    teachers = {
        t.pk: str(t)
        for t in TeacherProfile.objects.filter(
            pk__in={s["teacher"] for s in snapshots if s.get("teacher")}
        ).select_related("user")
    }
    terms = {
        t.pk: str(t)
        for t in Term.objects.filter(pk__in={s["term"] for s in snapshots if s.get("term")}).select_related(
            "academic_year"
        )
    }
    kinds = dict(ActivityKind.choices)

    def show(field, value):
        if field == "kind":
            return kinds.get(value, value)
        if field == "teacher":
            return teachers.get(value, "—")
        if field == "term":
            return terms.get(value, "—")
        return value

    for change in changes:
        model = models_by_label.get(change.object_type)
        before, after = change.before or {}, change.after or {}
        if model is None:
            change.before_rows, change.after_rows = [], []
            continue
        # The class or school is the page itself; a correction lists only what it changed.
        fields = [f for f in AUDITED_FIELDS[model] if f not in ("school_class", "school")]
        if before and after:
            fields = [f for f in fields if before.get(f) != after.get(f)]

        def rows(snapshot, fields=fields, model=model):
            return [
                (model._meta.get_field(f).verbose_name, show(f, snapshot[f]))
                for f in fields
                if snapshot.get(f) not in (None, "")
            ]

        change.before_rows, change.after_rows = rows(before), rows(after)
    return changes


def _coordinator_scope(request):
    scope = scope_for(request.user)
    if not scope.is_coordinator:
        raise PermissionDenied(_("Only training coordinators can correct delivery records."))
    return scope


@login_required
def manage_classes(request):
    """Classes in my scope with this semester's delivery status; filter by school and status."""
    scope = _coordinator_scope(request)
    term = requested_term(request)
    if term is None:
        return render(request, "tracking/delivery/manage_classes.html", {"term": None})
    classes = scope.classes().filter(academic_year_id=term.academic_year_id)
    school = None
    school_id = request.GET.get("school")
    if school_id:
        if not school_id.isdigit():
            raise Http404
        school = get_object_or_404(scope.schools(), pk=school_id)
        classes = classes.filter(school=school)
    status = request.GET.get("status")
    rows = rules.class_delivery_status(classes, term).select_related("school", "school__district")
    if status in rules.DeliveryStatus.LABELS:
        rows = rows.filter(status=status)
    rows = rows.order_by("school__district__sort_order", "school__code", "grade", "name")
    summary = rules.rollup(classes, term, "city")
    return render(
        request,
        "tracking/delivery/manage_classes.html",
        {
            "term": term,
            "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "summary": summary[0] if summary else None,
            "school": school,
            "schools": scope.schools().order_by("district__sort_order", "code"),
            "status": status,
            "status_labels": status_labels(),
        },
    )


@login_required
def manage_class(request, class_id: int):
    """One class: its status, every log (voided ones too), add a log, set family visits, the audit trail."""
    scope = _coordinator_scope(request)
    school_class = get_object_or_404(scope.classes().select_related("school", "academic_year"), pk=class_id)
    term = requested_term(request)
    if term is None or term.academic_year_id != school_class.academic_year_id:
        term = (
            school_class.academic_year.terms.order_by("-start_date")
            .filter(start_date__lte=timezone.localdate())
            .first()
            or school_class.academic_year.terms.order_by("start_date").first()
        )
    action = request.POST.get("action") if request.method == "POST" else None
    add_form = CoordinatorActivityForm(request.POST if action == "add" else None, school_class=school_class)
    tally = FamilyVisitTally.objects.filter(school_class=school_class, term=term).first() if term else None
    visit_form = FamilyVisitForm(
        request.POST if action == "visits" else None,
        school_class=school_class,
        initial={"families_visited": tally.families_visited if tally else 0},
    )
    if action == "add" and add_form.is_valid():
        data = add_form.cleaned_data
        log_activity(
            actor=request.user,
            school_class=school_class,
            kind=data["kind"],
            date=data["date"],
            topic=data["topic"],
            teacher=data["teacher"],
            periods=data["periods"],
            lesson_plan_title=data["lesson_plan_title"],
            lesson_plan_url=data["lesson_plan_url"],
            client_token=data.get("token"),
        )
        messages.success(request, _("The log was added."))
        return redirect(request.get_full_path())
    if action == "visits" and term is not None and visit_form.is_valid():
        set_family_visits(
            actor=request.user,
            school_class=school_class,
            term=term,
            families_visited=visit_form.cleaned_data["families_visited"],
        )
        messages.success(request, _("Family visits saved."))
        return redirect(request.get_full_path())

    status = rules.class_delivery_status(SchoolClass.objects.filter(pk=school_class.pk), term).get() if term else None
    activities = school_class.activities.select_related("teacher__user", "created_by", "voided_by")
    changes = (
        audit.visible_to(scope)
        .filter(
            Q(object_type=ClassActivity._meta.label_lower, object_id__in=school_class.activities.values("pk"))
            | Q(
                object_type=FamilyVisitTally._meta.label_lower,
                object_id__in=school_class.family_visit_tallies.values("pk"),
            )
        )
        .select_related("actor")[:PAGE_SIZE]
    )
    return render(
        request,
        "tracking/delivery/manage_class.html",
        {
            "school_class": school_class,
            "term": term,
            "status": status,
            "activities": activities,
            "add_form": add_form,
            "visit_form": visit_form,
            "void_form": VoidForm(),
            "changes": _describe_changes(changes),
            "status_labels": status_labels(),
        },
    )


def _scoped_activity(request, pk: int) -> ClassActivity:
    scope = _coordinator_scope(request)
    return get_object_or_404(
        ClassActivity.objects.filter(scope.school_filter("school_class__school")).select_related(
            "school_class__school", "school_class__academic_year"
        ),
        pk=pk,
    )


@login_required
def manage_activity_edit(request, pk: int):
    activity = _scoped_activity(request, pk)
    if activity.is_void:
        messages.error(request, _("A voided log cannot be changed; add a new one instead."))
        return redirect("delivery:manage_class", class_id=activity.school_class_id)
    form = CoordinatorActivityForm(request.POST or None, instance=activity, school_class=activity.school_class)
    if request.method == "POST" and form.is_valid():
        fresh = ClassActivity.objects.get(pk=activity.pk)  # form validation already touched `activity`
        changes = {f: form.cleaned_data[f] for f in CoordinatorActivityForm.Meta.fields}
        change_record(actor=request.user, obj=fresh, **changes)
        messages.success(request, _("The log was corrected."))
        return redirect("delivery:manage_class", class_id=activity.school_class_id)
    return render(request, "tracking/delivery/manage_activity_form.html", {"form": form, "activity": activity})


@login_required
@require_POST
def manage_activity_void(request, pk: int):
    activity = _scoped_activity(request, pk)
    form = VoidForm(request.POST)
    if form.is_valid():
        void_record(actor=request.user, obj=activity, reason=form.cleaned_data["reason"])
        messages.success(request, _("The log was voided; it no longer counts."))
    else:
        messages.error(request, _("Give a reason for voiding."))
    return redirect("delivery:manage_class", class_id=activity.school_class_id)


@login_required
def manage_schools(request):
    """Schools in my scope: parent lectures this semester and psychology staffing."""
    scope = _coordinator_scope(request)
    term = requested_term(request)
    schools = rules.staffing_status(scope.schools()).select_related("district")
    if term is not None:
        schools = rules.parent_lecture_status(schools, term)
    return render(
        request,
        "tracking/delivery/manage_schools.html",
        {"term": term, "schools": schools.order_by("district__sort_order", "code"), "rules": rules},
    )


@login_required
def manage_lectures(request, school_id: int):
    scope = _coordinator_scope(request)
    school = get_object_or_404(scope.schools(), pk=school_id)
    term = requested_term(request)
    form = ParentLectureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        log_parent_lecture(actor=request.user, school=school, **form.cleaned_data)
        messages.success(request, _("The parent lecture was logged."))
        return redirect(request.get_full_path())
    lectures = ParentLecture.objects.filter(school=school).select_related("created_by", "voided_by")
    if term is not None:
        lectures = lectures.filter(date__gte=term.start_date, date__lte=term.end_date)
    return render(
        request,
        "tracking/delivery/manage_lectures.html",
        {"school": school, "term": term, "form": form, "lectures": lectures, "void_form": VoidForm()},
    )


@login_required
@require_POST
def manage_lecture_void(request, pk: int):
    scope = _coordinator_scope(request)
    lecture = get_object_or_404(ParentLecture.objects.filter(scope.school_filter("school")), pk=pk)
    form = VoidForm(request.POST)
    if form.is_valid():
        void_record(actor=request.user, obj=lecture, reason=form.cleaned_data["reason"])
        messages.success(request, _("The parent lecture was voided; it no longer counts."))
    else:
        messages.error(request, _("Give a reason for voiding."))
    return redirect("delivery:manage_lectures", school_id=lecture.school_id)
