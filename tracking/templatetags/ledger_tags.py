from django import template

from accounts.scope import scope_for

register = template.Library()


@register.filter
def is_city_coordinator(user) -> bool:
    """Only city coordinators may change yearly targets; others must not be shown a link to a 403."""
    return scope_for(user).city
