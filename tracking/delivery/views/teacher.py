"""Class delivery pages for teachers: they log what they delivered to their own classes.

They work on the teacher's own classes only (head teacher or psychology teacher of the class,
in their current school); any other class id is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import once
from accounts.models import SchoolClass, TeacherProfile
from accounts.scope import scope_for

from .. import rules
from ..forms import ActivityForm, FamilyVisitForm
from ..models import ActivityKind, ClassActivity, FamilyVisitTally
from ..services import (
    WithdrawRefused,
    log_activity,
    may_withdraw,
    set_family_visits,
    withdraw_activity,
    withdraw_window,
)
from .common import PAGE_SIZE, requested_term, status_labels


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
        # "Due this week" is the teacher's to-do: only lessons this teacher can log (a head teacher
        # of a key-grade class is not told to give its psychology lessons).
        school_class.logs_lessons = ActivityKind.PSYCHOLOGY_LESSON in school_class.kinds
    return classes


@login_required
def my_classes(request):
    """我的班级: this semester's status per class, and what is due this week."""
    teacher = _teacher(request)
    term = requested_term(request)
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
            "due_this_week": sum(c.lessons_due_this_week for c in classes if c.logs_lessons),
            "logs_lessons": any(c.logs_lessons for c in classes),
            "week": rules.week_bounds(timezone.localdate()),
            "status_labels": status_labels(),
        },
    )


@login_required
def log_start(request):
    """The "log a lesson" shortcut: straight to the form when the teacher has one class."""
    teacher = _teacher(request)
    term = requested_term(request)
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
    form = ActivityForm(
        request.POST or None, school_class=school_class, kinds=kinds, initial=initial, user=request.user
    )
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
            resource=data.get("resource"),
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
        # 303: the browser follows with a GET and keeps no POST in its history to send again.
        return once.see_other("delivery:my_classes")
    recent_topics = (
        ClassActivity.objects.filter(created_by=request.user)
        .order_by("-created_at")
        .values_list("topic", flat=True)
        .distinct()[:10]
    )
    return render(
        request,
        "tracking/delivery/log_form.html",
        {
            "form": form,
            "school_class": school_class,
            "recent_topics": recent_topics,
            "has_downloads": form.fields["resource"].queryset.exists(),
        },
    )


@login_required
def visits(request, class_id: int):
    """家访: the head teacher records how many families were visited this semester."""
    teacher = _teacher(request)
    if teacher is None:
        raise Http404
    school_class = get_object_or_404(_my_classes(teacher).filter(head_teacher=teacher), pk=class_id)
    term = requested_term(request)
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
    for activity in page.object_list:
        activity.may_withdraw = may_withdraw(activity, request.user)
    return render(
        request,
        "tracking/delivery/history.html",
        {"teacher": teacher, "page": page, "withdraw_hours": int(withdraw_window().total_seconds() // 3600)},
    )


@login_required
@require_POST
def withdraw(request, pk: int):
    """撤回: the teacher takes back their own log within the window (audited); others' logs are a 404."""
    activity = get_object_or_404(ClassActivity.objects.filter(created_by=request.user), pk=pk)
    try:
        withdraw_activity(actor=request.user, activity=activity)
    except WithdrawRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Withdrawn: %(record)s. It no longer counts.") % {"record": activity})
    return once.see_other("delivery:history")
