from django import template

from ..reports.rule_notes import texts

register = template.Library()


@register.inclusion_tag("tracking/_rule_notes.html")
def rule_notes(*keys):
    """The 计算口径 note: the rules behind the figures on this page, in plain words."""
    flat = []
    for key in keys:
        flat.extend(key if isinstance(key, list | tuple) else [key])
    return {"rules": texts(*flat)}
