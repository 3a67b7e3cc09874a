"""Form labels end in a full-width colon in Chinese (Django's catalogue leaves "类型:")."""

import pytest

from django import forms
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_form_labels_end_in_a_chinese_colon():
    class Form(forms.Form):
        kind = forms.CharField(label="类型")

    with translation.override("zh-hans"):
        assert "类型：" in Form()["kind"].label_tag()
