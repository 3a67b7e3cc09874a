"""External certificate claims: teachers submit, coordinators in scope decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Exists, OuterRef, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import audit, once
from accounts.models import CoordinatorRole
from accounts.scope import scope_for

from .. import workflows
from ..forms import BulkApproveForm, ClaimForm, DecisionForm
from ..models import ExternalClaim
from .common import coordinator_scope


@login_required
@require_http_methods(["GET", "POST"])
def my_claims(request):
    teacher = scope_for(request.user).teacher_profile
    if teacher is None:
        raise PermissionDenied(_("Only teachers can claim external training hours."))
    form = ClaimForm(request.POST or None, request.FILES or None, instance=ExternalClaim(teacher=teacher))
    if request.method == "POST" and form.is_valid():
        if not once.first_use(request.user, form):
            messages.info(request, once.ALREADY_SAVED)
            return once.see_other("ledger:my_claims")
        claim = form.save()
        audit.record(
            actor=request.user,
            action="claim.submit",
            obj=claim,
            school=teacher.school_id,
            summary=_("Submitted a certificate: %(title)s") % {"title": claim.title},
            after={"hours": claim.hours},
        )
        messages.success(request, _("Your certificate has been submitted for review."))
        return once.see_other("ledger:my_claims")
    claims = ExternalClaim.objects.filter(teacher=teacher).select_related("training_year")
    return render(request, "tracking/ledger/my_claims.html", {"form": form, "claims": claims})


@login_required
def claim_file(request, pk):
    """The certificate file: for its owner or a coordinator whose scope contains the teacher."""
    scope = scope_for(request.user)
    visible = ExternalClaim.objects.filter(scope.school_filter("teacher__school"))
    if scope.teacher_profile is not None:
        visible = visible | ExternalClaim.objects.filter(teacher=scope.teacher_profile)
    claim = get_object_or_404(visible, pk=pk)
    try:
        handle = claim.file.open("rb")
    except FileNotFoundError:
        raise Http404
    response = FileResponse(handle, content_type=claim.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def manage_claims(request):
    scope = coordinator_scope(request)
    status = request.GET.get("status", ExternalClaim.Status.PENDING)
    if status not in ExternalClaim.Status.values:
        status = ExternalClaim.Status.PENDING
    claims = (
        ExternalClaim.objects.filter(scope.school_filter("teacher__school"), status=status)
        .annotate(
            # Own claims and same-or-higher-level colleagues' claims go to the next level up;
            # claims of lower-level coordinators reach this queue marked as such (issue 9 #4).
            escalated=Case(When(scope.needs_higher_level("teacher__"), then=True), default=False),
            from_coordinator=Exists(CoordinatorRole.objects.filter(user_id=OuterRef("teacher__user_id"))),
        )
        .select_related("teacher__user", "teacher__school", "decided_by")
        .order_by("created_at" if status == ExternalClaim.Status.PENDING else "-decided_at")[:500]
    )
    return render(
        request,
        "tracking/ledger/manage_claims.html",
        {"claims": claims, "status": status, "statuses": ExternalClaim.Status.choices, "form": DecisionForm()},
    )


@login_required
@require_POST
def claim_decide(request, pk):
    scope = coordinator_scope(request)
    claim = get_object_or_404(ExternalClaim.objects.filter(scope.school_filter("teacher__school")), pk=pk)
    if not scope.may_act_on(claim.teacher_id):
        messages.error(request, str(workflows.ESCALATE_MESSAGE))
        return redirect("ledger:manage_claims")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("ledger:manage_claims")
    try:
        workflows.decide_claim(
            claim,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
            hours=form.cleaned_data["hours"],
            user=request.user,
        )
    except workflows.WorkflowError as exc:
        messages.warning(request, str(exc))
    else:
        messages.success(request, _("Decision saved."))
    return once.see_other("ledger:manage_claims")


@login_required
@require_POST
def claims_bulk_approve(request):
    """批量批准: every ticked pending claim in scope approved at the hours claimed, each through
    the one workflow (ledger entry once, audited, the teacher notified). Ids outside the scope are
    not offered, so a forged one is refused like any unknown choice."""
    scope = coordinator_scope(request)
    pending = ExternalClaim.objects.filter(
        scope.school_filter("teacher__school"), status=ExternalClaim.Status.PENDING
    ).select_related("teacher__user")
    form = BulkApproveForm(request.POST, claims=pending)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return once.see_other("ledger:manage_claims")
    approved, refused = 0, []
    for claim in pending.filter(pk__in=form.cleaned_data["claim"]):
        try:
            workflows.decide_claim(claim, approve=True, reason="", user=request.user)
        except workflows.WorkflowError as exc:
            refused.append(f"{claim.teacher.user.display_name}: {exc}")
        else:
            approved += 1
    messages.success(request, _("%(n)s claims approved.") % {"n": approved})
    for message in refused:
        messages.warning(request, message)
    return once.see_other("ledger:manage_claims")
