"""Parents' own accounts: join codes, sign-up, their data and its deletion.

Parents' data is minimal by design (DESIGN.md, PIPL art. 28/31): a login (a mobile number or
an e-mail address), an optional form of address (刘女士), the children's age stages, the school
(and class) a join code named, and when they agreed to which privacy notice. No child's name
is asked, stored or shown anywhere.

A mobile number is an identifier here, not a verified number: the platform has no SMS gateway.
It becomes the parent's username, so they log in with it.
"""

from __future__ import annotations

import re
import secrets

from allauth.account.models import EmailAddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AgeStage, AuditEvent, JoinCode, ParentProfile, User
from accounts.models.parents import CODE_ALPHABET, CODE_LENGTH, city_prefix

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
CODE_RE = re.compile(rf"^([A-Z]{{2,4}})-?([0-9A-Z]{{{CODE_LENGTH}}})$")


def consent_version() -> str:
    return getattr(settings, "PARENT_CONSENT_VERSION", "2026-09")


def normalise_mobile(raw: str) -> str:
    """'+86 138-0000-1234' → '13800001234'; raises ValidationError when it is not a mainland mobile number."""
    digits = re.sub(r"[\s\-()]", "", raw or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not MOBILE_RE.match(digits):
        raise ValidationError(_("Enter an 11-digit mainland mobile number, e.g. 13800001234."), code="mobile")
    return digits


def mobile_taken(mobile: str) -> bool:
    return User.objects.filter(Q(username=mobile) | Q(phone=mobile)).exists()


def email_taken(email: str) -> bool:
    return (
        User.objects.filter(email__iexact=email).exists() or EmailAddress.objects.filter(email__iexact=email).exists()
    )


def resolve_join_code(raw: str) -> JoinCode:
    """The usable join code for what a parent typed, or a ValidationError saying what is wrong."""
    text = re.sub(r"\s", "", raw or "").upper()
    match = CODE_RE.match(text)
    if not match or any(c not in CODE_ALPHABET for c in match.group(2)):
        raise ValidationError(
            _("This is not a join code. A join code looks like %(example)s.") % {"example": f"{city_prefix()}-7K3M9Q"},
            code="malformed",
        )
    prefix, body = match.groups()
    if prefix != city_prefix():
        raise ValidationError(
            _("This join code belongs to another city's platform. Please use a code from your child's school here."),
            code="other_city",
        )
    code = JoinCode.objects.select_related("school", "school_class").filter(code=f"{prefix}-{body}").first()
    if code is None:
        raise ValidationError(
            _("No school has this join code. Please check it with the school, or leave it empty."), code="unknown"
        )
    if not code.is_usable():
        raise ValidationError(
            _("This join code has expired. Please ask the school for a current one, or leave it empty."),
            code="expired",
        )
    return code


def _username_for(mobile: str) -> str:
    if mobile:
        return mobile
    while True:
        candidate = "p" + secrets.token_hex(5)
        if not User.objects.filter(username=candidate).exists():
            return candidate


def register_parent(
    *,
    password: str,
    age_stages: list[str],
    mobile: str = "",
    email: str = "",
    name: str = "",
    join_code: JoinCode | None = None,
) -> User:
    """Create the parent's user and profile together, or nothing (a duplicate raises ValidationError)."""
    unknown = set(age_stages) - set(AgeStage.values)
    if unknown or not age_stages:
        raise ValidationError(_("Choose at least one age stage."))
    if not mobile and not email:
        raise ValidationError(_("Enter a mobile number or an e-mail address."))
    now = timezone.now()
    try:
        with transaction.atomic():
            if mobile and mobile_taken(mobile):
                raise ValidationError(_("This mobile number is already registered. Please log in instead."))
            if email and email_taken(email):
                raise ValidationError(_("This e-mail address is already registered. Please log in instead."))
            user = User(username=_username_for(mobile), email=email, phone=mobile, name=name)
            user.set_password(password)
            user.save()
            if email:
                EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
            ParentProfile.objects.create(
                user=user,
                age_stages=[s for s in AgeStage.values if s in age_stages],
                school=join_code.school if join_code else None,
                school_class=join_code.school_class if join_code else None,
                join_code=join_code,
                consent_at=now,
                consent_version=consent_version(),
                registered_at=now,
            )
    except IntegrityError as exc:  # two sign-ups with the same number at the same moment
        raise ValidationError(_("This mobile number is already registered. Please log in instead.")) from exc
    return user


def delete_parent(user: User) -> None:
    """Delete a parent's account with everything hanging off it (enrolments, progress, certificates).

    The audit trail keeps its events but forgets who acted (its actor is clearable), so
    deletion never breaks the append-only history.
    """
    if not hasattr(user, "parent_profile") or hasattr(user, "teacher_profile") or user.is_staff:
        raise ValidationError(_("Only a parent's own account can be deleted here."))
    with transaction.atomic():
        AuditEvent.objects.filter(actor=user).update(actor=None)
        user.delete()
