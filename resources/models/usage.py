"""Who downloaded what, and the text read out of the files for search.

A download row keeps a snapshot of the teacher's school and district at the time, so the
coordinators' usage report counts a download where it happened, as the ledger does with hours.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import District, School

from .pages import ResourceAttachment, ResourcePage


class ResourceDownload(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="resource_downloads"
    )
    resource = models.ForeignKey(
        ResourcePage, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="downloads"
    )
    attachment = models.ForeignKey(
        ResourceAttachment, verbose_name=_("file"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    school = models.ForeignKey(School, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    district = models.ForeignKey(District, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("downloaded at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("resource download")
        verbose_name_plural = _("resource downloads")
        indexes = [
            models.Index(fields=["user", "resource"], name="download_user_resource"),
            models.Index(fields=["district", "school", "created_at"], name="download_where_when"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.resource_id} {self.user_id}"


class DocumentText(models.Model):
    """Text extracted from one document version (keyed by its hash), for the search index."""

    document = models.OneToOneField("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")
    file_hash = models.CharField(max_length=40, blank=True)
    text = models.TextField(blank=True)
    error = models.CharField(max_length=200, blank=True)
    extracted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("extracted text")
        verbose_name_plural = _("extracted texts")

    def __str__(self) -> str:
        return f"{self.document_id}: {len(self.text)} chars"
