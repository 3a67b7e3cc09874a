"""我的个人数据: a person downloads what is stored about them and asks for its deletion (PIPL).

Only ever about the logged-in user: no id in any of these URLs. The deletion request is an
event on the audit trail (`privacy.deletion_requested`); a system administrator carries it out
with `manage.py forget_user USERNAME` (cms/core/personal_data.py says what is kept).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import audit
from accounts.models import AuditEvent

from .personal_data import collect

REQUESTED = "privacy.deletion_requested"


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    from urllib.parse import quote

    ext = filename.rsplit(".", 1)[-1]
    response["Content-Disposition"] = f"attachment; filename=\"my-data.{ext}\"; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def my_data(request):
    requested = AuditEvent.objects.filter(actor=request.user, action=REQUESTED).order_by("-created_at").first()
    return render(request, "core/my_data.html", {"requested": requested})


@login_required
def my_data_json(request):
    data = collect(request.user)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    stamp = timezone.localdate().isoformat()
    return _attachment(HttpResponse(body, content_type="application/json; charset=utf-8"), f"我的个人数据-{stamp}.json")


@login_required
def my_data_html(request):
    """The same data as one self-contained page (no script, styles inline in a <style> element of
    the downloaded file only: it is opened from disk, not served under our policy)."""
    data = collect(request.user)
    body = render_to_string("core/my_data_download.html", {"data": data, "person": request.user})
    stamp = timezone.localdate().isoformat()
    return _attachment(HttpResponse(body, content_type="text/html; charset=utf-8"), f"我的个人数据-{stamp}.html")


@login_required
@require_POST
def request_deletion(request):
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that you want your personal data deleted."))
        return redirect("my_data")
    if not AuditEvent.objects.filter(actor=request.user, action=REQUESTED).exists():
        audit.record(actor=request.user, action=REQUESTED, obj=request.user)
    messages.success(
        request,
        _(
            "Your request has been recorded. A system administrator will delete your personal data; "
            "training hours and records the programme must keep stay, without your name."
        ),
    )
    return redirect("my_data")
