"""Schools report the campaign activities they held (coordinators, within their scope)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.scope import scope_for

from . import services
from .forms import CampaignActivityForm
from .models import CampaignActivity


def _scope(request):
    scope = scope_for(request.user)
    if not scope.is_coordinator:
        raise PermissionDenied(_("Only training coordinators can report campaign activities."))
    return scope


@login_required
def activities(request):
    scope = _scope(request)
    form = CampaignActivityForm(request.POST or None, request.FILES or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        activity, created = services.record_activity(actor=request.user, form=form)
        if created:
            messages.success(request, _("Campaign activity reported."))
        else:
            messages.info(request, _("This activity was already reported; it was not counted twice."))
        return redirect("campaigns:activities")
    rows = (
        CampaignActivity.objects.filter(school__in=scope.schools())
        .select_related("school", "campaign")
        .prefetch_related("classes")[:100]
    )
    return render(request, "campaigns/activities.html", {"form": form, "activities": rows})


@login_required
def activity_photo(request, pk):
    scope = _scope(request)
    activity = get_object_or_404(CampaignActivity, pk=pk)
    if not scope.can_see_school(activity.school_id) or not activity.photo:
        raise Http404
    response = FileResponse(activity.photo.open("rb"))
    response["Cache-Control"] = "private, no-store"
    return response
