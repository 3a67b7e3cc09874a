from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from cms.campaigns.models import current_campaigns, upcoming_key_dates
from cms.core.blocks import BaseStreamBlock
from courses.models import CoursePage

from . import cache


def newest_resources(limit: int = 4) -> list:
    """The resource library's newest items, through the one narrow function it names.

    `settings.HOME_NEWEST_RESOURCES` is the dotted path of `f(limit) -> list` of objects with
    `title` and `url` (the library app sets it when it lands); unset, the home page leaves the
    slot out.
    """
    path = getattr(settings, "HOME_NEWEST_RESOURCES", "")
    return list(import_string(path)(limit)) if path else []


class HomePage(Page):
    """The site root: the current campaign, hotlines, a way in for each audience, featured courses."""

    hero_title = models.CharField(_("hero title"), max_length=120, blank=True)
    hero_text = RichTextField(_("hero text"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "core.StandardPage",
        "courses.CourseIndexPage",
        "campaigns.CampaignIndexPage",
        "help.HelpPage",
        "help.ExpertIndexPage",
    ]
    max_count = 1
    template = "home/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def serve(self, request, *args, **kwargs):
        if cache.cacheable(request):
            return cache.serve_cached(request, lambda: super(HomePage, self).serve(request, *args, **kwargs))
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sections = {p.slug: p for p in self.get_children().live().only("id", "slug", "url_path", "title")}
        context.update(
            campaigns=list(current_campaigns(limit=3)),
            key_dates=upcoming_key_dates(limit=4),
            featured_courses=list(
                CoursePage.objects.live()
                .descendant_of(self)
                .filter(compulsory=True)
                .order_by("-first_published_at")
                .only("id", "title", "url_path", "summary", "parent_age_stages", "teacher_categories")[:4]
            ),
            newest_resources=newest_resources(),
            sections=sections,
        )
        return context
