"""求助 and 专家库: counselling stations per district, the help page, the expert directory.

Stations and experts are snippets (editable records in the admin), listed by pages that
filter them; the hotlines themselves are a site setting (`cms.core.models.SiteSettings`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from accounts.models import District
from courses.models.fields import MultipleChoiceField


class CounsellingStation(index.Indexed, models.Model):
    """The city's minors' counselling centre, or a district's counselling station (心理辅导站)."""

    name = models.CharField(_("name"), max_length=120)
    district = models.ForeignKey(
        District,
        verbose_name=_("district / county"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the city's centre."),
    )
    address = models.CharField(_("address"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40)
    duty_hours = models.CharField(_("duty hours"), max_length=120)
    appointment = models.TextField(_("how to make an appointment"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("district"),
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldPanel("duty_hours"),
        FieldPanel("appointment"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("address")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("counselling station")
        verbose_name_plural = _("counselling stations")

    def __str__(self) -> str:
        return self.name


class ExpertiseArea(models.TextChoices):
    ADOLESCENCE = "adolescence", _("adolescent development")
    FAMILY = "family", _("family education")
    CRISIS = "crisis", _("crisis intervention")
    COUNSELLING = "counselling", _("school counselling")
    CLASSROOM = "classroom", _("mental-health lessons")
    PSYCHIATRY = "psychiatry", _("child psychiatry")


class Expert(index.Indexed, ClusterableModel):
    """专家库: a member of the city's expert pool (names of adults who agreed to be listed)."""

    name = models.CharField(_("name"), max_length=64)
    organisation = models.CharField(_("organisation"), max_length=120)
    title = models.CharField(_("title"), max_length=64, blank=True)
    areas = MultipleChoiceField(_("expertise areas"), choices=ExpertiseArea.choices)
    bio = models.TextField(_("short biography"), max_length=600, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    listed = models.BooleanField(_("shown in the public directory"), default=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("organisation"),
        FieldPanel("title"),
        FieldPanel("areas"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("listed"),
        InlinePanel("authored", label=_("courses and resources by this expert")),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("organisation"), index.SearchField("bio")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self) -> str:
        return self.name

    def get_areas_display(self) -> list[str]:
        labels = dict(ExpertiseArea.choices)
        return [str(labels[a]) for a in self.areas or [] if a in labels]


class ExpertAuthorship(Orderable):
    """An expert as an author of a course or resource page (any page: courses may not import cms)."""

    expert = ParentalKey(Expert, on_delete=models.CASCADE, related_name="authored")
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("course or resource"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("page")]

    class Meta(Orderable.Meta):
        verbose_name = _("authored page")
        constraints = [models.UniqueConstraint(fields=["expert", "page"], name="one_authorship_per_page")]


def authors_of(page) -> list[Expert]:
    """The listed experts who authored `page` (for its template)."""
    return list(Expert.objects.filter(listed=True, authored__page=page).distinct())


class HelpPage(Page):
    """求助: the 24-hour hotlines and every counselling station, filterable by district."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["help.ExpertIndexPage"]
    max_count = 1
    template = "help/help_page.html"

    class Meta:
        verbose_name = _("help page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        stations = CounsellingStation.objects.select_related("district")
        districts = District.objects.filter(
            pk__in=CounsellingStation.objects.exclude(district=None).values("district")
        ).order_by("sort_order", "code")
        chosen = request.GET.get("district", "")
        if chosen.isdigit():
            stations = stations.filter(models.Q(district_id=int(chosen)) | models.Q(district__isnull=True))
        context.update(
            stations=stations.order_by(models.F("district__sort_order").asc(nulls_first=True), "sort_order"),
            districts=districts,
            chosen=chosen,
            expert_url=next((p.url for p in ExpertIndexPage.objects.live()[:1]), None),
        )
        return context


class ExpertIndexPage(Page):
    """专家库: the public, filterable list of experts."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage", "core.StandardPage", "help.HelpPage"]
    subpage_types: list[str] = []
    max_count = 1
    template = "help/expert_index_page.html"

    class Meta:
        verbose_name = _("expert directory")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        experts = Expert.objects.filter(listed=True).select_related("photo").prefetch_related("authored__page")
        area = request.GET.get("area", "")
        if area in ExpertiseArea.values:
            experts = experts.filter(areas__contains=f",{area},")
        context.update(experts=experts, areas=ExpertiseArea.choices, chosen=area)
        return context


register_snippet(CounsellingStation)
register_snippet(Expert)


def district_stations(district_ids) -> dict[int, list[str]]:
    """{district id: [station names]} for the district duties page (one query)."""
    out: dict[int, list[str]] = {}
    for district_id, name in CounsellingStation.objects.filter(district_id__in=list(district_ids)).values_list(
        "district_id", "name"
    ):
        out.setdefault(district_id, []).append(name)
    return out
