"""Learner actions (enrol, finish a lesson, submit a quiz), coordinator assignment and
enrolment lists, certificate files and the public verification page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scope import scope_for

from . import services
from .certificates import render_pdf, render_png
from .forms import AssignForm, GrantAttemptsForm
from .models import Certificate, CoursePage, Enrolment, LessonPage, Quiz, QuizAttempt, QuizAttemptGrant


def completion_message(course: CoursePage) -> str:
    if course.for_parents_only:
        return _("Course completed. Well done!")
    return _("Course completed: %(hours)s hours credited.") % {"hours": course.credit_hours}


def _course_or_404(course_id: int) -> CoursePage:
    return get_object_or_404(CoursePage.objects.live(), pk=course_id)


@login_required
@require_POST
def enrol(request, course_id: int):
    course = _course_or_404(course_id)
    try:
        enrolment, created = services.enrol(request.user, course)
    except services.Refused as refusal:
        messages.error(request, str(refusal))
        return redirect(course.url)
    if created:
        messages.success(request, _("You are enrolled. Start with the first lesson."))
    first = course.lessons().first()
    return redirect(first.url if first else course.url)


@login_required
@require_POST
def finish_lesson(request, lesson_id: int):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    course = CoursePage.objects.get(pk=lesson.get_parent().pk)
    enrolment = Enrolment.objects.filter(user=request.user, course=course).first()
    if enrolment is None:
        messages.error(request, _("Enrol in the course first."))
        return redirect(course.url)
    try:
        completed = services.finish_lesson(enrolment, lesson)
    except services.Refused as refusal:
        messages.error(request, str(refusal))
        return redirect(lesson.url)
    if completed:
        messages.success(request, completion_message(course))
        return redirect(course.url)
    following = course.lessons().filter(path__gt=lesson.path).first()
    return redirect(following.url if following else course.url)


@login_required
@require_POST
def lesson_progress(request, lesson_id: int):
    """A progress event posted by the lesson page while it is visible (open / beat / pause): the
    lesson's facts from the cache, then the learner's own rows (services.progress_event)."""
    facts = services.study_facts(lesson_id)
    if facts is None:
        raise Http404
    try:
        watched = float(request.POST["video_watched"]) if request.POST.get("video_watched") else None
    except ValueError:
        watched = None
    try:
        report = services.progress_event(request.user.pk, facts, request.POST.get("event", ""), watched)
    except services.Refused as refusal:
        return JsonResponse({"error": str(refusal)}, status=400)
    if report is None:
        raise Http404  # not enrolled in the lesson's course
    return JsonResponse(report.as_json())


@login_required
@require_POST
def submit_quiz(request):
    try:
        result = services.submit_quiz(request.user, request.POST.get("token", ""), request.POST)
    except services.Refused as refusal:
        messages.error(request, str(refusal))
        return redirect(_safe_next(request) or "/")
    attempt = result.attempt
    if result.replay:
        messages.warning(request, _("This answer sheet was already submitted; it was not counted again."))
    elif attempt.passed:
        messages.success(request, _("Quiz passed with %(score)s%%.") % {"score": attempt.score})
        if not result.lesson_done:
            messages.info(
                request,
                _("The lesson finishes by itself once its study time is reached; keep it open to continue."),
            )
    else:
        messages.error(
            request,
            _("Score %(score)s%%: below the pass mark of %(mark)s%%. The questions you got wrong are marked below.")
            % {"score": attempt.score, "mark": attempt.quiz.pass_mark},
        )
    if result.completed_course:
        course = CoursePage.objects.get(pk=attempt.enrolment.course_id)
        messages.success(request, completion_message(course))
        return redirect(course.url)
    return redirect(attempt.lesson.url + "#quiz")


def _safe_next(request) -> str | None:
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False):
        return url
    return None


# --- coordinators ----------------------------------------------------------------------------


def _coordinator_scope(request):
    scope = scope_for(request.user)
    if not scope.is_coordinator:
        raise Http404
    return scope


@login_required
def assign(request, course_id: int):
    scope = _coordinator_scope(request)
    course = _course_or_404(course_id)
    form = AssignForm(request.POST if request.method == "POST" else None, scope=scope)
    if request.method == "POST":
        if not form.is_valid():
            # A school or district id outside the scope is not a choice: treat it as not found.
            if {"school", "district"} & set(form.errors):
                raise Http404
        else:
            try:
                created, skipped = services.bulk_assign(course, form.teachers(), request.user)
            except services.Refused as refusal:
                messages.error(request, str(refusal))
                return redirect(course.url)
            messages.success(
                request,
                _("%(created)s teachers enrolled; %(skipped)s skipped (already enrolled or not in the audience).")
                % {"created": created, "skipped": skipped},
            )
            return redirect("courses:enrolments", course_id=course.pk)
    return render(request, "courses/assign.html", {"course": course, "form": form})


@login_required
def not_started(request):
    """未报名 / 未开始: per compulsory teacher course, the teachers of the scope in its audience who
    are not enrolled or have not started, with a one-click assignment (the assign view, no filter:
    the whole scope, skipping who is enrolled or outside the audience). A few queries per course;
    compulsory courses are a handful."""
    scope = _coordinator_scope(request)
    courses = CoursePage.objects.live().filter(compulsory=True).exclude(teacher_categories="").order_by("title")
    chosen_id = request.GET.get("course", "")
    rows, chosen = [], None
    for course in courses:
        teachers = scope.teachers().filter(is_active=True, category__in=course.teacher_categories)
        enrolled = Enrolment.objects.filter(course=course, teacher__in=teachers)
        row = {
            "course": course,
            "total": teachers.count(),
            "not_enrolled": teachers.exclude(user__enrolments__course=course).count(),
            "not_started": enrolled.filter(progress_percent=0, completed_at__isnull=True).count(),
        }
        rows.append(row)
        if str(course.pk) == chosen_id:
            chosen = row
            row["missing"] = (
                teachers.exclude(user__enrolments__course=course)
                .select_related("user", "school")
                .order_by("school__code", "staff_number")[:200]
            )
            row["idle"] = (
                enrolled.filter(progress_percent=0, completed_at__isnull=True)
                .select_related("user", "teacher__school")
                .order_by("teacher__school__code", "teacher__staff_number")[:200]
            )
    return render(request, "courses/not_started.html", {"rows": rows, "chosen": chosen})


@login_required
def enrolments(request, course_id: int):
    scope = _coordinator_scope(request)
    course = _course_or_404(course_id)
    rows = (
        Enrolment.objects.filter(course=course)
        .filter(scope.school_filter("teacher__school"))
        .select_related("user", "teacher__school__district", "certificate")
        .order_by("teacher__school__district__sort_order", "teacher__school__code", "teacher__staff_number")
    )
    totals = rows.aggregate(total=Count("id"), completed=Count("id", filter=Q(completed_at__isnull=False)))
    rows = list(rows)
    _mark_locked_out(course, rows)
    return render(request, "courses/enrolments.html", {"course": course, "rows": rows, "totals": totals})


def _course_quizzes(course: CoursePage) -> list[Quiz]:
    ids = [qid for lesson in course.lessons() for qid in lesson.quiz_ids()]
    by_id = Quiz.objects.in_bulk(ids)
    return [by_id[i] for i in dict.fromkeys(ids) if i in by_id]


def _mark_locked_out(course: CoursePage, rows: list[Enrolment]) -> None:
    """Flag the learners who used every attempt of a quiz without passing (three queries in all)."""
    quizzes = {q.pk: q for q in _course_quizzes(course) if q.max_attempts}
    ids = [e.pk for e in rows if e.completed_at is None]
    used = {}
    for enrolment_id, quiz_id, n, passed in (
        QuizAttempt.objects.filter(enrolment_id__in=ids, quiz_id__in=quizzes)
        .values("enrolment_id", "quiz_id")
        .annotate(n=Count("id"), n_passed=Count("id", filter=Q(passed=True)))
        .values_list("enrolment_id", "quiz_id", "n", "n_passed")
    ):
        used[enrolment_id, quiz_id] = (n, passed)
    granted = {
        (e, q): n
        for e, q, n in QuizAttemptGrant.objects.filter(enrolment_id__in=ids, quiz_id__in=quizzes)
        .values("enrolment_id", "quiz_id")
        .annotate(n=Sum("extra_attempts"))
        .values_list("enrolment_id", "quiz_id", "n")
    }
    for enrolment in rows:
        enrolment.locked_out = [
            quiz
            for quiz in quizzes.values()
            if (enrolment.pk, quiz.pk) in used
            and not used[enrolment.pk, quiz.pk][1]
            and used[enrolment.pk, quiz.pk][0] >= quiz.max_attempts + granted.get((enrolment.pk, quiz.pk), 0)
        ]


@login_required
def grant_attempts(request, enrolment_id: int):
    """Extra quiz attempts for one learner in the coordinator's scope (audited, with a reason)."""
    scope = _coordinator_scope(request)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("user", "teacher__school").filter(scope.school_filter("teacher__school")),
        pk=enrolment_id,
    )
    course = _course_or_404(enrolment.course_id)
    quizzes = _course_quizzes(course)
    if not quizzes:
        raise Http404
    form = GrantAttemptsForm(request.POST or None, quizzes=quizzes)
    if request.method == "POST" and form.is_valid():
        quiz = next(q for q in quizzes if q.pk == form.cleaned_data["quiz"])
        try:
            grant = services.grant_attempts(
                request.user, enrolment, quiz, form.cleaned_data["extra_attempts"], form.cleaned_data["reason"]
            )
        except services.Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("%(name)s has %(n)s more attempts at %(quiz)s.")
                % {"name": enrolment.user.display_name, "n": grant.extra_attempts, "quiz": quiz.title},
            )
            return redirect("courses:enrolments", course_id=course.pk)
    states = []
    for quiz in quizzes:
        used = QuizAttempt.objects.filter(enrolment=enrolment, quiz=quiz)
        states.append(
            {
                "quiz": quiz,
                "used": used.count(),
                "passed": used.filter(passed=True).exists(),
                "allowed": services.allowed_attempts(enrolment, quiz),
            }
        )
    grants = QuizAttemptGrant.objects.filter(enrolment=enrolment).select_related("quiz", "granted_by")
    return render(
        request,
        "courses/grant_attempts.html",
        {"course": course, "enrolment": enrolment, "form": form, "states": states, "grants": grants},
    )


