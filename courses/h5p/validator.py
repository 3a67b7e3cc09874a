"""Checks an uploaded .h5p package before anything is written.

The rules, in the order they are checked (H5P core's own package validation, made stricter):

1. The upload is a zip archive no larger than MAX_PACKAGE_BYTES.
2. At most MAX_ENTRIES entries; every name is a relative POSIX path: no absolute path, no
   drive letter, no backslash, no `..` or empty segment, no segment starting with `.`
   (hidden files, `.htaccess`), no control characters, no duplicate names (case-insensitive).
3. No symlinks or other special files (the Unix mode in the zip header), no encrypted entries.
4. Every entry is decompressed and counted from the bytes actually produced, never from the
   header: at most MAX_FILE_BYTES per file, MAX_TOTAL_BYTES in all, and at most
   MAX_RATIO:1 compression for any entry above RATIO_FLOOR bytes (zip bombs). A bad CRC or a
   truncated archive is rejected.
5. `h5p.json` at the root is a JSON object with title, language, mainLibrary and
   preloadedDependencies (each a machineName with integer major/minor versions).
6. `content/content.json` is valid JSON.
7. Files under `content/` have an extension from CONTENT_EXTENSIONS (H5P core's default
   list without swf); library folders may add js and css (LIBRARY_EXTENSIONS). Loose files at
   the root besides h5p.json must be of a content type and are not kept.
8. Every library folder is named machineName-major.minor and holds a `library.json` whose
   machineName, majorVersion, minorVersion and patchVersion agree with the folder; the
   preloadedJs/preloadedCss it lists are inside the folder.
9. Every dependency (of h5p.json and of each library) is in the package or already installed.

Each problem has its own translated message; the validator collects them all (up to a few
dozen) so the editor sees what to fix in one go. Nothing here writes to disk.
"""

from __future__ import annotations

import json
import re
import stat
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO

from django.utils.translation import gettext as _

MAX_PACKAGE_BYTES = 64 * 1024 * 1024
MAX_ENTRIES = 3000
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 64 * 1024
MAX_ERRORS = 30
CHUNK = 64 * 1024

# H5P core's default content allowlist (h5p-php-library, H5PCore default_content_whitelist) without swf.
CONTENT_EXTENSIONS = frozenset(
    [
        "json",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "bmp",
        "tif",
        "tiff",
        "svg",
        "eot",
        "ttf",
        "woff",
        "woff2",
        "otf",
        "webm",
        "mp4",
        "ogg",
        "mp3",
        "m4a",
        "wav",
        "txt",
        "pdf",
        "rtf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "odt",
        "ods",
        "odp",
        "xml",
        "csv",
        "diff",
        "patch",
        "md",
        "textile",
        "vtt",
        "webvtt",
        "gltf",
        "glb",
    ]
)
# Library folders may also carry code and styles (H5P core's default_library_whitelist_extras).
LIBRARY_EXTENSIONS = CONTENT_EXTENSIONS | {"js", "css"}

