"""Courses in the one search page: each published, unrestricted course page is a document.

Registered with `search` in CoursesConfig.ready (search imports no app); publish, unpublish,
delete and move schedule the index update, as the resource library does.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from wagtail.signals import page_published, page_unpublished, post_page_move

from search import registry
from search.signals import schedule_update

from .models import CoursePage

SOURCE_KEY = "course"


def search_document(object_id: str) -> registry.Document | None:
    page = CoursePage.objects.live().public().filter(pk=object_id).first() if object_id.isdigit() else None
    if page is None:
        return None
    audience = []
    if page.teacher_categories:
        audience.append("teachers")
    if page.parent_age_stages:
        audience.append("parents")
    return registry.Document(
        source=SOURCE_KEY,
        object_id=str(page.pk),
        title=page.title,
        url=page.url or "",
        summary=page.summary,
        body=strip_tags(page.outline or ""),
        keywords=" ".join(_labels(page)),
        facets={registry.AUDIENCE_FACET: audience},
        published_at=page.first_published_at,
        popularity=0,
        featured=page.compulsory,
    )


def _labels(page: CoursePage) -> list[str]:
    labels = []
    for language in (settings.LANGUAGE_CODE, "en"):  # found in either language, whatever the process speaks
        with translation.override(language):
            labels += [str(page.get_topic_display()), *page.audience_labels()]
    return labels


def all_ids():
    return CoursePage.objects.live().public().values_list("pk", flat=True)


SEARCH_SOURCE = registry.Source(SOURCE_KEY, _("Course"), search_document, all_ids)


@receiver(page_published, sender=CoursePage)
@receiver(page_unpublished, sender=CoursePage)
@receiver(post_delete, sender=CoursePage)
def course_changed(sender, instance, **kwargs):
    schedule_update(SOURCE_KEY, instance.pk)


@receiver(post_page_move)
def course_moved(sender, instance, **kwargs):
    for pk in CoursePage.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True):
        schedule_update(SOURCE_KEY, pk)
