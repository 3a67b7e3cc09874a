"""Fill the gaps in Wagtail's own zh_Hans catalogues.

    python scripts/wagtail_translations.py build   # write locale_vendor/zh_Hans/LC_MESSAGES/{django,djangojs}.po
    python scripts/wagtail_translations.py check   # list Wagtail msgids still untranslated (exit 1 if any)
    python scripts/wagtail_translations.py missing # print the untranslated entries as JSON (to translate)

Wagtail ships English catalogues (locale/en) and incomplete Chinese ones (locale/zh_Hans). An entry
(msgctxt, msgid) of an English catalogue is "missing" when no zh_Hans catalogue of the same domain
translates it. Our translations live in locale_vendor/zh_Hans/wagtail_missing.json
({"django": [{"msgctxt"?, "msgid", "msgid_plural"?, "msgstr"}], "djangojs": [...]}); `build` writes
the entries that Wagtail still lacks into .po files (LOCALE_PATHS has locale_vendor after locale).
After a Wagtail upgrade: run `check`, translate what it lists (add it to the JSON), run `build`,
then `manage.py compilemessages`.
"""

import json
import sys
from pathlib import Path

import polib

import wagtail

ROOT = Path(__file__).resolve().parent.parent
WAGTAIL = Path(wagtail.__file__).resolve().parent
VENDOR = ROOT / "locale_vendor" / "zh_Hans"
TRANSLATIONS = VENDOR / "wagtail_missing.json"
DOMAINS = ("django", "djangojs")
HEADER = {
    "Project-Id-Version": f"Wagtail {wagtail.__version__} (Xinyu supplement)",
    "Language": "zh_Hans",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=1; plural=0;",
}


def wagtail_missing(domain: str) -> list[polib.POEntry]:
    """English Wagtail entries of `domain` that no zh_Hans Wagtail catalogue translates."""
    english = sorted(WAGTAIL.glob(f"**/locale/en/LC_MESSAGES/{domain}.po"))
    translated = set()
    for path in english:
        chinese = Path(str(path).replace("/locale/en/", "/locale/zh_Hans/"))
        if chinese.exists():
            translated |= {(e.msgctxt, e.msgid) for e in polib.pofile(str(chinese)) if e.translated()}
    missing, seen = [], set()
    for path in english:
        for entry in polib.pofile(str(path)):
            key = (entry.msgctxt, entry.msgid)
            if entry.obsolete or key in translated or key in seen:
                continue
            seen.add(key)
            missing.append(entry)
    return missing


def load() -> dict[str, dict[tuple, str]]:
    data = json.loads(TRANSLATIONS.read_text(encoding="utf-8"))
    return {
        domain: {(item.get("msgctxt"), item["msgid"]): item["msgstr"] for item in data.get(domain, [])}
        for domain in DOMAINS
    }


def build() -> int:
    ours = load()
    for domain in DOMAINS:
        po = polib.POFile(wrapwidth=0)
        po.metadata = dict(HEADER)
        written = 0
        for entry in wagtail_missing(domain):
            text = ours[domain].get((entry.msgctxt, entry.msgid))
            if not text:
                continue
            new = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, flags=list(entry.flags))
            if entry.msgid_plural:
                new.msgid_plural = entry.msgid_plural
                new.msgstr_plural = {0: text}
            else:
                new.msgstr = text
            po.append(new)
            written += 1
        target = VENDOR / "LC_MESSAGES" / f"{domain}.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        po.save(str(target))
        print(f"{domain}: wrote {written} translations to {target.relative_to(ROOT)}")
    return check()


def check() -> int:
    ours = load()
    untranslated = 0
    for domain in DOMAINS:
        missing = [e for e in wagtail_missing(domain) if not ours[domain].get((e.msgctxt, e.msgid))]
        stale = set(ours[domain]) - {(e.msgctxt, e.msgid) for e in wagtail_missing(domain)}
        for entry in missing:
            print(f"{domain}: missing {entry.msgid!r}" + (f" (context {entry.msgctxt!r})" if entry.msgctxt else ""))
        print(f"{domain}: {len(missing)} Wagtail msgids still untranslated, {len(stale)} of ours no longer needed")
        untranslated += len(missing)
    return 1 if untranslated else 0


def missing_json() -> int:
    ours = load()
    out = {
        domain: [
            {k: v for k, v in (("msgctxt", e.msgctxt), ("msgid", e.msgid), ("msgid_plural", e.msgid_plural)) if v}
            | {"msgstr": ""}
            for e in wagtail_missing(domain)
            if not ours[domain].get((e.msgctxt, e.msgid))
        ]
        for domain in DOMAINS
    }
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    commands = {"build": build, "check": check, "missing": missing_json}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    sys.exit(commands[sys.argv[1]]())
