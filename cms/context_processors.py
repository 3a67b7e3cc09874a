"""Site-wide navigation: the five sections of the platform and the account menu.

`cms` is the wiring on top of the apps: it may import them, through their narrow functions
(`scope_for`, `tracking.notices.services.unread_count`), never their models' internals.

It runs on every page, so what it reads is cached (decision 0025): the section links per site
until the next publish (content version), the menu facts per user until that user's roles,
profiles, groups or permissions change (cms/core/cache_signals.py), and the unread count per
user until a notice of theirs is written or read (tracking.notices.services). The cached menu is
only ever used to draw links: every view still checks scope and role itself."""

import functools

from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

from accounts.models import User
from accounts.scope import scope_for
from tracking.notices.services import unread_count, unread_key

from .core import readahead, versions
from .core.cache_signals import user_menu_key
from .core.routing import cached_site, site_for_request

MENU_SECONDS = 300  # a backstop for role changes made without signals (bulk updates)

# Section pages are the home page's children with these slugs; the page type behind a
# slug is free (a course catalogue, a resource library, ...). Missing pages are skipped.
SECTIONS = [
    ("training", _("Teacher training")),
    ("resources", _("Resource library")),
    ("parents", _("Parent school")),
    ("campaigns", _("Campaigns")),
    ("help", _("Where to get help")),
]


def _sections_key(site) -> str:
    return f"nav:sections:{versions.current(versions.CONTENT)}:{site.pk}"


def _section_urls(request, found: dict) -> list[tuple[str, str]]:
    """(slug, url) of the live section pages, the same for every visitor: cached per site and content
    version; `found` holds what `_read_ahead` read of the cache."""
    site = site_for_request(request)
    if site is None:
        return []
    key = _sections_key(site)
    urls = found.get(key)
    if urls is None:
        slugs = [slug for slug, _label in SECTIONS]
        pages = {p.slug: p for p in Page.objects.child_of(site.root_page).live().filter(slug__in=slugs)}
        urls = [(slug, pages[slug].relative_url(site, request)) for slug, _label in SECTIONS if slug in pages]
        cache.set(key, urls, 3600)
    return urls


def _section_links(request, found: dict) -> list[dict]:
    labels = dict(SECTIONS)
    return [
        {"label": labels[slug], "url": url, "active": request.path.startswith(url), "slug": slug}
        for slug, url in _section_urls(request, found)
    ]


def _keys(site, user) -> list[str]:
    keys = [_sections_key(site)] if site is not None else []
    if user is not None and user.is_authenticated:
        keys += [user_menu_key(user.pk), unread_key(user.pk)]
    return keys


def expected_keys(request) -> list[str]:
    """The cache keys the navigation will read, as far as they are known without a query: the
    site from the cache, the user only if the sign-in checks already loaded it (never loaded here:
    /healthz and the other open addresses read no session)."""
    return _keys(cached_site(request), getattr(request, "_cached_user", None))


def _read_ahead(request, user) -> dict:
    """The section links, the user's menu facts and unread count in one cache round trip (MGET)
    instead of three GETs — none when the page read them along with its own (cms.core.readahead);
    a key not found is computed (and cached) by its helper as before."""
    keys = _keys(site_for_request(request), user)
    return readahead.get_many(keys) if keys else {}


@functools.lru_cache(maxsize=64)
def _url(name: str, prefix: str) -> str | None:
    """A menu entry's address, reversed once per process and script prefix (the menu's names are fixed)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@receiver(setting_changed, dispatch_uid="cms.navigation.urls")
def _forget_urls(setting=None, **kwargs) -> None:
    if setting == "ROOT_URLCONF":  # tests only: a running site never changes its URLconf
        _url.cache_clear()


def navigation(request):
    user = getattr(request, "user", None)
    found = _read_ahead(request, user)
    links = _section_links(request, found)
    prefix = get_script_prefix()
    search_url = _url("search:search", prefix)
    links.append({"label": _("Search"), "url": search_url, "active": request.path.startswith(search_url)})
    facts = _user_facts(user, found)
    if facts:
        if facts["is_coordinator"]:
            # One 管理 entry for sessions, claims, 催办, class delivery and the 操作记录; reports beside it.
            for name, label in (
                ("ledger:manage", _("Management")),
                ("reports:index", _("Management reports")),
                ("evaluation:index", _("Evaluation")),
            ):
                url = _url(name, prefix)
                if url is None:
                    continue
                links.append({"label": label, "url": url, "active": request.path.startswith(url)})
        unread = found.get(unread_key(user.pk))
        if unread is None:
            unread = unread_count(user)
        label = _("My notices (%(n)s)") % {"n": unread} if unread else _("My notices")
        url = _url("notices:list", prefix)
        links.append({"label": label, "url": url, "active": request.path.startswith(url), "badge": unread})
    menu = {key: facts[key] for key in ("is_teacher", "is_parent", "can_admin")} if facts else {}
    if menu.get("is_parent") and not menu.get("is_teacher"):
        # Parents see the parent school, not the teachers' training section.
        training = [p for p in links if p.get("slug") == "training"]
        links = [link for link in links if link not in training]
    help_url = next((link["url"] for link in links if link.get("slug") == "help"), None)
    return {"nav_links": links, "menu": menu, "help_url": help_url}


def _user_facts(user, found: dict) -> dict:
    """What the menu shows this user, the same on every page: cached per user (see the module docstring)."""
    if user is None or not user.is_authenticated:
        return {}
    key = user_menu_key(user.pk)
    facts = found.get(key)
    if facts is None:
        facts = {"is_coordinator": scope_for(user).is_coordinator, **_account_menu(user)}
        cache.set(key, facts, MENU_SECONDS)
    return facts


def _account_menu(user) -> dict:
    """What the account menu offers: one query for both profiles, permissions shared with the user bar."""
    if user is None or not user.is_authenticated:
        return {}
    teacher_id, parent_id = User.objects.filter(pk=user.pk).values_list(
        "teacher_profile__id", "parent_profile__id"
    ).first() or (None, None)
    # has_perm caches the user's permissions; Wagtail's user bar asks the same question.
    can_admin = user.has_perm("wagtailadmin.access_admin")
    return {"is_teacher": teacher_id is not None, "is_parent": parent_id is not None, "can_admin": can_admin}
