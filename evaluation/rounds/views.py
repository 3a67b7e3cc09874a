"""Pages: facilities and organisation, district duties, evaluation rounds and applications.

Scope on every view (accounts.scope): a school coordinator sees their school, a district
coordinator their district, the city everything, anyone else gets 403; an id outside the
viewer's scope is 404 (as if it did not exist).
"""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import once
from accounts.models import AcademicYear, District, School
from accounts.scope import scope_for
from evaluation import indicators as ind
from evaluation import periods
from evaluation.compute import Verdict, compute

from . import duties, facilities, snapshot, workflow
from .forms import AwardForm, DecisionForm, FacilityForm, ReviewForm, RoundForm, StaffForm, StatementForm
from .models import REQUIRED_ROOM_PARTS, Application, Decision, DistrictStaff, FacilityEntry, Item, RoomPart, Round


def _scope(request):
    scope = scope_for(request.user)
    if not scope.is_coordinator:
        raise PermissionDenied(_("Only training coordinators can open evaluation pages."))
    return scope


def _city(request):
    scope = _scope(request)
    if not scope.city:
        raise PermissionDenied(_("Only the city coordinator manages evaluation rounds."))
    return scope


# --- facilities and organisation ---------------------------------------------------------------------
# The scorecard indicator each item is judged by (its standard is shown beside the item's form).
ITEM_INDICATOR = {
    Item.COUNSELLING_ROOM: "counselling_room",
    Item.LEADING_GROUP: "leading_group",
    Item.CRISIS_GROUP: "crisis_group",
    Item.BUDGET: "budget_line",
    Item.COMMITTEE: "psychology_committee",
}


def _update_initial(entry: FacilityEntry | None) -> dict:
    """An update starts from the school's latest entry (areas, amount, counts): only what
    changed is typed again; the note and the evidence are new each time."""
    if entry is None:
        return {}
    return {
        "present": entry.present,
        "room_parts": list(entry.room_parts or []),
        "amount": entry.amount,
        "classes": entry.classes,
        "classes_with_members": entry.classes_with_members,
        "members": entry.members,
    }


def _facility_cards(scope, posted_form):
    """One card per item: its standard, the school's latest entry and latest approval, and a form
    with only the fields that item asks for (the posted one, with its errors, when it failed)."""
    school_id = next(iter(scope.school_ids)) if len(scope.school_ids) == 1 else None
    latest: dict[str, FacilityEntry] = {}
    approved: dict[str, FacilityEntry] = {}
    school = None
    if school_id is not None:
        school = School.objects.filter(pk=school_id).first()
        for entry in FacilityEntry.objects.filter(school_id=school_id).order_by("-submitted_at", "-id"):
            latest.setdefault(entry.item, entry)
            if entry.status == FacilityEntry.Status.APPROVED:
                approved.setdefault(entry.item, entry)
    cards = []
    for item in Item.values:
        indicator = ind.BY_KEY[ITEM_INDICATOR[item]]
        if posted_form is not None and posted_form.item == item:
            form = posted_form
        else:
            form = FacilityForm(scope=scope, item=item, initial=_update_initial(latest.get(item)))
        applies = school is None or indicator.applies(school)
        cards.append(
            {
                "item": item,
                "label": indicator.label,
                "standard": indicator.standard_text(),
                "required_parts": [RoomPart(p).label for p in REQUIRED_ROOM_PARTS]
                if item == Item.COUNSELLING_ROOM
                else [],
                "applies": applies,
                "applies_note": indicator.applies_note,
                "latest": latest.get(item),
                "approved": approved.get(item),
                "form": form,
                "open": form.is_bound or (school_id is not None and item not in latest and applies),
            }
        )
    return cards


