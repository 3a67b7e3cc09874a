"""Downloads (login, permission, one log row each) and "my downloads"."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import services
from .models import ResourceAttachment


@require_GET
@login_required
def download(request, resource_id: int, attachment_id: int):
    attachment = get_object_or_404(
        ResourceAttachment.objects.select_related("document", "page"), pk=attachment_id, page_id=resource_id
    )
    if not services.is_visible(attachment.page):
        raise Http404
    if not services.can_download(request.user):
        raise PermissionDenied(_("Only teachers and coordinators may download library files."))
    document = attachment.document
    try:
        handle = document.file.open("rb")
    except OSError:
        raise Http404
    services.record_download(request.user, attachment)
    return FileResponse(handle, as_attachment=True, filename=document.filename)


@require_GET
@login_required
def my_downloads(request):
    resources = services.my_downloads(request.user).prefetch_related("attachments")
    return render(
        request,
        "resources/my_downloads.html",
        {"resources": resources[:200], "can_download": services.can_download(request.user)},
    )
