"""Publishing, unpublishing or deleting any page empties the anonymous home-page cache."""

from django.db.models.signals import post_delete

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from .cache import invalidate

page_published.connect(invalidate, dispatch_uid="home-cache-published")
page_unpublished.connect(invalidate, dispatch_uid="home-cache-unpublished")
post_delete.connect(invalidate, sender=Page, dispatch_uid="home-cache-deleted")
