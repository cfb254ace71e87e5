"""``{% site_name %}``: the site's name in the active language (courses/brand.py)."""

from django import template

from courses import brand

register = template.Library()


@register.simple_tag
def site_name():
    """The site's name; ``{% site_name as name %}`` to use it inside a blocktranslate."""
    return brand.site_name()


@register.simple_tag(takes_context=True)
def partner(context):
    """``{% partner as partner %}``: the partner the header shows, or None (courses/brand.py)."""
    request = context.get("request")
    return brand.partner(request) if request is not None else None
