"""Facts about the page tree, kept in the cache until the tree changes.

Editors change pages now and then; learners read them all day. Routing a URL to its page,
the site of a host name, a page's ancestors, translations, neighbours and view restrictions,
and a course's outline are each computed once and cached under the tree's *generation*: a
random token replaced whenever a page, a view restriction, a site, a locale, a translation
source, the site's branding, an image or a country note is saved or deleted, and whenever a
page moves (``connect`` below). A fact cached under an old generation is never read again, so
invalidation is exact, not timed: a publish
is seen by the next request. The new generation is written at once and again when the
transaction commits, so a request that read the old tree meanwhile cannot cache it under
the new one.

The cache must be shared by every process (Redis or the database cache, as the settings
choose), or one server would not see another's edits; the token is random rather than a
counter so that a generation lost from the cache can never come back and revive old facts.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

GENERATION_KEY = "courses:pagetree:generation"
# Facts of past generations are never read again; this only lets the cache drop them.
TIMEOUT = 24 * 60 * 60
_MISSING = object()


def generation():
    """The current generation of the page tree (created when the cache has none)."""
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)  # another process may win the race
        token = cache.get(GENERATION_KEY)
    return token


def tree_changed(**kwargs):
    """Start a new generation, now and once the current transaction commits."""

    def renew():
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)

    renew()
    transaction.on_commit(renew)


def remember(name, key, compute):
    """``compute()``, cached as fact ``name`` of ``key`` until the tree changes."""
    cache_key = f"courses:pagetree:{generation()}:{name}:{key}"
    value = cache.get(cache_key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(cache_key, value, TIMEOUT)
    return value


def site_for_request(request):
    """Wagtail's site for this request, cached; also kept on the request where Wagtail's
    ``Site.find_for_request`` looks first (``request._wagtail_site``, as it documents), with
    its root page already in its specific type."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    # The host and port exactly as Site.find_for_request reads them.
    host_key = f"{request._get_raw_host()}:{request.get_port()}"

    def find():
        site = Site.find_for_request(request)
        if site is not None:
            site.root_page = site.root_page.specific
        return site

    request._wagtail_site = remember("site", host_key, find)
    return request._wagtail_site


class SiteMiddleware:
    """Finds the Wagtail site of a request for a page in the cache, before Wagtail looks it
    up in the database (routing, page URLs, settings). Other views (the probes, the
    dashboard) are left alone: they ask Wagtail only if they need a site."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.views import serve

        if view_func is serve:
            site_for_request(request)


def on_model_change(sender, **kwargs):
    """A saved or deleted row: a new generation if it belongs to the page tree, or to what
    every page's header shows (the site's branding and the image files behind its logo)."""
    from wagtail.images.models import AbstractImage
    from wagtail_localize.models import TranslationSource

    from courses.models.brand import SiteBranding
    from courses.models.countries import CountryNote

    tree = Page | PageViewRestriction | Site | Locale | TranslationSource
    # Lessons show their country notes from the cache (courses/countries.py).
    if issubclass(sender, tree | SiteBranding | AbstractImage | CountryNote):
        tree_changed()


def connect():
    """Start a new generation whenever the page tree changes (called once, from apps.py)."""
    post_save.connect(on_model_change, dispatch_uid="pagetree-save")
    post_delete.connect(on_model_change, dispatch_uid="pagetree-delete")
    page_published.connect(tree_changed, dispatch_uid="pagetree-published")
    page_unpublished.connect(tree_changed, dispatch_uid="pagetree-unpublished")
    post_page_move.connect(tree_changed, dispatch_uid="pagetree-moved")
