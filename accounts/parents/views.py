"""家长注册 and the parent's own account: sign-up with an optional join code, privacy notice,
delete my account; and the school coordinator's join codes (printed with a QR code)."""

from __future__ import annotations

import io

import qrcode
from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.utils import complete_signup
from allauth.core import ratelimit

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import audit
from accounts.models import JoinCode
from accounts.scope import scope_for

from . import services
from .forms import DeleteAccountForm, JoinCodeForm, ParentSignupForm


def signup(request):
    """Parents register themselves; `?code=` (from the school's QR code) fills in the join code."""
    if request.user.is_authenticated:
        return redirect("start")
    if request.method == "POST":
        form = ParentSignupForm(request.POST)
        if not ratelimit.consume(request, action="signup"):
            form.is_valid()
            form.add_error(None, _("Too many sign-ups from this network just now. Please try again in a minute."))
            return render(request, "accounts/parents/signup.html", {"form": form}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.register_parent(
                    password=data["password1"],
                    age_stages=data["age_stages"],
                    mobile=data["mobile"],
                    email=data["email"],
                    name=data["name"],
                    join_code=data["join_code"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Welcome to the parent school. Your courses are below."))
                request.xinyu_just_signed_up = True  # one welcome, not allauth's "signed in as" too
                return complete_signup(request, user, EmailVerificationMethod.NONE, reverse("start"))
    else:
        form = ParentSignupForm(initial={"join_code": request.GET.get("code", "")[:20]})
    return render(request, "accounts/parents/signup.html", {"form": form})


def privacy(request):
    return render(request, "accounts/parents/privacy.html", {"version": services.consent_version()})


@login_required
def delete_account(request):
    """A parent deletes their own account (password asked again); teachers' accounts are kept by coordinators."""
    if not hasattr(request.user, "parent_profile") or hasattr(request.user, "teacher_profile"):
        raise PermissionDenied(_("Only parents can delete their own account here."))
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.delete_parent(user)
        messages.success(request, _("Your account and all its data have been deleted."))
        return redirect("/")
    return render(request, "accounts/parents/delete.html", {"form": form})


# --- join codes (school coordinators) ---------------------------------------------------------
def _coordinator_scope(request):
    scope = scope_for(request.user)
    if not scope.is_coordinator:
        raise PermissionDenied(_("Only training coordinators can manage join codes."))
    return scope


def _code_in_scope(request, pk) -> JoinCode:
    scope = _coordinator_scope(request)
    code = get_object_or_404(JoinCode.objects.select_related("school", "school_class"), pk=pk)
    if not scope.can_see_school(code.school_id):
        raise Http404
    return code


@login_required
def join_codes(request):
    scope = _coordinator_scope(request)
    form = JoinCodeForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        code = form.save(commit=False)
        code.created_by = request.user
        code.save()
        audit.record(actor=request.user, action="parents.join_code", obj=code, school=code.school_id, summary=code.code)
        messages.success(request, _("Join code %(code)s created.") % {"code": code.code})
        return redirect("family:join_code", pk=code.pk)
    codes = (
        JoinCode.objects.filter(school__in=scope.schools())
        .select_related("school", "school_class")
        .order_by("-created_at")[:200]
    )
    return render(request, "accounts/parents/join_codes.html", {"form": form, "codes": codes})


@login_required
def join_code(request, pk):
    """The printable notice: the code in large type, its QR code and the sign-up address."""
    code = _code_in_scope(request, pk)
    url = request.build_absolute_uri(reverse("family:signup") + f"?code={code.code}")
    return render(request, "accounts/parents/join_code.html", {"code": code, "url": url})


@login_required
def join_code_qr(request, pk):
    code = _code_in_scope(request, pk)
    url = request.build_absolute_uri(reverse("family:signup") + f"?code={code.code}")
    out = io.BytesIO()
    qrcode.make(url, box_size=8, border=2).save(out, format="PNG")
    response = HttpResponse(out.getvalue(), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def revoke_join_code(request, pk):
    code = _code_in_scope(request, pk)
    if code.revoked_at is None:
        code.revoked_at = timezone.now()
        code.save(update_fields=["revoked_at"])
        audit.record(
            actor=request.user, action="parents.join_code_revoke", obj=code, school=code.school_id, summary=code.code
        )
    messages.success(request, _("Join code %(code)s no longer works.") % {"code": code.code})
    return redirect("family:join_codes")
