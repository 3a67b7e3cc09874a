"""Report pages, chart data and exports. Every view asks `scope_for(user)` first:
non-coordinators get 403, ids outside the scope 404 (in `ReportContext.from_params`)."""

from __future__ import annotations

import datetime
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.membership import school_in_year
from accounts.models import TeacherProfile, TrainingYear
from accounts.scope import scope_for_cached
from cms.core.queue import QUEUE_DOWN, enqueue

from ..ledger.models import LedgerEntry
from ..ledger.services import teacher_status
from . import REPORTS
from .base import ReportContext
from .exports import export_filename, export_rows, record_export, write_csv, write_xlsx
from .models import ExportJob
from .table_html import table_body
from .tasks import build_report_export

SIGNER_SALT = "tracking.reports.export-download"


def coordinator_scope(request):
    scope = scope_for_cached(request.user)
    if not scope.is_coordinator:
        raise PermissionDenied(_("Only training coordinators can open management reports."))
    return scope


def get_report(key: str):
    report = REPORTS.get(key)
    if report is None:
        raise Http404(_("No such report."))
    return report


@login_required
def index(request):
    scope = coordinator_scope(request)
    return render(
        request,
        "tracking/reports/index.html",
        {"reports": REPORTS.values(), "scope": scope, "overview_url": reverse("manage:index")},
    )


@login_required
def report_page(request, key: str):
    scope = coordinator_scope(request)
    report = get_report(key)
    ctx = ReportContext.from_request(request, scope)
    table = report.build(ctx)
    for name in [n for n in ctx.form.fields if n not in report.filter_fields]:
        del ctx.form.fields[name]  # each report shows only the filters that change it
    body, totals, has_details = table_body(table)
    return render(
        request,
        "tracking/reports/report.html",
        {
            "report": report,
            "ctx": ctx,
            "form": ctx.form,
            "table": table,
            "table_body": body,
            "table_totals": totals,
            "has_details": has_details,
            "distribution": report.status_distribution(ctx, table),
            "breadcrumbs": ctx.breadcrumbs(report.url_name),
            "filters_text": ctx.describe_filters(report.filter_fields),
            "chart_url": ctx.url(report.chart_url_name),
            "export_xlsx": _export_url(report, ctx, "xlsx"),
            "export_csv": _export_url(report, ctx, "csv"),
            "export_teachers": _export_url(report, ctx, "xlsx", detail="teachers")
            if hasattr(report, "teacher_queryset") and ctx.level != "school"
            else "",
        },
    )


def _export_url(report, ctx, fmt_: str, **changes) -> str:
    query = ctx.query(format=fmt_, **changes)
    return reverse("reports:export", args=[report.key]) + f"?{query}"


@login_required
def chart_data(request, key: str):
    """JSON for the charts: the same table the page shows, as series."""
    scope = coordinator_scope(request)
    report = get_report(key)
    ctx = ReportContext.from_request(request, scope)
    table = report.build(ctx)
    data = {"report": report.key, "level": ctx.level, "distribution": report.status_distribution(ctx, table)}
    if key == "completion" and ctx.level != "school" and ctx.detail != "teachers":
        data["bar"] = {
            "categories": [r["name"] for r in table.rows],
            "series": [
                {"key": k, "name": str(c.label), "data": [r[k] for r in table.rows]}
                for c in table.columns
                for k in [c.key]
                if k in ("met", "in_progress", "not_met")
            ],
            "rates": [float(r["rate"]) if r["rate"] is not None else None for r in table.rows],
        }
    elif hasattr(report, "chart_bar"):
        bar = report.chart_bar(ctx, table)
        if bar:
            data["bar"] = bar
    elif key == "staffing" and ctx.level == "city":
        data["bar"] = {
            "categories": [r["name"] for r in table.rows],
            "series": [
                {"key": "compliant", "name": _("Compliant schools"), "data": [r["compliant"] for r in table.rows]}
            ],
            "rates": [float(r["rate"]) if r["rate"] is not None else None for r in table.rows],
        }
    return JsonResponse(data)


