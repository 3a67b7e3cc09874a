"""The scorecard pages and exports. Every view asks `scope_for(user)` first: non-coordinators
get 403; a school or district outside the scope (or that does not exist) is a 404 with a
Chinese message, never data. Exports are recorded in the audit log like report exports."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts import audit
from accounts.models import District, School
from accounts.scope import scope_for

from . import exports, periods, summary_html
from .compute import Verdict, compute

PAGE_SIZE = 50
EXPORT = "evaluation.export"
AUDIT_ACTIONS = {EXPORT: gettext_lazy("Scorecard exported")}


def _scope(request):
    scope = scope_for(request.user)
    if not scope.is_coordinator:
        raise PermissionDenied(_("Only coordinators can open the evaluation scorecards."))
    return scope


def _school(scope, school_id: int) -> School:
    school = scope.schools().select_related("district").filter(pk=school_id).first()
    if school is None:
        raise Http404(_("No such school in your scope."))
    return school


def _district(scope, district_id: int) -> District:
    if not scope.can_see_district(district_id):
        raise Http404(_("No such district in your scope."))
    district = District.objects.filter(pk=district_id).first()
    if district is None:
        raise Http404(_("No such district in your scope."))
    return district


def _period(request):
    period = periods.from_key(request.GET.get("period"))
    if period is None:
        raise Http404(_("No semester has been set up yet."))
    return period


def _with_period(url: str, period) -> str:
    return f"{url}?{urlencode({'period': period.key})}"


def _period_context(request, period) -> dict:
    return {"period": period, "period_choices": periods.choices(), "period_key": period.key}


@login_required
def index(request):
    """Where each coordinator starts: the city's list, a district's page or a school's scorecard."""
    scope = _scope(request)
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    if scope.city or len(scope.district_ids) > 1:
        return redirect(reverse("evaluation:schools") + query)
    if len(scope.district_ids) == 1 and not scope.school_ids:
        return redirect(reverse("evaluation:district", args=[next(iter(scope.district_ids))]) + query)
    if len(scope.school_ids) == 1 and not scope.district_ids:
        return redirect(reverse("evaluation:school", args=[next(iter(scope.school_ids))]) + query)
    return redirect(reverse("evaluation:schools") + query)


@login_required
def school(request, school_id: int):
    scope = _scope(request)
    found = _school(scope, school_id)
    period = _period(request)
    [card] = compute([found.pk], period)
    context = {
        "school": found,
        "card": card,
        "groups": card.groups(),
        "pdf_url": _with_period(reverse("evaluation:school_pdf", args=[found.pk]), period),
        "district_url": _with_period(reverse("evaluation:district", args=[found.district_id]), period)
        if scope.can_see_district(found.district_id)
        else "",
        "list_url": reverse("evaluation:schools")
        if (scope.city or scope.district_ids or len(scope.school_ids) > 1)
        else "",
        "verdicts": Verdict,
        **_period_context(request, period),
    }
    return render(request, "evaluation/school.html", context)


def overall(counts: dict) -> tuple[str, str]:
    """The school's verdict in a few words (label, badge): what a reader of the list looks for."""
    if counts[Verdict.NOT_MET]:
        return ngettext("%(n)s indicator not met", "%(n)s indicators not met", counts[Verdict.NOT_MET]) % {
            "n": counts[Verdict.NOT_MET]
        }, Verdict.BADGES[Verdict.NOT_MET]
    if counts[Verdict.PENDING]:
        return ngettext("None failed, %(n)s in progress", "None failed, %(n)s in progress", counts[Verdict.PENDING]) % {
            "n": counts[Verdict.PENDING]
        }, Verdict.BADGES[Verdict.PENDING]
    return _("Every indicator met"), Verdict.BADGES[Verdict.MET]


def _summary_rows(cards, period, *, show_district: bool = False) -> SafeString:
    """The summary table's rows, written out in Python (`summary_html`)."""
    labels = {v: str(label) for v, label in Verdict.LABELS.items()}  # translated once, not per cell
    rows = [
        {
            "card": card,
            "url": _with_period(reverse("evaluation:school", args=[card.school_id]), period),
            "overall": overall(card.counts),
            "counts": [(v, labels[v], Verdict.BADGES[v], card.counts[v]) for v in Verdict.ORDER],
        }
        for card in cards
    ]
    return summary_html.summary_rows(rows, show_district=show_district, flagged_label=_("flagged"))


