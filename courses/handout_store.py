"""Where module handouts are kept, and their rendering ahead of the first reader.

A handout is rendered once per published state of its module and kept in the default
storage (the file system or a bucket shared by every app server); the cache only remembers
which file belongs to which state. Publishing a module or one of its lessons asks the task
worker to render the new state once the publication is committed, so the room that opens
the handout right after a publish reads a stored file instead of each reader rendering it.
The download view still renders a missing handout itself (worker down or behind): nobody
waits for the queue.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from wagtail.models import Page
from wagtail.signals import page_published

from courses import background
from courses.handout import render_module_handout
from courses.models import LessonPage, ModulePage

# Bump when the layout changes, so cached handouts of unchanged modules are rendered again.
LAYOUT_VERSION = 1
CACHE_SECONDS = 7 * 24 * 3600
HANDOUT_DIR = "handouts"


def cache_key(module):
    """Changes whenever the module or any of its pages is published, unpublished or moved."""
    pages = (
        Page.objects.descendant_of(module, inclusive=True)
        .live()
        .public()
        .order_by("path")
        .values_list("pk", "path", "live_revision_id")
    )
    # The footer prints SITE_URL: a handout cached under another address is not served.
    fingerprint = hashlib.sha256(repr([settings.SITE_URL, *pages]).encode()).hexdigest()[:16]
    return f"module-handout:{LAYOUT_VERSION}:{module.pk}:{module.live_revision_id}:{fingerprint}"


def stored_handout(module):
    """The module's current handout, open for reading from the default storage; rendered
    and stored first if this state of the module has none yet. A new rendering replaces the
    module's previous file."""
    key = cache_key(module)
    name = cache.get(key)
    if name is not None:
        try:
            return default_storage.open(name, "rb")
        except FileNotFoundError:
            pass  # removed by a newer rendering or by hand: render it again
    name = default_storage.save(
        f"{HANDOUT_DIR}/{module.pk}/{uuid.uuid4().hex}.pdf",
        ContentFile(render_module_handout(module)),
    )
    latest = f"module-handout-file:{module.pk}"
    previous = cache.get(latest)
    cache.set(key, name, CACHE_SECONDS)
    cache.set(latest, name, None)
    if previous and previous != name:
        default_storage.delete(previous)
    return default_storage.open(name, "rb")


def downloadable(module_id):
    """The module whose handout may be downloaded (live, public, in a live course), or None."""
    module = ModulePage.objects.live().public().filter(pk=module_id).first()
    if module is None or not module.get_parent().live:
        return None
    return module


@background.background_task
def render_handout(module_id):
    """Render and store the handout of the module's current state, if it has none yet."""
    module = downloadable(module_id)
    if module is not None:
        stored_handout(module).close()


def module_of(page):
    if isinstance(page, ModulePage):
        return page.pk
    if isinstance(page, LessonPage):
        return page.get_parent().pk
    return None


def on_page_published(sender, instance, **kwargs):
    module_id = module_of(instance)
    if module_id is None:
        return
    if background.under_way(render_handout, module_id=module_id):
        return  # a rendering is already waiting or running (with RQ, None: enqueue anyway)
    transaction.on_commit(
        lambda: background.enqueue(render_handout, module_id=module_id), robust=True
    )


def connect():
    page_published.connect(on_page_published, dispatch_uid="handout-rendered-ahead")
