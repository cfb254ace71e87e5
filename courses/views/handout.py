"""The module handout download: a printable PDF of a live, public module's lessons, rendered
once per published state and kept in the default storage."""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from wagtail.models import Page

from courses.handout import render_module_handout
from courses.models import CoursePage, ModulePage
from courses.workshops import locked_until

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


@require_GET
def module_handout(request, module_id):
    """The module's handout as an attachment named after the module's slug."""
    module = get_object_or_404(ModulePage.objects.live().public(), pk=module_id)
    if not module.get_parent().live:
        raise Http404
    opens_on = locked_until(request.user, module)
    if opens_on is not None:
        context = {
            "page": module,
            "opens_on": opens_on if opens_on is not True else None,
            "course": CoursePage.objects.filter(path=module.path[: module.steplen * 3]).first(),
        }
        return TemplateResponse(request, "courses/workshops/locked.html", context, status=403)
    with stored_handout(module) as file:
        response = HttpResponse(file.read(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{module.slug}.pdf")
    return response


def stored_handout(module):
    """The module's current handout, open for reading from the default storage.

    The PDF lives in the storage (the file system or a bucket shared by every app server),
    not in the cache; the cache only remembers which file belongs to which state of the
    module. A new rendering replaces the module's previous file."""
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
