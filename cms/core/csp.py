"""Content-Security-Policy (django-csp 4, docs/decisions on django-csp, docs/security.md).

The site's own pages get `CONTENT_SECURITY_POLICY` from the settings: scripts, styles, fonts and
connections from our origin only, no inline script or style, framed only by ourselves.

Some areas need more, and get it here by path, each documented in `CSP_PATH_EXCEPTIONS`:

- `/admin/` — Wagtail's admin still writes inline scripts and styles (its CSP work is unfinished
  upstream) and previews images from `blob:` URLs while uploading.
- the H5P player — its helper adds its own entry (the hook: one more item in
  `CSP_PATH_EXCEPTIONS`, or `csp.decorators.csp_update` on the player's view).

A view may also widen the policy for itself with django-csp's decorators.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


def path_exception(path: str) -> dict | None:
    """The extra sources for the longest configured prefix of `path`, if any."""
    matches = [prefix for prefix in getattr(settings, "CSP_PATH_EXCEPTIONS", {}) if path.startswith(prefix)]
    return settings.CSP_PATH_EXCEPTIONS[max(matches, key=len)]["add"] if matches else None


class PathAwareCSPMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        extra = None if report_only else path_exception(request.path_info)
        if extra:
            update = {key: list(value) for key, value in (parts.update or {}).items()}
            for directive, sources in extra.items():
                update.setdefault(directive, [])
                update[directive] += [s for s in sources if s not in update[directive]]
            parts.update = update
        return parts
