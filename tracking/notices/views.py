"""My notices (teachers and coordinators): reminders and digests addressed to the signed-in user."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .models import Notification


@login_required
def notices(request):
    items = Notification.objects.filter(user=request.user)[:100]
    return render(request, "tracking/notices/list.html", {"notices": items})


@login_required
@require_POST
def notices_mark_read(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notices:list")
