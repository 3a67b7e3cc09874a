"""Hotlines as tap-to-call links that never break inside a number (0791-88330120 stays whole)."""

import re

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

register = template.Library()

_SPLIT = re.compile(r"[、，,;；/\s]+")
_DIALABLE = re.compile(r"[^0-9+]")


@register.filter
def hotline_links(value: str):
    """'12355、966525、0791-88330120' → three <a href="tel:…"> links, separated as the language writes lists."""
    numbers = [n for n in _SPLIT.split(value or "") if n]
    links = [(_DIALABLE.sub("", n), n) for n in numbers]
    return format_html_join(
        format_html("{}", gettext(", ")),
        '<a class="tel nowrap" href="tel:{}">{}</a>',
        ((dial, shown) for dial, shown in links if dial),
    )


@register.filter
def hotline_numbers(value: str) -> list[dict]:
    """'12355、966525、0791-88330120' → [{"number": "12355", "tel": "12355"}, …], for templates that
    lay the numbers out themselves (the strip above every page, the help page's buttons)."""
    numbers = []
    for part in _SPLIT.split(value or ""):
        tel = _DIALABLE.sub("", part)
        if tel:
            numbers.append({"number": part, "tel": tel})
    return numbers