@login_required
def facility_list(request):
    scope = _scope(request)
    can_submit = bool(scope.school_ids)
    form = None
    if can_submit and request.method == "POST":
        posted_item = request.POST.get("item")
        form = FacilityForm(
            request.POST, request.FILES, scope=scope, item=posted_item if posted_item in Item.values else None
        )
        if form.is_valid():
            if not once.first_use(request.user, form):
                messages.info(request, once.ALREADY_SAVED)
                return redirect("evaluation_rounds:facilities")
            facilities.submit(actor=request.user, form=form)
            messages.success(request, _("Entry submitted: the district coordinator will approve it."))
            return redirect("evaluation_rounds:facilities")
    entries = FacilityEntry.objects.filter(school__in=scope.schools()).select_related(
        "school", "school__district", "submitted_by", "decided_by"
    )
    school, item, status = request.GET.get("school", ""), request.GET.get("item", ""), request.GET.get("status", "")
    if school.isdigit():
        entries = entries.filter(school_id=int(school))
    if item in Item.values:
        entries = entries.filter(item=item)
    if status in FacilityEntry.Status.values:
        entries = entries.filter(status=status)
    rows = list(entries[:200])
    for entry in rows:
        entry.problem = facilities.decide_problem(scope, entry)
    return render(
        request,
        "evaluation/rounds/facilities.html",
        {
            "form": form,
            "cards": _facility_cards(scope, form) if can_submit else [],
            "entries": rows,
            "statuses": FacilityEntry.Status.choices,
            "items": Item.choices,
            "chosen": {"school": school, "item": item, "status": status},
            "scope": scope,
        },
    )


def _entry_in_scope(scope, pk) -> FacilityEntry:
    entry = get_object_or_404(FacilityEntry.objects.select_related("school", "submitted_by", "decided_by"), pk=pk)
    if not scope.can_see_school(entry.school_id):
        raise Http404(_("No such entry."))
    return entry


@login_required
def facility_detail(request, pk):
    scope = _scope(request)
    entry = _entry_in_scope(scope, pk)
    problem = facilities.decide_problem(scope, entry)
    form = DecisionForm(request.POST or None) if problem is None else None
    if request.method == "POST":
        if form is None:
            messages.error(request, problem)
            return redirect("evaluation_rounds:facility", pk=entry.pk)
        if form.is_valid():
            try:
                facilities.decide(
                    scope=scope,
                    entry_id=entry.pk,
                    approve=form.cleaned_data["decision"] == "approve",
                    reason=form.cleaned_data["reason"],
                )
            except facilities.NotAllowed as refusal:
                form.add_error("reason", str(refusal))
            else:
                messages.success(request, _("Decision saved."))
                return redirect("evaluation_rounds:facilities")
    return render(
        request,
        "evaluation/rounds/facility_detail.html",
        {"entry": entry, "form": form, "problem": problem, "missing": facilities.room_missing(entry), "scope": scope},
    )


@login_required
def facility_evidence(request, pk):
    scope = _scope(request)
    entry = _entry_in_scope(scope, pk)
    response = FileResponse(entry.evidence.open("rb"), content_type=entry.evidence_type)
    inline = entry.is_image or entry.evidence_type == "application/pdf"
    response["Content-Disposition"] = "inline" if inline else "attachment"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- district duties --------------------------------------------------------------------------------------
def _duty_districts(scope):
    if scope.city:
        return District.objects.all()
    if scope.district_ids:
        return District.objects.filter(pk__in=scope.district_ids)
    raise PermissionDenied(_("District duties are for district and city coordinators."))


@login_required
def duty_list(request):
    scope = _scope(request)
    districts = _duty_districts(scope).order_by("sort_order", "code")
    years = list(AcademicYear.objects.order_by("-start_date"))
    chosen = request.GET.get("year", "")
    year = next((y for y in years if str(y.pk) == chosen), None)
    if year is None:
        period = periods.current()
        year = period.academic_year if period else (years[0] if years else None)
    rows = duties.table(districts, year.start_date, year.end_date) if year else []
    return render(
        request,
        "evaluation/rounds/duties.html",
        {"rows": rows, "years": years, "year": year, "months": rows[0].months if rows else [], "scope": scope},
    )


def _district_in_scope(scope, district_id) -> District:
    district = get_object_or_404(District, pk=district_id)
    if not (scope.city or district.pk in scope.district_ids):
        raise Http404(_("No such district."))
    return district


