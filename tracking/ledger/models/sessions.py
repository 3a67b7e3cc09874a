"""Offline training sessions (面授 / 讲座 / 工作坊) and their attendance.

Attendance is the evidence; the ledger entry (source OFFLINE_SESSION, source_ref
"session:<id>") is the credit. Both are unique per (session, teacher), so re-importing a
sheet or scanning the QR code twice adds nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import District, School, TeacherProfile, TrainingYear
from cms.core.storage import private_storage


def validate_half_hours(value: Decimal) -> None:
    """Hours are credited in half-hour steps (0.5, 1, 1.5 …)."""
    if value is None:
        return
    if (Decimal(value) * 2) % 1 != 0:
        raise ValidationError(_("Hours must be a multiple of 0.5."))


class OfflineSession(models.Model):
    class Kind(models.TextChoices):
        FACE_TO_FACE = "face", _("face-to-face training")
        LECTURE = "lecture", _("lecture")
        WORKSHOP = "workshop", _("workshop")
        # 教研活动: a district's monthly research activity (counted by evaluation.rounds' district duties).
        RESEARCH = "research", _("district research activity (教研活动)")

    class Audience(models.TextChoices):
        CITY = "city", _("the whole city")
        DISTRICT = "district", _("one district / county")
        SCHOOL = "school", _("one school")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.FACE_TO_FACE)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), validate_half_hours],
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    district = models.ForeignKey(
        District, verbose_name=_("district / county"), on_delete=models.PROTECT, null=True, blank=True
    )
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, null=True, blank=True)
    training_year = models.ForeignKey(
        TrainingYear, verbose_name=_("training year"), on_delete=models.PROTECT, related_name="offline_sessions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("offline session")
        verbose_name_plural = _("offline sessions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(audience="city", district__isnull=True, school__isnull=True)
                    | Q(audience="district", district__isnull=False, school__isnull=True)
                    | Q(audience="school", district__isnull=True, school__isnull=False)
                ),
                name="offline_session_audience_matches_level",
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="offline_session_ends_after"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{timezone.localtime(self.starts_at):%Y-%m-%d}）"

    @property
    def source_ref(self) -> str:
        return f"session:{self.pk}"

    @property
    def audience_label(self) -> str:
        if self.audience == self.Audience.SCHOOL:
            return self.school.name
        if self.audience == self.Audience.DISTRICT:
            return self.district.name
        return str(self.Audience.CITY.label)

    def local_dates(self) -> tuple:
        return timezone.localtime(self.starts_at).date(), timezone.localtime(self.ends_at).date()

    def audience_filter(self, path: str = "school") -> Q:
        """Q selecting teachers (via `path` to their school) in this session's audience."""
        if self.audience == self.Audience.SCHOOL:
            return Q(**{f"{path}_id": self.school_id})
        if self.audience == self.Audience.DISTRICT:
            return Q(**{f"{path}__district_id": self.district_id})
        return Q()

    def in_audience(self, school_id: int, district_id: int) -> bool:
        if self.audience == self.Audience.SCHOOL:
            return school_id == self.school_id
        if self.audience == self.Audience.DISTRICT:
            return district_id == self.district_id
        return True

    @classmethod
    def managed_by(cls, scope):
        """Sessions a coordinator may manage: those whose audience lies inside their scope."""
        if not scope.is_coordinator:
            return cls.objects.none()
        if scope.city:
            return cls.objects.all()
        return cls.objects.filter(
            Q(audience=cls.Audience.SCHOOL, school__in=scope.schools())
            | Q(audience=cls.Audience.DISTRICT, district_id__in=scope.district_ids)
        )


class Attendance(models.Model):
    class Method(models.TextChoices):
        IMPORT = "import", _("imported sign-in sheet")
        QR = "qr", _("QR sign-in")

    session = models.ForeignKey(
        OfflineSession, verbose_name=_("session"), on_delete=models.PROTECT, related_name="attendances"
    )
    teacher = models.ForeignKey(
        TeacherProfile, verbose_name=_("teacher"), on_delete=models.PROTECT, related_name="attendances"
    )
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    batch = models.ForeignKey(
        "tracking.ImportBatch",
        verbose_name=_("import"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["session", "teacher"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["session", "teacher"], name="attendance_once_per_session")]

    def __str__(self) -> str:
        return f"{self.session} · {self.teacher}"


class ImportBatch(models.Model):
    """An uploaded sign-in sheet between preview and confirm.

    The parsed rows live here (not in the browser), so confirm writes exactly what the
    coordinator saw; `sha256` identifies the file for the audit trail. A big file is parsed by a
    Celery task (`state` parsing → ready or failed, `progress` for the bar); the upload itself is
    kept only until it is parsed. The rows hold what the sheet said (names, schools), so they
    are emptied `LEDGER_IMPORT_KEEP_DAYS` after confirmation (`row_counts` keeps the tally).
    """

    class State(models.TextChoices):
        PARSING = "parsing", _("reading the file")
        READY = "ready", _("ready to confirm")
        FAILED = "failed", _("refused")

    session = models.ForeignKey(
        OfflineSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="import_batches"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.READY)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("reason refused"), blank=True)
    upload = models.FileField(_("uploaded file"), storage=private_storage, upload_to="imports/", blank=True)
    rows = models.JSONField(_("parsed rows"), default=list, blank=True)
    row_counts = models.JSONField(_("rows by result"), default=dict, blank=True)
    rows_purged_at = models.DateTimeField(_("rows removed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    imported_count = models.PositiveIntegerField(_("rows imported"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("attendance import")
        verbose_name_plural = _("attendance imports")

    def __str__(self) -> str:
        return f"{self.filename} → {self.session}"

    def counts(self) -> dict[str, int]:
        if self.rows_purged_at is not None:
            return {"ok": 0, "exists": 0, "error": 0, **self.row_counts}
        return count_rows(self.rows)


def count_rows(rows: list[dict]) -> dict[str, int]:
    """ok / exists / error, and "skipped" (totals and signature lines) when the sheet had any."""
    out = {"ok": 0, "exists": 0, "error": 0}
    for row in rows:
        out[row["status"]] = out.get(row["status"], 0) + 1
    return out
