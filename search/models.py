"""The search index kept in the database: one row per searchable document, its facet values in
a child table. Apps never write here: `search.services` does, from the documents they register.

On PostgreSQL the migration adds `search_vector` and `title_vector`, stored generated tsvectors
made from the pre-segmented tokens, the first with a GIN index; the model does not declare them,
so SQLite (the demo run) keeps the same table without them (docs/search.md).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    source = models.CharField(_("source"), max_length=32)
    object_id = models.CharField(_("object id"), max_length=64)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    url = models.CharField(_("address"), max_length=500)
    # Space-separated jieba tokens (search.segment); the tsvector is generated from them.
    title_tokens = models.TextField(blank=True)
    text_tokens = models.TextField(blank=True)
    facets = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    popularity = models.PositiveIntegerField(_("downloads"), default=0)
    featured = models.BooleanField(default=False)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [models.UniqueConstraint(fields=["source", "object_id"], name="search_entry_unique_object")]
        indexes = [
            models.Index(fields=["-published_at"], name="search_entry_newest"),
            models.Index(fields=["-popularity"], name="search_entry_popular"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.object_id} {self.title}"


class SearchFacet(models.Model):
    """One facet value of one entry: filters and counts are a join and a GROUP BY."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="facet_rows")
    key = models.CharField(max_length=32)
    value = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "key", "value"], name="search_facet_unique")]
        indexes = [models.Index(fields=["key", "value", "entry"], name="search_facet_lookup")]

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