@login_required
def duty_staff(request, district_id):
    scope = _scope(request)
    _duty_districts(scope)
    district = _district_in_scope(scope, district_id)
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not once.first_use(request.user, form):
            messages.info(request, once.ALREADY_SAVED)
        else:
            form.instance.district = district
            duties.add_staff(actor=request.user, form=form)
            messages.success(request, _("Staff member added."))
        return redirect("evaluation_rounds:duty_staff", district_id=district.pk)
    staff = DistrictStaff.objects.filter(district=district).order_by("-active", "role", "name")
    return render(
        request,
        "evaluation/rounds/duty_staff.html",
        {
            "district": district,
            "form": form,
            "staff": staff,
            "stations": duties.stations([district.pk]).get(district.pk, []),
            "scope": scope,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def duty_staff_end(request, pk):
    """GET: what ending this person's post does, with 确认 / 取消; POST with confirm=yes: ends it.

    The scope checks come first for both, so a confirmation page is never shown for a
    person outside the viewer's districts (404 as before)."""
    scope = _scope(request)
    _duty_districts(scope)
    member = get_object_or_404(DistrictStaff.objects.select_related("district"), pk=pk)
    _district_in_scope(scope, member.district_id)
    back = reverse("evaluation_rounds:duty_staff", args=[member.district_id])
    if not member.active:
        messages.info(request, _("%(name)s is already recorded as no longer in post.") % {"name": member.name})
        return redirect(back)
    if _confirmed(request):
        duties.end_staff(actor=request.user, member=member)
        messages.success(request, _("Marked as no longer in post."))
        return redirect(back)
    return _confirmation(
        request,
        scope,
        title=_("End %(name)s's post?") % {"name": member.name},
        consequences=duties.end_consequences(member),
        confirm_label=_("Confirm: no longer in post"),
        cancel_url=back,
    )


def _confirmed(request) -> bool:
    """The confirmation page's 确认 was pressed (a POST with confirm=yes)."""
    return request.method == "POST" and request.POST.get("confirm") == "yes"


def _confirmation(request, scope, *, title, consequences, confirm_label, cancel_url):
    """The page that says what an action will do, with 确认 / 取消 (GET); a bare POST changes
    nothing and asks again."""
    if request.method == "POST":
        return redirect(request.path)
    context = {
        "title": title,
        "consequences": consequences,
        "confirm_label": confirm_label,
        "cancel_url": cancel_url,
        "scope": scope,
    }
    return render(request, "evaluation/rounds/confirm.html", context)


# --- rounds -------------------------------------------------------------------------------------------------
@login_required
def round_list(request):
    scope = _scope(request)
    return render(
        request, "evaluation/rounds/round_list.html", {"rounds": workflow.visible_rounds(scope), "scope": scope}
    )


def _round_form(request, round_=None):
    actor_scope = _city(request)
    form = RoundForm(request.POST or None, round_=round_)
    if round_ is not None and not round_.is_open:
        messages.error(request, _("A closed round can no longer be changed."))
        return redirect("evaluation_rounds:round", pk=round_.pk)
    if request.method == "POST" and form.is_valid():
        try:
            saved = workflow.save_round(actor=actor_scope.user, round_=round_, data=form.cleaned())
        except ValidationError as problems:
            for message in problems.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Round saved."))
            return redirect("evaluation_rounds:round", pk=saved.pk)
    return render(request, "evaluation/rounds/round_form.html", {"form": form, "round": round_, "scope": actor_scope})


@login_required
def round_create(request):
    return _round_form(request)


@login_required
def round_edit(request, pk):
    _city(request)
    return _round_form(request, get_object_or_404(Round, pk=pk))


@login_required
@require_http_methods(["GET", "POST"])
def round_close(request, pk):
    """GET: what closing the round does (and to how many schools), with 确认 / 取消; POST with
    confirm=yes: closes it. City only, for both."""
    scope = _city(request)
    round_ = get_object_or_404(Round, pk=pk)
    if not round_.is_open:
        messages.info(request, _("This round is closed."))
        return redirect("evaluation_rounds:round", pk=round_.pk)
    back = reverse("evaluation_rounds:round", args=[round_.pk])
    if _confirmed(request):
        workflow.close_round(actor=scope.user, round_=round_)
        messages.success(request, _("Round closed."))
        return redirect(back)
    return _confirmation(
        request,
        scope,
        title=_("Close the round “%(title)s”?") % {"title": round_.title},
        consequences=workflow.close_consequences(round_),
        confirm_label=_("Confirm: close the round"),
        cancel_url=back,
    )


@login_required
def round_detail(request, pk):
    scope = _scope(request)
    round_ = get_object_or_404(workflow.visible_rounds(scope), pk=pk)
    applications = (
        Application.objects.filter(round=round_, school__in=scope.schools())
        .select_related("school", "school__district")
        .order_by("school__district__sort_order", "school__code")
    )
    own = scope.schools().filter(pk__in=scope.school_ids).order_by("code")
    return render(
        request,
        "evaluation/rounds/round_detail.html",
        {
            "round": round_,
            "applications": applications,
            "own_schools": own,
            "scope": scope,
            "threshold_rows": _threshold_rows(round_),
        },
    )


def _threshold_rows(round_: Round):
    limits = workflow.effective(round_)
    return [
        (indicator, indicator.standard_text(limits.get(indicator.key)), indicator.key in (round_.thresholds or {}))
        for indicator in ind.INDICATORS
        if indicator.key in (round_.indicators or [])
    ]


def round_period(round_: Round):
    """The academic year the round judges: the one it opens in (else the current semester's).

    Training is read for the training year in force when the round opens: a year scorecard
    otherwise reads the one the academic year ends in, which for a round opened in the autumn
    has not begun (every school at 0 h, "in progress" until long after the round closes)."""
    year = AcademicYear.objects.filter(start_date__lte=round_.opens_on, end_date__gte=round_.opens_on).first()
    if year is not None:
        try:
            period = periods.for_year(year)
        except Http404:
            pass
        else:
            return dataclasses.replace(period, training_year=periods.training_year_on(round_.opens_on))
    return periods.current()


def round_scorecard(round_: Round, school: School):
    period = round_period(round_)
    if period is None:
        return None, []
    cards = compute([school.pk], period, thresholds=round_.thresholds or {})
    if not cards:
        return None, []
    card = cards[0]
    rows = [row for row in card.rows if row.indicator.key in (round_.indicators or [])]
    return card, rows


@login_required
def application_detail(request, round_pk, school_id):
    scope = _scope(request)
    round_ = get_object_or_404(workflow.visible_rounds(scope), pk=round_pk)
    school = get_object_or_404(School.objects.select_related("district"), pk=school_id)
    if not scope.can_see_school(school):
        raise Http404(_("No such school."))
    application = Application.objects.filter(round=round_, school=school).first()
    if application is None:
        if school.pk not in scope.school_ids or not round_.is_open:
            raise Http404(_("This school has no self-assessment in this round."))
        application = Application(round=round_, school=school)  # saved when the school submits
    card, rows = round_scorecard(round_, school)
    forms = {}
    if workflow.may_submit(scope, application) is None:
        forms["statement"] = StatementForm(
            request.POST if request.POST.get("step") == "submit" else None, initial={"statement": application.statement}
        )
    if workflow.may_review(scope, application) is None:
        forms["review"] = ReviewForm(request.POST if request.POST.get("step") == "review" else None)
    if workflow.may_decide(scope, application) is None:
        forms["decide"] = AwardForm(request.POST if request.POST.get("step") == "decide" else None, round_=round_)
    if request.method == "POST":
        step = request.POST.get("step")
        form = forms.get({"submit": "statement"}.get(step, step))
        if form is None:
            problem = (
                workflow.may_submit(scope, application)
                if step == "submit"
                else workflow.may_review(scope, application)
                if step == "review"
                else workflow.may_decide(scope, application)
            )
            messages.error(request, problem or _("Nothing to do here."))
            return redirect("evaluation_rounds:application", round_pk=round_.pk, school_id=school.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if step == "submit":
                    workflow.submit(
                        scope=scope, application=application, statement=data["statement"], snapshot=snapshot.take(rows)
                    )
                elif step == "review":
                    workflow.review(
                        scope=scope,
                        application=application,
                        recommend=data["decision"] == "recommend",
                        reason=data["reason"],
                    )
                else:
                    workflow.decide(
                        scope=scope,
                        application=application,
                        award=data["decision"] == "award",
                        reason=data["reason"],
                        valid_until=data.get("valid_until"),
                    )
            except workflow.NotAllowed as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("Saved."))
                return redirect("evaluation_rounds:application", round_pk=round_.pk, school_id=school.pk)
    submitted = compared = None
    if application.pk and application.snapshot:
        submitted = application.decisions.filter(action=Decision.Action.SUBMIT).order_by("-at", "-id").first()
        compared = snapshot.compare(application.snapshot, rows)
    met = sum(1 for r in rows if r.verdict == Verdict.MET)
    judged = sum(1 for r in rows if r.verdict in (Verdict.MET, Verdict.NOT_MET, Verdict.PENDING))
    return render(
        request,
        "evaluation/rounds/application.html",
        {
            "round": round_,
            "school": school,
            "application": application,
            "card": card,
            "rows": rows,
            "met": met,
            "judged": judged,
            "forms": forms,
            "scope": scope,
            "decisions": application.decisions.select_related("actor") if application.pk else [],
            "submitted": submitted,
            "compared": compared,
            "changed": sum(1 for c in compared or [] if c.changed),
        },
    )
