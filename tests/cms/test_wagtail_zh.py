"""Wagtail's own zh_Hans catalogues have gaps; locale_vendor/ fills them (scripts/wagtail_translations.py)."""

import json

import pytest

from django.urls import reverse
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation

from tests.auth import login_with_mfa
from tests.factories import UserFactory


def test_missing_wagtail_admin_strings_are_chinese():
    with translation.override("zh-hans"):
        assert translation.gettext("Date updated") == "更新日期"
        assert translation.gettext("Autosave is paused") == "自动保存已暂停"
        assert translation.gettext("Content metrics") == "内容指标"
        assert translation.ngettext("Moved up 1 place.", "Moved up %(counter)s places.", 3) % {"counter": 3} == (
            "已上移 3 位。"
        )
        # Wagtail's own translations are still in use where it has them.
        assert translation.gettext("Pages") == "页面"


def test_missing_wagtail_javascript_strings_are_chinese():
    catalogue = DjangoTranslation("zh-hans", domain="djangojs")
    assert catalogue.gettext("Changes have been autosaved.") == "更改已自动保存。"
    assert catalogue.gettext("Autosave in progress…") == "正在自动保存…"


@pytest.mark.django_db
def test_admin_pages_show_the_filled_in_strings(client, password):
    from cms.home.models import HomePage

    login_with_mfa(client, UserFactory(username="root", is_superuser=True, is_staff=True))
    home = HomePage.objects.get()
    explorer = client.get(reverse("wagtailadmin_explore", args=[home.pk])).content.decode()
    assert "更新日期" in explorer
    assert "Date updated" not in explorer
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[home.pk])).content.decode()
    assert "内容指标" in edit
    assert "Content metrics" not in edit
    catalogue = client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    assert json.dumps("更改已自动保存。")[1:-1] in catalogue or "更改已自动保存。" in catalogue
