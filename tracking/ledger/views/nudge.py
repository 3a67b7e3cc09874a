"""催办: the teachers behind pace in a coordinator's scope, and a button that reminds them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import once
from accounts.models import TrainingYear

from .. import workflows
from ..services import Status, annotate_status
from .common import coordinator_scope

PAGE_SIZE = 100


def behind_pace(scope, year: TrainingYear, on):
    """Active teachers in scope whose share of the target is below an even pace through the year."""
    expected = workflows.expected_percent(year, on)
    teachers = scope.teachers().filter(is_active=True, user__is_active=True)
    rows = annotate_status(teachers, year, on).filter(status=Status.IN_PROGRESS, percent__lt=expected)
    return rows.select_related("user", "school").order_by("percent", "school__code", "staff_number"), expected


@login_required
@require_http_methods(["GET", "POST"])
def behind(request):
    scope = coordinator_scope(request)
    today = timezone.localdate()
    year = TrainingYear.current(today)
    if year is None:
        return render(request, "tracking/ledger/behind.html", {"year": None})
    teachers, expected = behind_pace(scope, year, today)
    if request.method == "POST":
        chosen = teachers if request.POST.get("all") else teachers.filter(pk__in=request.POST.getlist("teacher"))
        reminded, skipped = workflows.nudge(chosen, year=year, user=request.user, on=today)
        if reminded:
            messages.success(request, _("%(n)s teachers reminded; they see it under My notices.") % {"n": reminded})
        if skipped:
            messages.info(request, _("%(n)s teachers had already been reminded this week; not again.") % {"n": skipped})
        if not reminded and not skipped:
            messages.warning(request, _("Tick the teachers to remind."))
        return once.see_other("ledger:behind")
    page = Paginator(teachers, PAGE_SIZE).get_page(request.GET.get("page"))
    reminded = set(
        workflows.Notification.objects.filter(
            kind=workflows.Notification.Kind.NUDGE,
            period=workflows.nudge_period(today),
            user_id__in=[t.user_id for t in page.object_list],
        ).values_list("user_id", flat=True)
    )
    for teacher in page.object_list:
        teacher.reminded_this_week = teacher.user_id in reminded
    return render(
        request,
        "tracking/ledger/behind.html",
        {"year": year, "page": page, "expected": expected, "today": today},
    )
