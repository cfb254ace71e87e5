"""Which cached addresses go stale when content changes, purged from the reverse proxy
through Wagtail's frontend cache (WAGTAILFRONTENDCACHE; docs/deployment.md).

Wagtail purges a page's own address when it is published or unpublished. A page also shows
in other pages, in every language: its translations link to it from the language switcher;
the module, course and home page above it list it (course outlines in other languages fall
back to it while it is untranslated, and course hours add up its minutes); the lessons just
before and after it name it in their pager; the pages below it carry its title in their
breadcrumbs; a course (or the home page above it) also shows as a card in the catalogue of
every language (courses/catalogue.py). All of those are purged too, on publish, unpublish and
move (from the old place and in the new one), once the change is committed. A revocation
purges the signed status list, the one cached answer that says whether a certificate is valid.
A country note or profile published or unpublished purges its lesson (whose country chooser
lists the countries with notes) and the country profiles, in every language.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import translation

from wagtail.contrib.frontend_cache.utils import PurgeBatch, purge_url_from_cache
from wagtail.models import Page, Site
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    pre_page_move,
    published,
    unpublished,
)

from courses import links
from courses.models.certificates import Certificate, CertificateStatus
from courses.models.countries import CountryNote, CountryProfile
from courses.models.pages import LessonPage

# root → home → course: the first three steps of a page's tree path name its course.
COURSE_DEPTH = 3


def neighbours(page):
    """The live lessons just before and just after ``page`` in its course's reading order,
    whether or not ``page`` itself is live (it may be being unpublished)."""
    if page.depth <= COURSE_DEPTH:
        return []
    lessons = (
        LessonPage.objects.live()
        .filter(path__startswith=page.path[: page.steplen * COURSE_DEPTH])
        .exclude(pk=page.pk)
    )
    before = lessons.filter(path__lt=page.path).order_by("-path").first()
    after = lessons.filter(path__gt=page.path).exclude(path__startswith=page.path)
    return [found for found in (before, after.order_by("path").first()) if found is not None]


def pages_showing(page):
    """``page`` and every live page that shows something of it, in every language."""
    related = [page, *page.get_ancestors().filter(depth__gt=1), *neighbours(page)]
    keys = {found.translation_key for found in related}
    shown = {page.pk: page}
    shown.update(
        (found.pk, found) for found in Page.objects.live().filter(translation_key__in=keys)
    )
    shown.update((found.pk, found) for found in page.get_descendants().live())
    return list(shown.values())


def site_origin():
    """The default site's root URL: Wagtail names the pages it purges by their site's host."""
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site is not None else links.absolute("")


def catalogue_urls(page):
    """The catalogue in every language, when ``page`` is a course or above one: the
    unfiltered page only, the one the proxy keeps (courses/views/catalogue.py)."""
    if page.depth > COURSE_DEPTH:
        return []
    origin = site_origin()
    urls = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            urls.append(f"{origin}{reverse('catalogue')}")
    return urls


def purge_on_commit(pages=(), urls=()):
    """Purge these pages' addresses (and these URLs) once the transaction commits, so that
    the proxy cannot fetch and keep the old version in between."""
    batch = PurgeBatch(urls)
    batch.add_pages(pages)  # the addresses are worked out now, before a move changes them
    if batch.urls:
        transaction.on_commit(batch.purge)


def on_page_changed(sender, instance, **kwargs):
    purge_on_commit(pages_showing(instance), catalogue_urls(instance))


def before_page_moves(sender, instance, **kwargs):
    """Where the page (and everything below it) was, and the pages there that listed it."""
    purge_on_commit(pages_showing(instance), catalogue_urls(instance))


def after_page_moved(sender, instance, **kwargs):
    """The pages that list it at its new place (the page itself is fetched afresh from
    there)."""
    purge_on_commit(pages_showing(Page.objects.get(pk=instance.pk)))


def on_certificate_saved(sender, instance, update_fields=None, **kwargs):
    revoked = instance.status == CertificateStatus.REVOKED
    if revoked and update_fields is not None and "status" in update_fields:
        url = links.absolute(reverse("status_list"))
        transaction.on_commit(lambda: purge_url_from_cache(url))


def on_country_content_changed(sender, instance, **kwargs):
    """A note's lesson in every language, and the country's profile and the index."""
    origin = site_origin()
    urls = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            urls.append(f"{origin}{reverse('country_index')}")
            urls.append(
                f"{origin}{reverse('country_profile', args=[instance.country.code.lower()])}"
            )
    lessons = []
    if isinstance(instance, CountryNote):
        lessons = Page.objects.live().filter(translation_key=instance.lesson.translation_key)
    purge_on_commit(lessons, urls)


def connect():
    """Subscribe to Wagtail's page signals and to revocations (CoursesConfig.ready)."""
    page_published.connect(on_page_changed, dispatch_uid="purge-published-page")
    page_unpublished.connect(on_page_changed, dispatch_uid="purge-unpublished-page")
    pre_page_move.connect(before_page_moves, dispatch_uid="purge-page-moved-from")
    post_page_move.connect(after_page_moved, dispatch_uid="purge-page-moved-to")
    post_save.connect(on_certificate_saved, sender=Certificate, dispatch_uid="purge-status-list")
    for model in (CountryNote, CountryProfile):
        for signal, name in ((published, "published"), (unpublished, "unpublished")):
            signal.connect(
                on_country_content_changed,
                sender=model,
                dispatch_uid=f"purge-{model.__name__}-{name}",
            )
