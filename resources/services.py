"""The library's domain operations: who may download, logging a download, "my downloads", the
usage counts coordinators read, and what the search index holds for a resource.

Who may do what (checked on the server for every view):
- anyone, signed in or not: read published, unrestricted resource pages (summary, notes, file list);
- teachers with an active profile, coordinators, editors: download the files and preview their text;
- nobody: reach a draft, an unpublished or a privacy-restricted resource through the library or search.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, QuerySet
from django.http import HttpRequest
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from accounts.models import TeacherProfile
from accounts.roles import is_editor
from accounts.scope import scope_for
from search import registry
from search.signals import schedule_update

from .extract import ExtractionError, extract_text
from .models import (
    DocumentText,
    GradeBand,
    LessonKind,
    ResourceAttachment,
    ResourceDownload,
    ResourceIndexPage,
    ResourcePage,
    ResourceTopic,
    ResourceType,
)

SEARCH_SOURCE_KEY = "resource"
LIST_SIZE = 6
PREVIEW_CHARS = 1_200


# -- who may download ---------------------------------------------------------------------------
def can_download(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or is_editor(user):
        return True
    if TeacherProfile.objects.filter(user=user, is_active=True).exists():
        return True
    return scope_for(user).is_coordinator


def visible_resources() -> QuerySet[ResourcePage]:
    """Published resources that no privacy setting hides (on them or on an ancestor)."""
    return ResourcePage.objects.live().public()


def is_visible(page: ResourcePage) -> bool:
    return visible_resources().filter(pk=page.pk).exists()


def can_play_h5p(page: ResourcePage, user) -> bool:
    """A resource's H5P exercises are part of its material, like its files: the same people,
    on a published page no privacy setting hides."""
    return can_download(user) and is_visible(page)


# -- downloads ------------------------------------------------------------------------------------
def record_download(user, attachment: ResourceAttachment) -> ResourceDownload:
    """Log one download (user, resource, file, the user's school and district now) and count it."""
    teacher = TeacherProfile.objects.filter(user=user).select_related("school").first()
    school = teacher.school if teacher else None
    with transaction.atomic():
        download = ResourceDownload.objects.create(
            user=user,
            resource_id=attachment.page_id,
            attachment=attachment,
            school=school,
            district_id=school.district_id if school else None,
        )
        ResourcePage.objects.filter(pk=attachment.page_id).update(download_count=F("download_count") + 1)
        schedule_update(SEARCH_SOURCE_KEY, attachment.page_id)  # "most downloaded" order
    return download


def my_downloads(user) -> QuerySet[ResourcePage]:
    """The resources this user downloaded, latest first (each once), still visible."""
    return (
        visible_resources()
        .filter(downloads__user=user)
        .annotate(last_downloaded=Max("downloads__created_at"), times=Count("downloads"))
        .order_by("-last_downloaded")
    )


def downloaded_plans(user) -> QuerySet[ResourcePage]:
    """What the class delivery form offers as "the plan I used": my downloads."""
    return my_downloads(user)


def usage_by_school(schools: QuerySet, start=None, end=None):
    """Downloads per school (of the given schools), in the school at download time: one query."""
    downloads = ResourceDownload.objects.filter(school__in=schools)
    if start:
        downloads = downloads.filter(created_at__date__gte=start)
    if end:
        downloads = downloads.filter(created_at__date__lte=end)
    return (
        downloads.values("school_id", "school__name", "district__name")
        .annotate(
            downloads=Count("pk"), resources=Count("resource", distinct=True), teachers=Count("user", distinct=True)
        )
        .order_by("district__name", "school__name")
    )


# -- the text of the files -----------------------------------------------------------------------
def document_text(document) -> str:
    """The document's text, read once per file version (kept in DocumentText)."""
    cached = DocumentText.objects.filter(document=document).first()
    if cached is not None and cached.file_hash == (document.file_hash or ""):
        return cached.text
    text, error = "", ""
    try:
        with document.open_file() as handle:
            text = extract_text(handle, document.file_extension)
    except ExtractionError as problem:
        error = str(problem)[:200]
    except (OSError, ValueError):  # the file is gone from storage
        error = "missing file"
    DocumentText.objects.update_or_create(
        document=document, defaults={"file_hash": document.file_hash or "", "text": text, "error": error}
    )
    return text


def preview_text(page: ResourcePage) -> str:
    texts = [document_text(a.document) for a in page.attachments.select_related("document")]
    return "\n".join(t for t in texts if t)[:PREVIEW_CHARS]


# -- search ---------------------------------------------------------------------------------------
def search_document(object_id: str) -> registry.Document | None:
    page = ResourcePage.objects.filter(pk=object_id).prefetch_related("topics").first() if object_id.isdigit() else None
    if page is None or not is_visible(page):
        return None
    topics = list(page.topics.all())
    attachments = page.attachments.select_related("document")
    files_text = "\n".join(document_text(a.document) for a in attachments)
    labels = [page.author, page.school.name if page.school_id else "", *(t.name for t in topics)]
    # Labels in Chinese and English, whatever language the indexing process runs in: a teacher
    # who types 教案 or "lesson plan" finds a lesson plan.
    for language in (settings.LANGUAGE_CODE, "en"):
        with translation.override(language):
            labels += [
                str(page.get_resource_type_display()),
                str(page.get_lesson_kind_display()) if page.lesson_kind else "",
                *page.grade_band_labels(),
            ]
    return registry.Document(
        source=SEARCH_SOURCE_KEY,
        object_id=str(page.pk),
        title=page.title,
        url=page.url or "",
        summary=page.summary,
        body=" ".join(filter(None, [_plain(page.body), files_text])),
        keywords=" ".join(str(x) for x in labels if x),
        facets={
            "resource_type": [page.resource_type],
            "grade_band": list(page.grade_bands),
            "topic": [t.slug for t in topics],
            **({"lesson_kind": [page.lesson_kind]} if page.lesson_kind else {}),
            registry.AUDIENCE_FACET: ["parents"] if page.lesson_kind == LessonKind.PARENT_SESSION else ["teachers"],
        },
        published_at=page.first_published_at,
        popularity=page.download_count,
        featured=page.featured,
    )


def _plain(html: str) -> str:
    return strip_tags(html or "")


def _all_ids():
    return visible_resources().values_list("pk", flat=True)


SEARCH_SOURCE = registry.Source(SEARCH_SOURCE_KEY, _("Resource"), search_document, _all_ids)
SEARCH_FACETS = [
    registry.Facet("resource_type", _("Type"), lambda: dict(ResourceType.choices), order=10),
    registry.Facet("grade_band", _("Grade band"), lambda: dict(GradeBand.choices), order=20),
    registry.Facet("topic", _("Topic"), lambda: dict(ResourceTopic.objects.values_list("slug", "name")), order=30),
    registry.Facet("lesson_kind", _("Lesson kind"), lambda: dict(LessonKind.choices), order=40),
]


# -- page context ---------------------------------------------------------------------------------
def index_context(page: ResourceIndexPage, request: HttpRequest) -> dict:
    resources = visible_resources().descendant_of(page)
    return {
        "latest": resources.order_by("-first_published_at")[:LIST_SIZE],
        "most_downloaded": resources.filter(download_count__gt=0).order_by("-download_count", "title")[:LIST_SIZE],
        "featured": resources.filter(featured=True).order_by("-first_published_at")[:LIST_SIZE],
        "topics": ResourceTopic.objects.all(),
        "grade_bands": GradeBand.choices,
        "resource_types": ResourceType.choices,
        "resource_count": resources.count(),
        "can_download": can_download(request.user),
    }


def resource_context(page: ResourcePage, request: HttpRequest) -> dict:
    allowed = can_download(request.user)
    return {
        "can_download": allowed,
        "attachments": page.attachments.select_related("document"),
        "preview": preview_text(page) if allowed else "",
        "can_play_h5p": allowed,
        "topics": page.topics.all(),
    }
