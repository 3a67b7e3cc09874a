"""Keep the zh_Hans catalogue complete.

    python scripts/translations.py merge   # fold locale/zh_Hans/LC_MESSAGES/parts/*.po into django.po
    python scripts/translations.py check   # list msgids without a Chinese translation (exit 1 if any)

`make messages` extracts strings (makemessages); translations written in parts/*.po (one file per
feature, so parallel work does not conflict) are merged into the catalogue, then compiled.
"""

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES"
CATALOGUE = LOCALE / "django.po"


def merge() -> int:
    po = polib.pofile(str(CATALOGUE))
    known = {}
    for part in sorted((LOCALE / "parts").glob("*.po")):
        for entry in polib.pofile(str(part)):
            if entry.msgstr or entry.msgstr_plural:
                known[(entry.msgctxt, entry.msgid)] = entry
    filled = 0
    for entry in po:
        source = known.get((entry.msgctxt, entry.msgid))
        if source is None:
            continue
        if entry.msgid_plural and source.msgstr_plural:
            entry.msgstr_plural = dict(source.msgstr_plural)
        elif not entry.msgid_plural:
            entry.msgstr = source.msgstr
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
    po.save(str(CATALOGUE))
    print(f"merged {filled} translations into {CATALOGUE.name}")
    return 0


def untranslated(path: Path = CATALOGUE) -> list[str]:
    po = polib.pofile(str(path))
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            if not all(entry.msgstr_plural.values()):
                missing.append(entry.msgid)
        elif not entry.msgstr or "fuzzy" in entry.flags:
            missing.append(entry.msgid)
    return missing


def check() -> int:
    missing = untranslated()
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    sys.exit({"merge": merge, "check": check}[command]())