# --- certificates ----------------------------------------------------------------------------


def verify_url(request, cert: Certificate) -> str:
    path = reverse("courses:verify", args=[cert.code])
    base = getattr(settings, "CERTIFICATE_VERIFY_BASE_URL", "") or request.build_absolute_uri("/")[:-1]
    return base.rstrip("/") + path


def _certificate_for(request, code: str) -> Certificate:
    cert = get_object_or_404(Certificate.objects.select_related("enrolment__teacher"), code=code.upper())
    enrolment = cert.enrolment
    if enrolment.user_id == request.user.pk:
        return cert
    if enrolment.teacher is not None and scope_for(request.user).can_see_teacher(enrolment.teacher):
        return cert
    raise Http404


@login_required
def certificate_file(request, code: str, fmt: str):
    if fmt not in ("pdf", "png"):
        raise Http404
    cert = _certificate_for(request, code)
    pdf = render_pdf(cert, verify_url(request, cert))
    if fmt == "png":
        response = HttpResponse(render_png(pdf), content_type="image/png")
    else:
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="certificate-{cert.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def verify(request, code: str):
    """Public: validity, course, hours and date only."""
    cert = Certificate.objects.filter(code=code.upper()).first()
    return render(request, "courses/verify.html", {"cert": cert, "code": code}, status=200 if cert else 404)
