"""The library's pages: an index and resource pages, edited, moderated and published in Wagtail.

Anyone may read a resource page (title, summary, facets, the list of files); the files
themselves go out only through `resources.views.download`, which checks the login and logs
every download. Wagtail's own /documents/ route refuses library files (wagtail_hooks.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from accounts.models import School

from ..blocks import InteractiveStreamBlock
from ..forms import ResourcePageForm
from .taxonomy import GradeBand, LessonKind, Licence, ResourceType

# What the index and resource pages show a viewer (latest, most downloaded, may this user
# download, their downloads) is built by `resources.services`; `ResourcesConfig.ready` puts the
# builders here so the page models never import the services (which import the models).
PAGE_CONTEXT: dict[type[Page], Callable[[Page, object], dict]] = {}
# Who may play the page's H5P exercises (user → bool), put here by `ResourcesConfig.ready` too.
H5P_PLAYABLE: dict[type[Page], Callable[[Page, object], bool]] = {}


class ResourceIndexPage(Page):
    """资源库: the library's front page (latest, most downloaded, featured, search box)."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    subpage_types = ["resources.ResourcePage"]
    max_count = 1

    class Meta:
        verbose_name = _("resource library")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        builder = PAGE_CONTEXT.get(type(self))
        if builder:
            context.update(builder(self, request))
        return context


class ResourcePage(Page):
    summary = models.TextField(
        _("summary"), max_length=500, help_text=_("Two or three sentences: shown in lists and search results.")
    )
    body = RichTextField(
        _("teaching notes"),
        blank=True,
        features=["h3", "bold", "italic", "ol", "ul", "link"],
        help_text=_("Objectives, steps, tips: readable by anyone without downloading."),
    )
    # H5P exercises (courses.H5PContent) played in the page: self-study, nothing is credited.
    interactive = StreamField(
        InteractiveStreamBlock(),
        verbose_name=_("interactive exercises"),
        blank=True,
        help_text=_("H5P exercises played in the page by those who may use the resource's files."),
    )
    grade_bands = models.JSONField(_("grade bands"), default=list, blank=True)
    topics = ParentalManyToManyField(
        "resources.ResourceTopic", verbose_name=_("topics"), blank=True, related_name="resources"
    )
    resource_type = models.CharField(
        _("type"), max_length=20, choices=ResourceType.choices, default=ResourceType.LESSON_PLAN
    )
    lesson_kind = models.CharField(_("lesson kind"), max_length=20, choices=LessonKind.choices, blank=True)
    author = models.CharField(_("author"), max_length=60, blank=True)
    school = models.ForeignKey(
        School, verbose_name=_("author's school"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    featured = models.BooleanField(_("featured (精品)"), default=False)
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices, default=Licence.SCHOOL_USE)
    # Kept by resources.services.record_download (one UPDATE per download), never edited.
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)

    base_form_class = ResourcePageForm
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("resource_type"),
                FieldPanel("lesson_kind"),
                FieldPanel("grade_bands"),
                FieldPanel("topics"),
            ],
            heading=_("Classification"),
        ),
        InlinePanel("attachments", heading=_("Files"), label=_("file"), min_num=0, max_num=10),
        FieldPanel("body"),
        FieldPanel("interactive"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("author"), FieldPanel("school")]),
                FieldPanel("licence"),
                FieldPanel("featured"),
            ],
            heading=_("Author and licence"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["resources.ResourceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        indexes = [models.Index(fields=["-download_count"], name="resource_most_downloaded")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        builder = PAGE_CONTEXT.get(type(self))
        if builder:
            context.update(builder(self, request))
        return context

    def h5p_blocks(self) -> dict[int, int]:
        """H5P content id → pass mark, like a lesson's; always 0 here (nothing is credited).
        From raw data: the player checks the content exists."""
        return {
            int(b["value"]["content"]): 0
            for b in self.interactive.raw_data
            if b["type"] == "h5p" and (b.get("value") or {}).get("content")
        }

    def h5p_playable_by(self, user) -> bool:
        """The page is published and unrestricted, and the user may use its files."""
        check = H5P_PLAYABLE.get(type(self))
        return bool(check and check(self, user))

    def grade_band_labels(self) -> list[str]:
        labels = dict(GradeBand.choices)
        return [str(labels[b]) for b in self.grade_bands if b in labels]


class ResourceAttachment(Orderable):
    """One file of a resource: a Wagtail document (the editor uploads or chooses it)."""

    page = ParentalKey(ResourcePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("file"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    label = models.CharField(_("label"), max_length=80, blank=True, help_text=_("Shown instead of the file's title."))

    panels = [FieldPanel("document"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self) -> str:
        return self.label or self.document.title
