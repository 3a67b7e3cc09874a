"""Offline sessions: create, attendance import (preview → confirm), QR sign-in."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import audit, once
from accounts.scope import scope_for
from cms.core.queue import QUEUE_DOWN, enqueue

from .. import importers, workflows
from ..forms import SessionForm, UploadForm
from ..models import Attendance, ExternalClaim, ImportBatch, OfflineSession
from ..tasks import parse_attendance_import
from .common import coordinator_scope


def _managed_session(request, pk):
    scope = coordinator_scope(request)
    session = get_object_or_404(
        OfflineSession.managed_by(scope).select_related("school", "district", "training_year"), pk=pk
    )
    return scope, session


@login_required
def manage_index(request):
    scope = coordinator_scope(request)
    pending = ExternalClaim.objects.filter(
        scope.school_filter("teacher__school"), status=ExternalClaim.Status.PENDING
    ).count()
    sessions = OfflineSession.managed_by(scope).select_related("school", "district")[:5]
    return render(
        request, "tracking/ledger/manage_index.html", {"scope": scope, "pending": pending, "sessions": sessions}
    )


@login_required
def session_list(request):
    scope = coordinator_scope(request)
    sessions = (
        OfflineSession.managed_by(scope)
        .select_related("school", "district")
        .annotate(n_attendance=Count("attendances"))
    )
    return render(request, "tracking/ledger/session_list.html", {"sessions": sessions, "scope": scope})


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request):
    scope = coordinator_scope(request)
    initial = {}
    if request.GET.get("kind") == OfflineSession.Kind.RESEARCH:
        # From the district duties page: a research activity is district-wide (its own district when there is one).
        initial = {"kind": OfflineSession.Kind.RESEARCH, "audience": OfflineSession.Audience.DISTRICT}
        if len(scope.district_ids) == 1:
            initial["district"] = next(iter(scope.district_ids))
    form = SessionForm(request.POST or None, scope=scope, initial=initial)
    if request.method == "POST" and form.is_valid():
        # Back + 创建 again: the same page (its token) or the same session re-entered is not a second one.
        same = OfflineSession.objects.filter(
            created_by=request.user,
            title=form.cleaned_data["title"],
            starts_at=form.cleaned_data["starts_at"],
            school=form.cleaned_data.get("school"),
            district=form.cleaned_data.get("district"),
        ).first()
        if same is not None or not once.first_use(request.user, form):
            messages.info(request, once.ALREADY_SAVED)
            return (
                once.see_other("ledger:session_detail", pk=same.pk) if same else once.see_other("ledger:session_list")
            )
        session = form.save(commit=False)
        session.created_by = request.user
        session.save()
        audit.record(
            actor=request.user,
            action="session.create",
            obj=session,
            school=session.school_id,
            district=session.district_id,
            summary=_("Created the session %(title)s") % {"title": session.title},
            after={"hours": session.hours, "audience": session.audience},
        )
        messages.success(request, _("The session has been created."))
        return once.see_other("ledger:session_detail", pk=session.pk)
    return render(request, "tracking/ledger/session_form.html", {"form": form})


@login_required
def session_detail(request, pk):
    _scope, session = _managed_session(request, pk)
    attendances = session.attendances.select_related("teacher__user", "teacher__school").order_by(
        "teacher__school__code", "teacher__staff_number"
    )
    opens, closes = workflows.checkin_window(session)
    now = timezone.now()
    return render(
        request,
        "tracking/ledger/session_detail.html",
        {
            "session": session,
            "attendances": attendances,
            "batches": session.import_batches.select_related("uploaded_by")[:10],
            "checkin_url": request.build_absolute_uri(
                reverse("ledger:checkin", args=[workflows.checkin_token(session)])
            ),
            "checkin_opens": opens,
            "checkin_closes": closes,
            "checkin_open_now": opens <= now <= closes,
            "upload_form": UploadForm(),
        },
    )


@login_required
def session_qr(request, pk):
    """The QR code (PNG) for the signed sign-in URL; only for coordinators of the session."""
    import qrcode

    _scope, session = _managed_session(request, pk)
    url = request.build_absolute_uri(reverse("ledger:checkin", args=[workflows.checkin_token(session)]))
    image = qrcode.make(url, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    response = HttpResponse(out.getvalue(), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def session_template(request, pk):
    """The blank import template, or (?staff=1, school and district sessions) the sign-in sheet
    pre-filled with the staff in the session's audience and the coordinator's scope."""
    scope, session = _managed_session(request, pk)
    staff = None
    if request.GET.get("staff") and (session.school_id or session.district_id):
        teachers = scope.teachers().filter(is_active=True, user__is_active=True)
        if session.school_id:
            teachers = teachers.filter(school_id=session.school_id)
        else:
            teachers = teachers.filter(school__district_id=session.district_id)
        staff = teachers.select_related("user", "school").order_by("school__code", "staff_number")
    response = HttpResponse(
        importers.build_template(session, staff=staff),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    kind = "sign-in-sheet" if staff is not None else "attendance-template"
    response["Content-Disposition"] = f'attachment; filename="{kind}-{session.pk}.xlsx"'
    return response


@login_required
def session_projector(request, pk):
    """The QR code full screen, for the projector: title, time window, nothing else."""
    _scope, session = _managed_session(request, pk)
    opens, closes = workflows.checkin_window(session)
    return render(
        request,
        "tracking/ledger/session_projector.html",
        {"session": session, "checkin_opens": opens, "checkin_closes": closes},
    )


@login_required
@require_POST
def session_import(request, pk):
    scope, session = _managed_session(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return redirect("ledger:session_detail", pk=session.pk)
    upload = form.cleaned_data["file"]
    data = upload.read()
    if len(data) > settings.LEDGER_IMPORT_ASYNC_BYTES:
        # Big files are read by a worker (eager under `make run`); the preview page shows the progress.
        batch = importers.queue_import(data=data, filename=upload.name, session=session, user=request.user)
        if not enqueue(parse_attendance_import, batch.pk):  # Redis down: say so, keep nothing half-started
            batch.delete()
            messages.error(request, QUEUE_DOWN)
            return redirect("ledger:session_detail", pk=session.pk)
        batch.refresh_from_db()
        if batch.state == ImportBatch.State.FAILED:  # already refused (eager run): same answer as a small file
            messages.error(request, batch.error)
            batch.delete()
            return redirect("ledger:session_detail", pk=session.pk)
        return redirect("ledger:import_preview", pk=batch.pk)
    try:
        batch = importers.preview_import(
            data=data, filename=upload.name, session=session, scope=scope, user=request.user
        )
    except importers.ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("ledger:session_detail", pk=session.pk)
    return redirect("ledger:import_preview", pk=batch.pk)


def _managed_batch(request, pk) -> ImportBatch:
    scope = coordinator_scope(request)
    return get_object_or_404(
        ImportBatch.objects.select_related("session").filter(session__in=OfflineSession.managed_by(scope)), pk=pk
    )


@login_required
def import_progress(request, pk):
    """The preview page's progress bar polls this while a big file is being read."""
    batch = _managed_batch(request, pk)
    return JsonResponse({"state": batch.state, "progress": batch.progress, "error": batch.error})


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request, pk):
    batch = _managed_batch(request, pk)
    if request.method == "POST":
        try:
            added = importers.confirm_import(batch, request.user)
        except importers.AlreadyConfirmed:
            messages.warning(request, _("This import has already been confirmed; nothing was added."))
        except importers.NotReady:
            messages.error(request, _("This file has not been read successfully; nothing was added."))
        except IntegrityError:
            # Another sheet or sign-in for the same teachers won a race; nothing was written.
            messages.error(request, _("Attendance changed while confirming; nothing was added. Upload the file again."))
        else:
            messages.success(request, _("%(n)s attendances imported.") % {"n": added})
        return redirect("ledger:session_detail", pk=batch.session_id)
    counts = batch.counts()
    show = request.GET.get("show", "")
    rows = [r for r in batch.rows if not show or r["status"] == show]
    return render(
        request,
        "tracking/ledger/import_preview.html",
        {"batch": batch, "session": batch.session, "counts": counts, "rows": rows[:2000], "total": len(rows)},
    )


@login_required
def checkin(request, token):
    """The QR code's target: a logged-in teacher records attendance once."""
    session_id = workflows.session_from_token(token)
    if session_id is None:
        raise Http404
    session = get_object_or_404(OfflineSession.objects.select_related("training_year"), pk=session_id)
    scope = scope_for(request.user)
    teacher = scope.teacher_profile
    error, created = None, False
    if request.method == "POST":
        try:
            _attendance, created = workflows.check_in(session, teacher, request.user)
        except workflows.WorkflowError as exc:
            error = str(exc)
        else:
            if created:
                messages.success(request, _("Signed in: %(hours)s hours recorded.") % {"hours": session.hours})
            else:
                messages.info(request, _("You had already signed in to this session."))
            return redirect(request.path)
    already = teacher is not None and Attendance.objects.filter(session=session, teacher=teacher).exists()
    return render(
        request,
        "tracking/ledger/checkin.html",
        {"session": session, "teacher": teacher, "error": error, "already": already},
    )
