"""The 24-hour hotlines (a site setting) as tap-to-call links that never wrap mid-number."""

import re

from django import template

register = template.Library()

SEPARATORS = re.compile(r"[、,，;；/\s]+")


@register.filter
def hotline_numbers(setting: str) -> list[dict]:
    """'12355、966525、0791-88330120' → [{"number": "12355", "tel": "12355"}, …]."""
    numbers = []
    for part in SEPARATORS.split(setting or ""):
        tel = re.sub(r"[^\d+]", "", part)
        if tel:
            numbers.append({"number": part, "tel": tel})
    return numbers
