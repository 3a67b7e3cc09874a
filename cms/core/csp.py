"""Content-Security-Policy (django-csp 4, docs/decisions on django-csp, docs/security.md).

The site's own pages get `CONTENT_SECURITY_POLICY` from the settings: scripts, styles, fonts and
connections from our origin only, no inline script or style, framed only by ourselves.

Some areas need more, and get it here by path, each documented in `CSP_PATH_EXCEPTIONS`:

- `/admin/` — Wagtail's admin still writes inline scripts and styles (its CSP work is unfinished
  upstream) and previews images from `blob:` URLs while uploading.
- the H5P player — its helper adds its own entry (the hook: one more item in
  `CSP_PATH_EXCEPTIONS`, or `csp.decorators.csp_update` on the player's view).

A view may also widen the policy for itself with django-csp's decorators.

The header of a response that neither used a nonce nor carries a view's own policy changes is
the same text for every response under the same path exception: it is built once per process
(and again when the settings change) instead of on every response, about 0.1 ms each
(decision 0035). Any response with a nonce or decorator changes is built by django-csp as before.
"""

from __future__ import annotations

from dataclasses import asdict

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

# What a view may set on its response to change its own policy (django-csp's decorators).
PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")
# Built headers by path-exception prefix (None: the site-wide policy): (policy, report-only policy).
_BUILT: dict[str | None, tuple[str, str]] = {}


@receiver(setting_changed)
def _settings_changed(setting: str, **kwargs) -> None:
    if setting in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY", "CSP_PATH_EXCEPTIONS"):
        _BUILT.clear()


def exception_prefix(path: str) -> str | None:
    """The longest configured prefix of `path` in CSP_PATH_EXCEPTIONS, if any."""
    matches = [prefix for prefix in getattr(settings, "CSP_PATH_EXCEPTIONS", {}) if path.startswith(prefix)]
    return max(matches, key=len) if matches else None


def path_exception(path: str) -> dict | None:
    """The extra sources for the longest configured prefix of `path`, if any."""
    prefix = exception_prefix(path)
    return settings.CSP_PATH_EXCEPTIONS[prefix]["add"] if prefix is not None else None


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

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if getattr(request, "_csp_nonce", None) is not None or any(hasattr(response, a) for a in PER_RESPONSE):
            return super().process_response(request, response)
        if response.status_code in (404, 500) and settings.DEBUG:
            return response  # django-csp leaves Django's debug pages alone
        prefix = exception_prefix(request.path_info)
        built = _BUILT.get(prefix)
        if built is None:
            built = _BUILT[prefix] = (
                build_policy(**asdict(self.get_policy_parts(request, response))),
                build_policy(**asdict(self.get_policy_parts(request, response, report_only=True)), report_only=True),
            )
        # As django-csp sets them: not over a header the view set, not on an exempt response or
        # an excluded prefix.
        for header, policy, exempt, setting in (
            (HEADER, built[0], "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, built[1], "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            if not policy or header in response or getattr(response, exempt, False) is not False:
                continue
            excluded = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
            if not request.path_info.startswith(tuple(excluded)):
                response[header] = policy
        # After the header is written a nonce can no longer reach it: django-csp makes asking an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
