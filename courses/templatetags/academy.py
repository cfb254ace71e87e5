"""Template tags for navigation: the language switcher, breadcrumbs, the header's link to
the instructor's area and the footer's links."""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls.base import translate_url
from django.utils.translation import get_language

from wagtail.models import Page, Site

from courses import information, pagetree, permissions
from courses.models.pages import breadcrumbs as page_breadcrumbs

register = template.Library()


def _translations_by_language(translation_key):
    """{language: live page} of one page's translations, cached until the page tree changes."""

    def find():
        pages = Page.objects.live().public().filter(translation_key=translation_key)
        return {page.locale.language_code: page for page in pages.select_related("locale")}

    return pagetree.remember("translations", translation_key, find)


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """One link per language: the same page translated, else that language's home with a notice."""
    request = context["request"]
    page = context.get("page")
    current = get_language()
    links = []
    if isinstance(page, Page):
        translations = _translations_by_language(page.translation_key)
        site = Site.find_for_request(request)
        homes = _translations_by_language(site.root_page.translation_key) if site else {}
        for code, name in settings.LANGUAGES:
            if code in translations:
                links.append((code, name, translations[code].get_url(request), True))
            elif code in homes:
                home_url = homes[code].get_url(request)
                links.append(
                    (code, name, f"{home_url}?{urlencode({'untranslated': page.pk})}", False)
                )
    else:
        path = request.get_full_path()
        links = [(code, name, translate_url(path, code), True) for code, name in settings.LANGUAGES]
    return {
        "current_language": current,
        "links": [
            {"code": code, "name": name, "url": url, "translated": translated}
            for code, name, url, translated in links
        ],
    }


@register.simple_tag(takes_context=True)
def footer_links(context):
    """``{% footer_links as links %}``: About, Contact, Privacy, Terms in the visitor's
    language where they exist (courses/information.py)."""
    request = context.get("request")
    return information.footer_links(request) if request is not None else []


@register.simple_tag(takes_context=True)
def may_open_teach(context):
    """Whether the header links to the instructor's area (courses/permissions.py decides)."""
    request = context.get("request")
    return bool(request) and permissions.may_open_teach(request.user)


@register.simple_tag(takes_context=True)
def may_read_exercises(context, workshop):
    """Whether the workshop's menu links to its participants' exercises: its instructors
    only (courses/permissions.py)."""
    request = context.get("request")
    return bool(request) and permissions.is_instructor(request.user, workshop)


@register.simple_tag
def breadcrumbs(page):
    return page_breadcrumbs(page)


@register.simple_tag
def field_widget(bound_field):
    """Render a field's widget with its help text and errors tied to it for screen readers."""
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}_errors")
    attrs = {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    return bound_field.as_widget(attrs=attrs)
