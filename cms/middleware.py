"""Middleware of the wiring on top (it knows the navigation as well as cms.core's kit)."""

from .context_processors import expected_keys as navigation_keys
from .core import readahead, routing


class ReadAheadMiddleware:
    """Says early which cache keys a page GET will read (cms.core.readahead, decision 0044), so
    they come in round trips the request makes anyway: the site, the route and the root paths
    with its first read (the generation counters, at the second-factor check); the menu's keys
    (section links, the user's menu facts, the unread count) with the page's own read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            readahead.expect(routing.expected_keys(request))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in ("GET", "HEAD"):
            readahead.expect(navigation_keys(request))
