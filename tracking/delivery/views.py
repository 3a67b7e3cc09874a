"""Class delivery pages: teachers log what they delivered; coordinators correct inside their scope.

Teacher pages work on the teacher's own classes only (head teacher or psychology teacher of
the class, in their current school); any other class id is a 404. Coordinator pages go
through `scope_for(user)`; ids outside the scope are 404 as well.
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

from . import rules
from .forms import ActivityForm, CoordinatorActivityForm, FamilyVisitForm, ParentLectureForm, VoidForm
from .models import ActivityKind, ClassActivity, FamilyVisitTally, ParentLecture
from .services import (
    AUDITED_FIELDS,
    change_record,
    log_activity,
    log_parent_lecture,
    set_family_visits,
    void_record,
)

PAGE_SIZE = 50


# --- shared helpers ------------------------------------------------------------------------
def _term(request) -> Term | None:
    """The semester to show: ?term=<id>, else the current one, else the latest that has started."""
    term_id = request.GET.get("term")
    if term_id:
        if not term_id.isdigit():
            raise Http404
        return get_object_or_404(Term.objects.select_related("academic_year"), pk=term_id)
    today = timezone.localdate()
    return (
        Term.current(today)
        or Term.objects.filter(start_date__lte=today).select_related("academic_year").order_by("-start_date").first()
    )


def _teacher(request) -> TeacherProfile | None:
    return scope_for(request.user).teacher_profile


def _my_classes(teacher: TeacherProfile):
    return SchoolClass.objects.filter(
        Q(head_teacher=teacher) | Q(psychology_teacher=teacher), school_id=teacher.school_id
    ).select_related("school", "academic_year")


def _with_permissions(classes, teacher):
    for school_class in classes:
        permissions = rules.ClassRules(school_class, teacher)
        school_class.kinds = permissions.kinds_for_teacher
        school_class.may_log_visits = permissions.may_log_visits
    return classes


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


def _status_labels():
    return {key: str(label) for key, label in rules.DeliveryStatus.LABELS.items()}


# --- teacher pages --------------------------------------------------------------------------
@login_required
def my_classes(request):
    """我的班级: this semester's status per class, and what is due this week."""
    teacher = _teacher(request)
    term = _term(request)
    classes = []
    if teacher is not None and term is not None:
        qs = rules.class_delivery_status(_my_classes(teacher), term).order_by("grade", "name")
        classes = _with_permissions(list(qs), teacher)
    calendar = rules.term_calendar(term) if term is not None else None
    return render(
        request,
        "tracking/delivery/my_classes.html",
        {
            "teacher": teacher,
            "term": term,
            "calendar": calendar,
            "classes": classes,
            "due_this_week": sum(c.lessons_due_this_week for c in classes),
            "week": rules.week_bounds(timezone.localdate()),
            "status_labels": _status_labels(),
        },
    )


@login_required
def log_start(request):
    """The "log a lesson" shortcut: straight to the form when the teacher has one class."""
    teacher = _teacher(request)
    term = _term(request)
    if teacher is not None and term is not None:
        ids = list(_my_classes(teacher).filter(academic_year_id=term.academic_year_id).values_list("pk", flat=True))
        if len(ids) == 1:
            return redirect("delivery:log", class_id=ids[0])
    return redirect("delivery:my_classes")


@login_required
def log(request, class_id: int):
    """One-screen form: kind, date (today), periods (1), topic; the rest is optional."""
    teacher = _teacher(request)
    if teacher is None:
        raise Http404
    school_class = get_object_or_404(_my_classes(teacher), pk=class_id)
    kinds = rules.ClassRules(school_class, teacher).kinds_for_teacher
    if not kinds:
        raise Http404
    initial = {}
    if request.GET.get("kind") in kinds:
        initial["kind"] = request.GET["kind"]
    form = ActivityForm(request.POST or None, school_class=school_class, kinds=kinds, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        activity, created = log_activity(
            actor=request.user,
            school_class=school_class,
            kind=data["kind"],
            date=data["date"],
            topic=data["topic"],
            teacher=teacher,
            periods=data["periods"],
            lesson_plan_title=data["lesson_plan_title"],
            lesson_plan_url=data["lesson_plan_url"],
            client_token=data.get("token"),
        )
        if created:
            messages.success(
                request,
                _("Saved: %(kind)s for %(class)s on %(date)s.")
                % {
                    "kind": activity.get_kind_display(),
                    # "1班" alone is ambiguous for a teacher of several grades: "2年级1班".
                    "class": _("Grade %(grade)s %(name)s") % {"grade": school_class.grade, "name": school_class.name},
                    "date": activity.date,
                },
            )
        else:
            messages.info(request, _("This entry was already saved; it was not counted twice."))
        return redirect("delivery:my_classes")
    recent_topics = (
        ClassActivity.objects.filter(created_by=request.user)
        .order_by("-created_at")
        .values_list("topic", flat=True)
        .distinct()[:10]
    )
    return render(
        request,
        "tracking/delivery/log_form.html",
        {"form": form, "school_class": school_class, "recent_topics": recent_topics},
    )


@login_required
def visits(request, class_id: int):
    """家访: the head teacher records how many families were visited this semester."""
    teacher = _teacher(request)
    if teacher is None:
        raise Http404
    school_class = get_object_or_404(_my_classes(teacher).filter(head_teacher=teacher), pk=class_id)
    term = _term(request)
    if term is None or term.academic_year_id != school_class.academic_year_id:
        raise Http404
    tally = FamilyVisitTally.objects.filter(school_class=school_class, term=term).first()
    form = FamilyVisitForm(
        request.POST or None,
        school_class=school_class,
        initial={"families_visited": tally.families_visited if tally else 0},
    )
    if request.method == "POST" and form.is_valid():
        set_family_visits(
            actor=request.user,
            school_class=school_class,
            term=term,
            families_visited=form.cleaned_data["families_visited"],
        )
        messages.success(request, _("Family visits saved."))
        return redirect("delivery:my_classes")
    return render(
        request,
        "tracking/delivery/visits_form.html",
        {"form": form, "school_class": school_class, "term": term, "tally": tally},
    )


@login_required
def history(request):
    """My history: everything logged for my classes (by me or corrected by a coordinator)."""
    teacher = _teacher(request)
    activities = ClassActivity.objects.none()
    if teacher is not None:
        activities = ClassActivity.objects.filter(
            Q(school_class__in=_my_classes(teacher)) | Q(created_by=request.user)
        ).select_related("school_class", "teacher__user")
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "tracking/delivery/history.html", {"teacher": teacher, "page": page})


# --- coordinator pages ------------------------------------------------------------------------
def _coordinator_scope(request):
    scope = scope_for(request.user)
    if not scope.is_coordinator:
        raise PermissionDenied(_("Only training coordinators can correct delivery records."))
    return scope


@login_required
def manage_classes(request):
    """Classes in my scope with this semester's delivery status; filter by school and status."""
    scope = _coordinator_scope(request)
    term = _term(request)
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
            "status_labels": _status_labels(),
        },
    )


@login_required
def manage_class(request, class_id: int):
    """One class: its status, every log (voided ones too), add a log, set family visits, the audit trail."""
    scope = _coordinator_scope(request)
    school_class = get_object_or_404(scope.classes().select_related("school", "academic_year"), pk=class_id)
    term = _term(request)
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
            "status_labels": _status_labels(),
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
    term = _term(request)
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
    term = _term(request)
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
