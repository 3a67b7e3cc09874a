"""The xAPI statement endpoint's short middleware chain (decision 0035).

The H5P player posts every statement to one URL, up to several times a second per learner in
a deadline rush. Profiling that POST through the site's full chain (cProfile over 3,000
requests through the WSGI handler) put a third of its CPU in the fourteen middleware and the
URL resolver, which walks the site's patterns before reaching it; most of those middleware
have nothing to do for this URL.

`StatementPathMiddleware` sits first in MIDDLEWARE. A POST whose path is the statement URL
(taken from the URLconf, `courses:h5p_statement`) runs through a chain built once from the
site's own MIDDLEWARE minus SKIPPED — the middleware that have nothing to do for this URL,
each with its reason — and straight into the view, without the resolver. Everything else goes
on through the full chain untouched.

What still runs, as on any other URL: the security headers and HTTPS redirect, the
Content-Security-Policy, the session (loaded only when the grant's session tag is not
confirmed lately), the language (Chinese messages), the request size limit, CommonMiddleware
(blocked user agents, Content-Length), the CSRF check (Django's own, with its view hook), the
user (lazy) and X-Frame-Options. A middleware added to MIDDLEWARE later runs here too unless
it is added to SKIPPED with a reason: the safe default. tests/h5p/test_statement_path.py
checks each property through this chain.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.core.handlers.exception import convert_exception_to_response
from django.urls import NoReverseMatch, ResolverMatch, get_script_prefix, get_urlconf, reverse
from django.utils.module_loading import import_string

from . import views

SELF = "courses.h5p.middleware.StatementPathMiddleware"
# Middleware that do nothing for a POST to the statement URL, and why.
SKIPPED = {
    "whitenoise.middleware.WhiteNoiseMiddleware": "serves files under /static/ only",
    "django.contrib.messages.middleware.MessageMiddleware": "the endpoint neither reads nor sends messages",
    "allauth.account.middleware.AccountMiddleware": "allauth's login flows and its /accounts/ 404 redirect",
    "accounts.mfa.MfaRequiredMiddleware": (
        "lets grant URLs through (accounts.mfa.GRANT_PREFIXES): the player page it guards minted the grant"
    ),
    "wagtail.contrib.redirects.middleware.RedirectMiddleware": "acts on 404s of site pages only",
    "cms.middleware.ReadAheadMiddleware": "acts on GET and HEAD only (cache keys of pages)",
}
PLACEHOLDER = "TOKEN"  # stands for the grant while the URL is turned into a pattern


class StatementPathMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._patterns: dict[str, re.Pattern | None] = {}
        self._chain = None
        self._view_middleware: list = []
        self._exception_middleware: list = []

    def __call__(self, request):
        if request.method == "POST":
            pattern = self._pattern()
            match = pattern.fullmatch(request.path_info) if pattern is not None else None
            if match is not None:
                request._h5p_token = match.group(1)
                return self.chain()(request)
        return self.get_response(request)

    def _pattern(self) -> re.Pattern | None:
        """The statement URL of the current URLconf as a pattern on path_info (which carries no
        script prefix); None when the URLconf has no such URL."""
        key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
        try:
            return self._patterns[key]
        except KeyError:
            pass
        try:
            path = reverse("courses:h5p_statement", args=[PLACEHOLDER], urlconf=key[0])
        except NoReverseMatch:
            pattern = None
        else:
            path = "/" + path.removeprefix(key[1]).lstrip("/")
            pattern = re.compile(re.escape(path).replace(PLACEHOLDER, "([^/]+)"))
        self._patterns[key] = pattern
        return pattern

    def chain(self):
        """The short chain, built like Django's own (BaseHandler.load_middleware), sync only."""
        if self._chain is not None:
            return self._chain
        # Built into locals and published last: two threads of a gthread worker may build it at
        # once on the first statements; each gets a whole chain, never hooks listed twice.
        view_middleware, exception_middleware = [], []
        handler = convert_exception_to_response(self._view)
        for path in reversed(settings.MIDDLEWARE):
            if path == SELF or path in SKIPPED:
                continue
            try:
                instance = import_string(path)(handler)
            except MiddlewareNotUsed:
                continue
            if hasattr(instance, "process_view"):
                view_middleware.insert(0, instance.process_view)
            if hasattr(instance, "process_exception"):
                exception_middleware.append(instance.process_exception)
            handler = convert_exception_to_response(instance)
        self._view_middleware, self._exception_middleware = view_middleware, exception_middleware
        self._chain = handler
        return handler

    def _view(self, request):
        """What BaseHandler._get_response does, with the view known: its view hooks (CSRF), the
        view, its exception hooks."""
        kwargs = {"token": request._h5p_token}
        request.resolver_match = ResolverMatch(
            views.statement, (), kwargs, url_name="h5p_statement", app_names=["courses"], namespaces=["courses"]
        )
        for process_view in self._view_middleware:
            response = process_view(request, views.statement, (), kwargs)
            if response:
                return response
        try:
            return views.statement(request, **kwargs)
        except Exception as exc:
            for process_exception in self._exception_middleware:
                response = process_exception(request, exc)
                if response:
                    return response
            raise
