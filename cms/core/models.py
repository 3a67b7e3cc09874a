from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site
from wagtail.search import index

from . import versions
from .blocks import BaseStreamBlock

DEFAULT_HOTLINES = "12355、966525、0791-88330120"


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    hotlines = models.CharField(_("24-hour psychological support hotlines"), max_length=200, default=DEFAULT_HOTLINES)
    organiser = models.CharField(_("organiser"), max_length=120, default="南昌市教育局")
    footer_note = models.CharField(_("footer note"), max_length=255, blank=True)
    icp_number = models.CharField(_("ICP registration number"), max_length=64, blank=True)

    panels = [FieldPanel("hotlines"), FieldPanel("organiser"), FieldPanel("footer_note"), FieldPanel("icp_number")]

    class Meta:
        verbose_name = _("site settings")

    @classmethod
    def for_request(cls, request):
        """Wagtail's lookup (every page's footer reads it), cached per site until anything is saved
        (content version, decision 0025). The admin's settings form still reads the database."""
        attr_name = cls.get_cache_attr_name()
        if hasattr(request, attr_name):
            return getattr(request, attr_name)
        site = Site.find_for_request(request)
        if site is None:
            return super().for_request(request)
        key = f"sitesettings:{versions.current(versions.CONTENT)}:{site.pk}"
        instance = cache.get(key)
        if instance is None:
            instance = cls.for_site(site)
            cache.set(key, instance, 3600)
        instance._request = request
        setattr(request, attr_name, instance)
        return instance


def organiser() -> str | None:
    """The default site's organiser (printed on certificates as the issuing authority)."""
    return SiteSettings.objects.filter(site__is_default_site=True).values_list("organiser", flat=True).first()


class StandardPage(Page):
    """A plain content page: section landing pages, policy texts, help pages."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("introduction"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "core.StandardPage"]
    subpage_types = ["core.StandardPage", "courses.CourseIndexPage"]
    template = "core/standard_page.html"

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")
