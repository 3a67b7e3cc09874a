"""Every URL the project's own apps serve, as `namespace:name  /reversed/path/  resolved view`.

The recorded list (`urls.txt`) was written from `main` before `tracking/` was split into
rooms; the test compares the live URLconf with it, so a move that drops, renames or remounts
a page fails. Regenerate it only on purpose: `python -m tests.architecture.url_inventory`.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter

RECORDED = Path(__file__).with_name("urls.txt")
OWN_APPS = ("accounts.", "cms.", "courses.", "evaluation.", "resources.", "search.", "tracking.")
SAMPLE = {
    IntConverter: 7,
    StringConverter: "x",
    SlugConverter: "completion",
    UUIDConverter: uuid.UUID(int=1),
    PathConverter: "x/y.json",
}


def _walk(patterns, namespace: str = "", route: str = ""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, ns, route + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name:
            yield namespace + p.name, p, route


def inventory() -> list[str]:
    """Sorted lines `name  path  view` for every named URL whose view lives in one of our apps;
    `view` is the function that the path resolves to (so a shadowed path shows too)."""
    lines = set()
    for name, pattern, route in _walk(get_resolver().url_patterns):
        view = pattern.callback
        module = getattr(view, "__module__", "") or ""
        if not module.startswith(OWN_APPS) or route.startswith("admin/") or name == "wagtail_serve":
            # Wagtail's admin (even where our views serve it) and its page catch-all (wrapped by
            # cms.core.routing for the route cache) are Wagtail's address space
            continue
        converters = getattr(pattern.pattern, "converters", {})
        kwargs = {key: SAMPLE[type(conv)] for key, conv in converters.items()}
        path = reverse(name, kwargs=kwargs)
        match = resolve(path)
        lines.add(f"{name}  {path}  {match.view_name} {match.func.__name__}")
    return sorted(lines)


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    django.setup()
    RECORDED.write_text("\n".join(inventory()) + "\n", encoding="utf-8")
    print(f"wrote {RECORDED}")
