"""The footer's links to About, Contact, Privacy and Terms, in the visitor's language.

The footer is on every page, so the pages are looked up once per site, for every language
at once, and kept until the page tree changes (courses/pagetree.py): no query on a request
once cached. Each
kind links to its page in the visitor's language, else to the page of the site's default
language (marked with that language), else it is left out. Privacy instead falls back to the
privacy notice, which exists in every language (courses/views/privacy.py).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language

from wagtail.models import Page

from courses import pagetree
from courses.models.information import InformationKind, InformationPage


@dataclass(frozen=True)
class FooterLink:
    kind: str
    url: str
    language: str  # the page's language; differs from the visitor's for a fallback

    @property
    def label(self):
        """The kind's name in the active language, whatever the page's language."""
        return InformationKind(self.kind).label


def information_pages(site):
    """{(language, kind): url} of the live, public information pages under the site's home
    page in every language (two queries)."""
    if site is None:
        return {}
    homes = Page.objects.filter(translation_key=site.root_page.translation_key).values_list(
        "path", flat=True
    )
    under_a_home = Q(pk__in=[])
    for path in homes:
        under_a_home |= Q(path__startswith=path)
    pages = (
        InformationPage.objects.live()
        .public()
        .filter(under_a_home, depth=site.root_page.depth + 1)
        .select_related("locale")
        .order_by("path")
    )
    found = {}
    for page in pages:
        found.setdefault((page.locale.language_code, page.kind), page.get_url(None))
    return found


def pages_for(request):
    """information_pages() of the request's site, cached until the page tree changes."""
    site = pagetree.site_for_request(request)
    if site is None:
        return {}
    return pagetree.remember("information-pages", site.pk, lambda: information_pages(site))


def page_url(request, kind, language=None):
    """The URL of the information page of this kind in this language (the active one by
    default), or None."""
    return pages_for(request).get((language or get_language(), kind))


def footer_links(request):
    """One FooterLink per kind that has a page, in the visitor's language where it can."""
    pages = pages_for(request)
    current, default = get_language(), settings.LANGUAGE_CODE
    links = []
    for kind in InformationKind.values:
        # The privacy notice exists in every language: better than another language's page.
        fallbacks = [current] if kind == InformationKind.PRIVACY else [current, default]
        for language in fallbacks:
            if (language, kind) in pages:
                links.append(FooterLink(kind, pages[(language, kind)], language))
                break
        else:
            if kind == InformationKind.PRIVACY:
                links.append(FooterLink(kind, reverse("privacy"), current))
    return links
