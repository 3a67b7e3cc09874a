"""我的研修: a teacher's year at a glance — hours and sessions against the target, courses,
certificates and the ledger entries behind the total."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.models import TeacherProfile, TrainingYear
from courses.models import Certificate, Enrolment

from ..models import LedgerEntry
from ..services import teacher_status


@login_required
def dashboard(request):
    teacher = TeacherProfile.objects.filter(user=request.user, is_active=True).select_related("school").first()
    year = TrainingYear.current()
    context = {"teacher": teacher, "year": year}
    enrolments = Enrolment.objects.filter(user=request.user).select_related("course", "certificate")
    context["in_progress"] = [e for e in enrolments if e.completed_at is None]
    context["completed"] = [e for e in enrolments if e.completed_at is not None]
    context["certificates"] = Certificate.objects.filter(enrolment__user=request.user, revoked=False)
    if teacher is not None and year is not None:
        status = teacher_status(teacher, year)
        context["status"] = status
        context["entries"] = LedgerEntry.objects.filter(teacher=teacher, training_year=year).select_related(
            "recorded_by"
        )
    return render(request, "tracking/ledger/dashboard.html", context)
