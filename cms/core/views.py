import logging
import sys

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.http import urlencode
from django.views import defaults
from django.views.decorators.cache import never_cache

from accounts.models import ParentProfile, TeacherProfile, TrainingYear
from accounts.roles import is_editor
from accounts.scope import scope_for
from courses.parent_school import compulsory_by_stage

from .start import coordinator_todos, teacher_start


@never_cache
def to_site_login(request):
    """Wagtail's admin and private-page logins answer with the site's one login (allauth), so
    two-factor and rate limits apply whatever door is used; a posted password is not read."""
    url = reverse("account_login")
    next_url = request.GET.get("next")
    if next_url:
        url += "?" + urlencode({"next": next_url})
    return HttpResponseRedirect(url)


def to_password_reset(request):
    return HttpResponseRedirect(reverse("account_reset_password"))


logger = logging.getLogger(__name__)

# The database could not be reached (refused, gone, restarting); anything else is our own error (500).
DATABASE_DOWN = (OperationalError, InterfaceError)


@never_cache
def healthz(request):
    """Liveness for the load balancer: the process answers and the database does too."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DATABASE_DOWN:
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def server_error(request, template_name="500.html"):
    """handler500: a database that does not answer gets the 503 page (retry later), never a traceback;
    other errors get the designed 500 page. Both are plain templates that need no database."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return database_unavailable(request)
    return defaults.server_error(request, template_name)


def database_unavailable(request):
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = "60"
    return response


@login_required
def start(request):
    """我的首页, where login lands: continue learning and hours (teachers), to-dos (coordinators),
    the children's stages (parents), the admin (editors). A person with several roles sees each part."""
    user = request.user
    year = TrainingYear.current()
    teacher = TeacherProfile.objects.filter(user=user, is_active=True).select_related("school").first()
    parent = ParentProfile.objects.filter(user=user).first()
    scope = scope_for(user)
    context = {
        "year": year,
        "teacher_start": teacher_start(teacher, year) if teacher else None,
        "parent": parent,
        "parent_courses": compulsory_by_stage(user, parent.age_stages) if parent else [],
        "todos": coordinator_todos(scope, year) if scope.is_coordinator else None,
        "scope": scope,
        "editor": is_editor(user),
    }
    return render(request, "core/start.html", context)
