"""Forms for offline sessions, attendance upload, certificate claims, corrections, targets."""

from __future__ import annotations

import io
import warnings
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import TrainingYear
from accounts.once import OnceForm
from accounts.privacy import REASON_MAX, free_text

from .importers import MAX_UPLOAD_BYTES
from .models import ExternalClaim, OfflineSession, TrainingTarget, validate_half_hours

CLAIM_MAX_BYTES = getattr(settings, "LEDGER_CLAIM_MAX_BYTES", 5 * 1024 * 1024)
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SessionForm(OnceForm, forms.ModelForm):
    class Meta:
        model = OfflineSession
        fields = [
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "hours",
            "place",
            "organiser",
            "audience",
            "district",
            "school",
        ]
        widgets = {"starts_at": DATETIME_WIDGET, "ends_at": DATETIME_WIDGET}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        audiences = []
        if scope.city:
            audiences.append(OfflineSession.Audience.CITY)
        if scope.city or scope.district_ids:
            audiences.append(OfflineSession.Audience.DISTRICT)
        audiences.append(OfflineSession.Audience.SCHOOL)
        self.fields["audience"].choices = [(a.value, a.label) for a in audiences]
        districts = scope.districts() if scope.city else scope.districts().filter(id__in=scope.district_ids)
        self.fields["district"].queryset = districts
        self.fields["school"].queryset = scope.schools().select_related("district")
        self.fields["district"].empty_label = self.fields["school"].empty_label = _("Choose…")
        self.fields["district"].help_text = _("Only for a district-wide session.")
        self.fields["school"].help_text = _("Only for a session for one school.")
        if not scope.city and not scope.district_ids and len(scope.school_ids) == 1:
            # A school coordinator's session is for their school: no audience, district or school to pick.
            (school_id,) = scope.school_ids
            del self.fields["district"]
            for name, value in (("audience", OfflineSession.Audience.SCHOOL), ("school", school_id)):
                self.fields[name].widget = forms.HiddenInput()
                self.fields[name].initial = value

    def clean(self):
        data = super().clean()
        audience = data.get("audience")
        if audience == OfflineSession.Audience.CITY:
            data["district"] = data["school"] = None
        elif audience == OfflineSession.Audience.DISTRICT:
            data["school"] = None
            if not data.get("district"):
                self.add_error("district", _("Choose the district of a district-wide session."))
        elif audience == OfflineSession.Audience.SCHOOL:
            data["district"] = None
            if not data.get("school"):
                self.add_error("school", _("Choose the school of a school session."))
        if data.get("kind") == OfflineSession.Kind.RESEARCH and audience != OfflineSession.Audience.DISTRICT:
            # 教研活动 are the district's own (one a month, counted per district): evaluation.rounds.
            self.add_error("audience", _("A district research activity (教研活动) is held for one district."))
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends:
            if ends <= starts:
                self.add_error("ends_at", _("The session must end after it starts."))
            year = TrainingYear.current(timezone.localtime(starts).date())
            if year is None:
                self.add_error("starts_at", _("No training year covers this date."))
            self.instance.training_year = year
        for field in ("district", "school"):
            setattr(self.instance, field, data.get(field))
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Sign-in sheet (.xlsx or .csv)"),
        help_text=_("Download the template, fill in one teacher per row, upload it here."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is too large (limit %(mb)s MB).") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


class CertificateTooLarge(Exception):
    """An image whose declared size exceeds IMAGE_MAX_PIXELS (a decompression bomb, or simply too big)."""


def sniff_certificate(data: bytes) -> str | None:
    """The content type of a certificate, decided by its bytes: PDF, JPEG, PNG or WebP.

    Images are measured from their header before any pixel is decoded: a PNG declaring
    20000×20000 pixels is a few kilobytes but 1.6 GB once decoded, so it is refused
    (CertificateTooLarge) rather than handed to Pillow, whose own bomb check raises a 500.
    """
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                width, height = img.size
                if width * height > settings.IMAGE_MAX_PIXELS:
                    raise CertificateTooLarge
                img.verify()
                fmt = img.format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise CertificateTooLarge from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    return {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}.get(fmt)


class ClaimForm(OnceForm, forms.ModelForm):
    class Meta:
        model = ExternalClaim
        fields = ["title", "organiser", "activity_date", "hours", "file"]
        widgets = {"activity_date": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"file": _("A photo (JPEG, PNG) or PDF of the certificate, at most 5 MB.")}

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours is None or hours <= 0 or hours > 100:
            raise forms.ValidationError(_("Hours must be between 0.5 and 100."))
        validate_half_hours(hours)
        return hours

    def clean_activity_date(self):
        day = self.cleaned_data["activity_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        year = TrainingYear.current(day)
        if year is None:
            raise forms.ValidationError(_("No training year covers this date."))
        self.instance.training_year = year
        return day

    def clean(self):
        data = super().clean()
        duplicate = ExternalClaim.objects.filter(
            teacher_id=self.instance.teacher_id,
            title__iexact=(data.get("title") or "").strip(),
            activity_date=data.get("activity_date"),
            status__in=[ExternalClaim.Status.PENDING, ExternalClaim.Status.APPROVED],
        )
        if data.get("title") and data.get("activity_date") and duplicate.exists():
            raise forms.ValidationError(_("You have already submitted this certificate."))
        return data

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CLAIM_MAX_BYTES:
            raise forms.ValidationError(_("The certificate file is too large (limit 5 MB)."))
        upload.seek(0)
        try:
            content_type = sniff_certificate(upload.read())
        except CertificateTooLarge:
            raise forms.ValidationError(
                _("The image is too large: at most %(mp)s million pixels. Take a smaller photo or scan.")
                % {"mp": settings.IMAGE_MAX_PIXELS // 1_000_000}
            ) from None
        finally:
            upload.seek(0)
        if content_type is None:
            raise forms.ValidationError(_("The certificate must be a JPEG, PNG or WebP image or a PDF file."))
        self.instance.content_type = content_type
        return upload


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.RadioSelect
    )
    reason = free_text(
        forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})), REASON_MAX
    )
    hours = forms.DecimalField(
        label=_("Approved hours (if fewer than claimed)"),
        required=False,
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for the rejection."))
        return data


class BulkApproveForm(forms.Form):
    claim = forms.TypedMultipleChoiceField(
        coerce=int, choices=[], error_messages={"required": _("Tick the claims to approve.")}
    )

    def __init__(self, *args, claims, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claim"].choices = [(c.pk, str(c.pk)) for c in claims]


class CorrectionForm(OnceForm, forms.Form):
    training_year = forms.ModelChoiceField(label=_("Training year"), queryset=TrainingYear.objects.all())
    hours = forms.DecimalField(
        label=_("Hours (+ adds, − removes)"), max_digits=4, decimal_places=1, min_value=-100, max_value=100
    )
    add_session = forms.BooleanField(label=_("Also counts as one training session"), required=False)
    reason = free_text(forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2})), REASON_MAX)

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours == 0:
            raise forms.ValidationError(_("A correction of 0 hours changes nothing."))
        validate_half_hours(hours)
        return hours

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("A correction needs a reason."))
        return reason

    def clean(self):
        data = super().clean()
        if data.get("add_session") and (data.get("hours") or Decimal(0)) < 0:
            self.add_error("add_session", _("A negative correction cannot add a session."))
        return data


class TargetForm(forms.ModelForm):
    class Meta:
        model = TrainingTarget
        fields = ["hours", "sessions"]

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        validate_half_hours(hours)
        return hours

    def clean(self):
        data = super().clean()
        if data.get("hours") is None and data.get("sessions") is None:
            raise forms.ValidationError(_("Set required hours, required sessions, or both."))
        return data


TargetFormSet = forms.modelformset_factory(TrainingTarget, form=TargetForm, extra=0, can_delete=False)
