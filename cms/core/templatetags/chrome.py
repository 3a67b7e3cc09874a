"""The site chrome (hotline strip, header with its menu, footer) rendered once and reused (decision 0036).

`{% chrome "core/_site_header.html" %}` renders the include with the page's context the first
time and keeps the HTML in the cache under a key made of everything the include reads:

- the language, the content generation (section pages, site settings: cms.core.versions) and the site;
- the navigation the context processor built for this request — each link's label, URL, active
  flag and badge (so the coordinator links, the unread count and the section being read), the
  menu facts (teacher, parent, site admin) and the help page — all already cached and invalidated
  by decision 0025 (publish, role change, new or read notice);
- whether someone is logged in, who (their pk) and the name the menu shows;
- the include's own source (a deploy that changes the template starts new keys).

A key is a digest of those values, so another user, another unread count or another active
section can never find this HTML: it is not a cache that must be invalidated, it is rendered
again whenever what it shows differs. What differs on every request is left as placeholders and
put in at the end: the CSRF token (Django's per-request masked token, as `{% csrf_token %}`
gives, which also marks the cookie for sending) and the page's own path (the language form's
`next`, the login link's `next`).
"""

from __future__ import annotations

import hashlib

from django import template
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.defaultfilters import urlencode
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .. import template_sources, versions
from ..routing import site_for_request

register = template.Library()

SECONDS = 3600  # a backstop: every key is exact, nothing here needs to expire for correctness
_CSRF = "\x00chrome-csrf\x00"
_NEXT = "\x00chrome-next\x00"
_LOGIN_NEXT = "\x00chrome-login-next\x00"
# base.html's two includes: the first one a page renders reads both from the cache in one round trip.
READ_TOGETHER = ("core/_site_header.html", "core/_site_footer.html")


def _key(context, name: str, request) -> str:
    user = getattr(request, "user", None)
    logged_in = bool(user is not None and user.is_authenticated)
    site = site_for_request(request)
    links = tuple(
        (str(link.get("label", "")), link.get("url"), bool(link.get("active")), link.get("badge"))
        for link in context.get("nav_links") or ()
    )
    menu = tuple(sorted((context.get("menu") or {}).items()))
    facts = (
        get_language(),
        versions.current(versions.CONTENT),
        site.pk if site is not None else None,
        logged_in,
        user.pk if logged_in else None,
        user.display_name if logged_in else None,
        links,
        menu,
        context.get("help_url"),
    )
    digest = hashlib.blake2b(repr(facts).encode(), digest_size=16).hexdigest()
    return f"chrome:{template_sources.digest(name)}:{digest}"


@register.simple_tag(takes_context=True)
def chrome(context, name: str):
    request = context.get("request")
    if request is None:  # rendered outside a request (an email, a test of a bare template): no caching
        return template.loader.render_to_string(name, context.flatten())
    key = _key(context, name, request)
    found = request.__dict__.setdefault("_chrome_found", {})
    if key not in found:
        keys = [key] + [_key(context, other, request) for other in READ_TOGETHER if other != name]
        keys += [k for k in context.get("fragment_keys") or () if k]  # the page's own {% fragment %}s
        found.update(dict.fromkeys(keys))
        found.update(cache.get_many(keys))
    html = found.pop(key)
    if html is None:
        with context.push(csrf_token=_CSRF, chrome_next=_NEXT, chrome_login_next=_LOGIN_NEXT):
            html = str(get_template(name).template.render(context))
        cache.set(key, html, SECONDS)
    return _filled(html, context, request)


def _filled(html: str, context, request):
    """The cached HTML with this request's CSRF token and path put in."""
    if _CSRF in html:
        # The page's own token when it has one (the csrf context processor masks once per render), so
        # the header, the footer and the page's forms share one masking instead of one each.
        token = context.get("csrf_token")
        html = html.replace(_CSRF, str(token) if token and str(token) != "NOTPROVIDED" else get_token(request))
    if _NEXT in html:
        html = html.replace(_NEXT, escape(request.get_full_path()))
    if _LOGIN_NEXT in html:
        html = html.replace(_LOGIN_NEXT, escape(urlencode(request.path)))
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, with autoescape; the parts put in are escaped


class FragmentNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist, self.key = nodelist, key

    def render(self, context):
        key = self.key.resolve(context)
        request = context.get("request")
        if not key or request is None:
            return self.nodelist.render(context)
        found = request.__dict__.get("_chrome_found") or {}
        html = found.pop(key) if key in found else cache.get(key)
        if html is None:
            with context.push(csrf_token=_CSRF, chrome_next=_NEXT, chrome_login_next=_LOGIN_NEXT):
                html = str(self.nodelist.render(context))
            cache.set(key, html, SECONDS)
        return _filled(html, context, request)


@register.tag
def fragment(parser, token):
    """`{% fragment key %}…{% endfragment %}`: the enclosed HTML rendered once per `key` and reused,
    the CSRF token and the path put in per request as for the chrome. The view computes `key`
    from everything the fragment shows (None: render it every time) and lists it in the context's
    `fragment_keys`, so it is read in the chrome's round trip. Used by the lesson page (decision 0044)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% fragment %} takes one argument: the key")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]))
