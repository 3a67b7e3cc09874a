from django import template

from accounts.scope import scope_for

from ..figures import round_percent

register = template.Library()


@register.filter
def is_city_coordinator(user) -> bool:
    """Only city coordinators may change yearly targets; others must not be shown a link to a 403."""
    return scope_for(user).city


@register.filter
def percent(value) -> str:
    """A share as the reports print it: one decimal, half up (tracking.figures), "—" when none."""
    rounded = round_percent(value)
    return "—" if rounded is None else f"{rounded}%"
