"""One-time form tokens: every create form carries a random token, and only its first valid
submission does anything. A double tap, a replayed POST or Back + resubmit of the same page
finds the token used and is told the record was already saved.

    form = SessionForm(request.POST or None, scope=scope)   # the form mixes in OnceForm
    if request.method == "POST" and form.is_valid():
        if not once.first_use(request.user, form):
            messages.info(request, once.ALREADY_SAVED)
            return redirect(...)

Used tokens live in the cache (Redis in production, shared by every worker) for a week; a
browser that fetches the form afresh gets a new token, so each create also refuses a record
identical to one just saved (see the callers). Lives in `accounts`, the bottom layer, so that
every room's forms can use it.
"""

from __future__ import annotations

import uuid

from django import forms
from django.core.cache import cache
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

FIELD = "once"
TTL_SECONDS = 7 * 24 * 3600
ALREADY_SAVED = _("This was already saved; it was not recorded twice.")


class OnceForm(forms.Form):
    """Mix into a create form (before forms.Form / ModelForm) to give it a one-time token."""

    once = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(FIELD, uuid.uuid4().hex)


def _key(user, token: str) -> str:
    return f"once:{getattr(user, 'pk', None)}:{token}"


def first_use(user, form: forms.Form) -> bool:
    """True the first time this user submits this token (atomic: cache.add); a form without a
    token (an old page) passes."""
    token = (form.cleaned_data.get(FIELD) or "").strip()
    if not token:
        return True
    return cache.add(_key(user, token), 1, timeout=TTL_SECONDS)


def release(user, form: forms.Form) -> None:
    """The create failed after the token was taken: let the same page try again."""
    token = (form.cleaned_data.get(FIELD) or "").strip()
    if token:
        cache.delete(_key(user, token))


def see_other(to, *args, **kwargs):
    """Redirect after a POST with 303 See Other: the browser follows with a GET and keeps no POST
    in its history to send again."""
    response = redirect(to, *args, **kwargs)
    response.status_code = 303
    return response
