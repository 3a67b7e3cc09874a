"""Snippets with the query's words marked, cut from the original text (not from the tokens)."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .segment import normalise

SNIPPET_CHARS = 90


def _pattern(words: list[str]) -> re.Pattern | None:
    words = sorted({w for w in words if w}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def mark(text: str, words: list[str]) -> SafeString:
    """The text, escaped, with each word wrapped in <mark>."""
    pattern = _pattern(words)
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for match in pattern.finditer(normalise(text) if len(normalise(text)) == len(text) else text):
        out.append(escape(text[last : match.start()]))
        out.append("<mark>" + escape(text[match.start() : match.end()]) + "</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece was escaped above


def snippet(text: str, words: list[str], length: int = SNIPPET_CHARS) -> SafeString:
    """About `length` characters of the text around the first word found, marked."""
    text = " ".join((text or "").split())
    pattern = _pattern(words)
    start = 0
    if pattern is not None and len(text) > length:
        match = pattern.search(text)
        if match:
            start = max(0, match.start() - length // 3)
    piece = text[start : start + length]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    return mark_safe(escape(prefix) + mark(piece, words) + escape(suffix))  # noqa: S308
