from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from accounts.models import ParentProfile, TeacherProfile, TrainingYear
from accounts.roles import is_editor
from accounts.scope import scope_for
from courses.parent_school import compulsory_by_stage

from .start import coordinator_todos, teacher_start


@never_cache
def healthz(request):
    """Liveness for the load balancer: the process answers and the database does too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


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
