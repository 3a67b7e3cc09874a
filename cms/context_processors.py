"""Site-wide navigation: the five sections of the platform and the account menu.

`cms` is the wiring on top of the apps: it may import them, through their narrow functions
(`scope_for`, `tracking.notices.services.unread_count`), never their models' internals."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page, Site

from accounts.models import User
from accounts.scope import scope_for
from tracking.notices.services import unread_count

# Section pages are the home page's children with these slugs; the page type behind a
# slug is free (a course catalogue, a resource library, ...). Missing pages are skipped.
SECTIONS = [
    ("training", _("Teacher training")),
    ("resources", _("Resource library")),
    ("parents", _("Parent school")),
    ("campaigns", _("Campaigns")),
    ("help", _("Where to get help")),
]


def _section_links(request) -> list[dict]:
    site = Site.find_for_request(request)
    if site is None:
        return []
    root = site.root_page
    pages = {p.slug: p for p in Page.objects.child_of(root).live().filter(slug__in=[slug for slug, _label in SECTIONS])}
    links = []
    for slug, label in SECTIONS:
        page = pages.get(slug)
        if page is not None:
            url = page.relative_url(site, request)
            links.append({"label": label, "url": url, "active": request.path.startswith(url), "slug": slug})
    return links


def navigation(request):
    links = _section_links(request)
    search_url = reverse("search:search")
    links.append({"label": _("Search"), "url": search_url, "active": request.path.startswith(search_url)})
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        if scope_for(user).is_coordinator:
            # One 管理 entry for sessions, claims, 催办, class delivery and the 操作记录; reports beside it.
            for name, label in (
                ("ledger:manage", _("Management")),
                ("reports:index", _("Management reports")),
                ("evaluation:index", _("Evaluation")),
            ):
                try:
                    url = reverse(name)
                except NoReverseMatch:
                    continue
                links.append({"label": label, "url": url, "active": request.path.startswith(url)})
        unread = unread_count(user)
        label = _("My notices (%(n)s)") % {"n": unread} if unread else _("My notices")
        url = reverse("notices:list")
        links.append({"label": label, "url": url, "active": request.path.startswith(url), "badge": unread})
    menu = _account_menu(user)
    if menu.get("is_parent") and not menu.get("is_teacher"):
        # Parents see the parent school, not the teachers' training section.
        training = [p for p in links if p.get("slug") == "training"]
        links = [link for link in links if link not in training]
    help_url = next((link["url"] for link in links if link.get("slug") == "help"), None)
    return {"nav_links": links, "menu": menu, "help_url": help_url}


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
