"""`{% page_authors page %}`: the experts who authored a course or resource, for its template."""

from django import template

from cms.help.models import authors_of

register = template.Library()


@register.inclusion_tag("help/_authors.html")
def page_authors(page):
    return {"experts": authors_of(page)}
