"""How the matrix asks: every URL pattern of the URLconf, and one request per role and id."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver, reverse


def walk(patterns=None, namespace: str = "", route: str = ""):
    """(name, route, pattern) for every URL pattern, named or not, in the whole URLconf."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, ns, route + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield (namespace + p.name if p.name else ""), route + str(p.pattern), p


def login_as(client, user) -> None:
    """The one place the matrix logs a role in. Managers must log in with a second factor once
    trust-auth's one login lands (tests/auth.py `login_with_mfa`); until then, force_login."""
    client.logout()
    if user is None:
        return
    try:
        from tests.auth import login_with_mfa
    except ImportError:  # before one login (issue 9 #1-3) is on main
        client.force_login(user)
    else:
        login_with_mfa(client, user)


def status_of(response, login_url: str = "/accounts/login/") -> str:
    """'200', '403', '404', … or 'login' for a redirect to a login page, '302' for any other."""
    if response.status_code in (301, 302):
        location = response.headers.get("Location", "")
        if location.startswith(login_url) or location.startswith("/admin/login/") or "/login/?" in location:
            return "login"
        return "302"
    return str(response.status_code)


def request(client, method: str, name: str, ids) -> str:
    """One request; `ids` are the URL's kwargs (a dict) or positional args (a tuple)."""
    url = reverse(name, args=ids) if isinstance(ids, tuple) else reverse(name, kwargs=ids or None)
    response = client.post(url) if method == "POST" else client.get(url)
    return status_of(response)
