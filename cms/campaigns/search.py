"""Campaign pages in the one search page (issue 13: "resources, courses and, when they exist, campaign
pages"): each published, unrestricted campaign is a document, its theme, summary and the text of its
body searchable, its audience a facet value (教师 / 家长; 所有人 is both).

Registered with `search` in CampaignsConfig.ready (search imports no app); publish, unpublish,
delete and move schedule the index update through the Celery task, as courses and resources do.
"""

from __future__ import annotations

import datetime

from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from wagtail.signals import page_published, page_unpublished, post_page_move

from search import registry
from search.signals import schedule_update

from .models import Audience, CampaignPage

SOURCE_KEY = "campaign"
AUDIENCES = {
    Audience.EVERYONE: ["teachers", "parents"],
    Audience.TEACHERS: ["teachers"],
    Audience.PARENTS: ["parents"],
    Audience.STUDENTS: [],
}


def _body_text(page: CampaignPage) -> str:
    parts = []
    for block in page.body:
        value = block.value
        if hasattr(value, "source"):  # rich text
            parts.append(strip_tags(value.source))
        elif isinstance(value, str):
            parts.append(strip_tags(value))
        elif hasattr(value, "items"):  # a struct (an event): its text fields
            parts += [strip_tags(str(v)) for v in value.values() if isinstance(v, str)]
    return " ".join(p for p in parts if p)


def search_document(object_id: str) -> registry.Document | None:
    page = CampaignPage.objects.live().public().filter(pk=object_id).first() if object_id.isdigit() else None
    if page is None:
        return None
    key_date = page.key_date.name if page.key_date_id else ""
    return registry.Document(
        source=SOURCE_KEY,
        object_id=str(page.pk),
        title=page.title,
        url=page.url or "",
        summary=page.summary or page.theme,
        body=_body_text(page),
        keywords=" ".join(p for p in (page.theme, key_date) if p),
        facets={registry.AUDIENCE_FACET: AUDIENCES.get(page.audience, [])},
        published_at=page.first_published_at
        or timezone.make_aware(datetime.datetime.combine(page.start_date, datetime.time())),
        popularity=0,
        # A campaign on now ranks a little higher, like a featured resource.
        featured=page.start_date <= timezone.localdate() <= page.end_date,
    )


def all_ids():
    return CampaignPage.objects.live().public().values_list("pk", flat=True)


SEARCH_SOURCE = registry.Source(SOURCE_KEY, _("Campaign"), search_document, all_ids)


@receiver(page_published, sender=CampaignPage)
@receiver(page_unpublished, sender=CampaignPage)
@receiver(post_delete, sender=CampaignPage)
def campaign_changed(sender, instance, **kwargs):
    schedule_update(SOURCE_KEY, instance.pk)


@receiver(post_page_move)
def campaign_moved(sender, instance, **kwargs):
    for pk in CampaignPage.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True):
        schedule_update(SOURCE_KEY, pk)