@login_required
def export(request, key: str):
    """Small exports download at once; above the threshold a Celery job is queued."""
    scope = coordinator_scope(request)
    report = get_report(key)
    ctx = ReportContext.from_request(request, scope)
    fmt_ = request.GET.get("format", "xlsx")
    if fmt_ not in ExportJob.Format.values:
        raise Http404(_("Unknown export format."))
    columns, rows, totals, count = export_rows(report, ctx, streaming=True)
    if count > settings.REPORT_EXPORT_ASYNC_THRESHOLD:
        keep = ("year", "term", "district", "school", "category", "status", "detail")
        params = {k: v for k, v in request.GET.items() if k in keep}
        # A repeated click (or a replayed request) joins the job already under way.
        recent = timezone.now() - datetime.timedelta(minutes=10)
        same = ExportJob.objects.filter(
            user=request.user,
            report=report.key,
            params=params,
            format=fmt_,
            state__in=[ExportJob.State.PENDING, ExportJob.State.RUNNING],
            created_at__gte=recent,
        ).first()
        if same is not None:
            return redirect("reports:export_job", job_id=same.pk)
        job = ExportJob.objects.create(
            user=request.user, report=report.key, params=params, format=fmt_, rows_total=count
        )
        if not enqueue(build_report_export, str(job.pk)):  # Redis down: say so, keep no dead job
            job.delete()
            messages.error(request, QUEUE_DOWN)
            return redirect(f"reports:{report.key}")
        record_export(request.user, report, ctx, fmt_, count, job_id=str(job.pk))
        return redirect("reports:export_job", job_id=job.pk)
    filename = export_filename(report, ctx, fmt_)
    record_export(request.user, report, ctx, fmt_, count)
    if fmt_ == "csv":
        buffer = io.StringIO()
        write_csv(buffer, report, ctx, columns, rows, totals)
        response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    else:
        buffer = io.BytesIO()
        write_xlsx(buffer, report, ctx, columns, rows, totals)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = _disposition(filename)
    return response


def _disposition(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"export.{filename.rsplit('.', 1)[-1]}\"; filename*=UTF-8''{quote(filename)}"


def _own_job(request, job_id) -> ExportJob:
    """Only the requester ever sees a job; any other id (or user) is a 404."""
    return get_object_or_404(ExportJob, pk=job_id, user=request.user)


@login_required
def export_job(request, job_id):
    coordinator_scope(request)
    job = _own_job(request, job_id)
    return render(request, "tracking/reports/export_job.html", {"job": job, "report": REPORTS.get(job.report)})


def download_token(job: ExportJob) -> str:
    return signing.TimestampSigner(salt=SIGNER_SALT).sign(f"{job.pk}:{job.user_id}")


@login_required
def export_progress(request, job_id):
    coordinator_scope(request)
    job = _own_job(request, job_id)
    data = {"state": job.state, "percent": job.percent, "rows_done": job.rows_done, "rows_total": job.rows_total}
    if job.state == ExportJob.State.DONE:
        data["download_url"] = reverse("reports:export_download", args=[job.pk]) + f"?token={download_token(job)}"
    if job.state == ExportJob.State.FAILED:
        data["error"] = _("The export failed. Please try again or narrow the filters.")
    return JsonResponse(data)


@login_required
def export_download(request, job_id):
    """A signed, time-limited link, valid only for the user who asked for the export."""
    coordinator_scope(request)
    job = _own_job(request, job_id)
    token = request.GET.get("token", "")
    try:
        value = signing.TimestampSigner(salt=SIGNER_SALT).unsign(token, max_age=settings.REPORT_EXPORT_LINK_MAX_AGE)
    except signing.SignatureExpired:
        return render(
            request,
            "tracking/reports/export_job.html",
            {"job": job, "expired": True, "report": REPORTS.get(job.report)},
            status=410,
        )
    except signing.BadSignature as exc:
        raise Http404(_("This download link is not valid.")) from exc
    if value != f"{job.pk}:{request.user.pk}" or job.state != ExportJob.State.DONE or not job.file:
        raise Http404(_("This download link is not valid."))
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)


@login_required
def teacher_detail(request, teacher_id: int):
    """One teacher's ledger for a coordinator (read-only): in scope now, or in scope in the
    chosen training year (the old school still reads the year a teacher spent there)."""
    scope = coordinator_scope(request)
    year_id = request.GET.get("year") or ""
    year = TrainingYear.objects.filter(pk=year_id).first() if year_id.isdigit() else None
    year = year or TrainingYear.current() or TrainingYear.objects.first()
    if year is None:
        raise Http404(_("No training year has been set up yet."))
    if not (
        scope.teachers().filter(pk=teacher_id).exists() or scope.teachers_in_year(year).filter(pk=teacher_id).exists()
    ):
        raise Http404(_("No such teacher in your scope."))
    teacher = get_object_or_404(TeacherProfile.objects.select_related("user", "school__district"), pk=teacher_id)
    status = teacher_status(teacher, year)
    entries = LedgerEntry.objects.filter(teacher=teacher, training_year=year).order_by("-activity_date", "-id")
    # Hours by the school they were earned at: a teacher who moved during the year counts once,
    # under the school the year ends with, and this table shows where each part was earned.
    by_school = list(
        entries.order_by().values("school_id", "school__name").annotate(hours=Sum("hours")).order_by("school__name")
    )
    return render(
        request,
        "tracking/reports/teacher.html",
        {
            "teacher": teacher,
            "status": status,
            "entries": entries.select_related("school"),
            "year": year,
            "years": TrainingYear.objects.all(),
            "year_school": school_in_year(teacher, year),
            "by_school": by_school,
        },
    )
