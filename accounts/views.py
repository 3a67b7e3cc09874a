from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils.translation import gettext as _

from .models import CoordinatorRole, District, School, SchoolClass, TeacherCategory
from .scope import scope_for


@login_required
def profile(request):
    """我的账户: who I am on the platform, my school and my roles."""
    user = request.user
    teacher = getattr(user, "teacher_profile", None) if hasattr(user, "teacher_profile") else None
    parent = getattr(user, "parent_profile", None) if hasattr(user, "parent_profile") else None
    roles = CoordinatorRole.objects.filter(user=user).select_related("district", "school")
    return render(
        request,
        "accounts/profile.html",
        {"teacher": teacher, "parent": parent, "roles": roles, "scope": scope_for(user)},
    )


@login_required
def scope_overview(request):
    """The coordinator's landing page: what is inside my scope, per district or school.

    One aggregate query per table; the row count does not change the query count.
    """
    scope = scope_for(request.user)
    if not scope.is_coordinator:
        raise PermissionDenied(_("Only training coordinators can open management reports."))

    category_counts = {
        f"n_{value}": Count("teachers", filter=Q(teachers__category=value, teachers__is_active=True), distinct=True)
        for value in TeacherCategory.values
    }
    schools = (
        scope.schools()
        .select_related("district")
        .annotate(n_teachers=Count("teachers", filter=Q(teachers__is_active=True), distinct=True), **category_counts)
        .order_by("district__sort_order", "code")
    )
    class_counts = dict(
        SchoolClass.objects.filter(school__in=scope.schools()).values_list("school").annotate(n=Count("id"))
    )
    rows = []
    for school in schools:
        school.n_classes = class_counts.get(school.pk, 0)
        school.category_counts = [getattr(school, f"n_{value}") for value in TeacherCategory.values]
        rows.append(school)
    totals = {
        "schools": len(rows),
        "students": sum(s.student_count for s in rows),
        "teachers": sum(s.n_teachers for s in rows),
        "classes": sum(s.n_classes for s in rows),
        "categories": [sum(s.category_counts[i] for s in rows) for i in range(len(TeacherCategory.values))],
    }
    return render(
        request,
        "accounts/scope_overview.html",
        {
            "scope": scope,
            "schools": rows,
            "totals": totals,
            "category_labels": TeacherCategory.labels,
            "scope_names": _scope_names(scope),
        },
    )


def _scope_names(scope) -> list[str]:
    """What the coordinator coordinates, in words: their districts, then schools outside those districts.

    A school coordinator reads their school's name, not the district around it.
    """
    if scope.city:
        return []
    districts = District.objects.filter(id__in=scope.district_ids).order_by("sort_order", "code")
    schools = (
        School.objects.filter(id__in=scope.school_ids)
        .exclude(district_id__in=scope.district_ids)
        .order_by("district__sort_order", "code")
    )
    return [d.name for d in districts] + [s.name for s in schools]
