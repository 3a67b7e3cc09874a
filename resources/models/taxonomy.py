"""Topics: the taxonomy editors manage (the fixed classifications are in resources/choices.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.search import index
from wagtail.snippets.models import register_snippet

from ..choices import GradeBand, LessonKind, Licence, ResourceType

__all__ = ["GradeBand", "LessonKind", "Licence", "ResourceTopic", "ResourceType"]


@register_snippet
class ResourceTopic(index.Indexed, models.Model):
    """主题: the editors' taxonomy (自我认识, 情绪管理 …), kept as snippets."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    slug = models.SlugField(_("code"), max_length=40, unique=True, allow_unicode=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("resource topic")
        verbose_name_plural = _("resource topics")

    def __str__(self) -> str:
        return self.name
