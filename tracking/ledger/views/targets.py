"""Targets (city coordinators), a teacher's ledger with corrections, the audit trail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import audit, once
from accounts.models import TrainingYear

from .. import workflows
from ..forms import CorrectionForm, TargetFormSet
from ..models import LedgerEntry, TrainingTarget
from ..services import teacher_status
from ..targets import ensure_targets
from .common import coordinator_scope


@login_required
@require_http_methods(["GET", "POST"])
def targets(request):
    scope = coordinator_scope(request)
    if not scope.city:
        raise PermissionDenied(_("Only city coordinators can change the yearly targets."))
    years = TrainingYear.objects.all()
    year = get_object_or_404(years, year=request.GET.get("year")) if request.GET.get("year") else None
    year = year or TrainingYear.current() or years.first()
    if year is None:
        return render(request, "tracking/ledger/targets.html", {"years": years, "year": None})
    ensure_targets(year)
    queryset = TrainingTarget.objects.filter(training_year=year).order_by("category")
    formset = TargetFormSet(request.POST or None, queryset=queryset)
    if request.method == "POST" and formset.is_valid():
        changed = 0
        for form in formset.forms:
            target = queryset.get(pk=form.instance.pk)
            try:
                changed += workflows.change_target(
                    target, hours=form.cleaned_data["hours"], sessions=form.cleaned_data["sessions"], user=request.user
                )
            except workflows.WorkflowError as exc:
                messages.error(request, str(exc))
        messages.success(request, _("%(n)s targets changed.") % {"n": changed})
        return once.see_other(f"{request.path}?year={year.year}")
    return render(
        request,
        "tracking/ledger/targets.html",
        {"years": years, "year": year, "formset": formset, "own_category": workflows.own_target_category(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def teacher_ledger(request, pk):
    scope = coordinator_scope(request)
    teacher = get_object_or_404(scope.teachers().select_related("user", "school"), pk=pk)
    year = TrainingYear.current() or TrainingYear.objects.first()
    may_correct = scope.may_act_on(teacher)
    form = CorrectionForm(request.POST or None, initial={"training_year": year})
    if request.method == "POST":
        if not may_correct:
            # Your own ledger, or a same-or-higher-level coordinator's: the next level up corrects it.
            raise PermissionDenied(workflows.ESCALATE_MESSAGE)
        if form.is_valid():
            if not once.first_use(request.user, form):
                messages.info(request, once.ALREADY_SAVED)
                return once.see_other("ledger:teacher_ledger", pk=teacher.pk)
            workflows.correct(
                teacher=teacher,
                training_year=form.cleaned_data["training_year"],
                hours=form.cleaned_data["hours"],
                reason=form.cleaned_data["reason"],
                add_session=form.cleaned_data["add_session"],
                user=request.user,
            )
            messages.success(request, _("The correction has been recorded."))
            return once.see_other("ledger:teacher_ledger", pk=teacher.pk)
    entries = LedgerEntry.objects.filter(teacher=teacher).select_related("training_year", "recorded_by")
    status = teacher_status(teacher, year) if year else None
    return render(
        request,
        "tracking/ledger/teacher_ledger.html",
        {
            "teacher": teacher,
            "entries": entries,
            "status": status,
            "year": year,
            "form": form,
            "may_correct": may_correct,
            "escalate_message": workflows.ESCALATE_MESSAGE,
        },
    )


@login_required
def audit_log(request):
    scope = coordinator_scope(request)
    events = audit.visible_to(scope).select_related("actor", "school")
    action = request.GET.get("action", "")
    if action:
        events = events.filter(action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "tracking/ledger/audit_log.html", {"page": page, "action": action})
