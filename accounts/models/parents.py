"""School join codes (家长学校加入码): how a self-registered parent is attributed to a school.

A school coordinator prints a code (with its QR code) for a school, or one class of it; a
parent types or scans it at sign-up. The code names the school and class, never a child.
Codes carry the city's prefix ("NC-7K3M9Q"), so a code from another city's platform is
recognised and refused with its own message.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .people import School, SchoolClass

# No 0/O, 1/I/L: a code is copied from paper by hand.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6


def city_prefix() -> str:
    return getattr(settings, "JOIN_CODE_CITY_PREFIX", "NC")


def new_code() -> str:
    return f"{city_prefix()}-" + "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


class JoinCodeQuerySet(models.QuerySet):
    def usable(self, on=None):
        on = on or timezone.localdate()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=on)
        )


class JoinCode(models.Model):
    code = models.CharField(_("join code"), max_length=16, unique=True, default=new_code, editable=False)
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="join_codes")
    school_class = models.ForeignKey(
        SchoolClass,
        verbose_name=_("class"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="join_codes",
        help_text=_("Optional: parents who use this code are counted under this class."),
    )
    label = models.CharField(_("note"), max_length=80, blank=True, help_text=_("e.g. 2026 autumn parents' meeting"))
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = JoinCodeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("join code")
        verbose_name_plural = _("join codes")

    def __str__(self) -> str:
        return self.code

    def is_usable(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.revoked_at is None and (self.expires_on is None or self.expires_on >= on)
