"""Wagtail's page routing, remembered (decision 0025).

Wagtail finds a page by walking the tree from the site's root: one query for the site, two per
level (the child by slug, then its specific row), then two more for the view restrictions of
the page and its ancestors. A lesson at /training/<course>/<lesson>/ costs 10 queries before
its own code runs, and the answer is the same for every visitor until a page is published,
moved or deleted, a restriction changes or a site is edited.

`serve` is Wagtail's own view with the route looked up in the cache first: the key is the
content version (cms.core.versions, bumped by each of those changes), the host and the path;
the value is the site, the page (with its ancestors, as Wagtail's routing attaches them) and
its view restrictions. Wagtail's view then runs unchanged: its hooks, the restriction check
(with the cached list) and the page's own `serve`. Only plain routes are remembered: a page
whose class (or an ancestor's) routes differently (`RoutablePageMixin`) is routed every time.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.http import HttpRequest
from django.http.request import split_domain_port

from wagtail import views as wagtail_views
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from . import readahead, versions

log = logging.getLogger(__name__)
SECONDS = 3600  # a backstop: publishing, moving or deleting a page starts a new generation at once


def _host(request: HttpRequest) -> tuple[str, int]:
    return split_domain_port(request._get_raw_host())[0], request.get_port()


def _keys(request: HttpRequest, path: str) -> tuple[str, str, str]:
    """The site's, the route's and the root paths' keys. The generation is in the value, not
    the key, so the keys are known from the request alone and read in its first round trip."""
    hostname, port = _host(request)
    return f"site:{hostname}:{port}", f"route:{hostname}:{port}:{path}", "site-roots"


def expected_keys(request: HttpRequest) -> list[str]:
    """What a page GET will read here (cms.core.readahead): its first cache read brings them."""
    return list(_keys(request, request.path_info.lstrip("/")))


def _current(found: dict, key: str, version: int):
    """The cached value at `key` if it belongs to this content generation, else None."""
    entry = found.get(key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
        return entry[1]
    return None


def _keep(key: str, version: int, value) -> None:
    cache.set(key, (version, value), SECONDS)
    readahead.remember(key, (version, value))


def cached_site(request: HttpRequest) -> Site | None:
    """The request's site if the request or the cache knows it already (no query), else None."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    site_key = _keys(request, "")[0]
    return _current(readahead.get_many([site_key]), site_key, versions.current(versions.CONTENT))


def site_for_request(request: HttpRequest) -> Site | None:
    """`Site.find_for_request`, answered from the cache (and remembered on the request as Wagtail does)."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    site_key, _route_key, _roots_key = _keys(request, "")
    version = versions.current(versions.CONTENT)
    site = _current(readahead.get_many([site_key]), site_key, version)
    if site is None:
        site = Site.find_for_request(request)
        if site is not None:
            _keep(site_key, version, site)
    request._wagtail_site = site
    return site


def _plain_route(page: Page) -> bool:
    """True when the page and every ancestor walked to reach it route with Wagtail's default."""
    node = page
    while node is not None:
        if type(node).route is not Page.route:
            return False
        node = getattr(node, "_cached_parent_obj", None)
    return True


class _CachedRestrictions:
    """Stands in for `page.get_view_restrictions` with the list read when the route was cached."""

    def __init__(self, restrictions):
        self.restrictions = restrictions

    def __call__(self):
        return self.restrictions


def prime(request: HttpRequest, path: str) -> None:
    """Put the cached route (or the one computed now, for the next visitor) where Wagtail looks for it.

    The site, the route and the sites' root paths (which every `{% pageurl %}` needs) come in one
    round trip to the cache; the root paths go where Wagtail keeps them for the request."""
    if request.method not in ("GET", "HEAD") or hasattr(request, "_wagtail_route_for_request"):
        return
    version = versions.current(versions.CONTENT)
    site_key, key, roots_key = _keys(request, path)
    found = readahead.get_many([site_key, key, roots_key])  # fetched with the counters, as a rule
    if not hasattr(request, "_wagtail_site"):
        site = _current(found, site_key, version)
        if site is None:
            site = Site.find_for_request(request)
            if site is not None:
                _keep(site_key, version, site)
        request._wagtail_site = site
    if request._wagtail_site is None:
        return
    roots = _current(found, roots_key, version)
    if roots is None:
        roots = Site.get_site_root_paths()
        _keep(roots_key, version, roots)
    request._wagtail_cached_site_root_paths = roots
    hit = _current(found, key, version)
    if hit is None:
        result = Page.route_for_request(request, path)
        if result is None or result.args or result.kwargs or not _plain_route(result.page):
            return
        restrictions = list(result.page.get_view_restrictions())
        try:
            _keep(key, version, (result.page, restrictions))
        except Exception:  # an unpicklable page type: route it every time
            log.warning("route of %s not cached", type(result.page).__name__, exc_info=True)
        result.page.get_view_restrictions = _CachedRestrictions(restrictions)
        return
    page, restrictions = hit
    page.get_view_restrictions = _CachedRestrictions(restrictions)
    request._wagtail_route_for_request = RouteResult(page)


def serve(request: HttpRequest, path: str):
    prime(request, path)
    return wagtail_views.serve(request, path)