@login_required
def district(request, district_id: int):
    scope = _scope(request)
    found = _district(scope, district_id)
    period = _period(request)
    cards = compute(scope.schools().filter(district=found, is_active=True), period)
    totals = {v: sum(c.counts[v] for c in cards) for v in Verdict.ORDER}
    context = {
        "district": found,
        "summary_rows": _summary_rows(cards, period),
        "school_count": len(cards),
        "verdict_order": [(v, Verdict.LABELS[v], Verdict.BADGES[v], totals[v]) for v in Verdict.ORDER],
        "all_met": sum(1 for c in cards if c.counts[Verdict.NOT_MET] == 0),
        "xlsx_url": _with_period(reverse("evaluation:district_xlsx", args=[found.pk]), period),
        "list_url": reverse("evaluation:schools") if scope.city or len(scope.district_ids) > 1 else "",
        **_period_context(request, period),
    }
    return render(request, "evaluation/district.html", context)


@login_required
def schools(request):
    """Every school in scope, 50 a page, filterable by district: each with its verdict counts."""
    scope = _scope(request)
    period = _period(request)
    districts = list(scope.districts().order_by("sort_order", "code").only("id", "name"))
    qs = scope.schools().filter(is_active=True)
    raw = request.GET.get("district") or ""
    chosen = None
    if raw:
        if not raw.isdigit():
            raise Http404(_("No such district in your scope."))
        chosen = _district(scope, int(raw)).pk
        qs = qs.filter(district_id=chosen)
    name = (request.GET.get("q") or "").strip()[:40]
    if name:
        qs = qs.filter(name__contains=name)
    paginator = Paginator(qs.order_by("code", "pk").values_list("pk", flat=True), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    cards = compute(list(page.object_list), period) if page.object_list else []
    base = {"period": period.key, "district": chosen or "", "q": name}
    query = urlencode({k: v for k, v in base.items() if v})
    context = {
        "summary_rows": _summary_rows(cards, period, show_district=True),
        "page": page,
        "query": query,
        "districts": districts,
        "chosen_district": chosen,
        "q": name,
        "verdict_order": [(v, Verdict.LABELS[v], Verdict.BADGES[v], None) for v in Verdict.ORDER],
        **_period_context(request, period),
    }
    return render(request, "evaluation/schools.html", context)


# --- exports -------------------------------------------------------------------------------------
def _record(request, *, kind: str, period, school=None, district=None, rows: int = 0) -> None:
    audit.record(
        actor=request.user,
        action=EXPORT,
        school=school,
        district=district,
        summary=_("Exported the scorecard of %(what)s (%(period)s, %(kind)s)")
        % {"what": (school or district).name, "period": period, "kind": kind},
        after={"format": kind, "period": period.key, "rows": rows},
    )


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    ext = filename.rsplit(".", 1)[-1]
    response["Content-Disposition"] = f"attachment; filename=\"scorecard.{ext}\"; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def school_pdf(request, school_id: int):
    scope = _scope(request)
    found = _school(scope, school_id)
    period = _period(request)
    [card] = compute([found.pk], period)
    data = exports.scorecard_pdf(card, base_url=request.build_absolute_uri("/")[:-1])
    _record(request, kind="pdf", period=period, school=found, rows=len(card.rows))
    response = HttpResponse(data, content_type="application/pdf")
    return _attachment(response, f"{found.name}-达标评估-{period}.pdf")


@login_required
def district_xlsx(request, district_id: int):
    scope = _scope(request)
    found = _district(scope, district_id)
    period = _period(request)
    cards = compute(scope.schools().filter(district=found, is_active=True), period)
    buffer = io.BytesIO()
    exports.district_xlsx(buffer, found, period, cards, base_url=request.build_absolute_uri("/")[:-1])
    _record(request, kind="xlsx", period=period, district=found, rows=len(cards))
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return _attachment(response, f"{found.name}-达标评估-{period}.xlsx")
