"""Installing a validated package: libraries once per machineName-major.minor, content per row.

Only `courses.h5p.validator.Package` objects reach this module, so every byte written here has
passed the checks. Folders are written beside their final place and swapped in with a rename:
a failure half-way leaves the previous files (and players using them) untouched.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from ..models import H5PContent, H5PLibrary
from .validator import Package, read_package


def root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "h5p"


def library_dir(folder: str) -> Path:
    return root() / "libraries" / folder


def content_dir(content_id: int) -> Path:
    return root() / "content" / str(content_id)


def is_installed(machine_name: str, major: int, minor: int) -> bool:
    return H5PLibrary.objects.filter(machine_name=machine_name, major_version=major, minor_version=minor).exists()


def validate_upload(upload) -> Package:
    """Read and check an upload (Django UploadedFile or any binary file object)."""
    return read_package(upload, installed=is_installed)


def _write_tree(target: Path, files: dict[str, bytes]) -> None:
    """Write `files` into a fresh sibling folder, then swap it in place of `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.{uuid.uuid4().hex}.new"
    for rel, data in files.items():
        path = staging / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    old = None
    if target.exists():
        old = target.parent / f".{target.name}.{uuid.uuid4().hex}.old"
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _install_libraries(package: Package) -> dict[str, H5PLibrary]:
    """Install the package's libraries; an installed one is replaced only by a higher patch."""
    installed = {}
    for folder, lib in package.libraries.items():
        row = (
            H5PLibrary.objects.select_for_update()
            .filter(machine_name=lib.machine_name, major_version=lib.major, minor_version=lib.minor)
            .first()
        )
        if row is None or lib.patch > row.patch_version or not library_dir(folder).exists():
            _write_tree(library_dir(folder), lib.files)
            values = {
                "patch_version": lib.patch,
                "title": str(lib.meta.get("title", ""))[:255],
                "runnable": bool(lib.meta.get("runnable")),
                "metadata": lib.meta,
            }
            row, _created = H5PLibrary.objects.update_or_create(
                machine_name=lib.machine_name, major_version=lib.major, minor_version=lib.minor, defaults=values
            )
        installed[folder] = row
    return installed


def _closure(package: Package, installed: dict[str, H5PLibrary]) -> list[H5PLibrary]:
    """Every library the content needs, its dependencies' dependencies included."""
    rows: dict[str, H5PLibrary] = dict(installed)
    queue = list(package.dependencies())
    seen: set[str] = set()
    while queue:
        name, major, minor = queue.pop()
        folder = f"{name}-{major}.{minor}"
        if folder in seen:
            continue
        seen.add(folder)
        row = rows.get(folder) or H5PLibrary.objects.get(machine_name=name, major_version=major, minor_version=minor)
        rows[folder] = row
        for dep in row.metadata.get("preloadedDependencies") or []:
            queue.append((dep["machineName"], int(dep["majorVersion"]), int(dep["minorVersion"])))
    return [rows[f] for f in seen]


def install(package: Package, upload, content: H5PContent, user=None) -> H5PContent:
    """Store `package` as `content` (new or replaced). The row keeps its id, so results stay."""
    upload.seek(0)
    raw = upload.read()
    with transaction.atomic():
        installed = _install_libraries(package)
        name, major, minor = next(d for d in package.dependencies() if d[0] == package.main_library)
        content.main_library = H5PLibrary.objects.get(machine_name=name, major_version=major, minor_version=minor)
        content.metadata = package.h5p
        content.package_sha256 = hashlib.sha256(raw).hexdigest()
        content.package_bytes = len(raw)
        if user is not None and content.uploaded_by_id is None:
            content.uploaded_by = user
        if not content.title:
            content.title = package.title[:255]
        old_package = content.package.name if content.pk and content.package else None
        content.package.save(f"{uuid.uuid4().hex}.h5p", ContentFile(raw), save=False)
        content.save()
        content.libraries.set(_closure(package, installed))
        files = {"h5p.json": _json_bytes(package.h5p)}
        files.update({f"content/{rel}": data for rel, data in package.content_files.items()})
        _write_tree(content_dir(content.pk), files)
        if old_package and old_package != content.package.name:
            transaction.on_commit(lambda: content.package.storage.delete(old_package))
    return content


def _json_bytes(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def remove_content_files(content_id: int) -> None:
    shutil.rmtree(content_dir(content_id), ignore_errors=True)
