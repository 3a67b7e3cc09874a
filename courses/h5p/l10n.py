"""Chinese UI strings for H5P content, where the libraries ship them.

An .h5p package stores its UI strings (button labels, feedback) inside content.json, as the
exporting editor's defaults (usually English). A library's `language/zh-hans.json` (or
zh-cn / zh) is its `semantics.json` with translated defaults. When a Chinese reader opens the
content, every text field still holding the library's English default is replaced by the
Chinese default; anything the author wrote themselves is left as written. Sub-content
(`library` fields, as in QuestionSet) is translated with its own library's file.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

LANGUAGE_FILES = {"zh-hans": ("zh-hans", "zh-cn", "zh"), "zh-hant": ("zh-hant", "zh-tw")}


@lru_cache(maxsize=256)
def _semantics(folder: Path, language: str, mtime: float) -> tuple[list, list] | None:
    try:
        source = json.loads((folder / "semantics.json").read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return None
    for code in LANGUAGE_FILES.get(language, ()):
        try:
            translated = json.loads((folder / "language" / f"{code}.json").read_text(encoding="utf-8-sig"))
        except (OSError, ValueError):
            continue
        if isinstance(translated, dict) and isinstance(translated.get("semantics"), list):
            return source, translated["semantics"]
    return None


def _library_folder(libraries: Path, name: str) -> Path | None:
    """'H5P.MultiChoice 1.14' → libraries/H5P.MultiChoice-1.14."""
    machine, _sep, version = name.partition(" ")
    if not machine or not version or "/" in name or ".." in name:
        return None
    return libraries / f"{machine}-{version}"


def _apply(params: dict, fields: list, translated: list, libraries: Path, language: str) -> None:
    for field, other in zip(fields, translated, strict=False):
        if not isinstance(field, dict) or not isinstance(other, dict):
            continue
        name = field.get("name")
        if name not in params:
            continue
        value = params[name]
        kind = field.get("type")
        if kind == "group" and isinstance(value, dict):
            _apply(value, field.get("fields") or [], other.get("fields") or [], libraries, language)
        elif kind == "list" and isinstance(value, list):
            item, item_translated = field.get("field") or {}, other.get("field") or {}
            for index, entry in enumerate(value):
                holder = {item.get("name"): entry}
                _apply(holder, [item], [item_translated], libraries, language)
                value[index] = holder[item.get("name")]
        elif kind == "library" and isinstance(value, dict):
            localise_params(value, libraries, language)
        elif kind == "text" and value == field.get("default") and isinstance(other.get("default"), str):
            params[name] = other["default"]


def localise_params(node: dict, libraries: Path, language: str) -> None:
    """node: {"library": "H5P.X 1.2", "params": {...}} (a library field's value)."""
    folder = _library_folder(libraries, str(node.get("library", "")))
    if folder is None or not isinstance(node.get("params"), dict):
        return
    localise(node["params"], folder, libraries, language)


def localise(params: dict, folder: Path, libraries: Path, language: str) -> dict:
    """Translate `params` (a content.json) in place for `language`; returns it."""
    try:
        mtime = (folder / "semantics.json").stat().st_mtime
    except OSError:
        return params
    pair = _semantics(folder, language, mtime)
    if pair is not None:
        _apply(params, pair[0], pair[1], libraries, language)
    else:  # no translation for this library: its sub-content may still have one
        for value in params.values():
            if isinstance(value, dict) and "library" in value:
                localise_params(value, libraries, language)
    return params
