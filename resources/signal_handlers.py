"""Keep the search index in step with the library: publish, unpublish, delete, move, privacy.

Each event schedules `search.update` for the resource after the transaction commits; the task
reads the page's state then, so it indexes a published page and removes any other.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from search.signals import schedule_update

from .models import ResourcePage
from .services import SEARCH_SOURCE_KEY


def _resources_under(page) -> list[int]:
    return list(ResourcePage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))


@receiver(page_published, sender=ResourcePage)
@receiver(page_unpublished, sender=ResourcePage)
def resource_changed(sender, instance, **kwargs):
    schedule_update(SEARCH_SOURCE_KEY, instance.pk)


@receiver(post_delete, sender=ResourcePage)
def resource_deleted(sender, instance, **kwargs):
    schedule_update(SEARCH_SOURCE_KEY, instance.pk)


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    for pk in _resources_under(instance):
        schedule_update(SEARCH_SOURCE_KEY, pk)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def privacy_changed(sender, instance, **kwargs):
    for pk in _resources_under(instance.page):
        schedule_update(SEARCH_SOURCE_KEY, pk)
