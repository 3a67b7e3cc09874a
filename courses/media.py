"""Video lengths read on the server from the file itself (MP4 `mvhd` box), so a lesson's
"watched share" does not trust a duration the browser reports.

Only the box headers are read (a few hundred bytes, wherever `moov` sits in the file); the
result is cached per document file.
"""

from __future__ import annotations

import struct

from django.core.cache import cache

CONTAINERS = {b"moov"}


def mp4_duration(fileobj) -> float | None:
    """Seconds of an MP4/MOV file, from the movie header; None when it is not one we can read."""
    try:
        return _scan(fileobj, 0, None)
    except (OSError, struct.error, ValueError):
        return None


def _scan(f, start: int, end: int | None) -> float | None:
    position = start
    while end is None or position + 8 <= end:
        f.seek(position)
        header = f.read(8)
        if len(header) < 8:
            return None
        size, kind = struct.unpack(">I4s", header)
        offset = 8
        if size == 1:
            size = struct.unpack(">Q", f.read(8))[0]
            offset = 16
        elif size == 0:  # the box runs to the end of the file
            f.seek(0, 2)
            size = f.tell() - position
        if size < offset:
            return None
        if kind == b"mvhd":
            return _mvhd(f.read(min(size - offset, 32)))
        if kind in CONTAINERS:
            found = _scan(f, position + offset, position + size)
            if found is not None:
                return found
        position += size
    return None


def _mvhd(body: bytes) -> float | None:
    version = body[0]
    if version == 1:
        timescale, duration = struct.unpack(">IQ", body[20:32])
    else:
        timescale, duration = struct.unpack(">II", body[12:20])
    if not timescale:
        return None
    return duration / timescale


def video_duration(document) -> float | None:
    """The length of a Wagtail document holding a video (cached per file)."""
    key = f"courses:video-duration:{document.pk}:{document.file.name}:{getattr(document, 'file_size', '')}"
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    try:
        with document.file.open("rb") as f:
            seconds = mp4_duration(f)
    except (OSError, ValueError):
        seconds = None
    cache.set(key, seconds or 0, 60 * 60 * 24)
    return seconds
