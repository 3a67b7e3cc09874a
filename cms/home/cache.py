"""The home page, cached whole for anonymous visitors and dropped whenever a page is published.

The cache holds the rendered page with the CSRF token (the footer's language form) replaced by
a placeholder; each visitor gets their own token back in, so a cached page never carries
someone else's. Pages with a one-off message (after logging out) are not cached.
A version number in the key is bumped on publish/unpublish/delete, so invalidation is one
write whatever the number of languages and sites.
"""

from __future__ import annotations

import re

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

VERSION_KEY = "home:version"
PLACEHOLDER = b"__XINYU_CSRF_TOKEN__"
# {% csrf_token %} renders a freshly masked token each time, so it is found by its field, not its value.
TOKEN_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
SECONDS = 600


def invalidate(**_kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def _key(request) -> str:
    version = cache.get_or_set(VERSION_KEY, 1, None)
    return f"home:{version}:{request.get_host()}:{get_language()}"


def cacheable(request) -> bool:
    return (
        request.method == "GET"
        and not request.GET
        and not request.user.is_authenticated
        and not len(get_messages(request))
    )


def serve_cached(request, render) -> HttpResponse:
    """The cached page for this anonymous visitor, or `render()`'s page, stored for the next."""
    key = _key(request)
    content = cache.get(key)
    if content is None:
        response = render()
        if hasattr(response, "render"):
            response.render()
        if response.status_code != 200:
            return response
        cache.set(key, TOKEN_FIELD.sub(rb"\1" + PLACEHOLDER + rb"\2", response.content), SECONDS)
        response["X-Home-Cache"] = "miss"
        return response
    response = HttpResponse(content.replace(PLACEHOLDER, get_token(request).encode()))
    response["X-Home-Cache"] = "hit"
    return response
