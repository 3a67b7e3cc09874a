"""宣传活动: campaign pages, the key-date calendar, and the activities schools report.

Editors publish `CampaignPage`s under the `CampaignIndexPage` (district editors draft, city
editors approve: a Wagtail workflow, see docs/campaigns.md); `KeyDate` rows are the
programme's recurring dates (10·10 世界精神卫生日, 心理健康教育活动月 …). Schools report the
`CampaignActivity`s they held; a qualifying one counts as each taking-part class's
专题活动 through `tracking.delivery.rules.campaign_activity_counts` (see `services.py`).
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from accounts.models import School, SchoolClass
from cms.core.storage import private_storage

from .blocks import CampaignStreamBlock

MAX_PHOTO_BYTES = 5 * 1024 * 1024


class KeyDate(models.Model):
    """A recurring date of the programme: a day (10·10) or a span (the whole of May)."""

    name = models.CharField(_("name"), max_length=80)
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    day = models.PositiveSmallIntegerField(
        _("day"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    end_month = models.PositiveSmallIntegerField(
        _("until month"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    end_day = models.PositiveSmallIntegerField(
        _("until day"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    panels = [
        FieldPanel("name"),
        MultiFieldPanel([FieldPanel("month"), FieldPanel("day")], heading=_("from")),
        MultiFieldPanel([FieldPanel("end_month"), FieldPanel("end_day")], heading=_("until (optional)")),
        FieldPanel("description"),
    ]

    class Meta:
        ordering = ["month", "day"]
        verbose_name = _("key date")
        verbose_name_plural = _("key dates")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        try:
            self.next_start(datetime.date(2028, 1, 1))  # a leap year: 29 February is a valid day
        except ValueError as exc:
            raise ValidationError(_("This day does not exist in that month.")) from exc

    def next_start(self, today: datetime.date) -> datetime.date:
        """The next (or current) occurrence's first day, counted from `today`."""
        start = datetime.date(today.year, self.month, self.day or 1)
        end = self.end_for(start)
        return start if end >= today else datetime.date(today.year + 1, self.month, self.day or 1)

    def end_for(self, start: datetime.date) -> datetime.date:
        if self.end_month:
            year = start.year + (1 if self.end_month < self.month else 0)
            end_day = self.end_day or _month_end(year, self.end_month)
            return datetime.date(year, self.end_month, end_day)
        if self.day is None:  # a whole month
            return datetime.date(start.year, self.month, _month_end(start.year, self.month))
        return start


def _month_end(year: int, month: int) -> int:
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return (following - datetime.timedelta(days=1)).day


def upcoming_key_dates(today: datetime.date | None = None, limit: int = 6) -> list[dict]:
    today = today or timezone.localdate()
    rows = []
    for key_date in KeyDate.objects.all():
        start = key_date.next_start(today)
        rows.append({"key_date": key_date, "start": start, "end": key_date.end_for(start)})
    return sorted(rows, key=lambda r: r["start"])[:limit]


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("everyone")
    TEACHERS = "teachers", _("teachers")
    PARENTS = "parents", _("parents")
    STUDENTS = "students", _("students")


class CampaignIndexPage(Page):
    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["campaigns.CampaignPage"]
    max_count = 1
    template = "campaigns/campaign_index_page.html"

    class Meta:
        verbose_name = _("campaign index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        campaigns = CampaignPage.objects.live().child_of(self).select_related("banner_image", "key_date")
        context.update(
            current=list(campaigns.filter(start_date__lte=today, end_date__gte=today).order_by("end_date")),
            upcoming=list(campaigns.filter(start_date__gt=today).order_by("start_date")[:12]),
            past=list(campaigns.filter(end_date__lt=today).order_by("-end_date")[:12]),
            key_dates=upcoming_key_dates(today, limit=12),
        )
        return context


class CampaignPage(Page):
    theme = models.CharField(_("theme"), max_length=120)
    key_date = models.ForeignKey(
        KeyDate, verbose_name=_("key date"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices, default=Audience.EVERYONE)
    banner_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("banner image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.CharField(_("summary"), max_length=240, blank=True)
    body = StreamField(CampaignStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("theme"),
        MultiFieldPanel(
            [FieldPanel("key_date"), FieldPanel("start_date"), FieldPanel("end_date"), FieldPanel("audience")],
            heading=_("When and for whom"),
        ),
        FieldPanel("banner_image"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("theme"),
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["campaigns.CampaignIndexPage"]
    subpage_types: list[str] = []
    template = "campaigns/campaign_page.html"

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The campaign cannot end before it starts.")})


def current_campaigns(today: datetime.date | None = None, limit: int = 3):
    today = today or timezone.localdate()
    return (
        CampaignPage.objects.live()
        .filter(end_date__gte=today)
        .select_related("banner_image")
        .order_by("start_date")[:limit]
    )


# --- what schools held ----------------------------------------------------------------------------
class ActivityTheme(models.TextChoices):
    """What the activity was about; rules.campaign_activity_counts decides which count as 专题活动."""

    MENTAL_HEALTH = "mental_health", _("mental health")
    LIFE_EDUCATION = "life_education", _("life education")
    OTHER = "other", _("other publicity")


class ActivityKind(models.TextChoices):
    LECTURE = "lecture", _("lecture or talk")
    CLASS_EVENT = "class_event", _("class or grade event")
    EXHIBITION = "exhibition", _("exhibition or board")
    PERFORMANCE = "performance", _("drama or performance")
    CONSULTATION = "consultation", _("open consultation day")
    OTHER = "other", _("other")


def validate_photo_size(file):
    if file.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("The photo is %(size)s MB; at most 5 MB, please.") % {"size": round(file.size / 1024 / 1024, 1)}
        )


def photo_upload_to(instance, filename: str) -> str:
    return f"campaign-activities/{instance.school_id}/{uuid.uuid4().hex}.jpg"


class CampaignActivity(models.Model):
    """A publicity activity a school held: counts and a note, never a pupil's name."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(
        CampaignPage, verbose_name=_("campaign"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    theme = models.CharField(_("theme"), max_length=16, choices=ActivityTheme.choices)
    participants = models.PositiveIntegerField(_("number of participants"), validators=[MaxValueValidator(100000)])
    note = models.CharField(_("short note"), max_length=200, blank=True)
    classes = models.ManyToManyField(
        SchoolClass, verbose_name=_("classes that took part"), blank=True, related_name="+"
    )
    photo = models.ImageField(
        _("photo"), blank=True, storage=private_storage, upload_to=photo_upload_to, validators=[validate_photo_size]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    client_token = models.UUIDField(_("submission token"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("campaign activity")
        verbose_name_plural = _("campaign activities")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


register_snippet(KeyDate)
