"""Every UI string has a Chinese translation, and the compiled catalogue is in use."""

import os
import shutil
from pathlib import Path

from django.core.management import call_command
from django.utils import translation

from scripts.translations import untranslated

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_committed_catalogue_is_complete():
    assert untranslated(CATALOGUE) == []


def test_every_string_in_the_code_is_in_the_catalogue(settings, tmp_path):
    """Extract strings afresh (makemessages) in a copy of the source: nothing may come out untranslated.

    makemessages writes next to the first `locale/` it finds, so it runs on a copy, never on the repo.
    """
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "var", "node_modules", ".git", "static", "media", "__pycache__", "*.mo", "tests", "bench"
        ),
    )
    settings.LOCALE_PATHS = [copy / "locale"]
    cwd = os.getcwd()
    os.chdir(copy)
    try:
        call_command("makemessages", locale=["zh_Hans"], no_obsolete=True, verbosity=0)
    finally:
        os.chdir(cwd)
    missing = untranslated(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    assert missing == [], f"untranslated strings: {missing}"


def test_chinese_is_the_default_and_english_available(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert "en" in dict(settings.LANGUAGES)
    assert settings.TIME_ZONE == "Asia/Shanghai"
    with translation.override("zh-hans"):
        assert translation.gettext("Teacher training") == "教师研修"
    with translation.override("en"):
        assert translation.gettext("Teacher training") == "Teacher training"
