"""The home page's "newest resources": the library's public, published resources, newest first.

Named by `settings.HOME_NEWEST_RESOURCES` (the default); the library decides what is visible.
"""

from resources.services import visible_resources


def newest(limit: int = 4) -> list:
    return list(visible_resources().order_by("-first_published_at").only("id", "title", "url_path")[:limit])