LIBRARY_FOLDER = re.compile(r"^(?P<name>[A-Za-z][A-Za-z0-9._-]*)-(?P<major>\d{1,4})\.(?P<minor>\d{1,4})$")
MACHINE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9._-]{0,126}$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class PackageError(Exception):
    """The package is refused; `messages` says why, one line per problem."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class LibraryFiles:
    machine_name: str
    major: int
    minor: int
    patch: int
    meta: dict
    files: dict[str, bytes] = field(default_factory=dict)  # path inside the folder → bytes

    @property
    def folder(self) -> str:
        return f"{self.machine_name}-{self.major}.{self.minor}"

    def dependencies(self) -> list[tuple[str, int, int]]:
        return _dependencies(self.meta.get("preloadedDependencies") or [])


@dataclass
class Package:
    """A package that passed every check, held in memory until it is installed."""

    h5p: dict
    content_files: dict[str, bytes]  # path under content/ → bytes
    libraries: dict[str, LibraryFiles]  # folder name → files

    @property
    def title(self) -> str:
        return str(self.h5p.get("title", ""))

    @property
    def main_library(self) -> str:
        return str(self.h5p["mainLibrary"])

    def dependencies(self) -> list[tuple[str, int, int]]:
        return _dependencies(self.h5p["preloadedDependencies"])


def _dependencies(items: Iterable) -> list[tuple[str, int, int]]:
    return [(d["machineName"], int(d["majorVersion"]), int(d["minorVersion"])) for d in items]


class _Problems:
    def __init__(self):
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        if message not in self.messages and len(self.messages) < MAX_ERRORS:
            self.messages.append(message)

    def raise_if_any(self) -> None:
        if self.messages:
            raise PackageError(self.messages)


def _extension(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def _name_problem(name: str) -> str | None:
    if CONTROL.search(name):
        return _("The file name %(name)s contains control characters.")
    if "\\" in name:
        return _("The file name %(name)s contains a backslash.")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return _("The file name %(name)s is an absolute path.")
    segments = name.rstrip("/").split("/")
    if any(s in ("", ".", "..") for s in segments):
        return _("The file name %(name)s leaves its folder (.. or an empty segment).")
    if any(s.startswith(".") for s in segments):
        return _("The file name %(name)s starts with a dot (hidden files are not allowed).")
    return None


def _is_special(info: zipfile.ZipInfo) -> bool:
    """Symlinks, devices, FIFOs: anything but a plain file or a folder, per the Unix mode bits."""
    mode = info.external_attr >> 16
    if not mode:
        return False
    kind = stat.S_IFMT(mode)
    return kind not in (0, stat.S_IFREG, stat.S_IFDIR)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """The member's bytes, counted as they are decompressed; ValueError past the limits."""
    limit = min(MAX_FILE_BYTES, budget)
    chunks, size = [], 0
    with archive.open(info) as handle:
        while True:
            chunk = handle.read(CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise ValueError("size")
            if size > RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
                raise ValueError("ratio")
            chunks.append(chunk)
    return b"".join(chunks)


def _json(data: bytes) -> object:
    return json.loads(data.decode("utf-8-sig"))


def read_package(upload: IO[bytes], installed: Callable[[str, int, int], bool] = lambda *_: False) -> Package:
    """Validate the upload (a binary file object) and return its parts, or raise PackageError.

    `installed(machine_name, major, minor)` says whether a library is already on the platform.
    """
    problems = _Problems()
    upload.seek(0, 2)
    if upload.tell() > MAX_PACKAGE_BYTES:
        raise PackageError([_("The package is larger than %(mb)s MB.") % {"mb": MAX_PACKAGE_BYTES // (1024 * 1024)}])
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise PackageError([_("The file is not a valid .h5p package (it is not a readable zip archive).")]) from None
    with archive:
        if len(infos) > MAX_ENTRIES:
            raise PackageError(
                [
                    _("The package has %(count)s entries; at most %(max)s are allowed.")
                    % {"count": len(infos), "max": MAX_ENTRIES}
                ]
            )
        files = _check_entries(archive, infos, problems)
    problems.raise_if_any()
    return _check_structure(files, installed, problems)


def _check_entries(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], problems: _Problems) -> dict[str, bytes]:
    seen: set[str] = set()
    files: dict[str, bytes] = {}
    total = 0
    for info in infos:
        name = info.filename
        problem = _name_problem(name)
        if problem:
            problems.add(problem % {"name": repr(name)[:120]})
            continue
        if name.lower() in seen:
            problems.add(_("The file %(name)s appears twice in the package.") % {"name": name})
            continue
        seen.add(name.lower())
        if _is_special(info):
            problems.add(
                _("%(name)s is a symbolic link or special file; only plain files are allowed.") % {"name": name}
            )
            continue
        if info.flag_bits & 0x1:
            problems.add(_("%(name)s is encrypted.") % {"name": name})
            continue
        if info.is_dir():
            continue
        try:
            data = _read_member(archive, info, MAX_TOTAL_BYTES - total)
        except ValueError as exc:
            if str(exc) == "ratio":
                problems.add(
                    _("%(name)s expands more than %(ratio)s times its packed size (a zip bomb?).")
                    % {"name": name, "ratio": MAX_RATIO}
                )
            elif MAX_TOTAL_BYTES - total < MAX_FILE_BYTES:
                problems.add(
                    _("The package unpacks to more than %(mb)s MB.") % {"mb": MAX_TOTAL_BYTES // (1024 * 1024)}
                )
            else:
                problems.add(
                    _("%(name)s is larger than %(mb)s MB.") % {"name": name, "mb": MAX_FILE_BYTES // (1024 * 1024)}
                )
            return files
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, zipfile.LargeZipFile):
            problems.add(_("%(name)s is damaged (bad checksum or truncated archive).") % {"name": name})
            return files
        total += len(data)
        files[name] = data
    return files


def _check_structure(files: dict[str, bytes], installed, problems: _Problems) -> Package:
    h5p = _check_h5p_json(files, problems)
    content_files: dict[str, bytes] = {}
    grouped: dict[str, dict[str, bytes]] = {}
    for name, data in files.items():
        top, _sep, rest = name.partition("/")
        if not rest:
            # Loose files beside h5p.json (exporters add readme notes) are checked, then left out.
            if name != "h5p.json" and _extension(name) not in CONTENT_EXTENSIONS:
                problems.add(_("%(name)s is not allowed at the top of the package.") % {"name": name})
            continue
        if top == "content":
            if _extension(name) not in CONTENT_EXTENSIONS:
                problems.add(
                    _(
                        "%(name)s: files of type .%(ext)s are not allowed in content "
                        "(scripts, styles and web pages belong only to libraries)."
                    )
                    % {"name": name, "ext": _extension(name) or "?"}
                )
                continue
            content_files[rest] = data
            continue
        if _extension(name) not in LIBRARY_EXTENSIONS:
            problems.add(
                _("%(name)s: files of type .%(ext)s are not allowed.") % {"name": name, "ext": _extension(name) or "?"}
            )
            continue
        grouped.setdefault(top, {})[rest] = data
    if "content.json" not in content_files:
        problems.add(_("content/content.json is missing."))
    else:
        try:
            _json(content_files["content.json"])
        except (ValueError, UnicodeDecodeError):
            problems.add(_("content/content.json is not valid JSON."))
    libraries = {
        folder: lib for folder, entries in grouped.items() if (lib := _check_library(folder, entries, problems))
    }
    if h5p is not None:
        needed = [("h5p.json", dep) for dep in _dependencies(h5p["preloadedDependencies"])]
        for lib in libraries.values():
            needed += [(f"{lib.folder}/library.json", dep) for dep in lib.dependencies()]
        for source, (name, major, minor) in needed:
            if f"{name}-{major}.{minor}" not in libraries and not installed(name, major, minor):
                problems.add(
                    _("%(source)s needs the library %(lib)s, which is neither in the package nor installed.")
                    % {"source": source, "lib": f"{name} {major}.{minor}"}
                )
    problems.raise_if_any()
    return Package(h5p=h5p, content_files=content_files, libraries=libraries)


def _valid_dependencies(items) -> bool:
    if not isinstance(items, list):
        return False
    for d in items:
        if not isinstance(d, dict) or not MACHINE_NAME.match(str(d.get("machineName", ""))):
            return False
        try:
            int(d["majorVersion"]), int(d["minorVersion"])
        except (KeyError, TypeError, ValueError):
            return False
    return True


def _check_h5p_json(files: dict[str, bytes], problems: _Problems) -> dict | None:
    if "h5p.json" not in files:
        problems.add(_("h5p.json is missing at the top of the package."))
        return None
    try:
        h5p = _json(files["h5p.json"])
    except (ValueError, UnicodeDecodeError):
        problems.add(_("h5p.json is not valid JSON."))
        return None
    if not isinstance(h5p, dict):
        problems.add(_("h5p.json is not a JSON object."))
        return None
    ok = True
    for key in ("title", "language", "mainLibrary"):
        if not isinstance(h5p.get(key), str) or not h5p.get(key).strip():
            problems.add(_("h5p.json lacks %(key)s.") % {"key": key})
            ok = False
    if not _valid_dependencies(h5p.get("preloadedDependencies")):
        problems.add(_("h5p.json has no valid preloadedDependencies (machineName, majorVersion, minorVersion)."))
        ok = False
    elif ok and h5p["mainLibrary"] not in {d["machineName"] for d in h5p["preloadedDependencies"]}:
        problems.add(_("h5p.json's mainLibrary %(lib)s is not among its dependencies.") % {"lib": h5p["mainLibrary"]})
        ok = False
    return h5p if ok else None


def _check_library(folder: str, entries: dict[str, bytes], problems: _Problems) -> LibraryFiles | None:
    match = LIBRARY_FOLDER.match(folder)
    if not match:
        problems.add(_("The folder %(folder)s is not named machineName-major.minor.") % {"folder": folder})
        return None
    if "library.json" not in entries:
        problems.add(_("%(folder)s has no library.json.") % {"folder": folder})
        return None
    try:
        meta = _json(entries["library.json"])
    except (ValueError, UnicodeDecodeError):
        problems.add(_("%(folder)s/library.json is not valid JSON.") % {"folder": folder})
        return None
    try:
        name = str(meta["machineName"])
        major, minor, patch = int(meta["majorVersion"]), int(meta["minorVersion"]), int(meta["patchVersion"])
        if not isinstance(meta.get("title"), str):
            raise KeyError("title")
    except (KeyError, TypeError, ValueError):
        problems.add(
            _("%(folder)s/library.json lacks title, machineName, majorVersion, minorVersion or patchVersion.")
            % {"folder": folder}
        )
        return None
    if (name, str(major), str(minor)) != (match["name"], str(int(match["major"])), str(int(match["minor"]))):
        problems.add(
            _("The folder %(folder)s does not match its library.json (%(lib)s).")
            % {"folder": folder, "lib": f"{name}-{major}.{minor}"}
        )
        return None
    if not _valid_dependencies(meta.get("preloadedDependencies") or []):
        problems.add(_("%(folder)s/library.json has malformed preloadedDependencies.") % {"folder": folder})
        return None
    for kind in ("preloadedJs", "preloadedCss"):
        for item in meta.get(kind) or []:
            path = str(item.get("path", "")) if isinstance(item, dict) else ""
            if path not in entries:
                problems.add(
                    _("%(folder)s/library.json lists %(path)s, which is not in the folder.")
                    % {"folder": folder, "path": path or "?"}
                )
                return None
    return LibraryFiles(machine_name=name, major=major, minor=minor, patch=patch, meta=meta, files=entries)
