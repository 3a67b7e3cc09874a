"""The H5P player page, its files, the learner's saved state and the xAPI statement endpoint.

Who may play: a learner enrolled in the course of a live lesson whose body holds the content
(progress is tracked), or an editor allowed to view H5P content (a preview: nothing is
recorded). The player page hands the browser a signed grant (learner, content, lesson) in its
URLs; the files, state and statement endpoints accept only a grant issued to the signed-in
user, so no extra query decides access on the hot path, and the xAPI endpoint still checks
the enrolment in its transaction.

The player page carries its own Content-Security-Policy (PLAYER_CSP): scripts only from this
site (our static files and the installed libraries), plus the one inline bootstrap line
h5p-standalone writes into its frame, allowed by hash. It replaces any site-wide policy for
this response (django-csp leaves a response that already has the header alone).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import time
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import InterfaceError, OperationalError, connection
from django.dispatch import receiver
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wagtail.models import Page

from ..models import CoursePage, Enrolment, H5PContent, H5PUserData, LessonPage
from . import l10n, sessions, storage, xapi

GRANT_SALT = "courses.h5p.grant"
GRANT_MAX_AGE = 12 * 3600
# h5p-standalone's frame bootstrap (frame.bundle.js writes it into the content iframe).
FRAME_BOOTSTRAP = "H5PIntegration = window.parent.H5PIntegration; var H5P = H5P || {}; H5P.externalEmbed = false;"


def _sha256_source(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


# Libraries that compile templates from strings at run time (EmbeddedJS's `new Function`, used by
# MultiChoice 1.x among others). Content that loads one gets 'unsafe-eval' added to script-src,
# still only for scripts from this site; every other content plays without it.
EVAL_LIBRARIES = ("EmbeddedJS",)


def player_csp(needs_eval: bool = False) -> str:
    return PLAYER_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-eval'") if needs_eval else PLAYER_CSP


PLAYER_CSP = "; ".join(
    [
        "default-src 'none'",
        f"script-src 'self' {_sha256_source(FRAME_BOOTSTRAP)}",
        # H5P libraries set inline styles on the elements they build.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "frame-src 'self'",
        "frame-ancestors 'self'",
        "form-action 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)
# Files are never documents that may run script, whatever they contain (SVG included).
FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; sandbox"

CONTENT_TYPES = {
    "js": "text/javascript",
    "css": "text/css",
    "json": "application/json",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "svg": "image/svg+xml",
    "webm": "video/webm",
    "mp4": "video/mp4",
    "ogg": "audio/ogg",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "wav": "audio/wav",
    "eot": "application/vnd.ms-fontobject",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "vtt": "text/vtt",
    "webvtt": "text/vtt",
    "txt": "text/plain",
    "csv": "text/plain",
    "md": "text/plain",
    "diff": "text/plain",
    "patch": "text/plain",
    "textile": "text/plain",
    "xml": "text/plain",
    "pdf": "application/pdf",
    "gltf": "model/gltf+json",
    "glb": "model/gltf-binary",
}
DOWNLOAD_ONLY = "application/octet-stream"  # office documents: downloaded, never rendered


def make_grant(
    user,
    content: H5PContent,
    lesson: LessonPage | None,
    enrolment: Enrolment | None,
    pass_percent: int = 0,
    host: Page | None = None,
    session_key: str | None = None,
) -> str:
    """The block's pass mark travels signed with the grant: a mark changed by an editor applies to
    players opened after the change (a grant lives GRANT_MAX_AGE)."""
    payload = {
        "u": user.pk,
        "c": content.pk,
        "l": lesson.pk if lesson else None,
        "e": enrolment.pk if enrolment else None,
        "p": pass_percent,
    }
    if host is not None:
        payload["r"] = host.pk
    if session_key:
        payload["s"] = sessions.tag(session_key)  # the statement endpoint's lean sign-in check
    return signing.dumps(payload, salt=GRANT_SALT, compress=True)


@functools.lru_cache(maxsize=8192)
def _verified(token: str) -> tuple[dict, int]:
    """A grant whose signature checked out, with the time it was signed. The same token string
    is checked once per process (a learner's player posts it for hours); its age on every use."""
    payload = signing.loads(token, salt=GRANT_SALT)
    return payload, signing.b62_decode(token.rsplit(":", 2)[1])


@receiver(setting_changed)
def _forget_verified(setting: str, **kwargs) -> None:
    if setting in ("SECRET_KEY", "SECRET_KEY_FALLBACKS"):
        _verified.cache_clear()


def _signed(token: str) -> dict:
    try:
        payload, signed_at = _verified(token)
    except signing.BadSignature:
        raise Http404 from None
    if time.time() - signed_at > GRANT_MAX_AGE:
        raise Http404
    return dict(payload)


def _grant(request, token: str) -> dict:
    grant = _signed(token)
    if not request.user.is_authenticated or grant.get("u") != request.user.pk:
        raise Http404
    return grant


def can_preview(user) -> bool:
    return user.is_authenticated and user.has_perm("courses.view_h5pcontent")


def _lesson_for(request, content: H5PContent) -> tuple[LessonPage | None, Enrolment | None, int, Page | None]:
    """Where the content is played: a lesson (with the learner's enrolment and the block's pass
    mark), another page that holds H5P blocks and says who may play them (a resource: no
    enrolment, nothing credited), or nowhere (an editor's preview). Anything else is a 404."""
    raw = request.GET.get("lesson", "")
    if not raw.isdigit():
        raw_page = request.GET.get("page", "")
        if raw_page.isdigit():
            return None, None, 0, _host_page(request, content, int(raw_page))
        if can_preview(request.user):
            return None, None, 0, None
        raise Http404
    lesson = get_object_or_404(LessonPage.objects.live(), pk=int(raw))
    blocks = lesson.h5p_blocks()
    if content.pk not in blocks:
        raise Http404
    enrolment = Enrolment.objects.filter(user=request.user, course_id=lesson.get_parent().pk).first()
    if enrolment is None and not can_preview(request.user):
        raise Http404
    return lesson, enrolment, blocks[content.pk], None


def _host_page(request, content: H5PContent, page_id: int) -> Page:
    """A live page (not a lesson) whose H5P blocks hold the content and which lets this user play
    them: the page answers both (`h5p_blocks`, `h5p_playable_by`), so courses imports no other app."""
    page = Page.objects.live().filter(pk=page_id).first()
    page = page.specific if page is not None else None
    playable = getattr(page, "h5p_playable_by", None)
    if playable is None or isinstance(page, LessonPage) or content.pk not in page.h5p_blocks():
        raise Http404
    if not playable(request.user):
        raise Http404
    return page


def activity_iri(request, content: H5PContent) -> str:
    return request.build_absolute_uri(reverse("courses:h5p_activity", args=[content.pk]))


@login_required
@require_GET
@xframe_options_sameorigin
def play(request, content_id: int):
    content = get_object_or_404(H5PContent, pk=content_id)
    lesson, enrolment, pass_percent, host = _lesson_for(request, content)
    if not storage.content_dir(content.pk).joinpath("h5p.json").exists():
        raise Http404
    token = make_grant(request.user, content, lesson, enrolment, pass_percent, host, request.session.session_key)
    # Statements are recorded in a lesson and on a resource page (kept, nothing credited); the
    # saved state only in a lesson, so a resource's attempt never pre-fills a course's exercise.
    recorded = enrolment is not None or host is not None
    base = reverse("courses:h5p_file", args=[token, "x"])[:-1]
    state = None
    if enrolment is not None:
        saved = H5PUserData.objects.filter(
            user=request.user, content=content, data_type="state", sub_content_id="0"
        ).first()
        state = saved.data if saved else None
    config = {
        "id": str(content.pk),
        "h5pJsonPath": base.rstrip("/"),
        "contentJsonPath": base + "content",
        "librariesPath": reverse("courses:h5p_library", args=["x", "x"]).rsplit("/x/x", 1)[0],
        "xAPIObjectIRI": activity_iri(request, content),
        "user": {"name": _("Learner"), "mail": xapi.actor_mbox(request.user).removeprefix("mailto:")},
        "tracking": recorded,
        "statementUrl": reverse("courses:h5p_statement", args=[token]) if recorded else "",
        # H5P core asks for saved state whenever it has a user: a resource's grant answers "none"
        # and keeps nothing (saveState false), a lesson's keeps it across devices.
        "stateUrl": reverse("courses:h5p_state", args=[token]) if recorded else "",
        "saveState": enrolment is not None,
        "previousState": state,
        "passPercent": pass_percent,
    }
    response = render(
        request,
        "courses/h5p_player.html",
        {"content": content, "config": config, "lesson": lesson, "enrolment": enrolment},
    )
    needs_eval = content.libraries.filter(machine_name__in=EVAL_LIBRARIES).exists()
    response["Content-Security-Policy"] = player_csp(needs_eval)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def activity(request, content_id: int):
    """The activity IRI of the content (the xAPI object id): it names the content, it shows nothing."""
    get_object_or_404(H5PContent, pk=content_id)
    return HttpResponse(status=204)


def _send(path: Path, base: Path) -> FileResponse:
    try:
        resolved = path.resolve(strict=True)
        resolved.relative_to(base.resolve())
    except (OSError, ValueError):
        raise Http404 from None
    if not resolved.is_file():
        raise Http404
    ext = resolved.suffix.lower().lstrip(".")
    content_type = CONTENT_TYPES.get(ext, DOWNLOAD_ONLY)
    response = FileResponse(resolved.open("rb"), content_type=content_type)
    if content_type == DOWNLOAD_ONLY:
        response["Content-Disposition"] = "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _safe_relative(path: str) -> str:
    parts = path.split("/")
    if not path or "\\" in path or any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        raise Http404
    return path


@require_GET
def content_file(request, token: str, path: str):
    grant = _grant(request, token)
    base = storage.content_dir(grant["c"])
    language = (getattr(request, "LANGUAGE_CODE", "") or "").lower()
    if path == "content/content.json" and language in l10n.LANGUAGE_FILES:
        return _localised_content(grant["c"], base, language)
    return _send(base / _safe_relative(path), base)


def _localised_content(content_id: int, base: Path, language: str) -> HttpResponse:
    """content.json with the libraries' Chinese UI strings where the author kept the English defaults."""
    content = get_object_or_404(H5PContent.objects.select_related("main_library"), pk=content_id)
    try:
        params = json.loads((base / "content" / "content.json").read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        raise Http404 from None
    libraries = storage.root() / "libraries"
    if isinstance(params, dict) and content.main_library is not None:
        l10n.localise(params, libraries / content.main_library.folder, libraries, language)
    response = HttpResponse(json.dumps(params, ensure_ascii=False), content_type="application/json")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_GET
def library_file(request, folder: str, path: str):
    base = storage.root() / "libraries"
    return _send(base / _safe_relative(folder) / _safe_relative(path), base)


def _enrolment(grant: dict) -> Enrolment:
    enrolment = Enrolment.objects.filter(pk=grant.get("e"), user_id=grant["u"]).first()
    if enrolment is None:
        raise Http404
    return enrolment


ACCESS_CACHE_SECONDS = 60


def _still_allowed(grant: dict) -> bool:
    """The grant's enrolment still exists, in the course of the live lesson that still holds the
    content. Re-checked at most once a minute per grant (cache), not on every statement."""
    key = "h5p-grant:{u}:{e}:{l}:{c}".format(**grant)
    allowed = cache.get(key)
    if allowed is None:
        lesson = LessonPage.objects.live().filter(pk=grant.get("l")).first()
        allowed = bool(
            lesson is not None
            and grant["c"] in lesson.h5p_blocks()
            and Enrolment.objects.filter(
                pk=grant.get("e"), user_id=grant["u"], course__path=lesson.path[: -CoursePage.steplen]
            ).exists()
        )
        cache.set(key, allowed, ACCESS_CACHE_SECONDS)
    return allowed


def _page_still_allowed(grant: dict, request) -> bool:
    """A page other than a lesson (a resource): still live, still holding the content, and the
    learner still allowed to play it. Re-checked at most once a minute per grant (cache)."""
    key = "h5p-page:{u}:{r}:{c}".format(**grant)
    allowed = cache.get(key)
    if allowed is None:
        page = Page.objects.live().filter(pk=grant["r"]).first()
        page = page.specific if page is not None else None
        playable = getattr(page, "h5p_playable_by", None)
        allowed = bool(
            playable is not None
            and not isinstance(page, LessonPage)
            and grant["c"] in page.h5p_blocks()
            and playable(request.user)
        )
        cache.set(key, allowed, ACCESS_CACHE_SECONDS)
    return allowed


def _tracked(request, grant: dict) -> bool:
    """The grant records statements: a lesson's enrolment, or a resource page (nothing credited)."""
    if grant.get("e") is not None:
        return _still_allowed(grant)
    if grant.get("r") is not None:
        return _page_still_allowed(grant, request)
    return False


@functools.lru_cache(maxsize=4096)
def _activity_path(content_id: int, urlconf: str | None, prefix: str) -> str:
    return reverse("courses:h5p_activity", args=[content_id], urlconf=urlconf)


@require_POST
def statement(request, token: str):
    """POST one xAPI statement or a batch: 204 when stored (or already stored), 409 on an id
    clash, 400 when invalid.

    The 204 carries the lesson's state in headers the player page relays to the lesson page.
    Hot path (decisions 0032, 0035): reached through the short middleware chain
    (courses/h5p/middleware.py); no session or user query (the grant's session tag, confirmed
    once a minute); one SQL statement, whether or not the statement counts towards a pass.

    The persistent connection is not pinged first (CONN_HEALTH_CHECKS costs a round trip per
    request): a connection found dead by the endpoint's own query is replaced and the request
    run once more — safe, since storing is idempotent by statement id and a counted statement
    is stored in one SQL statement with its result.
    """
    connection.health_check_done = True
    try:
        return _statement(request, token)
    except (InterfaceError, OperationalError):
        if connection.in_atomic_block or (connection.connection is not None and connection.is_usable()):
            raise
        connection.close()
        return _statement(request, token)


def _statement(request, token: str):
    grant = _signed(token)
    # A grant issued before the session tag existed goes through the full user check.
    user_id = sessions.user_id(request, grant) if grant.get("s") else _grant(request, token)["u"]
    if not _tracked(request, grant):
        raise Http404
    content_id = grant["c"]
    iri = request.build_absolute_uri(_activity_path(content_id, get_urlconf(), get_script_prefix()))
    try:
        outcome = xapi.receive_for(
            request.body, user_id, content_id, iri, grant.get("l"), grant.get("e"), grant.get("p", 0)
        )
    except xapi.Invalid as refusal:
        return JsonResponse({"error": str(refusal)}, status=400)
    except xapi.Conflict:
        return JsonResponse({"error": _("A different statement with this id is already stored.")}, status=409)
    response = HttpResponse(status=204)
    response["X-H5P-Passed"] = "1" if outcome.passed else "0"
    response["X-Lesson-Done"] = "1" if outcome.lesson_done else "0"
    response["X-Course-Completed"] = "1" if outcome.course_completed else "0"
    return response


MAX_STATE_BYTES = 256 * 1024


@require_http_methods(["GET", "POST"])
def user_state(request, token: str):
    """The player's saved state for this learner and content (H5P core's contentUserData protocol:
    GET → {success, data}; POST data / preload / invalidate → {success})."""
    grant = _grant(request, token)
    if grant.get("e") is None and grant.get("r") is not None:
        # A resource page: nothing is saved outside a course (a resource's attempt never
        # pre-fills the same content in a lesson); H5P core still asks, so it is answered.
        if not _page_still_allowed(grant, request):
            raise Http404
        return JsonResponse({"success": True, "data": False} if request.method == "GET" else {"success": True})
    _enrolment(grant)
    params = request.GET
    data_type = (params.get("type") or "state")[:64]
    sub = (params.get("sub") or "0")[:64]
    rows = H5PUserData.objects.filter(
        user_id=grant["u"], content_id=grant["c"], data_type=data_type, sub_content_id=sub
    )
    if request.method == "GET":
        saved = rows.first()
        return JsonResponse({"success": True, "data": saved.data if saved else False})
    data = request.POST.get("data", "")
    if len(data) > MAX_STATE_BYTES:
        return JsonResponse({"success": False, "message": _("The saved state is too large.")}, status=400)
    if data in ("", "0", "null", "RESET"):
        rows.delete()
        return JsonResponse({"success": True})
    try:
        json.loads(data)
    except ValueError:
        return JsonResponse({"success": False, "message": _("The saved state is not valid JSON.")}, status=400)
    H5PUserData.objects.update_or_create(
        user_id=grant["u"], content_id=grant["c"], data_type=data_type, sub_content_id=sub, defaults={"data": data}
    )
    return JsonResponse({"success": True})
