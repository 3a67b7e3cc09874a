"""Punctuation that follows the language: "Scope: A, B" in English, "范围：甲、乙" in Chinese.

Templates wrote full-width "：" and "、" between translated words, which left Chinese
punctuation in the English pages.
"""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def colon() -> str:
    """The separator after a label: ': ' in English, '：' in Chinese."""
    return gettext(": ")


@register.filter
def series(values) -> str:
    """Join items as a list: 'A, B' in English, '甲、乙' in Chinese."""
    return gettext(", ").join(str(v) for v in values or [])
