from allauth.account.adapter import get_adapter

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def signup_open(context) -> bool:
    """Whether this site lets people create their own account (the 注册 link shows only then)."""
    request = context.get("request")
    return request is not None and get_adapter(request).is_open_for_signup(request)
